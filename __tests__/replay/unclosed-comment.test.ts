import { replayMigrations } from '../../src/replay/index.js';
import { mfiles } from './files.js';

const TABLE = 'd1_migrations';
const INIT = 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n';
const AFTER = 'CREATE TABLE after_x (id INTEGER);\n';
const blocking = (rules: string[]) => rules.filter((r) => r === 'sql-syntax' || r === 'replay-error');

// A `/*` never closed swallows the rest of the text wrangler sends, its bookkeeping INSERT included.
describe.each([false, true])('an unclosed /* comment (data check %s)', (dataCheck) => {
  test.each([
    ['a comments-only file', '-- seed data: café ☕\n/* TODO: rows\n', 2],
    ['a file that is only "/*/"', '/*/', 1],
  ])('with no statement before it, the file fails as under wrangler ("SQL code did not contain a statement."): %s', async (_what, sql, line) => {
    const r = await replayMigrations({ files: mfiles(['0001_init.sql', INIT], ['0002_x.sql', sql], ['0003_after.sql', AFTER]), migrationsTable: TABLE, dataCheck });
    expect(blocking(r.findings.map((f) => f.rule))).toEqual([]);
    expect(r.failedAt).toBe('0002_x.sql');
    expect(r.replayed).toEqual(['0001_init.sql']);
    expect(r.notReplayed).toEqual(['0003_after.sql']);
    expect(r.notes.join('\n')).toContain(`0002_x.sql fails under local wrangler at line ${line} (\`/*`);
    expect(r.notes.join('\n')).toContain('SQL code did not contain a statement.) — reported as unclosed-comment');
  });

  test('with statements before it, they run and the replay goes on (the file is applied, only not recorded)', async () => {
    const sql = "INSERT INTO t (a) VALUES ('x');\nCREATE TABLE made (id INTEGER);\n/* CREATE TABLE hidden (id INTEGER);\n";
    const r = await replayMigrations({ files: mfiles(['0001_init.sql', INIT], ['0002_x.sql', sql], ['0003_after.sql', AFTER]), migrationsTable: TABLE, dataCheck });
    expect(r.findings).toEqual([]);
    expect(r.failedAt).toBeUndefined();
    expect(r.replayed).toEqual(['0001_init.sql', '0002_x.sql', '0003_after.sql']);
    expect(r.schema.map((o) => o.name).sort()).toEqual(['after_x', 'made', 't']);
  });
});
