/**
 * What each table holds at a point of the pending migrations, written as SQL over the target's tables as they
 * are now. A probe for a statement deep inside the pending set (the UNIQUE index created after a rebuild,
 * the copy after a backfill) can then still be asked of the database as it is before anything ran:
 *  - `target`: the table as the target holds it (under its name there, also after a rename);
 *  - `empty`: created by a pending migration and not filled (nothing to ask);
 *  - `derived`: a SELECT computing the rows from target tables (a copy, a backfill, an added column);
 *  - `unknown`: changed in a way the preflight does not model (a trigger, INSERT OR REPLACE, a cascade):
 *    probes that need it are reported as not computable.
 * Derived SQL is closed: every table it reads is either `main."<name>"` (which a CTE of the same name cannot
 * shadow) or a CTE it defines itself, so it means the same wherever it is embedded.
 */
import type { Origin } from './origin.js';
import { namesOf, q } from './sql.js';
import type { Token } from '../sql/types.js';

export type Rel =
  | { kind: 'target'; name: string }
  | { kind: 'empty'; columns: string[] }
  /** `reads`: whether it reads rows of target tables at all (rows from VALUES alone are known already). */
  /**
   * `target`: when the rows are the target's plus rows the migrations wrote as literals (seed INSERTs), the
   * SELECT of the target's part alone — whether a literal collides with another literal the replay knows.
   */
  | { kind: 'derived'; sql: string; reads: boolean; origin?: Origin; target?: string }
  | { kind: 'unknown'; why: string; target?: string };

/** Characters of SQL one relation may take (see set()). */
const MAX_RELATION_SQL = 20_000;

export type Closed = { ok: true; sql: string; reads: boolean } | { ok: false; why: string };

export class Relations {
  private readonly map = new Map<string, { name: string; rel: Rel }>();

  constructor(targetTables: Iterable<string>) {
    for (const t of targetTables) this.map.set(t.toLowerCase(), { name: t, rel: { kind: 'target', name: t } });
  }

  get(name: string): Rel | undefined {
    return this.map.get(name.toLowerCase())?.rel;
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  set(name: string, rel: Rel): void {
    // Each statement's relation embeds the ones before it: past this size a question about it would be too
    // large for one request (and slow to plan), so it is not asked.
    const r: Rel =
      rel.kind === 'derived' && rel.sql.length > MAX_RELATION_SQL
        ? { kind: 'unknown', why: 'the pending statements before this one change it too often to re-run them in one query', ...(rel.target !== undefined && { target: rel.target }) }
        : rel;
    this.map.set(name.toLowerCase(), { name, rel: r });
  }

  delete(name: string): void {
    this.map.delete(name.toLowerCase());
  }

  rename(from: string, to: string): void {
    const e = this.map.get(from.toLowerCase());
    this.map.delete(from.toLowerCase());
    if (e) this.map.set(to.toLowerCase(), { name: to, rel: e.rel });
  }

  /** Drops every table not in `lowerNames` (what the replay no longer has). */
  retain(lowerNames: ReadonlySet<string>): void {
    for (const k of [...this.map.keys()]) if (!lowerNames.has(k)) this.map.delete(k);
  }

  /** Marks tables unknown (those that exist), e.g. what a trigger or a cascade changed. */
  forget(names: Iterable<string>, why: string): void {
    for (const n of names) {
      const e = this.map.get(n.toLowerCase());
      if (e) e.rel = { kind: 'unknown', why };
    }
  }

  /** Whether the relation may hold rows of the target (false: known empty, or rows the migration wrote itself). */
  reads(name: string): boolean {
    const r = this.get(name);
    if (!r) return false;
    return r.kind === 'target' || r.kind === 'unknown' || (r.kind === 'derived' && r.reads);
  }

  /** The relation of `name` as a FROM item aliased `alias`. */
  from(name: string, alias = name): Closed {
    const r = this.get(name);
    if (!r) return { ok: false, why: `${name} does not exist at that point` };
    switch (r.kind) {
      case 'target':
        return { ok: true, sql: `main.${q(r.name)} AS ${q(alias)}`, reads: true };
      case 'empty':
        return { ok: true, sql: `(${emptySelect(r.columns)}) AS ${q(alias)}`, reads: false };
      case 'derived':
        return { ok: true, sql: `(${r.sql}) AS ${q(alias)}`, reads: r.reads };
      case 'unknown':
        return { ok: false, why: `what ${name} holds at that point is not known: ${r.why}` };
    }
  }

  /** The relation of `name` as a complete SELECT of its rows. */
  select(name: string): Closed {
    const r = this.get(name);
    if (!r) return { ok: false, why: `${name} does not exist at that point` };
    if (r.kind === 'target') return { ok: true, sql: `SELECT * FROM main.${q(r.name)}`, reads: true };
    if (r.kind === 'empty') return { ok: true, sql: emptySelect(r.columns), reads: false };
    if (r.kind === 'derived') return { ok: true, sql: r.sql, reads: r.reads };
    return { ok: false, why: `what ${name} holds at that point is not known: ${r.why}` };
  }

  /** The rows of `name` that come from the target (see Rel), as a SELECT; the whole relation otherwise. */
  targetPart(name: string): Closed {
    const r = this.get(name);
    if ((r?.kind === 'derived' || r?.kind === 'unknown') && r.target !== undefined) return { ok: true, sql: r.target, reads: true };
    return this.select(name);
  }

  /**
   * `body` (which embeds migration fragments `fragments`) under a WITH clause that pins every table the
   * fragments may name to what it holds at this point. Names that are no table are left alone; a fragment
   * that names a table explicitly in a schema (`main.t`) would bypass the pins, so it is refused. `reads`:
   * whether `body` reads target rows by itself (a FROM item it embeds).
   */
  close(body: string, fragments: readonly (readonly Token[])[], reads = false): Closed {
    const names = new Set<string>();
    for (const f of fragments) {
      for (let i = 0; i < f.length; i++) {
        const t = f[i]!;
        if (t.kind === 'word' && ['MAIN', 'TEMP', 'TEMPORARY'].includes(t.value) && f[i + 1]?.kind === 'punct' && f[i + 1]!.text === '.') {
          return { ok: false, why: 'the statement names a schema (main./temp.) explicitly' };
        }
      }
      for (const n of namesOf(f)) names.add(n);
    }
    const ctes: string[] = [];
    for (const lower of [...names].sort()) {
      const e = this.map.get(lower);
      if (!e) continue;
      const s = this.select(e.name);
      if (!s.ok) return s;
      reads ||= s.reads;
      ctes.push(`${q(e.name)} AS (${s.sql})`);
    }
    return { ok: true, sql: ctes.length ? `WITH ${ctes.join(', ')} ${body}` : body, reads };
  }
}

/** No rows, with the given column names. */
export function emptySelect(columns: readonly string[]): string {
  const cols = columns.length ? columns : ['_'];
  return `SELECT ${cols.map((c) => `NULL AS ${q(c)}`).join(', ')} LIMIT 0`;
}
