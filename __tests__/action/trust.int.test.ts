/**
 * The trust classes of the outcome, through the bundled action as the runner runs it, written the way an
 * attacker (or an unlucky team) would meet them: a migration's error text that mimics an authorization
 * failure, skip-unavailable without credentials on a broken migration set, a renamed applied migration, and
 * a wrangler that exits 0 without applying. None of them may end green or apply something flagged.
 */
import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { D1Emulator } from '../support/d1-emulator.js';
import { runAction, NODE24 } from '../support/action-runner.js';
import { makeProject } from '../support/project.js';
import type { JsonReport } from '../support/json-report.js';
import { PATH_SYSTEM, REPO_ROOT } from '../support/temp-project.js';

const WRANGLER_486 = `${process.execPath} ${join(REPO_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js')}`;
const WRANGLER_LATEST = `${NODE24} ${join(REPO_ROOT, 'tools', 'compat', 'node_modules', 'wrangler', 'bin', 'wrangler.js')}`;

let emulator: D1Emulator;
beforeAll(async () => {
  emulator = await D1Emulator.start();
});
afterAll(async () => {
  await emulator.close();
});

function remoteProject(files: Record<string, string>): { cwd: string; uuid: string } {
  const name = `db-${Math.random().toString(36).slice(2, 10)}`;
  const uuid = emulator.createDatabase(name);
  const toml = `name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${name}"\ndatabase_id = "${uuid}"\n`;
  return { cwd: makeProject({ 'wrangler.toml': toml, ...files }), uuid };
}

const remoteInputs = (cwd: string, extra: Record<string, string> = {}) => ({
  'working-directory': cwd,
  'cloudflare-api-token': emulator.token,
  'cloudflare-account-id': emulator.accountId,
  wrangler: WRANGLER_486,
  comment: 'off',
  ...extra,
});
const remoteEnv = () => ({ PATH: PATH_SYSTEM, CLOUDFLARE_API_BASE_URL: emulator.url });

/**
 * A table whose trigger refuses an UPDATE only for a row that production holds (the replay and the data
 * check's synthetic rows never have it), with a message chosen by the migration's author.
 */
function guarded(message: string): Record<string, string> {
  const quoted = message.replace(/'/g, "''");
  return {
    'migrations/0001_accounts.sql':
      'CREATE TABLE accounts (id INTEGER PRIMARY KEY, owner TEXT, plan TEXT);\n' +
      `CREATE TRIGGER accounts_guard BEFORE UPDATE ON accounts WHEN OLD.owner = 'prod-owner-7f3a' BEGIN SELECT RAISE(ABORT, '${quoted}'); END;\n` +
      "INSERT INTO accounts (owner, plan) VALUES ('prod-owner-7f3a', 'free');\n",
  };
}
const UPGRADE = { 'migrations/0002_upgrade.sql': "UPDATE accounts SET plan = 'pro';\n" };

describe('a migration whose error text reads like an authorization failure is a SQL failure', () => {
  const MESSAGES = [
    'Authentication error [code: 10000]',
    'The given account is not valid or is not authorized to access this service [code: 7403]',
    'denied\nAuthentication error [code: 10000]',
    "In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN environment variable for wrangler to work.",
  ];

  test.each(MESSAGES)('remote D1 (API emulator), skip-unavailable: %j fails the step', async (message) => {
    const { cwd, uuid } = remoteProject(guarded(message));
    const first = await runAction(remoteInputs(cwd, { 'fail-mode': 'skip-unavailable' }), { env: remoteEnv() });
    expect([first.code, first.outputs.status]).toEqual([0, 'applied']);
    writeFileSync(join(cwd, 'migrations/0002_upgrade.sql'), UPGRADE['migrations/0002_upgrade.sql']);

    const r = await runAction(remoteInputs(cwd, { 'fail-mode': 'skip-unavailable' }), { env: remoteEnv() });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(JSON.parse(r.outputs.pending!)).toEqual(['0002_upgrade.sql']);
    const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as JsonReport;
    expect(report.databases[0]!.failure?.kind).toBe('sql-error');
    expect(report.databases[0]!.failed?.name).toBe('0002_upgrade.sql');
    expect(r.stdout).not.toMatch(/::warning::D1 is not available/);
    expect(emulator.ledger(uuid)).toEqual(['0001_accounts.sql']);
  });

  test('local D1 (real wrangler/workerd), skip-unavailable: the same trap fails the step', async () => {
    const cwd = makeProject({ 'wrangler.toml': 'name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "local"\ndatabase_id = "00000000-0000-4000-8000-000000000001"\n', ...guarded('Authentication error [code: 10000]') });
    const state = join(cwd, '.state');
    const inputs = { 'working-directory': cwd, target: 'local', 'persist-to': state, wrangler: WRANGLER_486, comment: 'off', 'fail-mode': 'skip-unavailable' };
    const first = await runAction(inputs, { env: { PATH: PATH_SYSTEM } });
    expect([first.code, first.outputs.status]).toEqual([0, 'applied']);
    writeFileSync(join(cwd, 'migrations/0002_upgrade.sql'), UPGRADE['migrations/0002_upgrade.sql']);
    const r = await runAction(inputs, { env: { PATH: PATH_SYSTEM } });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.summary).toMatch(/sql-error/);
    expect(r.summary).toMatch(/Authentication error/);
  });
});

