import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

test('the SQLite WASM build loads under jest', async () => {
  const p = createRequire(import.meta.url).resolve('@sqlite.org/sqlite-wasm');
  const mod = await import(pathToFileURL(p).href);
  const sqlite3 = await mod.default();
  expect(sqlite3.version.libVersion).toMatch(/^3\./);
});
