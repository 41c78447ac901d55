/**
 * Issue 13 points 5-7 and 11-12 at the bundle level, written as an attacker writes them: dist/index.js and
 * dist/cli/index.js run as the runner runs them, real wrangler 4.86 (local D1 and against the D1 API
 * emulator), the GitHub emulator. Every run's stdout AND stderr are read by a model of the runner's command
 * parser (__tests__/support/runner-commands.ts, stop-commands included): no command may appear that the
 * action did not emit itself.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { D1Emulator } from '../support/d1-emulator.js';
import { GitHubEmulator } from '../support/github-emulator.js';
import { DIST_ACTION, runAction, runCli, type ActionResult } from '../support/action-runner.js';
import { makeProject } from '../support/project.js';
import type { JsonDoc } from '../support/json-report.js';
import { PATH_SYSTEM, REPO_ROOT } from '../support/temp-project.js';
import { foreignCommands, runnerCommands } from '../support/runner-commands.js';
import { OWNER, PR, REPO, prEnv } from '../github/helpers.js';

const WRANGLER = `${process.execPath} ${join(REPO_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js')}`;
const MARK = 'PWN';

/** Every way of writing a command, each with the marker where only an injected command would have it. */
const PAYLOADS = [
  `::warning title=${MARK}-1::x`,
  `::error file=${MARK}-2.sql::x`,
  `::add-mask::${MARK}-3`,
  `  ::stop-commands::${MARK}-4`,
  `::${MARK}-4::`,
  `\u3000::set-env name=${MARK}-5::x`,
  `::set-output name=${MARK}-6::x`,
  `x ##[set-output name=${MARK}-7]y`,
  `##[add-path]${MARK}-8`,
  `::group::${MARK}-9`,
  `::echo::on`,
  `::notice::${MARK}-10`,
  `::debug::${MARK}-11`,
];

/** File names: newlines and carriage returns are legal in git and on Linux. */
const HOSTILE_FILES: Record<string, string> = {
  [`migrations/0002_a\n${PAYLOADS[0]}.sql`]: 'CREATE TABLE a2 (id INTEGER);\n',
  [`migrations/0003_b\r${PAYLOADS[2]}.sql`]: 'CREATE TABLE a3 (id INTEGER);\n',
  [`migrations/0004_c\n${PAYLOADS[3]}\n${PAYLOADS[4]}\n${PAYLOADS[5]}.sql`]: 'CREATE TABLE a4 (id INTEGER);\n',
  [`migrations/0005_d ${PAYLOADS[7]}.sql`]: 'CREATE TABLE a5 (id INTEGER);\n',
  [`migrations/0006_e\n${PAYLOADS[8]}\n${PAYLOADS[9]}.sql`]: 'CREATE TABLE a6 (id INTEGER);\n',
};

/** SQL whose text, and whose error (a RAISE message holds newlines), carries every payload. */
const RAISE_SQL =
  `-- ${PAYLOADS.join('\n-- ')}\n` +
  'CREATE TABLE guard (id INTEGER);\n' +
  `CREATE TRIGGER guard_t BEFORE INSERT ON guard BEGIN SELECT RAISE(ABORT, 'boom\n${PAYLOADS.join('\n')}'); END;\n` +
  'INSERT INTO guard VALUES (1);\n';

const SECRETS = {
  GITHUB_TOKEN: 'ghs_jobTOKENnotForWrangler123456',
  ACTIONS_RUNTIME_TOKEN: 'runtimeTOKENnotForWrangler123456',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidcTOKENnotForWrangler123456',
  DEPLOY_SECRET: 'workflowSECRETnotForWrangler123456',
};
const WEBHOOK = 'http://127.0.0.1:9/services/T0/B0/webhookSECRETnotForWrangler';

function expectInert(r: { stdout: string; stderr: string }, secrets: string[] = []): void {
  const bad = foreignCommands(r, { marker: MARK, secrets });
  expect(bad.map((c) => c.line)).toEqual([]);
}

