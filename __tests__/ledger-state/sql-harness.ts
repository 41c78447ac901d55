/**
 * Runs the tool's statements on real SQLite (the WASM build the replay uses), one request at a time the way
 * D1 does: all statements in one transaction, rolled back as a whole when one fails, one result per statement.
 */
import { loadSqlite, openD1Like, type OoDb } from '../../src/replay/sqlite.js';
import type { QueryResult } from '../../src/wrangler/output.js';

export interface Database {
  db: OoDb;
  /** One D1 request: every statement or none. */
  request(statements: string[]): QueryResult[];
  rows(sql: string): Record<string, unknown>[];
  close(): void;
}

export async function database(): Promise<Database> {
  const sqlite3 = await loadSqlite();
  const db = openD1Like(sqlite3);
  return {
    db,
    request(statements) {
      db.exec('SAVEPOINT request');
      try {
        const results = statements.map((s) => ({ results: db.selectObjects(s), success: true }));
        db.exec('RELEASE request');
        return results;
      } catch (error) {
        db.exec('ROLLBACK TO request');
        db.exec('RELEASE request');
        throw error;
      }
    },
    rows: (sql) => db.selectObjects(sql),
    close: () => db.close(),
  };
}
