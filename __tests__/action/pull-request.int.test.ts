/**
 * The bundled action on a pull_request event, against the GitHub API emulator (Octokit pointed at it with
 * GITHUB_API_URL) and the D1 API emulator, run twice as a rerun would: one comment per environment, edited
 * in place, and no secret anywhere a person or another step could read it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { D1Emulator } from '../support/d1-emulator.js';
import { GitHubEmulator } from '../support/github-emulator.js';
import { runAction, type ActionResult } from '../support/action-runner.js';
import { makeProject } from '../support/project.js';
import { PATH_SYSTEM, REPO_ROOT } from '../support/temp-project.js';
import { OWNER, PR, REPO, TOKEN, prEnv } from '../github/helpers.js';

const WRANGLER = `${process.execPath} ${join(REPO_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js')}`;
const WEBHOOK_SECRET_PATH = '/services/T000/B000/webhooksecretXYZ123recognisable';

let d1: D1Emulator;
let gh: GitHubEmulator;
let hook: http.Server;
let hookUrl = '';
const hookBodies: string[] = [];
beforeAll(async () => {
  d1 = await D1Emulator.start();
  gh = await new GitHubEmulator({ token: TOKEN }).start();
  hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hookBodies.push(body);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((ok) => hook.listen(0, '127.0.0.1', ok));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}${WEBHOOK_SECRET_PATH}`;
});
afterAll(async () => {
  await d1.close();
  await gh.stop();
  await new Promise<void>((ok) => hook.close(() => ok()));
});

function twoEnvProject(files: Record<string, string>): string {
  const staging = d1.createDatabase(`staging-${Math.random().toString(36).slice(2, 8)}`);
  const production = d1.createDatabase(`production-${Math.random().toString(36).slice(2, 8)}`);
  const toml =
    `name = "app"\n` +
    `[[env.staging.d1_databases]]\nbinding = "DB"\ndatabase_name = "stg"\ndatabase_id = "${staging}"\n` +
    `[[env.production.d1_databases]]\nbinding = "DB"\ndatabase_name = "prd"\ndatabase_id = "${production}"\n`;
  return makeProject({ 'wrangler.toml': toml, ...files });
}

const secrets = () => [TOKEN, d1.token, WEBHOOK_SECRET_PATH, 'webhooksecretXYZ123recognisable'];

function everythingReadable(r: ActionResult): string {
  let report = '';
  try {
    report = r.outputs.report ? readFileSync(r.outputs.report, 'utf8') : '';
  } catch {
    report = '';
  }
  // `::add-mask::` lines are consumed by the runner (they are how core.setSecret registers a mask), never shown.
  const stdout = r.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
  expect(r.stdout).toContain(`::add-mask::${TOKEN}`);
  return [stdout, r.stderr, JSON.stringify(r.outputs), r.summary, report, ...gh.comments.map((c) => c.body), ...hookBodies].join('\n');
}

test('two runs on the same PR leave exactly one comment per environment, edited in place, and leak no secret', async () => {
  const cwd = twoEnvProject({
    'migrations/0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n',
    'migrations/0002_email.sql': "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';\n",
  });
  gh.setPullRequestFiles(OWNER, REPO, PR, [{ filename: 'migrations/0002_email.sql', status: 'added' }]);
  const env = { ...prEnv(gh.url, { workspace: cwd }), PATH: PATH_SYSTEM, CLOUDFLARE_API_BASE_URL: d1.url };
  const inputs = {
    'working-directory': cwd,
    environment: 'staging,production',
    phases: 'validate,preview',
    'github-token': TOKEN,
    'cloudflare-api-token': d1.token,
    'cloudflare-account-id': d1.accountId,
    wrangler: WRANGLER,
  };
  const first = await runAction(inputs, { env });
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const comments = gh.commentsOn(PR);
  expect(comments).toHaveLength(2);
  expect(comments.map((c) => c.body.split('\n')[0]).sort()).toEqual([
    '<!-- d1-migrate-action:comment:production:DB -->',
    '<!-- d1-migrate-action:comment:staging:DB -->',
  ]);
  expect(first.outputs['comment-id']).toBe(String(comments.find((c) => c.body.includes(':staging:'))!.id));
  expect(first.outputs['comment-url']).toMatch(/^https?:\/\//);
  for (const c of comments) {
    expect(c.body).toContain('0002_email.sql');
    expect(c.body).toMatch(/users\.email|email TEXT NOT NULL/);
  }
  const ids = comments.map((c) => c.id).sort();

  const second = await runAction(inputs, { env });
  expect(second.code).toBe(0);
  expect(gh.commentsOn(PR).map((c) => c.id).sort()).toEqual(ids);
  expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(2);

  for (const r of [first, second]) {
    const text = everythingReadable(r);
    for (const s of secrets()) expect(text).not.toContain(s);
  }
});

test('a failing apply with a webhook posts one notification and still leaks no secret', async () => {
  const cwd = twoEnvProject({ 'migrations/0001_bad.sql': 'INSERT INTO nope VALUES (1);\n' });
  const before = hookBodies.length;
  const r = await runAction(
    {
      'working-directory': cwd,
      environment: 'staging',
      'disable-rules': 'replay-error',
      'github-token': TOKEN,
      'cloudflare-api-token': d1.token,
      'cloudflare-account-id': d1.accountId,
      'notify-webhook': hookUrl,
      wrangler: WRANGLER,
      comment: 'off',
    },
    { env: { PATH: PATH_SYSTEM, CLOUDFLARE_API_BASE_URL: d1.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '5' } },
  );
  expect(r.code).toBe(1);
  expect(r.outputs.status).toBe('failed');
  expect(hookBodies.length - before).toBe(1);
  const message = JSON.parse(hookBodies[hookBodies.length - 1]!) as Record<string, unknown>;
  expect(message).toMatchObject({ environment: 'staging', database: 'stg', migration: '0001_bad.sql' });
  expect(message.text).toMatch(/no such table: nope/);
  expect(message.run_url).toBe('https://github.com/acme/shop/actions/runs/5');
  const text = everythingReadable(r);
  for (const s of secrets()) expect(text).not.toContain(s);
});

test('a fork PR whose token cannot comment warns and still passes with a summary', async () => {
  const readOnly = await new GitHubEmulator({ token: TOKEN, readOnly: true }).start();
  try {
    const cwd = makeProject({ 'wrangler.toml': 'name = "a"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "a"\ndatabase_id = "x"\n', 'migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER);\n' });
    readOnly.setPullRequestFiles(OWNER, REPO, PR, [{ filename: 'migrations/0001_a.sql', status: 'added' }]);
    const r = await runAction({ 'working-directory': cwd, phases: 'validate', 'github-token': TOKEN }, { env: prEnv(readOnly.url, { fork: true, workspace: cwd }) });
    expect(r.code).toBe(0);
    expect(r.outputs.status).toBe('valid');
    expect(r.stdout).toMatch(/::warning::.*(fork|pull-requests: write|403)/);
    expect(r.summary).toMatch(/D1 migrations: valid/);
    expect(readOnly.comments).toHaveLength(0);
  } finally {
    await readOnly.stop();
  }
});