/** A preload that records the environment of every wrangler (node) process, through NODE_OPTIONS. */
function envRecorder(): { env: NodeJS.ProcessEnv; dumps: () => Record<string, string>[] } {
  const dir = mkdtempSync(join(tmpdir(), 'd1m-envdump-'));
  const out = join(dir, 'env.jsonl');
  const preload = join(dir, 'dump.cjs');
  writeFileSync(
    preload,
    `if (process.argv.some((a) => a.includes('wrangler'))) require('node:fs').appendFileSync(${JSON.stringify(out)}, JSON.stringify(process.env) + '\\n');\n`,
  );
  return {
    env: { NODE_OPTIONS: `--require ${preload}` },
    dumps: () => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>) : []),
  };
}

function expectNoJobSecrets(dumps: Record<string, string>[]): void {
  expect(dumps.length).toBeGreaterThan(0);
  for (const env of dumps) {
    const text = JSON.stringify(env);
    for (const s of [...Object.values(SECRETS), WEBHOOK]) expect(text).not.toContain(s);
    expect(Object.keys(env).filter((k) => /^(INPUT_|ACTIONS_|GITHUB_)/.test(k))).toEqual([]);
    expect(env).not.toHaveProperty(['CLOUDFLARE_ENV']);
  }
}

describe('pull-request text reaches the log inert', () => {
  test('the runner model finds the payloads when they are printed raw (the attack is real)', () => {
    const raw = Object.keys(HOSTILE_FILES).join('\n') + '\n' + RAISE_SQL;
    expect(foreignCommands({ stdout: raw, stderr: '' }, { marker: MARK }).length).toBeGreaterThanOrEqual(10);
  });

  test('validate: hostile file names, SQL, RAISE messages and config names (action, then CLI in every format)', async () => {
    const toml =
      'name = "app"\n' +
      `[[env.prod.d1_databases]]\nbinding = "DB"\ndatabase_name = "db\\n${PAYLOADS[1]}\\n##[add-mask]${MARK}-12"\ndatabase_id = "11111111-1111-4111-8111-111111111111"\n` +
      `[env."stage\\n::warning title=${MARK}-13::x"]\n[[env."stage\\n::warning title=${MARK}-13::x".d1_databases]]\nbinding = "DB"\ndatabase_name = "d"\ndatabase_id = "11111111-1111-4111-8111-111111111111"\n`;
    const cwd = makeProject({ 'wrangler.toml': toml, 'migrations/0001_raise.sql': RAISE_SQL, ...HOSTILE_FILES });
    const r = await runAction({ 'working-directory': cwd, environment: 'prod', phases: 'validate', comment: 'off' }, { env: { PATH: PATH_SYSTEM } });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('invalid');
    expect(r.annotations.some((a) => a.props.title === 'replay-error' && a.message.includes(`::warning title=${MARK}-1::x`))).toBe(true);
    expectInert(r);

    // An unknown environment: the error lists the names the config declares, hostile one included.
    const missing = await runAction({ 'working-directory': cwd, environment: 'nope', phases: 'validate', comment: 'off' }, { env: { PATH: PATH_SYSTEM } });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(`${MARK}-13`);
    expectInert(missing);

    for (const format of ['text', 'json', 'github']) {
      const cli = await runCli(['validate', '--cwd', cwd, '--env', 'prod', '--format', format, '--verbose']);
      expect(cli.code).toBe(1);
      expect(cli.stdout + cli.stderr).toContain(`${MARK}-1`);
      expectInert(cli);
      if (format === 'json') expect((JSON.parse(cli.stdout) as JsonDoc).databases[0]!.databaseName).toBe(`db\n${PAYLOADS[1]}\n##[add-mask]${MARK}-12`);
    }
    const missingCli = await runCli(['validate', '--cwd', cwd, '--env', 'nope']);
    expect(missingCli.code).toBe(2);
    expectInert(missingCli);
  });

  test('local apply with real wrangler: its RAISE error output is inert, and it gets no secret (not even a Cloudflare token)', async () => {
    const cwd = makeProject({
      'wrangler.toml': 'name = "app"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "local-db"\ndatabase_id = "11111111-1111-4111-8111-111111111111"\n',
      'migrations/0001_raise.sql': RAISE_SQL,
      ...HOSTILE_FILES,
    });
    const rec = envRecorder();
    const r = await runAction(
      {
        'working-directory': cwd,
        target: 'local',
        phases: 'validate,apply',
        'fail-mode': 'warn',
        wrangler: WRANGLER,
        comment: 'off',
        'github-token': SECRETS.GITHUB_TOKEN,
        'notify-webhook': WEBHOOK,
        'cloudflare-api-token': 'cfTOKENnotForLocalWrangler123456',
      },
      { env: { PATH: PATH_SYSTEM, ...SECRETS, CLOUDFLARE_ENV: 'staging', ...rec.env } },
    );
    // wrangler really ran the file and failed on the RAISE, whose message it printed.
    expect(r.stdout).toContain(`${MARK}-3`);
    expect(r.outputs.status).toBe('failed');
    expectInert(r, [SECRETS.GITHUB_TOKEN, WEBHOOK, 'cfTOKENnotForLocalWrangler123456']);
    const dumps = rec.dumps();
    expectNoJobSecrets(dumps);
    for (const env of dumps) {
      expect(env).not.toHaveProperty(['CLOUDFLARE_API_TOKEN']);
      expect(JSON.stringify(env)).not.toContain('cfTOKENnotForLocalWrangler123456');
      expect(env.HOME).toBe(process.env.HOME);
    }
  });
});

