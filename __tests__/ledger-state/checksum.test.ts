/**
 * Applied-file checksums: what counts as an edit, which findings they give, and the statements that record
 * them (on real SQLite): only names the ledger records, never over a recorded one unless the file was applied
 * now, hostile names kept as data, large histories split under D1's request limit.
 */
import { checksumFindings, checksumOf, packRequests, recordChecksumStatements, REQUEST_BUDGET_BYTES, unhashedApplied } from '../../src/ledger-state/checksum.js';
import { createLedgerTable, CREATE_STATE_TABLE, STATE_TABLE } from '../../src/ledger-state/table.js';
import type { DatabaseTarget, MigrationFile } from '../../src/types.js';
import { database, type Database } from './sql-harness.js';

const file = (name: string, sql: string): MigrationFile => ({ name, path: `/x/${name}`, relPath: `migrations/${name}`, number: 1, numberText: '0001', sql, bytes: sql.length });
const target = { databaseName: 'app-db', environment: 'production' } as DatabaseTarget;

describe('checksumOf', () => {
  const sql = 'CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE INDEX u ON users(id);\n';
  test('line endings and a byte-order mark are not an edit', () => {
    expect(checksumOf(sql.replace(/\n/g, '\r\n'))).toBe(checksumOf(sql));
    expect(checksumOf(`\uFEFF${sql}`)).toBe(checksumOf(sql));
    expect(checksumOf(sql)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  test('any other change is', () => {
    expect(checksumOf(sql.replace('users', 'Users'))).not.toBe(checksumOf(sql));
    expect(checksumOf(`${sql} `)).not.toBe(checksumOf(sql));
    expect(checksumOf(`-- note\n${sql}`)).not.toBe(checksumOf(sql));
  });
});

test('an applied file that changed is applied-file-changed, naming it and when it was applied; others are not', () => {
  const a = file('0001_a.sql', 'CREATE TABLE a (id INTEGER);\n');
  const b = file('0002_b.sql', 'CREATE TABLE b (id INTEGER);\n');
  const ledger = [
    { name: '0001_a.sql', appliedAt: '2026-01-10 10:00:00' },
    { name: '0002_b.sql', appliedAt: '2026-01-11 10:00:00' },
  ];
  const sums = new Map([
    ['0001_a.sql', { sum: checksumOf('CREATE TABLE a (id INTEGER, x TEXT);\n'), at: 'x' }],
    ['0002_b.sql', { sum: checksumOf(b.sql), at: 'x' }],
  ]);
  const findings = checksumFindings([a, b], ledger, sums, target);
  expect(findings).toHaveLength(1);
  expect(findings[0]).toMatchObject({ rule: 'applied-file-changed', severity: 'error', file: 'migrations/0001_a.sql', line: 1 });
  expect(findings[0]!.message).toMatch(/^0001_a\.sql was applied to app-db \(production\) on 2026-01-10 10:00:00, and the file has changed since/);
  // No recorded checksum: nothing to compare (it is recorded on first sight instead).
  expect(checksumFindings([a, b], ledger, new Map(), target)).toEqual([]);
  expect(unhashedApplied([a, b, file('0003_c.sql', '')], ledger, new Map([['0002_b.sql', { sum: 'x', at: 'x' }]])).map((m) => m.name)).toEqual(['0001_a.sql']);
});

describe('recording checksums', () => {
  let d: Database;
  beforeEach(async () => {
    d = await database();
    d.request([createLedgerTable('d1_migrations'), CREATE_STATE_TABLE]);
  });
  afterEach(() => d.close());
  // name and value are NOT NULL TEXT columns of the state table.
  const sums = () => Object.fromEntries((d.rows(`SELECT name, value FROM ${STATE_TABLE} WHERE kind = 'checksum'`) as { name: string; value: string }[]).map((r) => [r.name, r.value]));

  test('only for names the ledger records; a recorded checksum is replaced only for files applied now', () => {
    const evil = file("0002_x'); DELETE FROM d1_migrations; --\n.sql", 'SELECT 1;\n');
    const a = file('0001_a.sql', 'CREATE TABLE a (id INTEGER);\n');
    d.request([`INSERT INTO d1_migrations (name) VALUES ('0001_a.sql'), ('${evil.name.replace(/'/g, "''")}')`]);
    d.request(recordChecksumStatements('d1_migrations', [a, evil, file('0003_pending.sql', 'x')], { replace: false }));
    expect(sums()).toEqual({ '0001_a.sql': checksumOf(a.sql), [evil.name]: checksumOf(evil.sql) });

    const edited = file('0001_a.sql', 'CREATE TABLE a (id INTEGER, b TEXT);\n');
    d.request(recordChecksumStatements('d1_migrations', [edited], { replace: false }));
    expect(sums()['0001_a.sql']).toBe(checksumOf(a.sql));
    d.request(recordChecksumStatements('d1_migrations', [edited], { replace: true }));
    expect(sums()['0001_a.sql']).toBe(checksumOf(edited.sql));
    expect(d.rows('SELECT count(*) AS n FROM d1_migrations')).toEqual([{ n: 2 }]);
  });

  test('a guard keeps them from being written', () => {
    d.request([`INSERT INTO d1_migrations (name) VALUES ('0001_a.sql')`]);
    d.request(recordChecksumStatements('d1_migrations', [file('0001_a.sql', 'x')], { replace: true, guard: '0' }));
    expect(sums()).toEqual({});
  });

  test('a long history is split into statements and requests under D1 limits, and all of it is recorded', () => {
    const files = Array.from({ length: 2500 }, (_, i) => file(`${String(i).padStart(5, '0')}_a_fairly_long_migration_name_${i}.sql`, `SELECT ${i};`));
    for (let i = 0; i < files.length; i += 500) d.request([`INSERT INTO d1_migrations (name) VALUES ${files.slice(i, i + 500).map((f) => `('${f.name}')`).join(', ')}`]);
    const statements = recordChecksumStatements('d1_migrations', files, { replace: false });
    expect(statements.length).toBeGreaterThan(1);
    const packed = packRequests(['SELECT 1'], statements);
    for (const request of [packed.first, ...packed.more]) {
      expect(request.reduce((n, s) => n + Buffer.byteLength(s) + 2, 0)).toBeLessThanOrEqual(REQUEST_BUDGET_BYTES);
      d.request(request);
    }
    expect(packed.more.length).toBeGreaterThan(0);
    expect(Object.keys(sums())).toHaveLength(2500);
  });
});
