/**
 * SQLite WASM through oo1, for the production preflight and tests: connections configured like local D1
 * (workerd): foreign keys on, double-quoted string literals accepted. The replay itself goes through db/.
 */
import type { SqlDb } from './db/types.js';
import { execOn, loadSqlite as loadModule, prepareAt, type OoDb, type Sqlite3 } from './db/wasm.js';
import type { SqlText } from './statements.js';

export { openD1Like } from './db/wasm.js';
export type { Capi, OoDb, Ptr, RawExports, Sqlite3, Wasm } from './db/wasm.js';

/** The initialised module, the very one the replay's backend (db/wasm.ts) loads: one load per process. */
export const loadSqlite = loadModule;

/** Runs SQL without result rows; SQLite's error message, or undefined (db/wasm.ts execOn). */
export function tryExec(sqlite3: Sqlite3, db: OoDb, sql: string): string | undefined {
  return execOn(sqlite3, db.pointer, sql);
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
