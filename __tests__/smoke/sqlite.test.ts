import { loadSqliteWasm } from '../support/sqlite-wasm.js';

test('the SQLite WASM build loads under jest', async () => {
  const sqlite3 = await loadSqliteWasm();
  expect(sqlite3.version.libVersion).toMatch(/^3\./);
});
