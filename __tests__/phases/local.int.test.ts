/** target: local and the test phase, with real wrangler 4.86 and local D1 (workerd), fresh state per test. */
import { expect } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { testPhase } from '../../src/phases/test.js';
import { TempProject, WRANGLER_486, phaseContext } from '../support/temp-project.js';
import { runPhases, THREE } from './harness.js';

const NAMES = Object.keys(THREE);

function localCtx(project: TempProject) {
  return phaseContext(project, { target: 'local', wrangler: WRANGLER_486, persistTo: path.join(project.dir, 'state') });
}

test('local: apply, failure at 2 of 3, fix, rerun applies the rest, rerun again is up-to-date', async () => {
  const project = new TempProject({ files: { ...THREE, '0002_posts.sql': 'CREATE TABLE posts(id INTEGER);\nSELECT * FROM nope;\n' } });
  try {
    const first = await runPhases(localCtx(project));
    expect(first.report.failure).toMatchObject({ phase: 'apply', kind: 'sql-error' });
    expect(first.report.applied).toEqual(['0001_users.sql']);
    expect(first.report.failed).toEqual({ name: '0002_posts.sql', message: 'no such table: nope', line: 2, kind: 'sql-error' });
    expect(first.report.notAttempted).toEqual(['0003_index.sql']);
    expect(first.report.bookmark).toBeUndefined();

    project.write('0002_posts.sql', THREE['0002_posts.sql']);
    const second = await runPhases(localCtx(project));
    expect(second.report.failure).toBeUndefined();
    expect(second.report.applied).toEqual(['0002_posts.sql', '0003_index.sql']);
    expect(second.report.history?.map((e) => e.name)).toEqual(NAMES);

    const third = await runPhases(localCtx(project));
    expect(third.report.status).toBe('up-to-date');
    expect(third.report.applied).toEqual([]);
  } finally {
    project.cleanup();
  }
});

test('local: BEGIN TRANSACTION/COMMIT passes (wrangler strips one pair locally)', async () => {
  const project = new TempProject({ files: { '0001_tx.sql': 'BEGIN TRANSACTION;\nCREATE TABLE t(id INTEGER);\nCOMMIT;\n' } });
  try {
    const { report } = await runPhases(localCtx(project));
    expect(report.failure).toBeUndefined();
    expect(report.applied).toEqual(['0001_tx.sql']);
  } finally {
    project.cleanup();
  }
});

test('test phase: a throw-away local D1 and its schema; nothing left behind', async () => {
  const project = new TempProject({ files: THREE });
  try {
    const ctx = phaseContext(project, { target: 'remote', wrangler: WRANGLER_486, phases: ['test'] });
    await testPhase(ctx);
    expect(ctx.report.failure).toBeUndefined();
    expect(ctx.report.schema).toEqual([
      { type: 'table', name: 'd1_migrations', tableName: 'd1_migrations', sql: expect.stringContaining('CREATE TABLE d1_migrations') },
      { type: 'table', name: 'posts', tableName: 'posts', sql: expect.stringContaining('REFERENCES users') },
      { type: 'table', name: 'users', tableName: 'users', sql: expect.any(String) },
      { type: 'index', name: 'posts_user', tableName: 'posts', sql: expect.stringContaining('CREATE INDEX') },
    ]);
    expect(fs.existsSync(path.join(project.dir, '.wrangler'))).toBe(false);
  } finally {
    project.cleanup();
  }
});

test('test phase: a failing migration becomes a replay-error finding on its line', async () => {
  const project = new TempProject({ files: { ...THREE, '0003_index.sql': '\nCREATE INDEX x ON missing(a);\n' } });
  try {
    const ctx = phaseContext(project, { target: 'local', wrangler: WRANGLER_486, phases: ['test'] });
    await testPhase(ctx);
    expect(ctx.report.failure).toMatchObject({ phase: 'test', kind: 'sql-error' });
    expect(ctx.report.findings).toEqual([
      expect.objectContaining({ rule: 'replay-error', file: 'migrations/0003_index.sql', line: 2 }),
    ]);
  } finally {
    project.cleanup();
  }
});
