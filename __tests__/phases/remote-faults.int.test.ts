/** Faults on the remote path: every one ends in a classified failure and an exact account of the database. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyPhase } from '../../src/phases/apply.js';
import { historyPhase } from '../../src/phases/history.js';
import { previewPhase } from '../../src/phases/preview.js';
import { D1Emulator, FAULTS } from '../support/d1-emulator.js';
import { TempProject, WRANGLER_486, WRANGLER_LATEST, phaseContext } from '../support/temp-project.js';
import { remoteProject, runPhases, THREE } from './harness.js';

let emulator: D1Emulator;
beforeAll(async () => {
  emulator = await D1Emulator.start();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => emulator.clearFaults());

const NAMES = Object.keys(THREE);

test('preview writes nothing: no migrations table is created', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  const ctx = setup.ctx();
  await previewPhase(ctx);
  expect(ctx.report.failure).toBeUndefined();
  expect(ctx.report.pending).toEqual(NAMES);
  expect(ctx.ledgerBefore).toEqual([]);
  expect(emulator.tables(setup.uuid)).toEqual([]);
  setup.project.cleanup();
});

test('7403 (D1 not enabled for the account) is not-authorized', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  emulator.inject({ on: 'any', action: FAULTS.notAuthorized7403 });
  const { report } = await runPhases(setup.ctx());
  expect(report.failure).toMatchObject({ phase: 'preview', kind: 'not-authorized' });
  expect(report.failure?.message).toMatch(/\[code: 7403\]/);
  setup.project.cleanup();
});

test('7404 (database id unknown) is database-not-found', async () => {
  const project = new TempProject({ databaseId: '00000000-0000-4000-8000-000000000000', files: THREE });
  const ctx = phaseContext(project, { target: 'remote', wrangler: WRANGLER_486 }, emulator.env());
  const { report } = await runPhases(ctx);
  expect(report.failure).toMatchObject({ phase: 'preview', kind: 'database-not-found' });
  project.cleanup();
});

test.each([
  ['4.86', WRANGLER_486],
  ['4.164', WRANGLER_LATEST],
])('a hanging request times out (wrangler %s), and the ledger is re-read', async (_v, wrangler) => {
  const setup = remoteProject(emulator, wrangler, THREE);
  // Queries: 1 preview; apply: 2 create, 3 select, 4 file 1 (applied), 5 file 2 hangs.
  emulator.inject({ on: 'query', nth: 5, action: { kind: 'hang' } });
  const { report } = await runPhases(setup.ctx({ timeoutMs: 6_000 }));
  expect(report.failure?.kind).toBe('timeout');
  expect(report.applied).toEqual(['0001_users.sql']);
  expect(report.failed?.name).toBe('0002_posts.sql');
  expect(report.notAttempted).toEqual(['0003_index.sql']);
  expect(report.history?.map((e) => e.name)).toEqual(['0001_users.sql']);
  expect(emulator.ledger(setup.uuid)).toEqual(['0001_users.sql']);
  setup.project.cleanup();
});

test('connection reset on the first migration: network, nothing applied', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  emulator.inject({ on: 'query', nth: 4, action: { kind: 'reset' } });
  const { report } = await runPhases(setup.ctx());
  expect(report.failure?.kind).toBe('network');
  expect(report.applied).toEqual([]);
  expect(report.failed?.name).toBe('0001_users.sql');
  expect(report.notAttempted).toEqual(['0002_posts.sql', '0003_index.sql']);
  expect(emulator.ledger(setup.uuid)).toEqual([]);
  setup.project.cleanup();
});

test('a file over 100 KB is too-large remotely', async () => {
  const big = `CREATE TABLE big(v TEXT);\nINSERT INTO big VALUES ('${'x'.repeat(100_100)}');\n`;
  const setup = remoteProject(emulator, WRANGLER_486, { '0001_users.sql': THREE['0001_users.sql'], '0002_big.sql': big });
  const { report } = await runPhases(setup.ctx());
  expect(report.failure?.kind).toBe('too-large');
  expect(report.applied).toEqual(['0001_users.sql']);
  expect(report.failed).toMatchObject({ name: '0002_big.sql', message: 'statement too long' });
  setup.project.cleanup();
});

test('rollback-on-failure restores the bookmark when a later migration fails', async () => {
  const files = { ...THREE, '0003_index.sql': 'CREATE INDEX posts_user ON nope(user_id);\n' };
  const setup = remoteProject(emulator, WRANGLER_486, files);
  const from = emulator.log.length;
  const { report } = await runPhases(setup.ctx({ rollbackOnFailure: true }));
  expect(report.failure?.kind).toBe('sql-error');
  expect(report.failed).toMatchObject({ name: '0003_index.sql', line: 1 });
  expect(report.applied).toEqual([]);
  expect(report.notes.join('\n')).toMatch(/Rolled back: restored .* undoing 0001_users\.sql, 0002_posts\.sql/);
  expect(report.history).toEqual([]);
  expect(emulator.tables(setup.uuid)).toEqual([]);
  expect(emulator.requests(from, 'restore')).toHaveLength(1);
  setup.project.cleanup();
});

test('the ledger changing between preview and apply is reported, not claimed', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  const ctx = setup.ctx();
  await previewPhase(ctx);
  expect(ctx.report.pending).toEqual(NAMES);
  // Another run applies 0001 in between.
  emulator.select(
    setup.uuid,
    `CREATE TABLE d1_migrations(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL);
     ${THREE['0001_users.sql']} INSERT INTO d1_migrations(name) VALUES ('0001_users.sql');`,
  );
  await applyPhase(ctx);
  await historyPhase(ctx);
  expect(ctx.report.failure).toBeUndefined();
  expect(ctx.report.applied).toEqual(['0002_posts.sql', '0003_index.sql']);
  expect(ctx.report.notes.join('\n')).toMatch(/changed between preview and apply: 0001_users\.sql was recorded by someone else/);
  expect(ctx.report.history?.map((e) => e.name)).toEqual(NAMES);
  setup.project.cleanup();
});

test('cancelling the job stops wrangler mid-apply; the report still says what is applied', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  emulator.inject({ on: 'query', nth: 5, action: { kind: 'hang' } });
  const controller = new AbortController();
  const from = emulator.log.length;
  const ctx = Object.assign(setup.ctx({ timeoutMs: 60_000 }), { signal: controller.signal });
  const poll = setInterval(() => {
    if (emulator.requests(from).some((r) => r.status === 'hang')) controller.abort();
  }, 50);
  try {
    await runPhases(ctx);
  } finally {
    clearInterval(poll);
  }
  expect(ctx.report.failure?.kind).toBe('cancelled');
  expect(ctx.report.applied).toEqual(['0001_users.sql']);
  expect(ctx.report.failed?.name).toBe('0002_posts.sql');
  expect(ctx.report.notAttempted).toEqual(['0003_index.sql']);
  setup.project.cleanup();
});

test('wrangler missing', async () => {
  const setup = remoteProject(emulator, '/nonexistent/bin/wrangler', THREE);
  const { report } = await runPhases(setup.ctx());
  expect(report.failure).toMatchObject({ phase: 'preview', kind: 'wrangler-missing' });
  setup.project.cleanup();
});

test('wrangler killed by a signal is a failure, never a success', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-kill-'));
  const script = path.join(dir, 'wrangler.js');
  fs.writeFileSync(script, "process.kill(process.pid, 'SIGKILL');\n");
  const setup = remoteProject(emulator, `${process.execPath} ${script}`, THREE);
  const { report } = await runPhases(setup.ctx());
  expect(report.failure).toMatchObject({ phase: 'preview', kind: 'unknown', message: 'wrangler was killed by SIGKILL' });
  fs.rmSync(dir, { recursive: true });
  setup.project.cleanup();
});
