/**
 * The replay must report the same on every SQLite build and whichever way it applies ADD COLUMN: every
 * fixture set of the repository and every corpus set (../shared/corpus, when present) is replayed, with the
 * data check, on the WASM build with SQLite's own ADD COLUMN (the reference: how the replay always worked),
 * on the WASM build with alter.ts, and on node:sqlite where the running Node has it (Node 24: run this file
 * with tools/compat's node, as `npm test` does for the Node 24 suite). Findings, notes, schema, the files
 * replayed and the rebuilds proven harmless must be identical — everything validate's JSON report takes from
 * the replay. The same comparison runs on the bundle's JSON report in bundle-backends.test.ts. The data
 * check's twin runs in the replay's thread for all of these, and once more in a worker thread (the worker
 * bundle, dist/twin/index.js, data/parallel.ts), which must not change a thing either.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { discoverMigrations } from '../../src/migrations/discover.js';
import { nodeBackend } from '../../src/replay/db/node.js';
import { replayMigrations, type ReplayInput, type ReplayResult } from '../../src/replay/replay.js';
import type { MigrationFile } from '../../src/types.js';
import { BOUNDARY_CASES } from '../data-check/boundary-fixtures.js';
import { DATA_CHECK_CASES } from '../data-check/fixtures.js';
import { targetFor } from '../migrations/fixtures.js';
import { mfile, mfiles } from './files.js';

const CORPUS = resolve(process.cwd(), '../shared/corpus');
const TWIN_WORKER = resolve(process.cwd(), 'dist/twin/index.js');
/** Each corpus set's migrations folder (see ../shared/corpus/README.md). */
const CORPUS_DIRS: Record<string, string> = {
  cloudflare__wildebeest: 'migrations',
  'cloudflare__templates__d1-template': 'migrations',
  'cloudflare__templates__saas-admin-template': 'migrations',
  beilunyang__moemail: 'drizzle',
  'redwoodjs__sdk__experiments-billable': 'migrations',
  'storacha__w3up__access-api': 'migrations',
  'zpg6__better-auth-cloudflare__examples-hono': 'drizzle',
  'funvill__cultural-archiver__workers-ab6b4f0': 'migrations',
};

/** Sets the node:sqlite path must run on its own (without moving to the WASM build). */
const NATIVE_THROUGHOUT = new Set(['generated 400 (bench/generate.mjs)', 'demo', 'dqs: literal in DML']);

async function sets(): Promise<Record<string, MigrationFile[]>> {
  const out: Record<string, MigrationFile[]> = {};
  for (const c of [...DATA_CHECK_CASES, ...BOUNDARY_CASES]) out[`data-check: ${c.id}`] = mfiles(...c.setup, c.migration);
  const demo = resolve(process.cwd(), 'examples/demo');
  out.demo = discoverMigrations(targetFor(demo), demo).files;
  const gen = (await import(pathToFileURL(resolve(process.cwd(), 'bench/generate.mjs')).href)) as { buildMigrations(n: number, seed?: number): { name: string; sql: string }[] };
  out['generated 400 (bench/generate.mjs)'] = gen.buildMigrations(400, 42).map((f) => mfile(f.name, f.sql));
  Object.assign(out, edgeSets());
  if (existsSync(CORPUS)) {
    for (const set of readdirSync(CORPUS).filter((s) => CORPUS_DIRS[s])) {
      const root = join(CORPUS, set);
      out[`corpus: ${set}`] = discoverMigrations(targetFor(root, CORPUS_DIRS[set]), root).files;
    }
  }
  return out;
}

