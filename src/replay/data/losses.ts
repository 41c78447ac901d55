/**
 * Which rows a file lost: from the row changes the pre-update hook saw, the rows of tables the file does not
 * delete from, update or drop on purpose that vanished or changed, and rebuilt tables left with fewer rows;
 * each with the statement and the mechanism (a foreign key path, a REPLACE conflict, a trigger).
 */
import type { SqlDb } from '../db/types.js';
import { namesIn } from './analyse.js';
import type { FileFacts } from './file-facts.js';
import { copyOf, type Culprit, type Executed, type Loss } from './findings.js';
import { existingObjects, triggersOn } from './tables.js';

export /** One row change seen by the pre-update hook. */
interface RowEvent {
  /** Index of the statement (in execution order) that made it. */
  stmt: number;
  op: 'insert' | 'delete' | 'update';
  /** Lower-cased table name at that moment. */
  table: string;
  /** As SQLite spells it. */
  name: string;
  /** Row identity: the rowid, or the row's values for a WITHOUT ROWID table. */
  key: string;
  /** An insert that puts back a row deleted in the same file, with the same values. */
  unchanged?: boolean;
}

/** What the analysis reads from the twin. */
export interface LossContext {
  db: SqlDb;
  /** Virtual tables known so far (lower-cased). */
  virtuals: Set<string>;
  /** The migrations table and SQLite's and D1's own tables. */
  internal(lower: string): boolean;
  /** Row counts of tables (lower-cased name → rows). */
  counts(tables: string[]): Map<string, number>;
}

/**
 * Rows that existed before the file and were deleted or changed by a statement that does not name their
 * table as what it deletes from, updates, drops or alters; and rebuilt tables left with fewer rows.
 */
