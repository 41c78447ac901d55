/**
 * Table rebuilds the data check proves harmless: the file ran to its end on rows, the rebuilt table had rows
 * and has at least as many afterwards, every table referencing it held rows too, and nothing was lost or
 * failed anywhere in the file. Such a rebuild is reported once, as one short warning (see rules/fold.ts),
 * instead of the long explanation of what a rebuild can do plus a foreign_keys pragma warning per line.
 */
import type { SqlDb } from '../db/types.js';
import { childTables } from '../references.js';
import type { FileFacts } from './file-facts.js';
import { q } from './tables.js';

/** What a rebuilt table was before the file. */
export interface RebuildBefore {
  /** As SQLite spells it. */
  name: string;
  rows: number;
  columns: string[];
  /** Tables whose foreign keys point at it, as SQLite spells them. */
  children: string[];
}

/** A rebuild the data check ran on rows and that kept them all. */
export interface KeptRebuild {
  table: string;
  /** Line of the DROP TABLE that ends the old table (where destructive-change reports the rebuild). */
  line: number;
  rows: number;
  /** Columns of the old table that the new one does not have: their values are gone. */
  droppedColumns: string[];
  /** The tables that referenced it (and held rows too), as SQLite spells them. */
  referencedBy: string[];
}

/** Columns and referencing tables of the tables about to be rebuilt (`rows`: their counts before the file). */
export function rebuildsBefore(db: SqlDb, rows: Map<string, number>, names: Map<string, string>): Map<string, RebuildBefore> {
  const out = new Map<string, RebuildBefore>();
  for (const [lower, n] of rows) {
    const name = names.get(lower) ?? lower;
    const columns = db.rows(`SELECT name FROM pragma_table_info(?1)`, [name]).map((r) => String(r[0]));
    const children = childTables(db, name, { others: true });
    out.set(lower, { name, rows: n, columns, children });
  }
  return out;
}

/**
 * The rebuilds of a file that ran to its end with nothing lost or failed; `covered` says whether a table held
 * synthetic rows (a child the check could not fill proves nothing).
 */
export function keptRebuilds(db: SqlDb, ff: FileFacts, before: Map<string, RebuildBefore>, covered: (lower: string) => boolean): KeptRebuild[] {
  const out: KeptRebuild[] = [];
  for (const [lower, b] of before) {
    if (b.rows === 0 || !b.children.every((c) => covered(c.toLowerCase()))) continue;
    // The DROP that ends the old table: of the table itself, or of a name it was renamed to (`users_old`).
    const lineage = new Set([lower]);
    for (const r of ff.renames) if (lineage.has(r.from.toLowerCase())) lineage.add(r.to.toLowerCase());
    const drop = ff.facts.find((f) => f.targets.some((t) => t.how === 'drop' && lineage.has(t.table.toLowerCase())));
    if (drop?.line === undefined) continue;
    let after: number;
    try {
      after = Number(db.rows(`SELECT count(*) FROM ${q(b.name)}`)[0]?.[0] ?? 0);
    } catch {
      continue; // not there again: not a rebuild
    }
    if (after < b.rows) continue;
    const now = new Set(db.rows(`SELECT lower(name) FROM pragma_table_info(?1)`, [b.name]).map((r) => String(r[0])));
    out.push({ table: b.name, line: drop.line, rows: b.rows, droppedColumns: b.columns.filter((c) => !now.has(c.toLowerCase())), referencedBy: b.children });
  }
  return out;
}
