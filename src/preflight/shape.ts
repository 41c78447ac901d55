/**
 * The constraints of a table at one point of the pending migrations, read from the preflight's own replay
 * (SQLite's pragmas and the CREATE text): what a row must satisfy, as SQL a probe can count violations of.
 */
import type { OoDb } from '../replay/sqlite.js';
import type { Token } from '../sql/types.js';
import { emit, isPunct, isWord, nameOf, q, skipGroup, splitTopLevel, tokensOf } from './sql.js';

export interface ColumnShape {
  name: string;
  notNull: boolean;
  /** The DEFAULT expression as written (re-emitted), or null. */
  dflt: string | null;
  /** 0 ordinary, 2/3 generated (not insertable), 1 hidden (virtual tables). */
  hidden: number;
}

export interface KeyShape {
  /** Index name, or `PRIMARY KEY` for a rowid alias. */
  name: string;
  /** Each key term as SQL over the table's columns, with its collation. */
  terms: string[];
  /** Column names of the key (the terms that are plain columns). */
  columns: string[];
  /** A partial index's WHERE, re-emitted. */
  where?: string;
  /** Some term or the WHERE could not be re-emitted: the key cannot be probed. */
  unusable?: boolean;
}

export interface ForeignKeyShape {
  parent: string;
  from: string[];
  /** Referenced columns; null means the parent's primary key. */
  to: (string | null)[];
  onDelete: string;
  onUpdate: string;
  /** DEFERRABLE INITIALLY DEFERRED in the table's definition (the whole table: pragmas do not tell which key). */
  deferred: boolean;
}

export interface TableShape {
  name: string;
  sql: string;
  columns: ColumnShape[];
  /** Primary key columns in key order (what a foreign key without columns refers to). */
  pk: string[];
  /** The INTEGER PRIMARY KEY column (a NULL there becomes a new rowid, never a violation). */
  rowidAlias?: string;
  keys: KeyShape[];
  /** CHECK expressions (re-emitted; undefined where that was not possible). */
  checks: (string | undefined)[];
  fks: ForeignKeyShape[];
}