describe('remote, against the D1 API emulator with real wrangler', () => {
  let d1: D1Emulator;
  beforeAll(async () => {
    d1 = await D1Emulator.start();
  });
  afterAll(async () => {
    await d1.close();
  });

  test('a RAISE during remote apply is inert in the log; wrangler gets the Cloudflare token and nothing else secret', async () => {
    const name = `db-${Math.random().toString(36).slice(2, 10)}`;
    const uuid = d1.createDatabase(name);
    const cwd = makeProject({
      'wrangler.toml': `name = "app"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${name}"\ndatabase_id = "${uuid}"\n`,
      'migrations/0001_raise.sql': RAISE_SQL,
    });
    const rec = envRecorder();
    const r = await runAction(
      {
        'working-directory': cwd,
        'fail-mode': 'warn',
        'cloudflare-api-token': d1.token,
        'cloudflare-account-id': d1.accountId,
        'github-token': SECRETS.GITHUB_TOKEN,
        'notify-webhook': WEBHOOK,
        wrangler: WRANGLER,
        comment: 'off',
      },
      { env: { PATH: PATH_SYSTEM, CLOUDFLARE_API_BASE_URL: d1.url, ...SECRETS, ...rec.env } },
    );
    expect(r.outputs.status).toBe('failed');
    expect(r.stdout).toContain('boom');
    expectInert(r, [d1.token, SECRETS.GITHUB_TOKEN, WEBHOOK]);
    const dumps = rec.dumps();
    expectNoJobSecrets(dumps);
    for (const env of dumps) {
      expect(env.CLOUDFLARE_API_TOKEN).toBe(d1.token);
      expect(env.CLOUDFLARE_API_BASE_URL).toBe(d1.url);
    }
  });
});

