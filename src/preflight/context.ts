/** What the statement handlers of the preflight walk share: the replay, the relations, where they are. */
import type { FileFacts } from '../replay/data/file-facts.js';
import type { OoDb } from '../replay/sqlite.js';
import type { Relations } from './relations.js';
import type { Probe, ProbeEffect } from './types.js';

/** The statement being walked. */
export interface Point {
  migration: string;
  file: string;
  line: number;
  /** Its first line, for messages. */
  head: string;
}

export interface WalkContext {
  /** The preflight's replay: the live schema, then the pending statements so far (no rows). */
  db: OoDb;
  rels: Relations;
  at: Point;
  /** What the file does on purpose (file-facts.ts): rows it deletes or updates itself are not "lost". */
  ff: FileFacts;
  /** `<file>\0<lower-cased table>` of the data check's rows-lost findings in pending files. */
  dataLoss: ReadonlySet<string>;
  /** PRAGMA defer_foreign_keys is on at this statement. */
  deferOn: boolean;
  /** Adds a probe at the current statement. */
  ask(p: Omit<Probe, 'migration' | 'file' | 'line'>): void;
  /** A foreign key failure counted at the file's commit: dropped if the file turns defer_foreign_keys off. */
  askAtCommit(p: Omit<Probe, 'migration' | 'file' | 'line'>): void;
  /** A question that could not be put into SQL, and what its count would have meant (default: a failure). */
  cannot(table: string, question: string, why: string, effect?: ProbeEffect): void;
  /** Rows inserted into `table` while foreign keys are deferred: its keys are checked at the commit. */
  insertedDeferred(table: string): void;
}

/** The effect of rows a statement changes in `table` as a side effect: lost, or on purpose. */
export function sideEffect(ctx: WalkContext, table: string): { effect: ProbeEffect; because?: string } {
  const lower = table.toLowerCase();
  if (ctx.ff.rowTargets.has(lower)) return { effect: 'info', because: `the migration deletes from, updates or drops ${table} itself` };
  // Rows written back into the table later in the file: whether that restores them is what the data check
  // decides (it ran the file on rows); without its rows-lost finding they are not called lost.
  const later = ctx.ff.facts.some((f) => (f.line ?? 0) > ctx.at.line && f.writes?.toLowerCase() === lower);
  if (later && !ctx.dataLoss.has(`${ctx.at.file}\0${lower}`)) {
    return { effect: 'info', because: `the migration inserts into ${table} again afterwards and the data check found no rows lost there` };
  }
  return { effect: 'lost' };
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

/** A short form of a SQL fragment for questions and messages. */
export function short(sql: string, max = 80): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