/** What node:sqlite does differently (and hands to the WASM build), each in a set of its own. */
function edgeSets(): Record<string, MigrationFile[]> {
  const base = ['0001_init.sql', `CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, role TEXT);\nINSERT INTO users (name) VALUES ('a'), ('b');\n`] as [string, string];
  return {
    'dqs: literal in DML': mfiles(base, ['0002_fix.sql', `UPDATE users SET role = "admin" WHERE name = 'a';\nINSERT INTO users (name, role) VALUES ("c", "user");\n`]),
    'dqs: literal in DDL': mfiles(base, ['0002_view.sql', `CREATE VIEW admins AS SELECT * FROM users WHERE role = "admin";\nCREATE TABLE t (x TEXT DEFAULT 'a' CHECK (x <> "b"));\n`]),
    'dqs: a literal that is also a column elsewhere': mfiles(base, ['0002_copy.sql', `CREATE TABLE u2 (id INTEGER PRIMARY KEY, name TEXT, role TEXT);\nINSERT INTO u2 (id, name, role) SELECT id, "name", "role2" FROM users UNION ALL SELECT 9, 'x', "name";\n`]),
    'a failing file in the middle': mfiles(base, ['0002_bad.sql', `ALTER TABLE nope ADD COLUMN x TEXT;\n`], ['0003_more.sql', `CREATE TABLE z (id INTEGER PRIMARY KEY);\nSELEC 1;\n`]),
    'a syntax error and a missing semicolon': mfiles(base, ['0002_syntax.sql', `CREATE TABLE a (id INTEGER PRIMARY KEY)\n`]),
    'BEGIN TRANSACTION kept twice': mfiles(base, ['0002_tx.sql', `BEGIN TRANSACTION;\nCREATE TABLE b (x);\nCOMMIT;\n-- BEGIN TRANSACTION again\n`]),
    'a trigger with CASE … END; inside': mfiles(base, [
      '0002_trigger.sql',
      `CREATE TABLE audit (msg TEXT);\nCREATE TRIGGER t AFTER UPDATE ON users BEGIN\n  INSERT INTO audit VALUES (CASE WHEN new.role IS NULL THEN 'none' ELSE new.role END);\nEND;\nUPDATE users SET role = 'r';\n`,
    ]),
    'deferred keys at the end of a file': mfiles(
      ['0001_init.sql', `CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO p VALUES (1);\nINSERT INTO c VALUES (1, 1);\n`],
      ['0002_orphan.sql', `DELETE FROM p;\n`],
    ),
    'a NUL byte in a file': mfiles(base, ['0002_nul.sql', `CREATE TABLE n (x);\u0000 CREATE TABLE m (y);\n`], ['0003_after.sql', `CREATE TABLE o (z);\n`]),
    // The twin fails a file the replay applies: it is copied from the replay again before the next file (in a
    // worker thread, it waits for the replay to get there and send its database).
    'fails with data, then a file the twin follows, then one it checks': mfiles(
      ['0001_init.sql', `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n`],
      ['0002_required.sql', `ALTER TABLE t ADD COLUMN b TEXT NOT NULL;\n`],
      ['0003_child.sql', `CREATE TABLE u (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id) ON DELETE CASCADE);\n`],
      ['0004_prune.sql', `DELETE FROM t WHERE id > 100;\n`],
    ),
    'fails with data, then a file it checks': mfiles(
      ['0001_init.sql', `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\nCREATE TABLE c (id INTEGER PRIMARY KEY, t_id INTEGER REFERENCES t(id) ON DELETE CASCADE);\n`],
      ['0002_required.sql', `ALTER TABLE t ADD COLUMN b TEXT NOT NULL;\n`],
      ['0003_rebuild.sql', `CREATE TABLE t_new (id INTEGER PRIMARY KEY, a TEXT NOT NULL DEFAULT '', b TEXT);\nINSERT INTO t_new SELECT id, coalesce(a, ''), b FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n`],
    ),
    'non-ASCII text and names': mfiles(['0001_ünï.sql', `CREATE TABLE "straße" (id INTEGER PRIMARY KEY, "naïve" TEXT DEFAULT 'é');\nINSERT INTO "straße" ("naïve") VALUES ('日本');\nALTER TABLE "straße" ADD COLUMN "größe" INTEGER NOT NULL DEFAULT 1;\n`]),
  };
}

/** Everything but which build ran it. */
function comparable(r: ReplayResult): Omit<ReplayResult, 'engine'> {
  const rest: Partial<ReplayResult> = { ...r };
  delete rest.engine;
  return rest as Omit<ReplayResult, 'engine'>;
}

async function replay(files: MigrationFile[], extra: Partial<ReplayInput>): Promise<ReplayResult> {
  return replayMigrations({ files, migrationsTable: 'd1_migrations', dataCheck: true, ...extra });
}

let all: Record<string, MigrationFile[]> = {};
let haveNode = false;

beforeAll(async () => {
  all = await sets();
  haveNode = (await nodeBackend()) !== undefined;
  if (!haveNode) console.log(`node:sqlite is not usable on Node ${process.version}: only the WASM build's two ADD COLUMN paths are compared here (run on Node 24 for node:sqlite).`);
  if (!existsSync(CORPUS)) console.log(`corpus sets skipped: ${CORPUS} is absent`);
});

test('the sets are there, and the worker bundle', () => {
  // dist/ is committed and CI checks it matches the sources: a missing worker bundle is a broken checkout.
  expect(existsSync(TWIN_WORKER)).toBe(true);
  expect(Object.keys(all).length).toBeGreaterThanOrEqual(DATA_CHECK_CASES.length + BOUNDARY_CASES.length + 10);
});

describe('same report on every SQLite build and either ADD COLUMN', () => {
  // One test over all sets: the set list is built asynchronously (the generator is an ES module).
  test('every set', async () => {
    const moved: string[] = [];
    for (const [name, files] of Object.entries(all)) {
      const reference = comparable(await replay(files, { sqlite: 'wasm', exactAlter: true, twinWorker: false }));
      expect({ set: name, result: comparable(await replay(files, { sqlite: 'wasm', twinWorker: false })) }).toEqual({ set: name, result: reference });
      if (existsSync(TWIN_WORKER)) {
        expect({ set: name, twin: 'worker', result: comparable(await replay(files, { twinWorker: TWIN_WORKER })) }).toEqual({ set: name, twin: 'worker', result: reference });
      }
      if (!haveNode) continue;
      const node = await replay(files, { sqlite: 'node', twinWorker: false });
      expect({ set: name, result: comparable(node) }).toEqual({ set: name, result: reference });
      if (node.engine.movedToWasmAt) moved.push(`${name} (at ${node.engine.movedToWasmAt})`);
      if (NATIVE_THROUGHOUT.has(name)) expect({ set: name, engine: node.engine.sqlite }).toEqual({ set: name, engine: 'node' });
    }
    if (haveNode) console.log(`node:sqlite handed these sets to the WASM build part-way: ${moved.join('; ') || 'none'}`);
  });
});
