import { wranglerChildEnv } from '../../src/wrangler/child-env.js';
import { runWrangler } from '../../src/wrangler/run.js';
import type { WranglerCommand } from '../../src/wrangler/locate.js';

/** What a job's environment can hold: the runner's, the workflow's `env:`, the action's inputs. */
const JOB_ENV: NodeJS.ProcessEnv = {
  PATH: '/usr/bin',
  HOME: '/home/runner',
  TMPDIR: '/tmp',
  LANG: 'C.UTF-8',
  LC_ALL: 'C.UTF-8',
  TZ: 'UTC',
  XDG_CONFIG_HOME: '/home/runner/.config',
  HTTPS_PROXY: 'http://proxy:3128',
  https_proxy: 'http://proxy:3128',
  no_proxy: 'localhost',
  NODE_OPTIONS: '--max-old-space-size=4096',
  NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
  CI: 'true',
  CLOUDFLARE_API_TOKEN: 'cf-token-123456',
  CLOUDFLARE_ACCOUNT_ID: 'acc-1',
  CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:9/client/v4',
  CLOUDFLARE_ENV: 'staging',
  CF_API_KEY: 'legacy-key-123456',
  WRANGLER_LOG: 'debug',
  GITHUB_TOKEN: 'ghs_jobtoken123456',
  'INPUT_GITHUB-TOKEN': 'ghs_jobtoken123456',
  'INPUT_NOTIFY-WEBHOOK': 'https://hooks.slack.example/T000/B000/secret',
  'INPUT_CLOUDFLARE-API-TOKEN': 'cf-token-123456',
  ACTIONS_RUNTIME_TOKEN: 'runtime-token-123456',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-123456',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example',
  GITHUB_OUTPUT: '/tmp/out',
  GITHUB_STEP_SUMMARY: '/tmp/summary',
  DEPLOY_SECRET: 'workflow-secret-123456',
  NPM_TOKEN: 'npm-secret-123456',
  npm_config_registry: 'https://registry.npmjs.org/',
  npm_config_cache: '/home/runner/.npm',
  'npm_config__authToken': 'npm-auth-123456',
};

const SECRET_NAMES = [
  'GITHUB_TOKEN',
  'INPUT_GITHUB-TOKEN',
  'INPUT_NOTIFY-WEBHOOK',
  'INPUT_CLOUDFLARE-API-TOKEN',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'GITHUB_OUTPUT',
  'GITHUB_STEP_SUMMARY',
  'DEPLOY_SECRET',
  'NPM_TOKEN',
  'npm_config__authToken',
  'CLOUDFLARE_ENV',
];

describe('wranglerChildEnv (an allow-list)', () => {
  test('a remote command gets the Cloudflare token and what wrangler needs, and none of the job secrets', () => {
    const env = wranglerChildEnv(JOB_ENV, { remote: true, npx: false });
    for (const name of SECRET_NAMES) expect(env).not.toHaveProperty([name]);
    expect(Object.values(env)).not.toContain('ghs_jobtoken123456');
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      LC_ALL: 'C.UTF-8',
      XDG_CONFIG_HOME: '/home/runner/.config',
      https_proxy: 'http://proxy:3128',
      HTTPS_PROXY: 'http://proxy:3128',
      no_proxy: 'localhost',
      NODE_OPTIONS: '--max-old-space-size=4096',
      NODE_EXTRA_CA_CERTS: '/etc/ca.pem',
      CLOUDFLARE_API_TOKEN: 'cf-token-123456',
      CLOUDFLARE_ACCOUNT_ID: 'acc-1',
      CF_API_KEY: 'legacy-key-123456',
      CLOUDFLARE_API_BASE_URL: 'http://127.0.0.1:9/client/v4',
      WRANGLER_LOG: 'debug',
      CI: 'true',
      WRANGLER_SEND_METRICS: 'false',
      NO_COLOR: '1',
    });
    expect(env).not.toHaveProperty(['npm_config_registry']);
  });

  test('a local command gets no Cloudflare credentials at all', () => {
    const env = wranglerChildEnv(JOB_ENV, { remote: false, npx: false });
    for (const name of ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CF_API_KEY', ...SECRET_NAMES]) expect(env).not.toHaveProperty([name]);
    expect(env.CLOUDFLARE_API_BASE_URL).toBe('http://127.0.0.1:9/client/v4');
  });

  test("npx gets npm's settings but not its auth token", () => {
    const env = wranglerChildEnv(JOB_ENV, { remote: true, npx: true });
    expect(env.npm_config_registry).toBe('https://registry.npmjs.org/');
    expect(env.npm_config_cache).toBe('/home/runner/.npm');
    expect(env).not.toHaveProperty(['npm_config__authToken']);
    expect(env).not.toHaveProperty(['NPM_TOKEN']);
  });

  test('names are matched case-insensitively (Windows spells them Path, SystemRoot, ComSpec)', () => {
    const env = wranglerChildEnv({ Path: 'C:\\bin', SystemRoot: 'C:\\Windows', ComSpec: 'cmd.exe', PATHEXT: '.EXE', Github_Token: 'x-secret' }, { remote: true, npx: false });
    expect(env).toMatchObject({ Path: 'C:\\bin', SystemRoot: 'C:\\Windows', ComSpec: 'cmd.exe', PATHEXT: '.EXE' });
    expect(env).not.toHaveProperty(['Github_Token']);
  });
});

describe('runWrangler passes only the allow-list to the process it starts', () => {
  // A fake wrangler that prints the environment it was given.
  const dump: WranglerCommand = { command: process.execPath, prefixArgs: ['-e', 'process.stdout.write(JSON.stringify(process.env))', '--'], source: 'option', display: 'node' };
  const run = (args: string[]) =>
    runWrangler(dump, args, { cwd: process.cwd(), env: { ...JOB_ENV, PATH: process.env.PATH }, timeoutMs: 30_000, secrets: [] }).then((r) => JSON.parse(r.stdout) as Record<string, string>);

  test('remote: the token and the base URL, no job secret', async () => {
    const env = await run(['d1', 'migrations', 'apply', 'DB', '--remote']);
    expect(env.CLOUDFLARE_API_TOKEN).toBe('cf-token-123456');
    for (const name of SECRET_NAMES) expect(env).not.toHaveProperty([name]);
  });

  test('--local: no Cloudflare token either', async () => {
    const env = await run(['d1', 'migrations', 'apply', 'DB', '--local']);
    expect(env).not.toHaveProperty(['CLOUDFLARE_API_TOKEN']);
    expect(env).not.toHaveProperty(['CF_API_KEY']);
    for (const name of SECRET_NAMES) expect(env).not.toHaveProperty([name]);
    expect(env.HOME).toBe('/home/runner');
  });
});
