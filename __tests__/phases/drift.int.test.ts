/** The drift phase against the D1 emulator (real wrangler 4.86) and across environments. */
import { compareEnvironments, driftPhase } from '../../src/phases/drift.js';
import type { DatabaseReport, SchemaObject } from '../../src/types.js';
import { D1Emulator } from '../support/d1-emulator.js';
import { WRANGLER_486 } from '../support/temp-project.js';
import { remoteProject, runPhases, THREE } from './harness.js';

let emulator: D1Emulator;
beforeAll(async () => {
  emulator = await D1Emulator.start();
});
afterAll(async () => {
  await emulator.close();
});

test('no drift right after apply, and a pending migration is not drift', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  await runPhases(setup.ctx());
  setup.project.write('0004_pending.sql', 'CREATE TABLE pending_table(id INTEGER);\n');
  const ctx = setup.ctx({ phases: ['drift'] });
  await driftPhase(ctx);
  expect(ctx.report.failure).toBeUndefined();
  expect(ctx.report.drift).toEqual([{ against: 'migrations', changes: [] }]);
  expect(ctx.report.findings).toEqual([]);
  expect(ctx.report.liveSchema?.map((o) => o.name).sort()).toEqual(['posts', 'posts_user', 'users']);
  setup.project.cleanup();
});

test('a hand-made change on the database is reported as schema-drift naming what differs', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  await runPhases(setup.ctx());
  emulator.select(setup.uuid, 'ALTER TABLE users ADD COLUMN nickname TEXT');
  emulator.select(setup.uuid, 'CREATE INDEX users_email ON users(email)');
  emulator.select(setup.uuid, 'DROP INDEX posts_user');
  const ctx = setup.ctx({ phases: ['drift'] });
  await driftPhase(ctx);
  const changes = ctx.report.drift?.[0]?.changes ?? [];
  expect(changes).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ kind: 'added', object: 'column', name: 'nickname', table: 'users' }),
      expect.objectContaining({ kind: 'added', object: 'index', name: 'users_email' }),
      expect.objectContaining({ kind: 'dropped', object: 'index', name: 'posts_user' }),
    ]),
  );
  expect(ctx.report.findings).toHaveLength(1);
  expect(ctx.report.findings[0]).toMatchObject({ rule: 'schema-drift', severity: 'error' });
  expect(ctx.report.findings[0]!.message).toMatch(/column users\.nickname exists only in the database/);
  expect(ctx.report.findings[0]!.message).toMatch(/index posts_user is missing from the database/);
  setup.project.cleanup();
});

test('a database that cannot be reached is a classified failure, not drift', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  const ctx = setup.ctx({ phases: ['drift'] }, { CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:9' });
  await driftPhase(ctx);
  expect(ctx.report.failure).toMatchObject({ phase: 'drift', kind: 'network' });
  expect(ctx.report.findings).toEqual([]);
  setup.project.cleanup();
});

function liveReport(environment: string, schema: SchemaObject[]): DatabaseReport {
  return { environment, binding: 'DB', databaseName: `db-${environment}`, migrationsDir: 'migrations', migrationsTable: 'd1_migrations', migrations: [], findings: [], status: 'valid', notes: [], durationMs: 0, liveSchema: schema };
}

test('environments are compared with the first one, per binding', () => {
  const users = { type: 'table' as const, name: 'users', tableName: 'users', sql: 'CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT)' };
  const staging = liveReport('staging', [users]);
  const production = liveReport('production', [{ ...users, sql: 'CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT, legacy INTEGER)' }]);
  const same = liveReport('development', [users]);
  compareEnvironments([staging, production, same]);
  expect(staging.drift).toBeUndefined();
  expect(same.drift).toEqual([{ against: 'environment:staging', changes: [] }]);
  expect(production.drift?.[0]?.changes).toEqual([expect.objectContaining({ kind: 'added', object: 'column', name: 'legacy' })]);
  expect(production.findings[0]!.message).toMatch(/differs from environment staging: column users\.legacy exists only in the database/);
});

test('drift on the local D1 (real wrangler, workerd): a hand-made index is reported', async () => {
  const { TempProject, phaseContext } = await import('../support/temp-project.js');
  const { openSession, d1Args } = await import('../../src/wrangler/session.js');
  const path = await import('node:path');
  const project = new TempProject({ files: THREE });
  try {
    const options = { target: 'local' as const, wrangler: WRANGLER_486, persistTo: path.join(project.dir, 'state') };
    await runPhases(phaseContext(project, options));
    const clean = phaseContext(project, { ...options, phases: ['drift'] });
    await driftPhase(clean);
    expect(clean.report.findings).toEqual([]);
    const session = openSession(clean);
    const r = await session.run(d1Args(session, ['execute'], ['--command', 'CREATE INDEX hand_made ON users(email)']));
    expect(r.exitCode).toBe(0);
    const ctx = phaseContext(project, { ...options, phases: ['drift'] });
    await driftPhase(ctx);
    expect(ctx.report.drift?.[0]?.changes).toEqual([expect.objectContaining({ kind: 'added', object: 'index', name: 'hand_made' })]);
    expect(ctx.report.findings[0]).toMatchObject({ rule: 'schema-drift' });
  } finally {
    project.cleanup();
  }
});
