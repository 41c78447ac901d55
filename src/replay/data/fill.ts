/**
 * Puts synthetic rows into tables so a migration meets a database that has data. Values are found by trying
 * them: SQLite is the judge of CHECK, NOT NULL, UNIQUE, types and foreign keys, and its error message says
 * which columns to vary next.
 */
import { tokenize } from '../../sql/tokenize.js';
import type { SqlDb } from '../db/types.js';
import { existingObjects, q, readTableMeta, type ColumnInfo, type ForeignKey, type TableMeta } from './tables.js';

/** Rows added to each table: enough for UNIQUE and one-to-one references to matter. */
export const SYNTHETIC_ROWS = 2;
const MAX_ATTEMPTS = 80;
/** Omit the column from the INSERT so its DEFAULT (or NULL) applies. */
const DEFAULT = '\u0000default';

type Affinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

/** SQLite's rules for a column's affinity from its declared type (datatype3.html, 3.1). */
export function affinity(type: string): Affinity {
  const t = type.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

export interface FillOutcome {
  /** Lower-cased names of tables that now hold synthetic rows. */
  filled: Set<string>;
  /** Tables that could not be filled, with the reason (lower-cased name → [name, reason]). */
  uncovered: Map<string, [string, string]>;
}

export interface FillerState {
  counter: number;
  plans: [string, { columns: string[]; rows: string[][] }][];
}

export class Filler {
  private counter = 0;
  private meta = new Map<string, TableMeta>();
  /** VALUES that worked for a table, by its CREATE statement: a table rebuilt the same way is filled the same way. */
  private plans = new Map<string, { columns: string[]; rows: string[][] }>();

  constructor(private readonly db: SqlDb) {}

  /** What decides the values it picks next (for the replay cache). */
  state(): FillerState {
    return { counter: this.counter, plans: [...this.plans] };
  }

  /** A filler that goes on from `state`. */
  static restore(db: SqlDb, state: FillerState): Filler {
    const f = new Filler(db);
    f.counter = state.counter;
    f.plans = new Map(state.plans);
    return f;
  }

  /** The same filler (values, counter) for another database. */
  rebind(db: SqlDb): Filler {
    const f = new Filler(db);
    f.counter = this.counter;
    f.plans = this.plans;
    return f;
  }

  /** Facts of a table as it is now (cached while its CREATE statement is unchanged). */
  tableMeta(lower: string, sql: string, name: string): TableMeta {
    const cached = this.meta.get(lower);
    if (cached && cached.sql === sql && cached.name === name) return cached;
    const m = readTableMeta(this.db, name, sql);
    this.meta.set(lower, m);
    return m;
  }

  /**
   * Fills `tables` (lower-cased name → real name) and, parents first, every table they reference that
   * `hasRows` does not vouch for.
   */
  fill(tables: Map<string, { name: string; sql: string }>, hasRows: (lower: string) => boolean): FillOutcome {
    const filled = new Set<string>();
    const uncovered = new Map<string, [string, string]>();
    // Close over parents. A parent the caller vouches for and that has rows needs nothing: checking that is
    // a lookup by name, while reading a table's CREATE statement scans the whole schema.
    const metas = new Map<string, TableMeta>();
    const settled = new Set<string>();
    let frontier = new Map<string, string>();
    for (const [lower, t] of tables) {
      const m = this.tableMeta(lower, t.sql, t.name);
      metas.set(lower, m);
      for (const fk of m.fks) frontier.set(fk.parent.toLowerCase(), fk.parent);
    }
    while (frontier.size > 0) {
      for (const p of [...frontier.keys()]) {
        if (metas.has(p) || settled.has(p) || (hasRows(p) && this.hasRows(frontier.get(p)!))) {
          settled.add(p);
          frontier.delete(p);
        }
      }
      if (frontier.size === 0) break;
      const found = existingObjects(this.db, frontier.keys());
      const next = new Map<string, string>();
      for (const [lower, name] of frontier) {
        const sql = found.get(lower)?.sql;
        settled.add(lower);
        if (sql === undefined) continue;
        const m = this.tableMeta(lower, sql, name);
        metas.set(lower, m);
        for (const fk of m.fks) next.set(fk.parent.toLowerCase(), fk.parent);
      }
      frontier = next;
    }
    // Parents first (depth-first post-order); an edge back into the current path is a cycle.
    const order: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (t: string) => {
      if (state.has(t)) return;
      state.set(t, 'visiting');
      for (const fk of metas.get(t)?.fks ?? []) {
        const p = fk.parent.toLowerCase();
        if (p !== t && metas.has(p)) visit(p);
      }
      state.set(t, 'done');
      order.push(t);
    };
    for (const t of [...metas.keys()].sort()) visit(t);

    for (const lower of order) {
      const m = metas.get(lower)!;
      const reason = this.fillTable(m);
      if (reason === undefined) filled.add(lower);
      else uncovered.set(lower, [m.name, reason]);
    }
    // Parents were filled for the sake of their children; only the tables asked for count as uncovered.
    for (const t of [...uncovered.keys()]) if (!tables.has(t)) uncovered.delete(t);
    return { filled, uncovered };
  }

  /** Adds SYNTHETIC_ROWS rows; returns why it could not, or undefined. */
  private fillTable(m: TableMeta): string | undefined {
    const plan = this.plans.get(m.sql);
    if (plan && plan.rows.every((row) => this.insert(m, plan.columns, row) === undefined)) return undefined;
    if (plan) {
      // The cached values no longer fit (a parent row is gone, a trigger objects): find new ones.
      this.plans.delete(m.sql);
      return this.fillTable(m);
    }
    const rows: string[][] = [];
    const columns = m.columns.map((c) => c.name);
    let previous: string[] | undefined;
    for (let r = 0; r < SYNTHETIC_ROWS; r++) {
      const found = this.findRow(m, r, previous);
      if (typeof found === 'string') return found;
      rows.push(found);
      previous = found;
    }
    this.plans.set(m.sql, { columns, rows });
    return undefined;
  }

  private insert(m: TableMeta, columns: string[], values: string[]): string | undefined {
    const cols: string[] = [];
    const vals: string[] = [];
    values.forEach((v, i) => {
      if (v !== DEFAULT) {
        cols.push(q(columns[i]!));
        vals.push(v);
      }
    });
    const sql = cols.length ? `INSERT INTO ${q(m.name)} (${cols.join(', ')}) VALUES (${vals.join(', ')})` : `INSERT INTO ${q(m.name)} DEFAULT VALUES`;
    return this.db.tryExec(sql);
  }

  /** One row that SQLite accepts, as literals per column (DEFAULT = omitted); or the reason none was found. */
  private findRow(m: TableMeta, r: number, previous: string[] | undefined): string[] | string {
    const fkOf = new Map<string, { fk: ForeignKey; pos: number }>();
    for (const fk of m.fks) fk.from.forEach((c, pos) => fkOf.set(c.toLowerCase(), { fk, pos }));
    // Literals of the table's SQL (CHECK lists...) are only needed once a first row is rejected.
    let literals: string[] = [];
    const unique = new Set(m.uniques.flat().map((c) => c.toLowerCase()));

    // Values of each foreign key, from existing parent rows (one parent row per child row where possible).
    const fkValues = new Map<number, string[][]>();
    for (const fk of m.fks) {
      const parent = fk.parent.toLowerCase();
      const nullable = fk.from.every((c) => !m.columns.find((x) => x.name.toLowerCase() === c.toLowerCase())?.notNull);
      if (parent === m.name.toLowerCase()) {
        fkValues.set(fk.id, []); // self-reference: resolved per row below
        continue;
      }
      const options: string[][] = [];
      const to = this.targetColumns(fk);
      if (to) {
        try {
          const rows = this.db.rows(
            `SELECT ${to.map((c) => `quote(${q(c)})`).join(', ')} FROM ${q(fk.parent)} WHERE ${to.map((c) => `${q(c)} IS NOT NULL`).join(' AND ')} LIMIT ${SYNTHETIC_ROWS * 2}`,
          );
          for (const row of rows) options.push(row.map(String));
        } catch {
          // The parent table or column does not exist (a dangling reference): no row can point at it.
        }
      }
      if (options.length === 0 && !nullable) return `its parent table ${fk.parent} has no rows to point at (it could not be filled)`;
      // Each child row points at a different parent row first (UNIQUE one-to-one keys), NULL as a last resort.
      const rotated = options.length ? [...options.slice(r % options.length), ...options.slice(0, r % options.length)] : [];
      if (nullable) rotated.push(fk.from.map(() => 'NULL'));
      fkValues.set(fk.id, rotated);
    }

    const build = (): string[][] => m.columns.map((c) => {
      const f = fkOf.get(c.name.toLowerCase());
      if (f) {
        if (f.fk.parent.toLowerCase() === m.name.toLowerCase()) return this.selfReference(m, f.fk, f.pos, c, previous);
        return (fkValues.get(f.fk.id) ?? []).map((row) => row[f.pos]!);
      }
      return this.candidates(m, c, unique.has(c.name.toLowerCase()), literals);
    });
    let cands = build();
    const idx = m.columns.map(() => 0);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const values = cands.map((list, i) => list[Math.min(idx[i]!, list.length - 1)] ?? DEFAULT);
      this.resolveSelf(m, values);
      const error = this.insert(m, m.columns.map((c) => c.name), values);
      if (error === undefined) return values;
      if (attempt === 0) {
        literals = literalsOf(m.sql);
        cands = build();
      }
      const blamed = this.blame(m, error);
      if (blamed === undefined) return `SQLite rejected every row tried: ${error}`;
      if (!advance(idx, cands, blamed)) return `no value satisfies it: ${error}`;
    }
    return `no row satisfied its constraints after ${MAX_ATTEMPTS} tries`;
  }

  /** Whether a table has a row (false when it does not exist). */
  private hasRows(table: string): boolean {
    try {
      return this.db.rows(`SELECT EXISTS (SELECT 1 FROM ${q(table)})`)[0]?.[0] === 1;
    } catch {
      return false;
    }
  }

  /** The parent columns a key points at: as listed, or the parent's primary key. */
  private targetColumns(fk: ForeignKey): string[] | undefined {
    if (fk.to.every((c) => c !== null)) return fk.to;
    const pk = this.db.rows(`SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk`, [fk.parent]).map((r) => String(r[0]));
    return pk.length === fk.from.length ? pk : undefined;
  }

  /** A self-reference: NULL when allowed, else the row's own key (row 0) or the previous row's (row 1). */
  private selfReference(m: TableMeta, fk: ForeignKey, pos: number, c: ColumnInfo, previous: string[] | undefined): string[] {
    const out: string[] = [];
    const to = fk.to[pos] ?? m.columns.filter((x) => x.pk > 0).sort((a, b) => a.pk - b.pk)[pos]?.name;
    if (previous && to) {
      const i = m.columns.findIndex((x) => x.name.toLowerCase() === to.toLowerCase());
      const value = previous[i];
      if (value !== undefined && value !== DEFAULT) out.push(value);
    }
    if (!c.notNull) out.push('NULL');
    if (to) out.push(`${SELF_MARK}${to}`);
    return out;
  }

  /** Replaces "same row's column X" markers by that column's value in the row being built. */
  private resolveSelf(m: TableMeta, values: string[]): void {
    values.forEach((v, i) => {
      if (!v.startsWith(SELF_MARK)) return;
      const to = v.slice(SELF_MARK.length).toLowerCase();
      const j = m.columns.findIndex((x) => x.name.toLowerCase() === to);
      const same = values[j];
      values[i] = same !== undefined && !same.startsWith(SELF_MARK) && same !== DEFAULT ? same : 'NULL';
    });
  }

  /** Values to try for an ordinary column, most plausible first. */
  private candidates(m: TableMeta, c: ColumnInfo, unique: boolean, literals: string[]): string[] {
    const n = ++this.counter;
    const aff = m.strict ? strictAffinity(c.type) : affinity(c.type);
    const out: string[] = [];
    if (m.rowidAlias && c.name === m.rowidAlias) {
      // Negative rowids: rows a migration inserts without an id still get max(rowid) + 1 of the real rows,
      // and explicit small ids in seed data do not collide with synthetic ones.
      out.push(String(-(1_000_000 + n)), String(1_000_000_000 + n));
      return out;
    }
    const typed = typedValue(c, aff, n);
    const withDefault = c.dflt !== null && !unique && c.pk === 0;
    if (withDefault) out.push(DEFAULT);
    out.push(...typed);
    for (const l of literals) if (!out.includes(l)) out.push(l);
    for (const v of alternatives(aff, n)) if (!out.includes(v)) out.push(v);
    if (!withDefault && c.dflt !== null) out.push(DEFAULT);
    if (!c.notNull && c.pk === 0) out.push('NULL');
    return out;
  }

  /** Column indexes an error message blames, or undefined when retrying cannot help. */
  private blame(m: TableMeta, error: string): number[] | undefined {
    const index = (name: string) => m.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
    let match = /^(?:NOT NULL|UNIQUE) constraint failed: (.+)$/.exec(error);
    if (match) {
      const cols = match[1]!.split(', ').map((s) => index(s.slice(s.indexOf('.') + 1))).filter((i) => i >= 0);
      return cols.length ? cols : undefined;
    }
    match = /^CHECK constraint failed: (.+)$/s.exec(error);
    if (match) {
      const expr = checkText(m.sql, match[1]!);
      const words = new Set<string>();
      for (const t of tokenize(expr)) if (t.kind !== 'string' && t.kind !== 'number') words.add(t.value.toLowerCase());
      const cols = m.columns.map((c, i) => (words.has(c.name.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
      return cols.length ? cols : m.columns.map((_, i) => i);
    }
    if (/^FOREIGN KEY constraint failed/.test(error)) {
      const cols = m.columns.map((c, i) => (m.fks.some((fk) => fk.from.some((f) => f.toLowerCase() === c.name.toLowerCase())) ? i : -1)).filter((i) => i >= 0);
      return cols.length ? cols : undefined;
    }
    if (/datatype mismatch|cannot store/.test(error)) return m.columns.map((_, i) => i);
    return undefined;
  }
}

/** "The value of column X of the same row", resolved once the row's other values are chosen. */
const SELF_MARK = '\u0002';

/**
 * Odometer over the blamed columns: the first blamed column moves to its next candidate; when it runs out
 * it starts again and the next one moves. False when every combination has been tried.
 */
function advance(idx: number[], cands: string[][], blamed: number[]): boolean {
  for (const i of blamed) {
    if (idx[i]! + 1 < cands[i]!.length) {
      idx[i]!++;
      return true;
    }
    idx[i] = 0;
  }
  return false;
}

/** The text of the CHECK SQLite names in its error: the expression itself, or the named constraint's. */
function checkText(sql: string, named: string): string {
  const m = new RegExp(`CONSTRAINT\\s+["\`\\[]?${named.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["\`\\]]?\\s+CHECK\\s*\\(`, 'i').exec(sql);
  if (!m) return named;
  let depth = 1;
  let i = m.index + m[0].length;
  const start = i;
  for (; i < sql.length && depth > 0; i++) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')') depth--;
  }
  return sql.slice(start, i - 1);
}

/** String and number literals of a CREATE TABLE (CHECK lists, defaults): likely values for its columns. */
function literalsOf(sql: string): string[] {
  const out = new Set<string>();
  for (const t of tokenize(sql)) {
    if (t.kind === 'string' || t.kind === 'number') out.add(t.text);
    if (out.size >= 24) break;
  }
  return [...out];
}

/** A STRICT table's column type as an affinity (STRICT allows INT, INTEGER, REAL, TEXT, BLOB and ANY). */
export function strictAffinity(type: string): Affinity {
  switch (type.toUpperCase()) {
    case 'INT':
    case 'INTEGER':
      return 'INTEGER';
    case 'REAL':
      return 'REAL';
    case 'TEXT':
      return 'TEXT';
    case 'BLOB':
      return 'BLOB';
    default:
      return 'NUMERIC';
  }
}

function pad(n: number | string, w: number): string {
  return String(n).padStart(w, '0');
}

/** A distinct value of the column's type, shaped by its name where that is a strong hint. */
function typedValue(c: ColumnInfo, aff: Affinity, n: number): string[] {
  const name = c.name.toLowerCase();
  const type = c.type.toUpperCase();
  const date = `2024-${pad((n % 12) + 1, 2)}-${pad((n % 28) + 1, 2)} 12:${pad(n % 60, 2)}:00`;
  switch (aff) {
    case 'INTEGER':
      if (/(^|_)(at|on|time|timestamp|date|ts)$/.test(name)) return [String(1_700_000_000 + n)];
      return [String(1_000_000 + n)];
    case 'REAL':
      return [`${n}.5`];
    case 'NUMERIC':
      if (/DATE|TIME/.test(type)) return [sqlString(date)];
      if (/BOOL/.test(type)) return [String(n % 2)];
      return [String(n)];
    case 'BLOB':
      if (c.type === '') return [sqlString(`syn-${n}`)];
      return [`x'${pad(n.toString(16), 8)}'`];
    case 'TEXT':
    default:
      if (/e_?mail/.test(name)) return [sqlString(`syn${n}@example.com`)];
      if (/(^|_)(url|uri|link|href|website)$/.test(name)) return [sqlString(`https://example.com/syn/${n}`)];
      if (/(^|_)(at|on|date|time|timestamp)$/.test(name)) return [sqlString(date)];
      if (/(^|_)(json|meta|metadata|data|settings|config|payload|attributes|properties)$/.test(name)) return [sqlString(`{"syn":${n}}`)];
      if (/(^|_)(id|uuid|guid)$/.test(name) || name === 'id') return [sqlString(`00000000-0000-4000-8000-${pad(n.toString(16), 12)}`)];
      return [sqlString(`syn-${n}`)];
  }
}

/** Other shapes to try when the first value is rejected (dates, JSON, booleans, short codes). */
function alternatives(aff: Affinity, n: number): string[] {
  const common = ['0', '1', sqlString(`2024-01-01T00:00:${pad(n % 60, 2)}.000Z`), sqlString('{}'), sqlString('[]'), sqlString(`syn${n}@example.com`), sqlString(`00000000-0000-4000-8000-${pad(n.toString(16), 12)}`), sqlString(String(n)), sqlString(''), `x'00'`];
  if (aff === 'INTEGER' || aff === 'REAL' || aff === 'NUMERIC') return ['0', '1', String(n), '-1', ...common.slice(2)];
  return common;
}