describe('skip-unavailable never skips what validate found', () => {
  const noCredentials = (cwd: string) => ({ 'working-directory': cwd, wrangler: WRANGLER_486, comment: 'off', 'fail-mode': 'skip-unavailable' });
  const env = { PATH: PATH_SYSTEM, CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:9' };

  test('no credentials and a clean set: skipped with a warning, exit 0', async () => {
    const { cwd } = remoteProject({ 'migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER);\n' });
    const r = await runAction(noCredentials(cwd), { env });
    expect([r.code, r.outputs.status]).toEqual([0, 'skipped']);
    expect(r.stdout).toMatch(/::warning::D1 is not available/);
  });

  test.each([
    ['a BEGIN TRANSACTION', 'BEGIN TRANSACTION;\nCREATE TABLE a (id INTEGER);\nCOMMIT;\n', 'transaction-statement'],
    ['a migration that does not replay', 'CREATE INDEX a_x ON nope(x);\n', 'replay-error'],
  ])('no credentials and %s: invalid, exit 1', async (_what, sql, rule) => {
    const { cwd } = remoteProject({ 'migrations/0001_a.sql': sql });
    const r = await runAction(noCredentials(cwd), { env });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('invalid');
    expect(r.annotations.some((a) => a.level === 'error' && a.props.title === rule)).toBe(true);
  });
});

test('a renamed applied migration blocks apply under strict and skip-unavailable before wrangler applies anything', async () => {
  const { cwd, uuid } = remoteProject({
    'migrations/0001_create_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n',
    'migrations/0002_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY);\n',
  });
  const first = await runAction(remoteInputs(cwd), { env: remoteEnv() });
  expect(first.code).toBe(0);
  renameSync(join(cwd, 'migrations/0001_create_users.sql'), join(cwd, 'migrations/0001_users.sql'));
  writeFileSync(join(cwd, 'migrations/0003_tags.sql'), 'CREATE TABLE tags (id INTEGER PRIMARY KEY);\n');
  for (const failMode of ['strict', 'skip-unavailable']) {
    const from = emulator.log.length;
    const r = await runAction(remoteInputs(cwd, { 'fail-mode': failMode }), { env: remoteEnv() });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('invalid');
    expect(r.annotations.find((a) => a.props.title === 'applied-file-missing')?.message).toMatch(/recorded 0001_create_users\.sql as applied/);
    // Only the preview read (which took the apply lock) and the lock's release reached the database: no
    // bookmark, no migrations apply.
    const requests = emulator.requests(from);
    expect(requests.map((q) => q.kind)).toEqual(['query', 'query']);
    expect(requests[1]!.sql).toMatch(/^DELETE FROM d1_migrate_state WHERE ledger = 'd1_migrations' AND kind = 'lock'/);
    expect(emulator.ledger(uuid)).toEqual(['0001_create_users.sql', '0002_posts.sql']);
    expect(emulator.tables(uuid)).not.toContain('tags');
  }
});

describe('wrangler exits 0 but the ledger does not hold what was pending', () => {
  const PATTERN_TOML =
    'name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "local"\ndatabase_id = "00000000-0000-4000-8000-000000000002"\n' +
    'migrations_dir = "migrations"\nmigrations_pattern = "migrations/*/migration.sql"\n';
  const files = { 'wrangler.toml': PATTERN_TOML, 'migrations/0001_init/migration.sql': 'CREATE TABLE a (id INTEGER);\n' };

  test('wrangler 4.86 ignores migrations_pattern and says "No migrations to apply!": failed, naming the migration', async () => {
    const cwd = makeProject(files);
    const inputs = { 'working-directory': cwd, target: 'local', 'persist-to': join(cwd, '.state'), wrangler: WRANGLER_486, comment: 'off' };
    const r = await runAction(inputs, { env: { PATH: PATH_SYSTEM } });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.summary).toMatch(/not-applied/);
    expect(r.summary).toMatch(/0001\\?_init\/migration\.sql/);
    expect(JSON.parse(r.outputs.applied!)).toEqual([]);
    // warn reports the same, truthfully, without failing the step.
    const warned = await runAction({ ...inputs, 'fail-mode': 'warn' }, { env: { PATH: PATH_SYSTEM } });
    expect([warned.code, warned.outputs.status]).toEqual([0, 'failed']);
  });

  test('the newest wrangler reads migrations_pattern and the same run is applied', async () => {
    const cwd = makeProject(files);
    const inputs = { 'working-directory': cwd, target: 'local', 'persist-to': join(cwd, '.state'), wrangler: WRANGLER_LATEST, comment: 'off' };
    const r = await runAction(inputs, { env: { PATH: PATH_SYSTEM } });
    expect([r.code, r.outputs.status]).toEqual([0, 'applied']);
    expect(JSON.parse(r.outputs.applied!)).toEqual(['0001_init/migration.sql']);
  });

  test('a wrangler that prints a success table without applying is caught by the ledger read back', async () => {
    const cwd = makeProject({
      'wrangler.toml': 'name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "local"\ndatabase_id = "00000000-0000-4000-8000-000000000003"\n',
      'migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER);\n',
    });
    // `d1 execute` goes to the real wrangler; `migrations apply` only prints what a success looks like.
    const fake = join(cwd, 'fake-wrangler.sh');
    writeFileSync(
      fake,
      `#!/bin/sh\nif [ "$2" = "migrations" ]; then\n  printf '%s\\n' '┌───────────────┬────────┐' '│ 0001_a.sql    │ ✅     │' '└───────────────┴────────┘'\n  exit 0\nfi\nexec ${WRANGLER_486} "$@"\n`,
    );
    chmodSync(fake, 0o755);
    const inputs = { 'working-directory': cwd, target: 'local', 'persist-to': join(cwd, '.state'), wrangler: fake, comment: 'off' };
    const r = await runAction(inputs, { env: { PATH: PATH_SYSTEM } });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.summary).toMatch(/wrangler exited 0, but the ledger does not record 0001\\?_a\.sql/);
    expect(JSON.parse(r.outputs.applied!)).toEqual([]);
    rmSync(cwd, { recursive: true, force: true });
  });
});
