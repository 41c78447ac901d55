/**
 * Judging what will run, not history — through the bundled action with real wrangler 4.86 and its local D1:
 * a project whose applied migrations are full of findings still applies a clean new migration (and is
 * blocked by a bad one); a project whose base schema was applied outside the migrations folder has its
 * pending migration checked against the live schema; and a pull-request check without credentials judges
 * only the files the pull request adds.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitHubEmulator } from '../support/github-emulator.js';
import { runAction } from '../support/action-runner.js';
import { makeProject } from '../support/project.js';
import type { JsonReport } from '../support/json-report.js';
import { PATH_SYSTEM, REPO_ROOT } from '../support/temp-project.js';
import { OWNER, PR, REPO, TOKEN, prEnv } from '../github/helpers.js';

const WRANGLER_JS = join(REPO_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const TOML = 'name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\ndatabase_id = "00000000-0000-4000-8000-0000000000aa"\n';

/** Real wrangler on the project's local D1, as a team would have run it long ago (not through the action). */
function wrangler(cwd: string, args: string[]): string {
  return execFileSync(process.execPath, [WRANGLER_JS, ...args, '--local', '--persist-to', join(cwd, '.state')], {
    cwd,
    env: { PATH: PATH_SYSTEM, HOME: process.env.HOME, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    encoding: 'utf8',
  });
}

const localInputs = (cwd: string, extra: Record<string, string> = {}) => ({
  'working-directory': cwd,
  target: 'local',
  'persist-to': join(cwd, '.state'),
  wrangler: `${process.execPath} ${WRANGLER_JS}`,
  comment: 'off',
  ...extra,
});
const env = { PATH: PATH_SYSTEM };

function ledger(cwd: string): string[] {
  const out = wrangler(cwd, ['d1', 'execute', 'DB', '--json', '--command', 'SELECT name FROM d1_migrations ORDER BY id']);
  return (JSON.parse(out.slice(out.indexOf('['))) as { results: { name: string }[] }[])[0]!.results.map((r) => r.name);
}

test('applied history full of findings: a clean new migration applies, a bad one is blocked', async () => {
  const cwd = makeProject({
    'wrangler.toml': TOML,
    'migrations/0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n',
    // Both are errors today — and both ran in production long ago, when users was empty.
    'migrations/0002_email.sql': 'BEGIN TRANSACTION;\nALTER TABLE users ADD COLUMN email TEXT NOT NULL;\nCOMMIT;\n',
  });
  wrangler(cwd, ['d1', 'migrations', 'apply', 'DB']);
  expect(ledger(cwd)).toEqual(['0001_users.sql', '0002_email.sql']);

  writeFileSync(join(cwd, 'migrations/0003_jobs.sql'), 'CREATE TABLE jobs (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n');
  const clean = await runAction(localInputs(cwd), { env });
  expect(clean.code).toBe(0);
  expect(clean.outputs.status).toBe('applied');
  expect(JSON.parse(clean.outputs.applied!)).toEqual(['0003_jobs.sql']);
  expect(clean.outputs.errors).toBe('0');
  expect(Number(clean.outputs.informational)).toBeGreaterThanOrEqual(2);
  // Informational findings are folded once in the summary, never annotated.
  expect(clean.summary).toMatch(/<details><summary>\d+ finding\(s\) in migrations the database already applied — informational, not blocking: transaction-statement ×2, fails-with-data ×1, unsafe-add-column ×1<\/summary>/);
  expect(clean.annotations.filter((a) => a.props.file?.startsWith('migrations/0002'))).toEqual([]);
  const report = JSON.parse(readFileSync(clean.outputs.report!, 'utf8')) as JsonReport;
  expect(report.informational).toBe(Number(clean.outputs.informational));
  expect(report.databases[0]!.findings.filter((f) => f.informational).map((f) => f.file)).toContain('migrations/0002_email.sql');
  expect(ledger(cwd)).toEqual(['0001_users.sql', '0002_email.sql', '0003_jobs.sql']);

  writeFileSync(join(cwd, 'migrations/0004_bad.sql'), 'BEGIN TRANSACTION;\nCREATE TABLE tags (id INTEGER);\nCOMMIT;\n');
  const bad = await runAction(localInputs(cwd), { env });
  expect(bad.code).toBe(1);
  expect(bad.outputs.status).toBe('invalid');
  expect(bad.outputs.errors).toBe('2'); // BEGIN TRANSACTION and COMMIT
  expect(bad.annotations.filter((a) => a.level === 'error').map((a) => a.props.file)).toEqual(['migrations/0004_bad.sql', 'migrations/0004_bad.sql']);
  expect(ledger(cwd)).toEqual(['0001_users.sql', '0002_email.sql', '0003_jobs.sql']);
});

test('a base schema applied outside the migrations folder: the pending migration is checked on the live schema', async () => {
  const cwd = makeProject({ 'wrangler.toml': TOML, 'migrations/0001_email.sql': 'ALTER TABLE users ADD COLUMN email TEXT;\n' });
  wrangler(cwd, ['d1', 'execute', 'DB', '--command', 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)']);
  wrangler(cwd, ['d1', 'migrations', 'apply', 'DB']);

  writeFileSync(join(cwd, 'migrations/0002_email_index.sql'), 'CREATE INDEX users_email ON users(email);\n');
  const clean = await runAction(localInputs(cwd), { env });
  expect(clean.code).toBe(0);
  expect(clean.outputs.status).toBe('applied');
  expect(JSON.parse(clean.outputs.applied!)).toEqual(['0002_email_index.sql']);
  // The history does not replay (no users table in the folder): informational, with a note.
  expect(clean.summary).toMatch(/replay-error ×1/);
  expect(clean.summary).toMatch(/replayed on the live schema of app-db/);

  writeFileSync(join(cwd, 'migrations/0003_bad_index.sql'), 'CREATE INDEX users_nope ON users(nope);\n');
  const bad = await runAction(localInputs(cwd), { env });
  expect(bad.code).toBe(1);
  expect(bad.outputs.status).toBe('invalid');
  const error = bad.annotations.find((a) => a.level === 'error');
  expect(error?.props).toMatchObject({ title: 'replay-error', file: 'migrations/0003_bad_index.sql' });
  expect(error?.message).toMatch(/no such column: nope/);
  expect(ledger(cwd)).toEqual(['0001_email.sql', '0002_email_index.sql']);
});

describe('a pull-request check without Cloudflare credentials judges the files the pull request adds', () => {
  let gh: GitHubEmulator;
  beforeAll(async () => {
    gh = await new GitHubEmulator({ token: TOKEN }).start();
  });
  afterAll(async () => {
    await gh.stop();
  });

  // The history starts from a table created by a script: 0001 does not replay, nor apply to a fresh database.
  const HISTORY = { 'wrangler.toml': TOML, 'migrations/0001_email.sql': 'ALTER TABLE users ADD COLUMN email TEXT;\n' };
  const prInputs = (cwd: string) => ({ 'working-directory': cwd, phases: 'validate,test', target: 'local', 'github-token': TOKEN, wrangler: `${process.execPath} ${WRANGLER_JS}` });

  test.each([
    ['a clean new file passes', 'CREATE TABLE jobs (id INTEGER PRIMARY KEY, title TEXT);\n', 0, 'valid'],
    ['a bad new file fails', 'CREATE TABLE jobs (id SERIAL PRIMARY KEY, title TEXT);\n', 1, 'invalid'],
  ])('%s', async (_what, sql, code, status) => {
    const cwd = makeProject({ ...HISTORY, 'migrations/0002_jobs.sql': sql });
    gh.setPullRequestFiles(OWNER, REPO, PR, [{ filename: 'migrations/0002_jobs.sql', status: 'added', patch: '@@ -0,0 +1 @@\n+x' }]);
    const r = await runAction(prInputs(cwd), { env: { ...env, ...prEnv(gh.url, { workspace: cwd }) }, cwd });
    expect(r.code).toBe(code);
    expect(r.outputs.status).toBe(status);
    // 0001's replay-error is about the repository: informational, never an annotation.
    expect(r.annotations.filter((a) => a.props.file === 'migrations/0001_email.sql')).toEqual([]);
    expect(r.summary).toMatch(/in migrations this pull request does not change — informational, not blocking: replay-error ×1<\/summary>/);
    expect(r.summary).toMatch(/The existing migrations do not replay on an empty database \(0001\\_email\.sql fails/);
    expect(r.summary).toMatch(/the new migrations were checked by the replay only/);
    const body = gh.commentsOn(PR).at(-1)!.body;
    expect(body).toMatch(/1 finding in migrations this pull request does not change — informational, not blocking: replay-error ×1/);
    if (code === 1) expect(r.annotations.find((a) => a.level === 'error')?.props).toMatchObject({ title: 'postgres-syntax', file: 'migrations/0002_jobs.sql' });
  });
});
