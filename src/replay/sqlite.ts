/**
 * SQLite WASM through oo1, for the production preflight and tests: connections configured like local D1
 * (workerd): foreign keys on, double-quoted string literals accepted. The replay itself goes through db/.
 */
import type { SqlDb, SqlValue } from './db/types.js';
import { loadSqlite as loadModule, prepareAt } from './db/wasm.js';
import type { SqlText } from './statements.js';

/** A WASM pointer (this build is 32-bit, so pointers are plain numbers). */
export type Ptr = number;

/** The few parts of the sqlite-wasm C API the replay uses; the package's own typings are far wider. */
export interface Capi {
  SQLITE_OK: number;
  SQLITE_ROW: number;
  SQLITE_DONE: number;
  SQLITE_DBCONFIG_DQS_DML: number;
  SQLITE_DBCONFIG_DQS_DDL: number;
  sqlite3_prepare_v3(db: Ptr, sql: Ptr, nByte: number, flags: number, ppStmt: Ptr, pzTail: Ptr): number;
  sqlite3_step(stmt: Ptr): number;
  sqlite3_finalize(stmt: Ptr): number;
  sqlite3_errmsg(db: Ptr): string;
  sqlite3_error_offset(db: Ptr): number;
  sqlite3_complete(sql: string): number;
  sqlite3_exec(db: Ptr, sql: string, callback: 0, arg: 0, errmsg: 0): number;
  sqlite3_db_config(db: Ptr, op: number, ...args: number[]): number;
}

/**
 * Raw WASM exports, called without capi's per-call argument conversion (a scoped allocation and an adapter
 * per argument): for the calls the replay makes for every statement, with pointer and int arguments only.
 */
export interface RawExports {
  // Plain functions (no `this`), so a hot loop may keep one in a local.
  sqlite3_prepare_v3: (db: Ptr, sql: Ptr, nByte: number, flags: number, ppStmt: Ptr, pzTail: Ptr) => number;
  sqlite3_step: (stmt: Ptr) => number;
  sqlite3_reset: (stmt: Ptr) => number;
  sqlite3_finalize: (stmt: Ptr) => number;
}

export interface Wasm {
  exports: RawExports;
  alloc(n: number): Ptr;
  dealloc(p: Ptr): void;
  heap8u(): Uint8Array;
  peekPtr(p: Ptr): Ptr;
  pokePtr(p: Ptr, v: Ptr): void;
}


/** An oo1.DB: only what the replay calls. */
export interface OoDb {
  pointer: Ptr;
  exec(sql: string): unknown;
  prepare(sql: string): { pointer: Ptr; finalize(): unknown };
  selectObjects(sql: string, bind?: unknown[]): Record<string, SqlValue>[];
  selectArrays(sql: string, bind?: unknown[]): SqlValue[][];
  close(): void;
}

export interface Sqlite3 {
  capi: Capi;
  wasm: Wasm;
  oo1: { DB: new (filename: string, flags: string) => OoDb };
  version: { libVersion: string };
}

/**
 * The initialised module, the very one the replay's backend (db/wasm.ts) loads: one load per process. Its
 * typing there is narrower in other places, so it is re-typed here for the oo1 helpers below.
 */
export function loadSqlite(): Promise<Sqlite3> {
  return loadModule() as unknown as Promise<Sqlite3>;
}

/** Turns double-quoted string literals on or off for DML and DDL alike. */
export function setDoubleQuotedStrings(sqlite3: Sqlite3, db: OoDb, on: boolean): void {
  const { capi } = sqlite3;
  capi.sqlite3_db_config(db.pointer, capi.SQLITE_DBCONFIG_DQS_DML, on ? 1 : 0, 0);
  capi.sqlite3_db_config(db.pointer, capi.SQLITE_DBCONFIG_DQS_DDL, on ? 1 : 0, 0);
}

/**
 * Runs SQL without result rows and returns SQLite's error message, or undefined on success. Unlike oo1's
 * exec it neither throws nor logs a console warning for an expected failure.
 */
export function tryExec(sqlite3: Sqlite3, db: OoDb, sql: string): string | undefined {
  const { capi } = sqlite3;
  return capi.sqlite3_exec(db.pointer, sql, 0, 0, 0) === capi.SQLITE_OK ? undefined : capi.sqlite3_errmsg(db.pointer);
}

/**
 * Steps a statement prepared once and kept (savepoint control), then resets it for the next use; returns
 * SQLite's error message, if any.
 */
export function stepPrepared(sqlite3: Sqlite3, db: OoDb, stmt: Ptr): string | undefined {
  const { capi, wasm } = sqlite3;
  const rc = wasm.exports.sqlite3_step(stmt);
  const error = rc === capi.SQLITE_DONE ? undefined : capi.sqlite3_errmsg(db.pointer);
  wasm.exports.sqlite3_reset(stmt);
  return error;
}

/**
 * A fresh in-memory database with D1's behaviour: workerd accepts double-quoted strings (this build is
 * compiled with DQS=0) and D1 always enforces foreign keys.
 */
export function openD1Like(sqlite3: Sqlite3): OoDb {
  const db = new sqlite3.oo1.DB(':memory:', 'c');
  setDoubleQuotedStrings(sqlite3, db, true);
  db.exec('PRAGMA foreign_keys = ON');
  return db;
}

/**
 * Prepares the statement of `text` that starts at `from` on an oo1 connection, with the replay's own
 * prepare-with-tail (db/wasm.ts): `stmt` is 0 when only comments remain; finalize it with capi.
 */
export function prepareOn(sqlite3: Sqlite3, db: OoDb, text: SqlText, from: number): ReturnType<typeof prepareAt> {
  return prepareAt(sqlite3 as unknown as Parameters<typeof prepareAt>[0], db.pointer, text, from);
}

/** An oo1 connection seen as the schema helpers (schema.ts: readSchema, seedSchema) see a replay's. */
export function schemaDb(sqlite3: Sqlite3, db: OoDb): Pick<SqlDb, 'objects' | 'tryExec'> {
  return {
    objects: (sql, bind) => db.selectObjects(sql, bind ? [...bind] : undefined),
    tryExec: (sql) => tryExec(sqlite3, db, sql),
  };
}
