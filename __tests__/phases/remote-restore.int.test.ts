/** Time Travel restore on demand, history without extra calls, and the D1 request budget of a run. */
import { expect } from '@jest/globals';
import { historyPhase } from '../../src/phases/history.js';
import { previewPhase } from '../../src/phases/preview.js';
import { restorePhase } from '../../src/phases/restore.js';
import { openSession } from '../../src/wrangler/session.js';
import { currentBookmark } from '../../src/wrangler/time-travel.js';
import { runWrangler } from '../../src/wrangler/run.js';
import { locateWrangler } from '../../src/wrangler/locate.js';
import { D1Emulator } from '../support/d1-emulator.js';
import { PATH_SYSTEM, WRANGLER_486 } from '../support/temp-project.js';
import { remoteProject, runPhases, THREE } from './harness.js';

let emulator: D1Emulator;
beforeAll(async () => {
  emulator = await D1Emulator.start();
});
afterAll(async () => {
  await emulator.close();
});

test('restore phase returns the database to a bookmark and says how to undo it', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  const bm = await currentBookmark(openSession(setup.ctx()));
  expect(bm.ok).toBe(true);
  await runPhases(setup.ctx());
  expect(emulator.tables(setup.uuid)).toEqual(['d1_migrations', 'posts', 'users']);

  const ctx = setup.ctx({ phases: ['restore'], bookmark: bm.ok ? bm.bookmark : '' });
  await restorePhase(ctx);
  expect(ctx.report.failure).toBeUndefined();
  expect(emulator.tables(setup.uuid)).toEqual([]);
  expect(ctx.report.notes[0]).toMatch(/^Restored db-\w+ to bookmark [0-9a-f-]+\. To undo: wrangler d1 time-travel restore db-\w+ --bookmark=/);
  expect(ctx.report.bookmark).toBeDefined();
  setup.project.cleanup();
});

test('restore phase without a bookmark, or on local, is a config failure', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  const none = setup.ctx({ phases: ['restore'] });
  await restorePhase(none);
  expect(none.report.failure).toMatchObject({ phase: 'restore', kind: 'config' });
  const local = setup.ctx({ phases: ['restore'], bookmark: 'b', target: 'local' });
  await restorePhase(local);
  expect(local.report.failure?.message).toMatch(/remote D1 only/);
  setup.project.cleanup();
});

test('history alone reads the ledger once; after preview without apply it reads nothing', async () => {
  const setup = remoteProject(emulator, WRANGLER_486, THREE);
  await runPhases(setup.ctx());
  let from = emulator.log.length;
  const alone = setup.ctx({ phases: ['history'] });
  await historyPhase(alone);
  expect(alone.report.history?.map((e) => e.name)).toEqual(Object.keys(THREE));
  expect(alone.report.history?.[0]).toMatchObject({ id: 1, appliedAt: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) });
  expect(emulator.requests(from)).toHaveLength(1);

  const withPreview = setup.ctx({ phases: ['preview', 'history'] });
  await previewPhase(withPreview);
  from = emulator.log.length;
  await historyPhase(withPreview);
  expect(emulator.requests(from)).toHaveLength(0);
  expect(withPreview.report.history).toHaveLength(3);
  setup.project.cleanup();
});

test('request budget: preview + apply + history on 3 files costs 4 D1 requests more than a bare apply', async () => {
  const bare = remoteProject(emulator, WRANGLER_486, THREE);
  const cmd = locateWrangler(bare.project.dir, WRANGLER_486, PATH_SYSTEM);
  let from = emulator.log.length;
  const r = await runWrangler(cmd, ['d1', 'migrations', 'apply', 'DB', '--remote'], {
    cwd: bare.project.dir,
    env: { PATH: PATH_SYSTEM, HOME: process.env.HOME, ...emulator.env() },
    timeoutMs: 60_000,
    secrets: [],
  });
  expect(r.exitCode).toBe(0);
  const bareCount = emulator.requests(from).length;

  const ours = remoteProject(emulator, WRANGLER_486, THREE);
  from = emulator.log.length;
  await runPhases(ours.ctx());
  const ourCount = emulator.requests(from).length;
  expect(bareCount).toBe(5); // CREATE TABLE IF NOT EXISTS, SELECT ledger, 3 files
  expect(ourCount).toBe(9); // + preview's SELECT, time-travel info (database info + bookmark), the ledger read back after apply
  expect(ourCount - bareCount).toBeLessThanOrEqual(4);
  bare.project.cleanup();
  ours.project.cleanup();
});
