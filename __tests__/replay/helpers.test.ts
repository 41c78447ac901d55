import { classifyStatement, headTokens } from '../../src/replay/classify.js';
import { describeSchema, normaliseSql, sortSchema } from '../../src/replay/schema.js';
import { bookkeepingSql, createMigrationsTableSql, wranglerTrim } from '../../src/replay/wrangler-text.js';

describe('classifyStatement', () => {
  test.each([
    ['BEGIN TRANSACTION', 'transaction'],
    ['begin', 'transaction'],
    ['END', 'transaction'],
    ['commit', 'transaction'],
    ['ROLLBACK TO x', 'transaction'],
    ['SAVEPOINT a', 'transaction'],
    ['RELEASE a', 'transaction'],
    ['PRAGMA foreign_keys = OFF', 'pragma-foreign-keys'],
    ['PRAGMA main.foreign_keys=off', 'pragma-foreign-keys'],
    ['PRAGMA defer_foreign_keys = on', 'other'],
    ["ATTACH 'x' AS y", 'attach'],
    ['DETACH y', 'attach'],
    ['VACUUM', 'vacuum'],
    ['CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END', 'other'],
    ['/* c */ -- d\n SELECT 1', 'other'],
  ])('%s → %s', (sql, kind) => {
    expect(classifyStatement(sql).kind).toBe(kind);
  });

  test('reads the table of DROP TABLE in every quoting style', () => {
    expect(classifyStatement('DROP TABLE `users`')).toEqual({ kind: 'drop-table', table: 'users' });
    expect(classifyStatement('drop table if exists "my ""t"""')).toEqual({ kind: 'drop-table', table: 'my "t"' });
    expect(classifyStatement('DROP TABLE main.[Users]')).toEqual({ kind: 'drop-table', table: 'Users', schema: 'main' });
    expect(classifyStatement('DROP INDEX i').kind).toBe('other');
  });

  test('reads ALTER TABLE ... RENAME TO but not RENAME COLUMN', () => {
    expect(classifyStatement('ALTER TABLE "a" RENAME TO `b`')).toEqual({ kind: 'rename-table', from: 'a', to: 'b' });
    expect(classifyStatement('ALTER TABLE a RENAME COLUMN x TO y').kind).toBe('other');
  });

  test('headTokens skips comments and keeps names as written', () => {
    expect(headTokens('-- x\nDROP /* y */ TABLE Foo', 3).map((t) => t.value)).toEqual(['DROP', 'TABLE', 'Foo']);
  });
});

describe('wrangler text', () => {
  test('wranglerTrim removes one BEGIN TRANSACTION; and one COMMIT; without moving anything', () => {
    const sql = 'BEGIN TRANSACTION;\nCREATE TABLE a (x);\nCOMMIT;\n';
    const r = wranglerTrim(sql);
    expect(r).toEqual({ ok: true, sql: ' '.repeat(18) + '\nCREATE TABLE a (x);\n' + ' '.repeat(7) + '\n' });
  });

  test('wranglerTrim leaves files without BEGIN TRANSACTION alone (a lone COMMIT; stays)', () => {
    expect(wranglerTrim('CREATE TABLE a (x);\nCOMMIT;\n')).toEqual({ ok: true, sql: 'CREATE TABLE a (x);\nCOMMIT;\n' });
  });

  test('wranglerTrim refuses a second BEGIN TRANSACTION, even in a comment', () => {
    const sql = 'BEGIN TRANSACTION;\nCREATE TABLE a (x);\n-- BEGIN TRANSACTION is not needed\nCOMMIT;\n';
    expect(wranglerTrim(sql)).toEqual({ ok: false, index: sql.indexOf('BEGIN TRANSACTION is') });
  });

  test('the bookkeeping and migrations-table SQL are wrangler 4.86 verbatim', () => {
    expect(bookkeepingSql('d1_migrations', '0001_a.sql')).toBe("\n\t\t\t\t\t\t\t\tINSERT INTO d1_migrations (name)\n\t\t\t\t\t\t\t\tvalues ('0001_a.sql');\n\t\t\t\t\t\t");
    expect(createMigrationsTableSql('m')).toContain('CREATE TABLE IF NOT EXISTS m(');
  });
});

describe('schema helpers', () => {
  test('sortSchema groups objects by table, table first', () => {
    const s = sortSchema([
      { type: 'index', name: 'b_x', tableName: 'b', sql: 'CREATE INDEX b_x ON b(x)' },
      { type: 'trigger', name: 'a_t', tableName: 'a', sql: null },
      { type: 'table', name: 'b', tableName: 'b', sql: 'CREATE TABLE b(x)' },
      { type: 'table', name: 'a', tableName: 'a', sql: 'CREATE TABLE a(x)' },
    ]);
    expect(s.map((o) => o.name)).toEqual(['a', 'a_t', 'b', 'b_x']);
  });

  test('normaliseSql ignores layout but not quoted text', () => {
    expect(normaliseSql('CREATE TABLE a (\n  x  TEXT ,\n  y TEXT DEFAULT \'a  b\'\n)')).toBe("CREATE TABLE a (x TEXT, y TEXT DEFAULT 'a  b')");
    expect(normaliseSql('CREATE TABLE a (\n\tx TEXT,\n\ty TEXT\n)')).toBe('CREATE TABLE a (x TEXT, y TEXT)');
  });

  test('describeSchema prints one line per object', () => {
    expect(describeSchema([{ type: 'index', name: 'i', tableName: 't', sql: 'CREATE INDEX i\n ON t(x)' }])).toBe('index i on t: CREATE INDEX i ON t(x)');
  });
});
