/**
 * `drop-referenced-table`: D1 keeps foreign keys on, so DROP TABLE of a parent runs an implicit DELETE that
 * cascades into or is blocked by the children — invisible on the empty database a replay or a local apply
 * starts from. Also what ALTER TABLE ... RENAME TO did to other tables' keys, to explain a later DROP.
 */
import type { Finding, MigrationFile } from '../types.js';
import type { SqlDb } from './db/types.js';
import { childKeys } from './references.js';

const RULE = 'drop-referenced-table';

/**
 * Tables whose keys ALTER TABLE ... RENAME TO moved to a new name: lower-cased new name → the old name and
 * those tables, to explain why a later DROP of the new name hits them.
 */
export class Repointed {
  private readonly moved = new Map<string, { from: string; children: Set<string> }>();

  /** Before a rename runs: the tables that reference `from`. */
  before(db: SqlDb, from: string): string[] {
    return childKeys(db, from, { others: true }).map((k) => k.child);
  }

  /** After it ran. */
  renamed(from: string, to: string, children: string[]): void {
    if (children.length > 0) this.moved.set(to.toLowerCase(), { from, children: new Set(children) });
  }

  get(parent: string): { from: string; children: Set<string> } | undefined {
    return this.moved.get(parent.toLowerCase());
  }

  /** What it holds, for the replay cache. */
  entries(): [string, { from: string; children: string[] }][] {
    return [...this.moved].map(([k, v]) => [k, { from: v.from, children: [...v.children] }]);
  }

  restore(entries: [string, { from: string; children: string[] }][]): void {
    for (const [k, v] of entries) this.moved.set(k, { from: v.from, children: new Set(v.children) });
  }
}

export interface DropContext {
  db: SqlDb;
  file: MigrationFile;
  line: number;
  repointed: Repointed;
  /**
   * The data check ran this file to its end with rows in every one of these tables, and nothing was lost or
   * failed at this line: then what it saw beats the prediction.
   */
  provenHarmless(children: string[]): boolean;
}

/** The finding (or the note when the data check proved it harmless) for DROP TABLE `table`, if any. */
export function dropReferenced(ctx: DropContext, table: string): { finding?: Omit<Finding, 'severity'>; note?: string } {
  const { db, file, line } = ctx;
  const exists = db.objects(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE`, [table]);
  const [found] = exists;
  if (!found) return {};
  const parent = String(found.name);
  const keys = childKeys(db, parent, { others: true });
  if (keys.length === 0) return {};
  const list = keys.map((k) => ({ child: k.child, cols: k.columns, onDelete: k.onDelete })).sort((a, b) => a.child.localeCompare(b.child) || a.cols.join().localeCompare(b.cols.join()));
  const describe = list.map((r) => `${r.child}(${r.cols.join(', ')}) ON DELETE ${r.onDelete}`).join(', ');
  const wiping = list.filter((r) => r.onDelete === 'CASCADE' || r.onDelete === 'SET NULL' || r.onDelete === 'SET DEFAULT');
  const blocking = list.filter((r) => !wiping.includes(r));
  const effects: string[] = [];
  const cascade = wiping.filter((r) => r.onDelete === 'CASCADE').map((r) => r.child);
  const nulling = wiping.filter((r) => r.onDelete !== 'CASCADE').map((r) => `${r.child}.${r.cols.join('/')}`);
  if (cascade.length) effects.push(`deletes every row of ${unique(cascade).join(', ')}`);
  if (nulling.length) effects.push(`resets ${unique(nulling).join(', ')} to NULL/default in every row`);
  if (blocking.length) {
    effects.push(
      `fails with "FOREIGN KEY constraint failed" because of ${unique(blocking.map((r) => r.child)).join(', ')} (even with PRAGMA defer_foreign_keys = on, unless the file turns it off again before its end, which discards the violations unchecked)`,
    );
  }
  const moved = ctx.repointed.get(parent);
  const movedHere = moved ? unique(list.map((r) => r.child).filter((c) => moved.children.has(c))) : [];
  const repointed = moved && movedHere.length
    ? ` ${movedHere.join(', ')} point${movedHere.length === 1 ? 's' : ''} at ${parent} because ALTER TABLE ${moved.from} RENAME TO ${parent} re-pointed ${movedHere.length === 1 ? 'its key' : 'their keys'}: SQLite rewrites other tables' references on rename.`
    : '';
  const children = list.map((r) => r.child);
  if (ctx.provenHarmless(children)) {
    return {
      note: `${file.name} line ${line}: DROP TABLE ${parent} while ${unique(children).join(', ')} reference${list.length === 1 ? 's' : ''} it — the data check ran the file with rows in ${list.length === 1 ? 'that table' : 'those tables'} and no row was lost and nothing failed, so ${RULE} is not reported.`,
    };
  }
  return {
    finding: {
      rule: RULE,
      file: file.relPath,
      line,
      message:
        `DROP TABLE ${parent} while other tables reference it by foreign key: ${describe}.${repointed} ` +
        `D1 always enforces foreign keys (PRAGMA foreign_keys = OFF has no effect there), so on a database with rows the DROP's implicit DELETE ${effects.join('; and ')}. ` +
        `It passes on an empty database, so local tests do not show it. Rebuild the referencing tables in the same migration too, or avoid the rebuild (ALTER TABLE ADD/RENAME/DROP COLUMN); see drizzle-orm#4938.`,
    },
  };
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
