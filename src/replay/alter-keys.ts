/**
 * How alter.ts drops a table and creates it again without its foreign keys doing anything that ADD COLUMN
 * would not do. With foreign keys on, DROP TABLE first deletes every row (SQLite's implicit DELETE), which runs
 * the ON DELETE actions of every key pointing at the table and counts the rows left pointing at nothing.
 * - The WASM build pauses enforcement for the whole re-creation (sqlite3_db_config; PRAGMA foreign_keys does
 *   nothing inside a transaction).
 * - node:sqlite cannot. Where no row points at the table (no key pointing at it has all its columns set in any
 *   row: SQLite matches no other) the DELETE finds nothing to act on. Where rows do point, the DROP runs under an
 *   authorizer that makes those key columns read as NULL (SQLITE_IGNORE): SQLite's searches for child rows,
 *   its CASCADE / SET NULL / SET DEFAULT actions and its RESTRICT and NO ACTION counts then match no row. Only
 *   the DROP runs that way (never a CREATE, whose expressions it would resolve to NULL), and only where nothing is
 *   deferred: copying the rows back would otherwise take pointing rows off the deferred count that the DROP
 *   never added.
 * In both, the rows copied back are checked against their own parents as they were when inserted.
 */
import type { SqlDb } from './db/types.js';
import { q } from './data/tables.js';
import { childKeys } from './references.js';

/** What a connection offers to keep foreign keys from acting (see db/wasm.ts and db/node.ts). */
export interface ForeignKeySwitch {
  /** Enforcement on or off, inside a transaction too (WASM build). */
  setForeignKeys?(on: boolean): void;
  /** Runs `fn` while the columns read as NULL wherever a statement prepared in it reads them (node:sqlite). */
  ignoringReads?<T>(columns: { table: string; column: string }[], fn: () => T): T;
}

export interface KeyGuard {
  /** Runs the whole re-creation. */
  recreate<T>(fn: () => T): T;
  /** Runs the DROP TABLE. */
  drop<T>(fn: () => T): T;
}

const PLAIN: KeyGuard = { recreate: (fn) => fn(), drop: (fn) => fn() };

/** How to re-create table `name` (CREATE statement `sql`, `rows` rows); undefined when it cannot be done exactly. */
export function keyGuard(db: SqlDb & ForeignKeySwitch, name: string, sql: string, rows: number): KeyGuard | undefined {
  if (db.setForeignKeys) {
    const set = db.setForeignKeys.bind(db);
    return {
      recreate: (fn) => {
        set(false);
        try {
          return fn();
        } finally {
          set(true);
        }
      },
      drop: (fn) => fn(),
    };
  }
  // An empty table: the implicit DELETE deletes nothing.
  if (rows === 0) return PLAIN;
  // Its own deferred keys, or all keys deferred: SQLite runs the implicit DELETE to settle the deferred count.
  if (/\bDEFERRABLE\s+INITIALLY\s+DEFERRED\b/i.test(sql)) return undefined;
  if (Number(db.rows(`SELECT defer_foreign_keys FROM pragma_defer_foreign_keys`)[0]?.[0] ?? 1) !== 0) return undefined;
  const keys = childKeys(db, name);
  if (keys.length === 0) return PLAIN;
  const pointing = db.rows(`SELECT ${keys.map((k) => `EXISTS (SELECT 1 FROM main.${q(k.child)} WHERE ${k.columns.map((c) => `${q(c)} IS NOT NULL`).join(' AND ')})`).join(', ')}`)[0] ?? [];
  const live = keys.filter((_k, i) => Number(pointing[i] ?? 1) !== 0);
  if (live.length === 0) return PLAIN;
  if (!db.ignoringReads || live.some((k) => k.deferred)) return undefined;
  const reads = live.flatMap((k) => k.columns.map((column) => ({ table: k.child, column })));
  const ignoring = db.ignoringReads.bind(db);
  return { recreate: (fn) => fn(), drop: (fn) => ignoring(reads, fn) };
}
