/**
 * The schema facts the data check reads from the replay database: tables and their columns, keys, foreign
 * keys and triggers. Queries filter inside SQLite and return only the rows asked for, because moving rows
 * into JavaScript is what costs time in the WASM build.
 */
import type { SqlDb } from '../db/types.js';

export interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
  /** The DEFAULT expression as written, or null. */
  dflt: string | null;
  /** 1-based position in the primary key, 0 when not part of it. */
  pk: number;
}

export interface ForeignKey {
  id: number;
  parent: string;
  from: string[];
  /** Referenced columns; null entries mean "the parent's primary key". */
  to: (string | null)[];
  onDelete: string;
  onUpdate: string;
}

export interface TableMeta {
  name: string;
  sql: string;
  withoutRowid: boolean;
  strict: boolean;
  /** Ordinary columns (generated and hidden ones are left out: they cannot be given values). */
  columns: ColumnInfo[];
  fks: ForeignKey[];
  /** Columns of each UNIQUE constraint or index, primary key included. */
  uniques: string[][];
  /** The column that aliases the rowid (`INTEGER PRIMARY KEY`), if any. */
  rowidAlias?: string;
}

export type ObjectKind = 'table' | 'view' | 'virtual' | 'shadow';

const json = (names: Iterable<string>) => JSON.stringify([...names].map((n) => n.toLowerCase()));

export interface SchemaEntry {
  name: string;
  kind: ObjectKind;
  sql: string;
}

const VIRTUAL = /^CREATE\s+VIRTUAL\s/i;

/**
 * The kind of each sqlite_schema row: a virtual table, one of a virtual table's shadow tables (named
 * `<virtual>_...`), a view or an ordinary table. Virtual tables among `rows` are added to `virtuals` first,
 * so shadow tables created with them are recognised; `virtuals` carries the ones known from before.
 */
export function classifyObjects(rows: { name: string; type: string; sql: string }[], virtuals: Set<string>): Map<string, SchemaEntry> {
  for (const r of rows) if (r.type === 'table' && VIRTUAL.test(r.sql)) virtuals.add(r.name.toLowerCase());
  const out = new Map<string, SchemaEntry>();
  for (const r of rows) {
    const lower = r.name.toLowerCase();
    const kind: ObjectKind =
      r.type === 'view' ? 'view' : virtuals.has(lower) ? 'virtual' : [...virtuals].some((v) => lower.startsWith(`${v}_`)) ? 'shadow' : 'table';
    out.set(lower, { name: r.name, kind, sql: r.sql });
  }
  return out;
}

/**
 * Tables and views among `names` (compared case-insensitively), with their kind (see classifyObjects). Read
 * from sqlite_schema, filtered inside SQLite: pragma_table_list would inspect every table on each call.
 */
export function existingObjects(db: SqlDb, names: Iterable<string>, virtuals = new Set<string>()): Map<string, SchemaEntry> {
  const list = [...names];
  if (list.length === 0) return new Map();
  const rows = db.rows(`SELECT name, type, sql FROM sqlite_schema WHERE type IN ('table', 'view') AND lower(name) IN (SELECT value FROM json_each(?1))`, [json(list)]);
  return classifyObjects(
    rows.map(([name, type, sql]) => ({ name: String(name), type: String(type), sql: String(sql ?? '') })),
    virtuals,
  );
}

/** Triggers on any of `tables` (views included: INSTEAD OF triggers). */
export function triggersOn(db: SqlDb, tables: Iterable<string>): { name: string; table: string; sql: string }[] {
  return db
    .objects(`SELECT name, tbl_name AS tbl, sql FROM sqlite_schema WHERE type = 'trigger' AND lower(tbl_name) IN (SELECT value FROM json_each(?1))`, [json(tables)])
    .map((r) => ({ name: String(r.name), table: String(r.tbl), sql: String(r.sql ?? '') }));
}

export function readTableMeta(db: SqlDb, name: string, sql: string): TableMeta {
  // The table options follow the closing parenthesis: `) WITHOUT ROWID, STRICT`.
  const options = /\)\s*([A-Za-z_,\s]*)$/.exec(sql)?.[1]?.toUpperCase() ?? '';
  // One query for columns (c), foreign keys (f) and UNIQUE indexes (u): each prepare costs more than the rows.
  const rows = db.rows(
    `SELECT 'c', name, type, "notnull", dflt_value, pk, hidden, NULL FROM pragma_table_xinfo(?1)
     UNION ALL SELECT 'f', id, "table", "from", "to", upper(on_delete), upper(on_update), seq FROM pragma_foreign_key_list(?1)
     UNION ALL SELECT 'u', il.name, ii.name, NULL, NULL, NULL, NULL, ii.seqno FROM pragma_index_list(?1) AS il JOIN pragma_index_info(il.name) AS ii WHERE il."unique" = 1`,
    [name],
  );
  const columns: ColumnInfo[] = [];
  const fks = new Map<number, ForeignKey>();
  const uniques = new Map<string, string[]>();
  for (const r of rows) {
    if (r[0] === 'c') {
      if (Number(r[6]) !== 0) continue;
      columns.push({ name: String(r[1]), type: String(r[2] ?? ''), notNull: Number(r[3]) === 1, dflt: r[4] === null || r[4] === undefined ? null : String(r[4]), pk: Number(r[5]) });
    } else if (r[0] === 'f') {
      const id = Number(r[1]);
      const fk = fks.get(id) ?? { id, parent: String(r[2]), from: [], to: [], onDelete: String(r[5]), onUpdate: String(r[6]) };
      fk.from.push(String(r[3]));
      fk.to.push(r[4] === null || r[4] === undefined ? null : String(r[4]));
      fks.set(id, fk);
    } else if (r[2] !== null) {
      const cols = uniques.get(String(r[1])) ?? [];
      cols.push(String(r[2]));
      uniques.set(String(r[1]), cols);
    }
  }
  const pkCols = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const withoutRowid = /WITHOUT\s+ROWID/.test(options);
  if (pkCols.length > 0) uniques.set('(primary key)', pkCols.map((c) => c.name));
  const rowidAlias = !withoutRowid && pkCols.length === 1 && pkCols[0]!.type.toUpperCase() === 'INTEGER' && !/\bPRIMARY\s+KEY\s+DESC\b/i.test(sql) ? pkCols[0]!.name : undefined;
  return { name, sql, withoutRowid, strict: /\bSTRICT\b/.test(options), columns, fks: [...fks.values()], uniques: [...uniques.values()], ...(rowidAlias && { rowidAlias }) };
}

/** A SQL identifier, double-quoted. */
export function q(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