describe('the sticky comment is only ever our own', () => {
  let gh: GitHubEmulator;
  beforeAll(async () => {
    gh = await new GitHubEmulator().start();
  });
  afterAll(async () => {
    await gh.stop();
  });

  test('a forged "✅ valid" comment with the marker, posted by someone else, is never edited', async () => {
    const cwd = makeProject({
      'wrangler.toml': 'name = "a"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "a"\ndatabase_id = "x"\n',
      'migrations/0001_a.sql': 'DROP TABLE nope;\n',
    });
    const forgedBody = '<!-- d1-migrate-action:comment:top:DB -->\n### ✅ D1 migrations: `DB` (a)\n\n**valid**: trust me.';
    const forged = gh.addComment(OWNER, REPO, PR, forgedBody, 'mallory');
    gh.setPullRequestFiles(OWNER, REPO, PR, [{ filename: 'migrations/0001_a.sql', status: 'added' }]);
    const env = { ...prEnv(gh.url, { workspace: cwd }), PATH: PATH_SYSTEM };
    const first = await runAction({ 'working-directory': cwd, phases: 'validate', 'github-token': 'ghs_job_token_forged_test' }, { env });
    expect(first.code).toBe(1);
    const second = await runAction({ 'working-directory': cwd, phases: 'validate', 'github-token': 'ghs_job_token_forged_test' }, { env });
    expect(second.code).toBe(1);
    expect(gh.comments.find((c) => c.id === forged.id)!.body).toBe(forgedBody);
    const ours = gh.commentsOn(PR).filter((c) => c.id !== forged.id);
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatchObject({ user: { login: 'github-actions[bot]' } });
    expect(ours[0]!.body).toMatch(/❌/);
    expect(first.outputs['comment-id']).toBe(String(ours[0]!.id));
    expect(second.outputs['comment-id']).toBe(String(ours[0]!.id));
    expect(gh.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([`/repos/${OWNER}/${REPO}/issues/comments/${ours[0]!.id}`]);
  });
});

describe('limits', () => {
  test('SIGTERM during a long validate ends the run failed, before validate finishes', async () => {
    const files: Record<string, string> = {
      'wrangler.toml': 'name = "a"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "a"\ndatabase_id = "x"\n',
    };
    for (let i = 1; i <= 1500; i++) {
      const n = String(i).padStart(4, '0');
      files[`migrations/${n}_t.sql`] = `CREATE TABLE t${i} (id INTEGER PRIMARY KEY, a TEXT, b INTEGER);\nINSERT INTO t${i} (a, b) VALUES ('x', 1);\nCREATE INDEX t${i}_a ON t${i}(a);\n`;
    }
    const cwd = makeProject(files);
    const tmp = mkdtempSync(join(tmpdir(), 'd1m-sigterm-'));
    const outputFile = join(tmp, 'output.txt');
    writeFileSync(outputFile, '');
    appendFileSync(join(tmp, 'summary.md'), '');
    const child = spawn(process.execPath, [DIST_ACTION], {
      cwd,
      env: { PATH: PATH_SYSTEM, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: join(tmp, 'summary.md'), INPUT_PHASES: 'validate', 'INPUT_WORKING-DIRECTORY': cwd, INPUT_COMMENT: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      // The database's group opens right before validate starts its files.
      if (!signalled && stdout.includes('::group::d1-migrate:')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    const code = await new Promise<number | null>((ok) => child.on('close', (c) => ok(c)));
    expect(signalled).toBe(true);
    expect(code).toBe(1);
    const outputs = readFileSync(outputFile, 'utf8');
    expect(outputs).toMatch(/^status<<.*\nfailed\n/m);
    expect(stdout).toMatch(/::error::validate was cancelled/);
    // It stopped inside validate: the per-database line validate logs at its end never came.
    expect(stdout).not.toMatch(/validate: 1500 migrations/);
    expectInert({ stdout, stderr });
  });

  test('a config nested 100,000 deep fails with file:line:col, not a stack overflow', async () => {
    const cwd = makeProject({ 'wrangler.json': `{"name": "a", "vars": {"A": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}`, 'migrations/0001_a.sql': 'SELECT 1;\n' });
    const r: ActionResult = await runAction({ 'working-directory': cwd, phases: 'validate', comment: 'off' }, { env: { PATH: PATH_SYSTEM } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::config: .*wrangler\.json:1:\d+: invalid JSON: nesting deeper than 100 levels/);
    expect(r.stdout + r.stderr).not.toMatch(/call stack/);
    expect(runnerCommands(r.stdout).filter((c) => c.name === 'error')).toHaveLength(1);
  });
});
