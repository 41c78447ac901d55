/**
 * SQLite WASM through oo1, for the production preflight and tests: connections configured like local D1
 * (workerd): foreign keys on, double-quoted string literals accepted. The replay itself goes through db/.
 */
import type { SqlDb } from './db/types.js';
import { loadSqlite as loadModule, prepareAt, type OoDb, type Sqlite3 } from './db/wasm.js';
import type { SqlText } from './statements.js';

export type { Capi, OoDb, Ptr, RawExports, Sqlite3, Wasm } from './db/wasm.js';

/** The initialised module, the very one the replay's backend (db/wasm.ts) loads: one load per process. */
export const loadSqlite = loadModule;

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
  return prepareAt(sqlite3, db.pointer, text, from);
}

/** An oo1 connection seen as the schema helpers (schema.ts: readSchema, seedSchema) see a replay's. */
export function schemaDb(sqlite3: Sqlite3, db: OoDb): Pick<SqlDb, 'objects' | 'tryExec'> {
  return {
    objects: (sql, bind) => db.selectObjects(sql, bind ? [...bind] : undefined),
    tryExec: (sql) => tryExec(sqlite3, db, sql),
  };
}
