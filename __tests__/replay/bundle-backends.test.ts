/**
 * The bundle as users run it (dist/cli/index.js, built by `npm run build`) under Node 24, where it replays on
 * node:sqlite, against the same bundle pinned to the SQLite WASM build (D1_MIGRATE_SQLITE=wasm): validate's JSON
 * report must be identical for the demo, a generated history, fixture sets and every corpus set. This also
 * proves the bundle loads node:sqlite through its guarded dynamic import (and still starts on Node 20: the
 * action tests run it there). backends.test.ts compares the replay's full result in-process. The data check's
 * twin in a worker thread (D1_MIGRATE_TWIN=worker) must not change the report either.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST_CLI, NODE24 } from '../support/action-runner.js';
import { DATA_CHECK_CASES } from '../data-check/fixtures.js';

const CORPUS = resolve(process.cwd(), '../shared/corpus');
const CORPUS_DIRS: Record<string, string> = {
  cloudflare__wildebeest: 'migrations',
  'cloudflare__templates__saas-admin-template': 'migrations',
  beilunyang__moemail: 'drizzle',
  'redwoodjs__sdk__experiments-billable': 'migrations',
  'storacha__w3up__access-api': 'migrations',
  'zpg6__better-auth-cloudflare__examples-hono': 'drizzle',
};

const ready = existsSync(DIST_CLI) && existsSync(NODE24);
const root = mkdtempSync(join(tmpdir(), 'd1m-bundle-backends-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A project with `files`, or with a copy of the migrations in `from` (migrations are read only inside the working directory). */
function project(name: string, files: [string, string][], from?: string): string {
  const dir = join(root, name.replace(/[^A-Za-z0-9_-]/g, '_'));
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  writeFileSync(join(dir, 'wrangler.toml'), `name = "x"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "db"\ndatabase_id = "00000000-0000-4000-8000-000000000000"\nmigrations_dir = "migrations"\n`);
  if (from) cpSync(from, join(dir, 'migrations'), { recursive: true });
  for (const [n, sql] of files) writeFileSync(join(dir, 'migrations', n), sql);
  return dir;
}

/** stderr of a verbose validate (where the CLI logs). */
function lastStderr(env: NodeJS.ProcessEnv, dir: string): string {
  const r = spawnSync(NODE24, [DIST_CLI, 'validate', '--cwd', dir, '--verbose'], { env, encoding: 'utf8' });
  return r.stderr;
}

function validate(dir: string, sqlite: 'wasm' | undefined, twin: 'thread' | 'worker' = 'thread'): unknown {
  const env = { ...process.env, ...(sqlite && { D1_MIGRATE_SQLITE: sqlite }), D1_MIGRATE_TWIN: twin };
  if (!sqlite) delete env.D1_MIGRATE_SQLITE;
  let out: string;
  try {
    out = execFileSync(NODE24, [DIST_CLI, 'validate', '--cwd', dir, '--format', 'json'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '');
  }
  return JSON.parse(out);
}

(ready ? describe : describe.skip)('the bundle on Node 24: node:sqlite and the WASM build report the same', () => {
  test('demo, generated history, fixtures, corpus', async () => {
    const projects: Record<string, string> = { demo: resolve(process.cwd(), 'examples/demo') };
    const gen = (await import(pathToFileURL(resolve(process.cwd(), 'bench/generate.mjs')).href)) as { generateProject(o: { count: number; dir: string }): unknown };
    gen.generateProject({ count: 300, dir: join(root, 'generated') });
    projects['generated 300'] = join(root, 'generated');
    for (const c of DATA_CHECK_CASES.slice(0, 8)) projects[`data-check: ${c.id}`] = project(c.id, [...c.setup, c.migration]);
    // ADD COLUMN by hand on node:sqlite (alter.ts): integers beyond 2^53 (node:sqlite reads them only as
    // bigints), a parent whose rows children point at (the DROP under an authorizer), a real -0.0 (handed back).
    projects['edge: ADD COLUMN on node:sqlite'] = project('edge-add-column', [
      ['0001_big.sql', "CREATE TABLE big (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER);\nINSERT INTO big VALUES (9223372036854775807, -9223372036854775808), (9007199254740993, 1);\n"],
      ['0002_add.sql', 'ALTER TABLE big ADD COLUMN w TEXT;\n'],
      ['0003_family.sql', "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\nCREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE);\nINSERT INTO parent VALUES (1, 'a'), (2, 'b');\nINSERT INTO child VALUES (1, 1), (2, 2);\n"],
      ['0004_add.sql', "ALTER TABLE parent ADD COLUMN note TEXT NOT NULL DEFAULT '';\nDELETE FROM parent WHERE id = 2;\n"],
      ['0005_zero.sql', 'CREATE TABLE z (v);\nINSERT INTO z VALUES (-0.0), (0.5);\nALTER TABLE z ADD COLUMN w INTEGER;\n'],
    ]);
    if (existsSync(CORPUS)) {
      for (const set of readdirSync(CORPUS).filter((s) => CORPUS_DIRS[s])) projects[`corpus: ${set}`] = project(set, [], join(CORPUS, set, CORPUS_DIRS[set]!));
    }
    for (const [name, dir] of Object.entries(projects)) {
      const reference = validate(dir, 'wasm');
      expect({ name, report: validate(dir, undefined) }).toEqual({ name, report: reference });
      // The data check's twin in a worker thread (dist/twin/index.js), next to node:sqlite's replay.
      expect({ name, twin: 'worker', report: validate(dir, undefined, 'worker') }).toEqual({ name, twin: 'worker', report: reference });
    }
  });

  // validate starts the worker before the replay; with the data check's rules off no replay adopts it, and the
  // process must still end at once (a worker left waiting would hold it open).
  test.each([
    ['adopted', [] as string[], /\(replayed on node:sqlite [\d.]+, data check in a worker thread\)/],
    ['started early, then not needed (data-check rules off)', ['--disable-rules', 'rows-lost,fails-with-data'], /\(replayed on node:sqlite [\d.]+\)$/m],
  ])('the worker started early: %s', (_name, extra, log) => {
    const dir = resolve(process.cwd(), 'examples/demo');
    const r = spawnSync(NODE24, [DIST_CLI, 'validate', '--cwd', dir, '--verbose', ...extra], { env: { ...process.env, D1_MIGRATE_TWIN: 'worker' }, encoding: 'utf8', timeout: 60_000 });
    expect({ status: r.status, signal: r.signal }).toEqual({ status: 0, signal: null });
    expect(r.stderr).toMatch(log);
  });

  test('which build replayed is in the log (--verbose): node:sqlite on Node 24 unless pinned', () => {
    const dir = resolve(process.cwd(), 'examples/demo');
    const log = (env: NodeJS.ProcessEnv) => lastStderr(env, dir);
    expect(log({ ...process.env, D1_MIGRATE_SQLITE: '' })).toMatch(/validate: 3 migrations, .*\(replayed on node:sqlite 3\.\d+\.\d+\)/);
    expect(log({ ...process.env, D1_MIGRATE_SQLITE: 'wasm' })).toMatch(/\(replayed on SQLite WASM 3\.\d+\.\d+\)/);
  });
});

if (!ready) test.skip(`needs ${DIST_CLI} (npm run build) and Node 24 at ${NODE24}`, () => undefined);