export function findLosses(ctx: LossContext, events: RowEvent[], ff: FileFacts, rebuiltBefore: Map<string, number>, statements: number, describe: (i: number) => Executed): Loss[] {
  if (events.length === 0 && rebuiltBefore.size === 0) return [];
  const facts = new Array<Executed | undefined>(statements);
  const at = (i: number) => (facts[i] ??= describe(i));
  const direct = (i: number, table: string) => at(i).facts.targets.some((t) => t.table.toLowerCase() === table);

  // Which table, as it was before the file, each name stands for as the statements run: renames move a
  // table to a new name; a table created in the file stands for none (null).
  const origin = new Map<string, string | null>();
  const originOf = (name: string) => (origin.has(name) ? origin.get(name)! : name);
  const born = new Map<string, Set<string>>();
  const deletedPre = new Map<string, Map<string, number>>(); // origin → key → statement
  const changedPre = new Map<string, Map<string, number>>();
  const lineageDeletes: { stmt: number; table: string }[] = [];
  const byStmt = new Map<number, RowEvent[]>();
  for (const e of events) byStmt.set(e.stmt, [...(byStmt.get(e.stmt) ?? []), e]);
  const needsDdl = ff.renames.length > 0 || ff.creates.size > 0 || ff.facts.some((f) => f.targets.some((t) => t.how === 'drop'));

  for (let i = 0; i < statements; i++) {
    for (const e of byStmt.get(i) ?? []) {
      const o = originOf(e.table);
      const mine = born.get(e.table) ?? new Set<string>();
      born.set(e.table, mine);
      if (e.op === 'insert') {
        mine.add(e.key);
        // REPLACE keeping the rowid: the old row was deleted and a different one stands in its place.
        const d = o === null ? undefined : deletedPre.get(o);
        if (d?.has(e.key)) {
          const stmt = d.get(e.key)!;
          d.delete(e.key);
          if (!e.unchanged) {
            if (!changedPre.has(o)) changedPre.set(o, new Map());
            changedPre.get(o)!.set(e.key, stmt);
          }
        }
        continue;
      }
      if (mine.has(e.key) || o === null) {
        if (e.op === 'delete' && !direct(i, e.table)) lineageDeletes.push({ stmt: i, table: e.table });
        continue;
      }
      if (direct(i, e.table)) continue;
      const target = e.op === 'delete' ? deletedPre : changedPre;
      if (!target.has(o)) target.set(o, new Map());
      if (!target.get(o)!.has(e.key)) target.get(o)!.set(e.key, i);
      if (e.op === 'delete') lineageDeletes.push({ stmt: i, table: e.table });
    }
    if (!needsDdl) continue;
    const f = at(i).facts;
    if (f.rename) {
      const from = f.rename.from.toLowerCase();
      const to = f.rename.to.toLowerCase();
      origin.set(to, originOf(from));
      born.set(to, born.get(from) ?? new Set());
      origin.set(from, null);
      born.delete(from);
    }
    for (const t of f.targets) if (t.how === 'drop') {
      origin.set(t.table.toLowerCase(), null);
      born.delete(t.table.toLowerCase());
    }
    if (f.creates) {
      origin.set(f.creates.table.toLowerCase(), null);
      born.delete(f.creates.table.toLowerCase());
    }
  }

  const out: Loss[] = [];
  const lost = [...new Set([...deletedPre.keys(), ...changedPre.keys()])].filter(
    (t) => !ff.rowTargets.has(t) && !ff.rebuilt.has(t) && !ctx.internal(t) && (deletedPre.get(t)?.size ?? 0) + (changedPre.get(t)?.size ?? 0) > 0,
  );
  if (lost.length === 0 && rebuiltBefore.size === 0) return out;
  const names = existingObjects(ctx.db, [...lost, ...rebuiltBefore.keys()], ctx.virtuals);
  const after = ctx.counts([...names.values()].filter((o) => o.kind === 'table').map((o) => o.name));
  for (const table of lost) {
    // Virtual tables and their shadow tables keep their own bookkeeping (an FTS index rewrites its blobs).
    if (names.get(table)?.kind !== 'table') continue;
    const d = deletedPre.get(table) ?? new Map<string, number>();
    const c = changedPre.get(table) ?? new Map<string, number>();
    const first = Math.min(...d.values(), ...c.values());
    const victim = events.find((e) => e.stmt === first && (originOf(e.table) === table || e.table === table))?.table ?? table;
    out.push({
      table,
      name: names.get(table)?.name ?? table,
      vanished: d.size,
      changed: c.size,
      left: after.get(table),
      culprit: culprit(ctx, at(first), victim, ff),
    });
  }
  for (const [table, before] of rebuiltBefore) {
    if (ff.rowTargets.has(table)) continue;
    const now = after.get(table);
    if (now === undefined || now >= before) continue;
    // Where the copies went: the first delete in a table that is, or is later renamed to, this one.
    const lineage = new Set([table]);
    for (const r of [...ff.renames].reverse()) if (lineage.has(r.to.toLowerCase())) lineage.add(r.from.toLowerCase());
    const hit = lineageDeletes.find((l) => lineage.has(l.table));
    out.push({
      table,
      name: names.get(table)?.name ?? table,
      vanished: before - now,
      changed: 0,
      left: now,
      before,
      culprit: hit ? culprit(ctx, at(hit.stmt), hit.table, ff) : copyOf(ff, lineage),
    });
  }
  return out.sort((a, b) => (a.culprit?.executed.line ?? 0) - (b.culprit?.executed.line ?? 0) || a.table.localeCompare(b.table));
}

function culprit(ctx: LossContext, executed: Executed, victim: string, ff: FileFacts): Culprit {
  const real = existingObjects(ctx.db, [victim], ctx.virtuals).get(victim)?.name ?? victim;
  return { executed, victim: real, mechanism: mechanism(ctx, executed, real, ff) };
}