export function readShape(db: OoDb, name: string): TableShape | undefined {
  const row = db.selectArrays(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE`, [name])[0];
  if (!row) return undefined;
  const real = String(row[0]);
  const sql = String(row[1] ?? '');
  const columns: ColumnShape[] = [];
  const pk: { name: string; type: string; pos: number }[] = [];
  for (const r of db.selectArrays(`SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?1)`, [real])) {
    const dflt = r[3] === null || r[3] === undefined ? null : (emit(tokensOf(String(r[3]))) ?? null);
    columns.push({ name: String(r[0]), notNull: Number(r[2]) === 1, dflt, hidden: Number(r[5]) });
    if (Number(r[4]) > 0) pk.push({ name: String(r[0]), type: String(r[1] ?? ''), pos: Number(r[4]) });
  }
  const withoutRowid = /\)\s*[A-Za-z_,\s]*WITHOUT\s+ROWID[A-Za-z_,\s]*$/i.test(sql);
  const rowidAlias = !withoutRowid && pk.length === 1 && pk[0]!.type.toUpperCase() === 'INTEGER' && !/\bPRIMARY\s+KEY\s+DESC\b/i.test(sql) ? pk[0]!.name : undefined;
  const keys: KeyShape[] = rowidAlias ? [{ name: 'PRIMARY KEY', terms: [q(rowidAlias)], columns: [rowidAlias] }] : [];
  for (const ix of db.selectArrays(`SELECT il.name, il.origin, il.partial, m.sql FROM pragma_index_list(?1) AS il LEFT JOIN sqlite_schema AS m ON m.type = 'index' AND m.name = il.name WHERE il."unique" = 1`, [real])) {
    keys.push(readKey(db, String(ix[0]), ix[3] === null || ix[3] === undefined ? undefined : String(ix[3])));
  }
  const deferred = /\bDEFERRABLE\s+INITIALLY\s+DEFERRED\b/i.test(sql);
  const fks = new Map<number, ForeignKeyShape>();
  for (const r of db.selectArrays(`SELECT id, "table", "from", "to", upper(on_delete), upper(on_update) FROM pragma_foreign_key_list(?1) ORDER BY id, seq`, [real])) {
    const id = Number(r[0]);
    const fk = fks.get(id) ?? { parent: String(r[1]), from: [], to: [], onDelete: String(r[4]), onUpdate: String(r[5]), deferred };
    fk.from.push(String(r[2]));
    fk.to.push(r[3] === null || r[3] === undefined ? null : String(r[3]));
    fks.set(id, fk);
  }
  const pkColumns = [...pk].sort((a, b) => a.pos - b.pos).map((c) => c.name);
  return { name: real, sql, columns, pk: pkColumns, ...(rowidAlias !== undefined && { rowidAlias }), keys, checks: checksOf(sql), fks: [...fks.values()] };
}

/** One UNIQUE index (a constraint's autoindex or CREATE UNIQUE INDEX): its terms with collations. */
function readKey(db: OoDb, index: string, sql: string | undefined): KeyShape {
  const cols = db.selectArrays(`SELECT cid, name, coll FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno`, [index]);
  const parsed = sql ? indexTerms(sql) : undefined;
  const terms: string[] = [];
  const columns: string[] = [];
  let unusable = false;
  cols.forEach((c, i) => {
    const coll = String(c[2] ?? 'BINARY');
    if (Number(c[0]) >= 0) {
      columns.push(String(c[1]));
      terms.push(`${q(String(c[1]))} COLLATE ${q(coll)}`);
      return;
    }
    // An expression term: its text comes from the CREATE INDEX statement.
    const expr = parsed?.terms[i];
    if (expr === undefined) unusable = true;
    else terms.push(`(${expr}) COLLATE ${q(coll)}`);
  });
  const where = parsed?.where;
  if (parsed && parsed.whereUnusable) unusable = true;
  return { name: index, terms, columns, ...(where !== undefined && { where }), ...(unusable && { unusable }) };
}

/** The key expressions (collation and ASC/DESC removed) and WHERE of a CREATE INDEX statement. */
export function indexTerms(sql: string): { terms: (string | undefined)[]; where?: string; whereUnusable?: boolean } | undefined {
  const tokens = tokensOf(sql);
  const on = tokens.findIndex((t) => isWord(t, 'ON'));
  const open = tokens.findIndex((t, i) => i > on && isPunct(t, '('));
  if (on < 0 || open < 0) return undefined;
  const close = skipGroup(tokens, open);
  const terms = splitTopLevel(tokens.slice(open + 1, close - 1)).map((term) => {
    let end = term.length;
    if (isWord(term[end - 1], 'ASC', 'DESC')) end--;
    // `COLLATE x` at the end: the collation is read from pragma_index_xinfo instead.
    if (end >= 2 && isWord(term[end - 2], 'COLLATE')) end -= 2;
    return emit(term.slice(0, end));
  });
  const w = tokens.findIndex((t, i) => i >= close && isWord(t, 'WHERE'));
  if (w < 0) return { terms };
  const where = emit(tokens.slice(w + 1));
  return where === undefined ? { terms, whereUnusable: true } : { terms, where };
}

/** CHECK constraints of a CREATE TABLE statement (column and table constraints), re-emitted. */
export function checksOf(sql: string): (string | undefined)[] {
  return checksFrom(tokensOf(sql), 0);
}

/** The `CHECK (expr)` expressions in `tokens` from index `from` on, re-emitted (undefined where not possible). */
function checksFrom(tokens: readonly Token[], from: number): (string | undefined)[] {
  const out: (string | undefined)[] = [];
  for (let i = from; i < tokens.length; i++) {
    if (isWord(tokens[i], 'CHECK') && isPunct(tokens[i + 1], '(')) {
      const end = skipGroup(tokens, i + 1);
      out.push(emit(tokens.slice(i + 2, end - 1)));
      i = end - 1;
    }
  }
  return out;
}

/** Column definitions of `ALTER TABLE t ADD [COLUMN] <def>`: the column name and its CHECK expressions. */
export function addedColumn(tokens: readonly Token[]): { name: string; checks: (string | undefined)[] } | undefined {
  const add = tokens.findIndex((t) => isWord(t, 'ADD'));
  if (add < 0) return undefined;
  const at = isWord(tokens[add + 1], 'COLUMN') ? add + 2 : add + 1;
  const name = nameOf(tokens[at]);
  if (name === undefined) return undefined;
  return { name, checks: checksFrom(tokens, at + 1) };
}

/** Insertable columns (not generated), in table order. */
export function insertable(shape: TableShape): ColumnShape[] {
  return shape.columns.filter((c) => c.hidden === 0);
}
