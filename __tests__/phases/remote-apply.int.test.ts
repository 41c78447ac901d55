/**
 * The remote path end to end: real wrangler (4.86 on Node 20 and 4.164 on Node 24) against the D1 API
 * emulator, asserting the report and what is really in the emulated database.
 */
import { D1Emulator, FAULTS } from '../support/d1-emulator.js';
import { WRANGLER_486, WRANGLER_LATEST } from '../support/temp-project.js';
import { remoteProject, runPhases, THREE } from './harness.js';

let emulator: D1Emulator;
beforeAll(async () => {
  emulator = await D1Emulator.start();
});
afterAll(async () => {
  await emulator.close();
});

describe.each([
  ['4.86', WRANGLER_486],
  ['4.164', WRANGLER_LATEST],
])('remote apply with wrangler %s', (_version, wrangler) => {
  test('clean apply of 3 files, then a rerun is up-to-date', async () => {
    const setup = remoteProject(emulator, wrangler, THREE);
    const from = emulator.log.length;
    const ctx = await runPhases(setup.ctx());
    const { report } = ctx;
    expect(report.failure).toBeUndefined();
    expect(report.pending).toEqual(Object.keys(THREE));
    expect(report.applied).toEqual(Object.keys(THREE));
    expect(report.status).toBe('applied');
    expect(report.bookmark).toMatch(/^[0-9a-f]{8}-/);
    expect(report.timings?.map((t) => t.name)).toEqual(Object.keys(THREE));
    expect(report.history?.map((e) => e.name)).toEqual(Object.keys(THREE));
    expect(emulator.ledger(setup.uuid)).toEqual(Object.keys(THREE));
    // preview 1 query; bookmark: info + bookmark; apply: create table + select + 3 files; the ledger read back
    // to verify the apply (history uses it: no request of its own).
    const requests = emulator.requests(from);
    expect(requests.filter((r) => r.kind === 'query')).toHaveLength(7);
    expect(requests.map((r) => r.kind).sort()).toEqual(['bookmark', 'info', 'query', 'query', 'query', 'query', 'query', 'query', 'query']);
    // The token never reaches argv or the logs.
    expect(ctx.io.lines.join('\n')).not.toContain(emulator.token);

    const again = await runPhases(setup.ctx());
    expect(again.report.failure).toBeUndefined();
    expect(again.report.applied).toEqual([]);
    expect(again.report.status).toBe('up-to-date');
    expect(again.report.history?.map((e) => e.name)).toEqual(Object.keys(THREE));
    setup.project.cleanup();
  });

  test('failure at migration 2 of 3: 1 applied, 2 failed with line, 3 not attempted; rerun applies the rest after a fix', async () => {
    const files = { ...THREE, '0002_posts.sql': '-- posts\nCREATE TABLE posts(id INTEGER PRIMARY KEY);\nINSERT INTO nope VALUES (1);\n' };
    const setup = remoteProject(emulator, wrangler, files);
    const { report } = await runPhases(setup.ctx());
    expect(report.status).toBe('failed');
    expect(report.failure).toMatchObject({ phase: 'apply', kind: 'sql-error' });
    expect(report.applied).toEqual(['0001_users.sql']);
    expect(report.failed).toEqual({ name: '0002_posts.sql', message: 'no such table: nope', line: 3, kind: 'sql-error' });
    expect(report.notAttempted).toEqual(['0003_index.sql']);
    expect(report.history?.map((e) => e.name)).toEqual(['0001_users.sql']);
    expect(report.notes.join('\n')).toContain(`wrangler d1 time-travel restore ${setup.project.target.databaseName} --bookmark=${report.bookmark}`);
    expect(emulator.ledger(setup.uuid)).toEqual(['0001_users.sql']);
    expect(emulator.tables(setup.uuid)).toEqual(['d1_migrations', 'users']);

    setup.project.write('0002_posts.sql', THREE['0002_posts.sql']);
    const rerun = await runPhases(setup.ctx());
    expect(rerun.report.failure).toBeUndefined();
    expect(rerun.report.pending).toEqual(['0002_posts.sql', '0003_index.sql']);
    expect(rerun.report.applied).toEqual(['0002_posts.sql', '0003_index.sql']);
    expect(emulator.ledger(setup.uuid)).toEqual(Object.keys(THREE));
    setup.project.cleanup();
  });

  test('BEGIN/COMMIT passes locally but D1 refuses it', async () => {
    const setup = remoteProject(emulator, wrangler, { '0001_tx.sql': 'BEGIN TRANSACTION;\nCREATE TABLE t(id INTEGER);\nCOMMIT;\n' });
    const { report } = await runPhases(setup.ctx());
    expect(report.failure?.kind).toBe('sql-error');
    expect(report.failed).toMatchObject({ name: '0001_tx.sql', line: 1 });
    expect(report.failed?.message).toMatch(/BEGIN TRANSACTION or SAVEPOINT/);
    expect(emulator.ledger(setup.uuid)).toEqual([]);
    setup.project.cleanup();
  });

  test('Authentication error 10000 is not-authorized and nothing is attempted', async () => {
    const setup = remoteProject(emulator, wrangler, THREE);
    emulator.inject({ on: 'any', action: FAULTS.auth10000 });
    try {
      const { report } = await runPhases(setup.ctx());
      expect(report.failure).toMatchObject({ phase: 'preview', kind: 'not-authorized' });
      expect(report.applied).toBeUndefined();
    } finally {
      emulator.clearFaults();
    }
    expect(emulator.ledger(setup.uuid)).toEqual([]);
    setup.project.cleanup();
  });

  test('HTTP 500 on the 2nd migration: the first stays applied, the ledger is re-read', async () => {
    const setup = remoteProject(emulator, wrangler, THREE);
    // Queries: 1 preview read; then apply: 2 create, 3 select, 4 file 1, 5 file 2.
    emulator.inject({ on: 'query', nth: 5, action: FAULTS.http500 });
    try {
      const { report } = await runPhases(setup.ctx());
      expect(report.failure?.kind).toBe('network');
      expect(report.applied).toEqual(['0001_users.sql']);
      expect(report.failed?.name).toBe('0002_posts.sql');
      expect(report.notAttempted).toEqual(['0003_index.sql']);
    } finally {
      emulator.clearFaults();
    }
    expect(emulator.ledger(setup.uuid)).toEqual(['0001_users.sql']);
    setup.project.cleanup();
  });
});
