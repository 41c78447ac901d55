/**
 * Runs SQL files as D1 runs migrations, on the replay's D1-like SQLite: foreign keys on, each file one
 * transaction (so `PRAGMA foreign_keys` is a no-op and deferred checks happen at the end of the file).
 * For docs tests that check what a page claims happens to rows.
 */
export interface D1LikeRun {
  /** SQLite's message for the first file that failed; the files after it were not run. */
  error?: string;
  /** Index of that file. */
  failedAt?: number;
  rows(sql: string): Record<string, unknown>[];
  count(from: string): number;
}

export async function runLikeD1(files: string[]): Promise<D1LikeRun> {
  const { wasmBackend } = await import('../../src/replay/db/wasm.js');
  const db = (await wasmBackend()).open();
  let error: string | undefined;
  let failedAt: number | undefined;
  for (const [i, sql] of files.entries()) {
    error = db.tryExec(`BEGIN; ${sql}; COMMIT;`);
    if (error !== undefined) {
      db.tryExec('ROLLBACK');
      failedAt = i;
      break;
    }
  }
  const rows = (sql: string) => db.objects(sql);
  return { error, failedAt, rows, count: (from) => Number(rows(`SELECT count(*) AS n FROM ${from}`)[0]!.n) };
}