/** Why `victim` lost rows at a statement: a foreign key path to what the statement removed, a REPLACE, a trigger. */
function mechanism(ctx: LossContext, executed: Executed, victim: string, ff: FileFacts): string {
  const facts = executed.facts;
  const lowerVictim = victim.toLowerCase();
  const drop = facts.targets.find((t) => t.how === 'drop');
  const removed = drop?.table ?? facts.writes;
  const parts: string[] = [];
  // An UPDATE reaches children through ON UPDATE actions; everything else here deletes parent rows.
  const onUpdate = facts.targets.some((t) => t.how === 'update' || t.how === 'upsert') && !facts.replace;
  if (removed && removed.toLowerCase() !== lowerVictim) {
    const path = fkPath(ctx.db, victim, removed, onUpdate);
    if (path) {
      const chain = path.map((e) => `${e.child}.${e.col} REFERENCES ${e.parent} ON ${onUpdate ? 'UPDATE' : 'DELETE'} ${e.action}`).join(', then ');
      const earlier = ff.renames.filter((r) => r.to.toLowerCase() === removed.toLowerCase());
      const repoint = earlier.find((r) => ff.facts.some((f) => f.rename === r && (f.line ?? 0) < executed.line));
      const repointNote = repoint
        ? ` (the key points at ${removed} because \`ALTER TABLE ${repoint.from} RENAME TO ${repoint.to}\` re-pointed it: SQLite rewrites other tables' references on rename)`
        : '';
      if (drop) {
        parts.push(
          `\`DROP TABLE ${removed}\` first deletes every row of ${removed}, because D1 always enforces foreign keys (PRAGMA foreign_keys = OFF has no effect there), and the delete reaches ${victim}: ${chain}${repointNote}`,
        );
      } else if (facts.replace) {
        parts.push(
          `REPLACE conflict: for each new row that collides with an existing row of ${removed} on its primary key or a UNIQUE column, SQLite deletes the existing row, and the delete reaches ${victim}: ${chain}`,
        );
      } else {
        parts.push(`changing rows of ${removed} fires its foreign key actions: ${chain}`);
      }
    }
  }
  if (facts.replace && removed && removed.toLowerCase() === lowerVictim) {
    parts.push(
      'REPLACE conflict: for each new row that collides with an existing row on its primary key or a UNIQUE column, SQLite deletes the existing row and inserts the new one, so columns the statement does not set fall back to their defaults (and the delete fires ON DELETE actions)',
    );
  }
  if (!drop) {
    const on = new Set<string>();
    if (facts.writes) on.add(facts.writes.toLowerCase());
    for (const t of facts.targets) on.add(t.table.toLowerCase());
    for (const t of on.size ? triggersOn(ctx.db, on) : []) {
      if (namesIn(t.sql).has(lowerVictim)) parts.push(`trigger ${t.name} on ${t.table} changes rows of ${victim}`);
    }
  }
  return parts.length ? parts.join('; ') : `the statement changed them without naming ${victim}`;
}

/**
 * Foreign keys leading from `child` up to `ancestor` whose actions carry a change down (CASCADE, SET NULL,
 * SET DEFAULT), breadth-first over a few levels; listed from the ancestor down.
 */
function fkPath(db: SqlDb, child: string, ancestor: string, onUpdate: boolean): { child: string; col: string; parent: string; action: string }[] | undefined {
  const target = ancestor.toLowerCase();
  type Step = { child: string; col: string; parent: string; action: string };
  const queue: { table: string; path: Step[] }[] = [{ table: child, path: [] }];
  const seen = new Set([child.toLowerCase()]);
  while (queue.length > 0) {
    const { table, path } = queue.shift()!;
    if (path.length >= 4) continue;
    const rows = db.objects(`SELECT "table" AS parent, "from" AS col, upper(on_delete) AS d, upper(on_update) AS u FROM pragma_foreign_key_list(?1)`, [table]);
    for (const r of rows) {
      const parent = String(r.parent);
      const action = String(onUpdate ? r.u : r.d);
      if (!['CASCADE', 'SET NULL', 'SET DEFAULT'].includes(action)) continue;
      const step: Step = { child: table, col: String(r.col), parent, action };
      if (parent.toLowerCase() === target) return [step, ...path];
      if (!seen.has(parent.toLowerCase())) {
        seen.add(parent.toLowerCase());
        queue.push({ table: parent, path: [step, ...path] });
      }
    }
  }
  return undefined;
}
