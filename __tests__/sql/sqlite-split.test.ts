import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseMigration } from '../../src/sql/split.js';
import { transactionStatement } from '../../src/rules/transaction-statement.js';
import { migrationFile, target } from '../rules/helpers.js';
import { CORPUS_DIR, describeCorpus } from '../support/corpus.js';
import { CORPUS_SETS, FIXTURE_SETS, FIXTURES_DIR, type SetSpec } from '../support/sets.js';
import { loadSqliteWasm } from '../support/sqlite-wasm.js';

function sqlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? sqlFiles(p) : p.endsWith('.sql') ? [p] : [];
    });
}

interface Sqlite {
  capi: { sqlite3_complete(sql: string): number };
  oo1: { DB: new (name: string) => { prepare(sql: string): { finalize(): void }; close(): void } };
}

/**
 * SQLite's own split: a chunk ends at a ';' where sqlite3_complete() says the text so far is complete (what
 * workerd's sqlite3_complete_length does for D1), and a chunk is a statement unless SQLite's parser finds
 * nothing in it ("Cannot prepare empty SQL").
 */
function sqliteStatements(sqlite3: Sqlite, db: { prepare(sql: string): { finalize(): void } }, sql: string): { start: number; end: number }[] {
  const chunks: { start: number; end: number }[] = [];
  let start = 0;
  for (let i = sql.indexOf(';'); i !== -1; i = sql.indexOf(';', i + 1)) {
    if (sqlite3.capi.sqlite3_complete(sql.slice(start, i + 1))) {
      chunks.push({ start, end: i + 1 });
      start = i + 1;
    }
  }
  if (start < sql.length) chunks.push({ start, end: sql.length });
  return chunks.filter(({ start: s, end: e }) => {
    try {
      db.prepare(sql.slice(s, e)).finalize();
      return true;
    } catch (err) {
      return !/empty SQL/i.test(String(err));
    }
  });
}

let sqlite3: Sqlite;
let db: { prepare(sql: string): { finalize(): void }; close(): void };
beforeAll(async () => {
  sqlite3 = await loadSqliteWasm();
  db = new sqlite3.oo1.DB(':memory:');
});
afterAll(() => db?.close());

test('the SQLite reference split itself handles comments, empty chunks and trigger bodies', () => {
  const sql = "SELECT 1; -- c;\n; CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT CASE WHEN 1 THEN 'x;' END; END; SELECT 2";
  expect(sqliteStatements(sqlite3, db, sql)).toHaveLength(3);
  expect(parseMigration(migrationFile(sql)).statements).toHaveLength(3);
});

/** Every .sql file of every set (applied by wrangler or not) splits as SQLite splits it. */
function splitTests(root: string, sets: SetSpec[]): void {
  const files = sqlFiles(root).filter((f) => sets.some((s) => relative(root, f).startsWith(`${s.set}/`)));

  test('has migration files to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(sets.reduce((n, s) => n + s.files, 0));
  });

  test.each(files.map((f) => [relative(root, f), f]))('%s splits into the same statements as SQLite', (_name, path) => {
    const sql = readFileSync(path, 'utf8');
    const ours = parseMigration(migrationFile(sql)).statements;
    const theirs = sqliteStatements(sqlite3, db, sql);
    expect(ours.length).toBe(theirs.length);
    ours.forEach((st, i) => {
      expect(st.start).toBeGreaterThanOrEqual(theirs[i]!.start);
      expect(st.end).toBeLessThanOrEqual(theirs[i]!.end);
    });
  });

  test('transaction-statement reports exactly the BEGIN TRANSACTION / COMMIT lines there are', () => {
    const migrations = files.map((f) => parseMigration({ ...migrationFile(readFileSync(f, 'utf8')), relPath: relative(root, f) }));
    const found = transactionStatement.check({ target, migrations, numbering: 'sequential' });
    const expected = sets.flatMap((s) => (s.transactionLines ?? []).map(([file, line]) => [`${s.set}/${file}`, line]));
    expect(found.map((f) => [f.file, f.line])).toEqual(expected);
  });
}

describe('fixture sets', () => splitTests(FIXTURES_DIR, FIXTURE_SETS));
describeCorpus('real-world sets', () => splitTests(CORPUS_DIR!, CORPUS_SETS));
