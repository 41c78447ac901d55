/**
 * The typing of the SQLite WASM module (@sqlite.org/sqlite-wasm) as this project uses it: the parts of the C
 * API, the raw exports and oo1 that are called, and the pre-update hook's row change. db/wasm.ts loads the
 * module and re-exports these; replay/sqlite.ts re-exports them for the preflight.
 */
import type { SqlValue } from './types.js';

/** A WASM pointer (this build is 32-bit, so pointers are plain numbers). */
export type Ptr = number;

/** The parts of the C API used by db/wasm.ts and the preflight (replay/sqlite.ts); the package's own typings are far wider. */
export interface Capi {
  SQLITE_OK: number;
  SQLITE_ROW: number;
  SQLITE_DONE: number;
  SQLITE_INSERT: number;
  SQLITE_DELETE: number;
  SQLITE_UPDATE: number;
  SQLITE_DBCONFIG_DQS_DML: number;
  SQLITE_DBCONFIG_DQS_DDL: number;
  SQLITE_DBCONFIG_ENABLE_FKEY: number;
  SQLITE_DESERIALIZE_FREEONCLOSE: number;
  SQLITE_DESERIALIZE_RESIZEABLE: number;
  sqlite3_prepare_v3(db: Ptr, sql: Ptr, nByte: number, flags: number, ppStmt: Ptr, pzTail: Ptr): number;
  sqlite3_step(stmt: Ptr): number;
  sqlite3_finalize(stmt: Ptr): number;
  sqlite3_stmt_readonly(stmt: Ptr): number;
  sqlite3_errmsg(db: Ptr): string;
  sqlite3_error_offset(db: Ptr): number;
  sqlite3_complete(sql: string): number;
  sqlite3_db_config(db: Ptr, op: number, ...args: number[]): number;
  sqlite3_db_status(db: Ptr, op: number, cur: Ptr, hi: Ptr, reset: number): number;
  sqlite3_js_rc_str(rc: number): string;
  sqlite3_js_db_export(db: Ptr): Uint8Array;
  sqlite3_deserialize(db: Ptr, schema: string, p: Ptr, n: number, max: number, flags: number): number;
}

/**
 * Raw WASM exports, called without capi's per-call argument conversion (a scoped allocation and an adapter
 * per argument): for the calls made for every statement or value (db/wasm.ts, db/wasm-raw.ts), with pointer
 * and int arguments only (64-bit integers as bigints).
 */
export interface RawExports {
  // Plain functions (no `this`), so a hot loop may keep one in a local.
  sqlite3_prepare_v3: (db: Ptr, sql: Ptr, nByte: number, flags: number, ppStmt: Ptr, pzTail: Ptr) => number;
  sqlite3_step: (stmt: Ptr) => number;
  sqlite3_reset: (stmt: Ptr) => number;
  sqlite3_finalize: (stmt: Ptr) => number;
  sqlite3_clear_bindings: (stmt: Ptr) => number;
  sqlite3_bind_parameter_count: (stmt: Ptr) => number;
  sqlite3_bind_null: (stmt: Ptr, i: number) => number;
  sqlite3_bind_int: (stmt: Ptr, i: number, v: number) => number;
  sqlite3_bind_int64: (stmt: Ptr, i: number, v: bigint) => number;
  sqlite3_bind_double: (stmt: Ptr, i: number, v: number) => number;
  sqlite3_bind_text: (stmt: Ptr, i: number, p: Ptr, n: number, destructor: number) => number;
  sqlite3_bind_blob: (stmt: Ptr, i: number, p: Ptr, n: number, destructor: number) => number;
  sqlite3_column_count: (stmt: Ptr) => number;
  sqlite3_column_name: (stmt: Ptr, i: number) => Ptr;
  sqlite3_column_value: (stmt: Ptr, i: number) => Ptr;
  sqlite3_preupdate_count: (db: Ptr) => number;
  sqlite3_preupdate_old: (db: Ptr, i: number, out: Ptr) => number;
  sqlite3_preupdate_new: (db: Ptr, i: number, out: Ptr) => number;
  sqlite3_preupdate_hook: (db: Ptr, fn: Ptr, ctx: Ptr) => Ptr;
  sqlite3_value_type: (v: Ptr) => number;
  sqlite3_value_int64: (v: Ptr) => bigint;
  sqlite3_value_double: (v: Ptr) => number;
  sqlite3_value_text: (v: Ptr) => Ptr;
  sqlite3_value_bytes: (v: Ptr) => number;
  sqlite3_value_blob: (v: Ptr) => Ptr;
  sqlite3_exec: (db: Ptr, sql: Ptr, callback: 0, arg: 0, errmsg: 0) => number;
  sqlite3_errmsg: (db: Ptr) => Ptr;
}

export interface Wasm {
  exports: RawExports;
  alloc(n: number): Ptr;
  dealloc(p: Ptr): void;
  allocFromTypedArray(bytes: Uint8Array): Ptr;
  heap8u(): Uint8Array;
  peek32(p: Ptr): number;
  /** Adds a JS function to the module's function table (signature letters as the module documents them). */
  installFunction(fn: (...args: never[]) => unknown, signature: string): Ptr;
  uninstallFunction(p: Ptr): unknown;
}

/** An oo1.Stmt: only what is called. */
export interface OoStmt {
  pointer: Ptr;
  finalize(): unknown;
}

/** An oo1.DB: only what is called (by db/wasm.ts, the preflight and tests). */
export interface OoDb {
  pointer: Ptr;
  prepare(sql: string): OoStmt;
  exec(sql: string): unknown;
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

/** One row change as the pre-update hook reports it, before it happens. */
export interface RowChange {
  op: 'insert' | 'delete' | 'update';
  table: string;
  /** Rowids; 0 for a WITHOUT ROWID table. */
  oldKey: bigint;
  newKey: bigint;
  /** The row's values before (delete, update) or after (insert, update) the change. */
  values(which: 'old' | 'new'): unknown[];
}
