import { failureLine } from '../../src/phases/failure-line.js';
import { ledgerFindings, pendingMigrations } from '../../src/phases/ledger.js';
import type { DatabaseTarget, MigrationFile } from '../../src/types.js';

const target = { databaseName: 'app-db', environment: 'production', migrationsDir: 'migrations', migrationsTable: 'd1_migrations' } as DatabaseTarget;
const file = (name: string): MigrationFile => ({
  name,
  path: `/x/migrations/${name}`,
  relPath: `migrations/${name}`,
  number: parseInt(name),
  numberText: /^\d+/.exec(name)?.[0] ?? null,
  sql: '',
  bytes: 0,
});
const entry = (name: string, id?: number) => ({ id, name, appliedAt: '2025-01-02 03:04:05' });

describe('ledger drift', () => {
  test('pending keeps wrangler order', () => {
    expect(pendingMigrations([file('0001_a.sql'), file('0002_b.sql'), file('0003_c.sql')], [entry('0002_b.sql')]).map((m) => m.name)).toEqual([
      '0001_a.sql',
      '0003_c.sql',
    ]);
  });

  test('no drift, no findings', () => {
    expect(ledgerFindings([file('0001_a.sql'), file('0002_b.sql')], [entry('0001_a.sql')], target)).toEqual([]);
  });

  test('a renamed applied file: applied-file-missing on the new file, saying wrangler would run it again', () => {
    const f = ledgerFindings([file('01_users.sql'), file('0002_b.sql')], [entry('0001_users.sql', 1)], target);
    expect(f).toEqual([expect.objectContaining({ rule: 'applied-file-missing', severity: 'error', file: 'migrations/01_users.sql', line: 1 })]);
    const renamed = ledgerFindings([file('0001_users_v2.sql')], [entry('0001_users.sql')], target);
    expect(renamed[0]).toMatchObject({ rule: 'applied-file-missing' });
    expect(renamed[0]!.file).toBeUndefined();
    expect(renamed[0]!.message).toMatch(/app-db \(production\) recorded 0001_users\.sql as applied on 2025-01-02 03:04:05, but there is no such file in migrations; if it was renamed, wrangler will run it again/);
    const exact = ledgerFindings([file('0002_users.sql')], [entry('0001_users.sql')], target);
    expect(exact[0]!.message).toMatch(/the file is now 0002_users\.sql; wrangler tracks files by name and would run it again/);
  });

  test('a pending file that sorts before the last applied one is out-of-order', () => {
    const f = ledgerFindings([file('0001_a.sql'), file('0002_late.sql'), file('0003_c.sql')], [entry('0001_a.sql'), entry('0003_c.sql')], target);
    expect(f).toEqual([expect.objectContaining({ rule: 'out-of-order', severity: 'warning', file: 'migrations/0002_late.sql' })]);
    expect(f[0]!.message).toMatch(/sorts before 0003_c\.sql/);
  });
});

describe('failureLine', () => {
  const sql = '-- users table: nope is mentioned here\nCREATE TABLE users(id INTEGER);\n\nINSERT INTO "nope" VALUES (1);\n';
  test.each([
    ['no such table: nope', 4],
    ['no such table: main.nope', 4],
    ['table users already exists', 2],
    ['near "INTEGR": syntax error', undefined],
    ['FOREIGN KEY constraint failed', undefined],
  ])('%s → %s', (message, line) => expect(failureLine(sql, message)).toBe(line));
  test('the BEGIN refusal points at the BEGIN', () => {
    expect(failureLine('\n  begin transaction;\nCREATE TABLE t(x);\nCOMMIT;', 'To execute a transaction, ... instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements.')).toBe(2);
  });
  test('a constraint on a column', () => {
    expect(failureLine('CREATE TABLE t(a UNIQUE);\nINSERT INTO t(a) VALUES (1),(1);', 'UNIQUE constraint failed: t.a')).toBe(1);
  });
});
