/**
 * The CLI as npm users get it: `npm pack` of this repository (the committed dist/ bundle), installed offline into
 * an empty project, run with `npx d1-migrate` on Node 20 and on Node 24. The package must hold what the CLI
 * and the README need, nothing of the tests, bench or tools, and need no dependency at run time (ncc bundles them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIST_CLI, NODE24, REPO_ROOT } from '../support/action-runner.js';
import { TOML_DB } from '../support/project.js';

/** The package.json fields these tests check. */
interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  publishConfig?: Record<string, unknown>;
}
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as PackageJson;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-npm-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// npm's own settings for these runs: a private cache, no network, no noise.
const npmEnv = { ...process.env, npm_config_cache: path.join(tmp, 'cache'), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

let tarball = '';
let files: string[] = [];
let project = '';

beforeAll(() => {
  if (!fs.existsSync(DIST_CLI)) throw new Error('dist/cli/index.js is missing: run npm run build first');
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: REPO_ROOT, env: npmEnv, encoding: 'utf8' });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(tmp, info!.filename);
  files = info!.files.map((f) => f.path).sort();

  project = path.join(tmp, 'project');
  fs.mkdirSync(path.join(project, 'migrations'), { recursive: true });
  fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "my-worker", "private": true }\n');
  fs.writeFileSync(path.join(project, 'wrangler.toml'), TOML_DB);
  fs.writeFileSync(path.join(project, 'migrations', '0001_users.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n');
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, env: npmEnv, encoding: 'utf8' });
}, 120_000);

const npx = (args: string[], env: NodeJS.ProcessEnv = npmEnv) =>
  spawnSync('npx', ['--offline', 'd1-migrate', ...args], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });

describe('the npm package', () => {
  test('is publishable under the name d1-migrate with the bin d1-migrate and no run-time dependency', () => {
    expect(pkg.name).toBe('d1-migrate');
    expect(pkg.private).toBeUndefined();
    expect(pkg.bin).toEqual({ 'd1-migrate': 'dist/cli/index.js' });
    // ncc bundles everything into dist/cli: an install must not fetch anything.
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.publishConfig).toEqual({ access: 'public', provenance: true });
  });

  test('holds the CLI bundle, the SQLite WASM, the data check worker, the README, the licence and the docs, and nothing of tests, bench or tools', () => {
    for (const f of ['dist/cli/index.js', 'dist/cli/licenses.txt', 'dist/sqlite/node.mjs', 'dist/sqlite/sqlite3.wasm', 'dist/twin/index.js', 'README.md', 'LICENSE', 'package.json', 'schema/d1-migrate.schema.json', 'docs/rules.md']) {
      expect(files).toContain(f);
    }
    expect(files.filter((f) => /^(__tests__|bench|tools|scripts|src|examples\/demo)\//.test(f) || f === 'dist/index.js')).toEqual([]);
    expect(files.length).toBeLessThan(40);
  });

  test('every relative link in its markdown files leads to a file it holds', () => {
    const broken: string[] = [];
    const extracted = path.join(tmp, 'extracted');
    fs.mkdirSync(extracted, { recursive: true });
    execFileSync('tar', ['xzf', tarball, '-C', extracted]);
    for (const md of files.filter((f) => f.endsWith('.md'))) {
      const text = fs.readFileSync(path.join(extracted, 'package', md), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (target === '' || /^[a-z]+:/i.test(target)) continue;
        if (!fs.existsSync(path.join(extracted, 'package', path.dirname(md), target))) broken.push(`${md} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  test('npx d1-migrate --version prints the package version', () => {
    const r = npx(['--version']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
  });

  test('npx d1-migrate validate checks the project: valid, then invalid once a migration D1 rejects is added', () => {
    const ok = npx(['validate', '--format', 'json']);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ status: 'valid', errors: 0, databases: [{ migrations: ['0001_users.sql'] }] });

    fs.writeFileSync(path.join(project, 'migrations', '0002_tx.sql'), 'BEGIN TRANSACTION;\nCREATE TABLE jobs (id INTEGER);\nCOMMIT;\n');
    try {
      const bad = npx(['validate']);
      expect(bad.status).toBe(1);
      expect(bad.stdout).toMatch(/^migrations\/0002_tx\.sql:1(:\d+)?: error \[transaction-statement\]/m);
    } finally {
      fs.rmSync(path.join(project, 'migrations', '0002_tx.sql'));
    }
  });

  test('the installed CLI runs on Node 24 too (the newest wrangler needs it)', () => {
    const env = { ...npmEnv, PATH: `${path.dirname(NODE24)}${path.delimiter}${process.env.PATH}` };
    const bin = path.join(project, 'node_modules', '.bin', 'd1-migrate');
    const version = spawnSync(bin, ['--version'], { cwd: project, env, encoding: 'utf8' });
    expect(version.stdout).toBe(`${pkg.version}\n`);
    const r = spawnSync(bin, ['validate', '--format', 'json'], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'valid' });
    // The bin's `#!/usr/bin/env node` finds this node first.
    expect(execFileSync('node', ['--version'], { env, encoding: 'utf8' })).toMatch(/^v24\./);
  });

  test("the installed CLI finds the data check's worker (dist/twin) beside its bundle", () => {
    const bin = path.join(project, 'node_modules', '.bin', 'd1-migrate');
    const r = spawnSync(bin, ['validate', '--verbose'], { cwd: project, env: { ...npmEnv, D1_MIGRATE_TWIN: 'worker' }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/\(replayed on [^)]*, data check in a worker thread\)/);
  });
});
