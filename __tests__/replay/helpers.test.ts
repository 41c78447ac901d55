import { classifyStatement, headTokens, mayClassify } from '../../src/replay/classify.js';
import { sortSchema } from '../../src/replay/schema.js';
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

  test('mayClassify (first bytes only) is false only where classifyStatement says other', () => {
    const statements = [
      'BEGIN TRANSACTION', 'begin', 'End', 'commit', 'ROLLBACK TO x', 'savepoint a', 'Release a', 'PRAGMA foreign_keys = OFF',
      'pragma defer_foreign_keys = on', "ATTACH 'x' AS y", 'detach y', 'VACUUM', 'vacuum;', 'DROP TABLE t', 'drop index i',
      'ALTER TABLE a RENAME TO b', 'alter table a add column c', 'CREATE TABLE t (x)', 'INSERT INTO t VALUES (1)', 'UPDATE t SET x = 1',
      'DELETE FROM t', 'SELECT 1', 'WITH x AS (SELECT 1) SELECT * FROM x', 'REPLACE INTO t VALUES (1)', 'ANALYZE', 'REINDEX',
      'EXPLAIN DROP TABLE t', '"BEGIN"', '`DROP` TABLE t', '[VACUUM]', '(SELECT 1)', 'BEGINX', 'DROPTABLE', 'VACUUMS', 'drop_table',
      'ſavepoint a', 'ıNSERT', 'DROP\u00a0TABLE t', '\u00a0DROP TABLE t', 'ALTERNATIVELY', 'ROLLBACKS', 'SAVEPOINTS x', '$x', '_drop',
      'DRÖP TABLE t', 'drop\tTABLE\n t', 'drop/* c */table t', 'drop--c\ntable t', 'begin;', 'end;',
    ];
    const encoder = new TextEncoder();
    for (const sql of statements) {
      const bytes = encoder.encode(`  ;\n${sql}`);
      const may = mayClassify(bytes, 4);
      if (!may) expect([sql, classifyStatement(sql).kind]).toEqual([sql, 'other']);
      if (/^(begin|end|commit|rollback|savepoint|release|attach|detach|vacuum|pragma|drop|alter)\b/i.test(sql)) expect([sql, may]).toEqual([sql, true]);
    }
    // Reads the first word only, never past the end of the text.
    expect(mayClassify(encoder.encode('DROP'), 0)).toBe(true);
    expect(mayClassify(encoder.encode('CREATE'), 0)).toBe(false);
    expect(mayClassify(encoder.encode(''), 0)).toBe(false);
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
});
