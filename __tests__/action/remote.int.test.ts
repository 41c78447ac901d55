/**
 * The bundled action against the D1 API emulator with real wrangler 4.86: what a deploy job sees (exit code,
 * outputs, summary), and that a SQL failure can never end green.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { D1Emulator, FAULTS } from '../support/d1-emulator.js';
import { runAction } from '../support/action-runner.js';
import { makeProject } from '../support/project.js';
import { PATH_SYSTEM, REPO_ROOT } from '../support/temp-project.js';

const WRANGLER = join(REPO_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

let emulator: D1Emulator;
beforeAll(async () => {
  emulator = await D1Emulator.start();
});
afterAll(async () => {
  await emulator.close();
});

const FILES = {
  'migrations/0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n',
  'migrations/0002_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n',
  'migrations/0003_index.sql': 'CREATE INDEX posts_user ON posts(user_id);\n',
};

function project(files: Record<string, string> = FILES): { cwd: string; uuid: string } {
  const name = `db-${Math.random().toString(36).slice(2, 10)}`;
  const uuid = emulator.createDatabase(name);
  const toml = `name = "app"\n\n[env.production]\n[[env.production.d1_databases]]\nbinding = "DB"\ndatabase_name = "${name}"\ndatabase_id = "${uuid}"\n`;
  return { cwd: makeProject({ 'wrangler.toml': toml, ...files }), uuid };
}

function inputs(cwd: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'working-directory': cwd,
    environment: 'production',
    'cloudflare-api-token': emulator.token,
    'cloudflare-account-id': emulator.accountId,
    wrangler: `${process.execPath} ${WRANGLER}`,
    comment: 'off',
    ...extra,
  };
}

const env = () => ({ PATH: PATH_SYSTEM, CLOUDFLARE_API_BASE_URL: emulator.url, GITHUB_ACTOR: 'octocat', GITHUB_SHA: 'abc1234def', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '99' });

test('applies, records the bookmark and history, then a rerun is up-to-date and changes nothing', async () => {
  const { cwd, uuid } = project();
  const first = await runAction(inputs(cwd), { env: env() });
  expect(first.code).toBe(0);
  expect(first.outputs.status).toBe('applied');
  expect(JSON.parse(first.outputs.pending!)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_index.sql']);
  expect(JSON.parse(first.outputs.applied!)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_index.sql']);
  expect(first.outputs['applied-count']).toBe('3');
  expect(first.outputs.bookmark).toMatch(/\S+/);
  const history = JSON.parse(first.outputs.history!) as { name: string; appliedByThisRun: boolean; environment: string }[];
  expect(history.map((h) => h.name)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_index.sql']);
  expect(history.every((h) => h.appliedByThisRun && h.environment === 'production')).toBe(true);
  expect(emulator.ledger(uuid)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_index.sql']);
  expect(first.summary).toContain('Applied by this run (3)');
  expect(first.summary).toContain('by octocat');
  expect(first.summary).toContain('https://github.com/acme/shop/actions/runs/99');
  expect(Number(first.outputs['duration-ms'])).toBeGreaterThan(0);

  const before = emulator.log.length;
  const second = await runAction(inputs(cwd), { env: env() });
  expect(second.code).toBe(0);
  expect(second.outputs.status).toBe('up-to-date');
  expect(second.outputs['applied-count']).toBe('0');
  expect(emulator.requests(before).filter((r) => r.kind === 'query' && /^\s*(CREATE|INSERT)/i.test(r.sql ?? '') && !/IF NOT EXISTS/i.test(r.sql ?? ''))).toEqual([]);
});

test.each(['strict', 'skip-unavailable'])('a SQL failure at migration 2 of 3 fails the step under %s and says exactly what was applied', async (failMode) => {
  const { cwd, uuid } = project({ ...FILES, 'migrations/0002_posts.sql': 'CREATE TABLE posts (id INTEGER);\nINSERT INTO nope VALUES (1);\n' });
  // validate would stop this before apply; turn the replay rule off to prove apply-time failures are not hidden either.
  const r = await runAction(inputs(cwd, { 'fail-mode': failMode, 'disable-rules': 'replay-error' }), { env: env() });
  expect(r.code).toBe(1);
  expect(r.outputs.status).toBe('failed');
  expect(JSON.parse(r.outputs.applied!)).toEqual(['0001_users.sql']);
  expect(emulator.ledger(uuid)).toEqual(['0001_users.sql']);
  expect(emulator.tables(uuid)).not.toContain('posts');
  expect(r.summary).toContain('0002_posts.sql');
  expect(r.summary).toMatch(/no such table: nope/);
  expect(r.summary).toContain('0003_index.sql'); // not attempted
  expect(r.summary).toMatch(/wrangler d1 time-travel restore \S+ --bookmark=\S+ --env production/);
  expect(r.stdout).toMatch(/::error::/);
});

test('validation errors stop apply under strict: nothing reaches the database', async () => {
  const { cwd, uuid } = project({ ...FILES, 'migrations/0002_posts.sql': 'BEGIN TRANSACTION;\nCREATE TABLE posts (id INTEGER);\nCOMMIT;\n' });
  const r = await runAction(inputs(cwd), { env: env() });
  expect(r.code).toBe(1);
  expect(r.outputs.status).toBe('invalid');
  expect(r.annotations.find((a) => a.props.title === 'transaction-statement')?.props).toMatchObject({ file: 'migrations/0002_posts.sql', line: '1' });
  expect(emulator.ledger(uuid)).toEqual([]);
  expect(r.outputs['applied-count']).toBe('0');
});

test('D1 not authorized (7403) is skipped with a warning under skip-unavailable and fails under strict', async () => {
  const { cwd } = project();
  emulator.inject({ on: 'any', action: FAULTS.notAuthorized7403 });
  try {
    const skipped = await runAction(inputs(cwd, { 'fail-mode': 'skip-unavailable' }), { env: env() });
    expect(skipped.code).toBe(0);
    expect(skipped.outputs.status).toBe('skipped');
    expect(skipped.stdout).toMatch(/::warning::.*(not available|not authorized)/);
    const strict = await runAction(inputs(cwd), { env: env() });
    expect(strict.code).toBe(1);
    expect(strict.outputs.status).toBe('failed');
    expect(strict.stdout).toMatch(/not-authorized/);
  } finally {
    emulator.clearFaults();
  }
});

test('a missing database (7404) still fails under skip-unavailable', async () => {
  const { cwd } = project();
  const toml = readFileSync(join(cwd, 'wrangler.toml'), 'utf8').replace(/database_id = "[^"]+"/, 'database_id = "00000000-0000-4000-8000-00000000dead"');
  const other = makeProject({ 'wrangler.toml': toml, ...FILES });
  const r = await runAction(inputs(other, { 'fail-mode': 'skip-unavailable' }), { env: env() });
  expect(r.code).toBe(1);
  expect(r.outputs.status).toBe('failed');
  expect(r.stdout).toMatch(/database-not-found/);
});

test('warn mode reports the failure and never fails the step', async () => {
  const { cwd } = project({ ...FILES, 'migrations/0002_posts.sql': 'INSERT INTO nope VALUES (1);\n' });
  const r = await runAction(inputs(cwd, { 'fail-mode': 'warn', 'disable-rules': 'replay-error' }), { env: env() });
  expect(r.code).toBe(0);
  expect(r.outputs.status).toBe('failed');
  expect(r.summary).toMatch(/no such table: nope/);
});

test('the job cancelled (SIGTERM) mid-apply: wrangler is stopped, the ledger re-read, outputs say exactly what is applied, a rerun continues', async () => {
  const { cwd, uuid } = project();
  const from = emulator.log.length;
  // Queries: 1 preview's schema + ledger + state + lock (the ledger created if missing, so one request);
  // apply: 2 create table, 3 select ledger, 4 file 1, 5 file 2 hangs.
  emulator.inject({ on: 'query', nth: 5, action: { kind: 'hang' } });
  let pid = 0;
  const watcher = setInterval(() => {
    if (pid && emulator.requests(from).some((r) => r.status === 'hang')) {
      clearInterval(watcher);
      process.kill(pid, 'SIGTERM');
    }
  }, 100);
  try {
    const r = await runAction(inputs(cwd), { env: env(), onSpawn: (p) => (pid = p) });
    expect(r.signal).toBeNull(); // the action handled SIGTERM and finished its report
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(JSON.parse(r.outputs.applied!)).toEqual(['0001_users.sql']);
    expect(r.stdout).toMatch(/cancelled/);
    expect(emulator.ledger(uuid)).toEqual(['0001_users.sql']);
    // The apply lock was released on the way out (docs/ledger.md), and what did apply has its checksum.
    expect(emulator.select(uuid, "SELECT name FROM d1_migrate_state WHERE kind = 'lock'")).toEqual([]);
    expect(emulator.select(uuid, "SELECT name FROM d1_migrate_state WHERE kind = 'checksum'").map((x) => x.name)).toEqual(['0001_users.sql']);
  } finally {
    clearInterval(watcher);
    emulator.clearFaults();
  }
  const rerun = await runAction(inputs(cwd), { env: env() });
  expect(rerun.code).toBe(0);
  expect(JSON.parse(rerun.outputs.applied!)).toEqual(['0002_posts.sql', '0003_index.sql']);
  expect(emulator.ledger(uuid)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_index.sql']);
});
