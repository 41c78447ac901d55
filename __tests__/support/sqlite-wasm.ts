/**
 * The official SQLite WASM build with the package's own typings, for tests that need more of its API than
 * the replay's narrow wrapper (src/replay/sqlite.ts) exposes: the D1 emulator, SQLite-as-reference checks.
 * Loaded by file URL because jest's ESM resolver does not pick the package's "node" export itself.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Sqlite3Static } from '@sqlite.org/sqlite-wasm';

export type { Database, Sqlite3Static } from '@sqlite.org/sqlite-wasm';

type Init = (options?: { print?: (line: string) => void; printErr?: (line: string) => void }) => Promise<Sqlite3Static>;

/**
 * A freshly initialised module. `quiet`: the WASM build prints every failed statement (and warns on
 * stderr); tests whose failures are expected turn that off so the log shows only what matters.
 */
export async function loadSqliteWasm(opts: { quiet?: boolean } = {}): Promise<Sqlite3Static> {
  const entry = createRequire(import.meta.url).resolve('@sqlite.org/sqlite-wasm');
  const mod = (await import(pathToFileURL(entry).href)) as { default: Init };
  if (!opts.quiet) return mod.default();
  const sqlite3 = await mod.default({ print: () => {}, printErr: () => {} });
  sqlite3.config.warn = () => {};
  return sqlite3;
}
