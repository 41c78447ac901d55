/**
 * The replay cache (src/replay/cache.ts): a replay that restores stored files and replays the rest must
 * report exactly what a full replay reports (findings of the restored files included, the data check's
 * findings on the new ones included); any change to an earlier file, to their order or to an option that
 * changes the outcome must restore nothing; a failing replay stores nothing; a damaged entry is ignored.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { replayMigrations, type ReplayInput, type ReplayResult } from '../../src/replay/replay.js';
import type { MigrationFile } from '../../src/types.js';
import { DATA_CHECK_CASES } from '../data-check/fixtures.js';
import { mfile, mfiles } from './files.js';

const TWIN_WORKER = resolve(process.cwd(), 'dist/twin/index.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function cacheDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'd1m-cache-'));
  dirs.push(d);
  return d;
}

function replay(files: MigrationFile[], extra: Partial<ReplayInput> = {}): Promise<ReplayResult> {
  return replayMigrations({ files, migrationsTable: 'd1_migrations', dataCheck: true, ...extra });
}

/** What validate takes from a replay, without the cache's own note. */
function report(r: ReplayResult): unknown {
  return {
    findings: r.findings,
    schema: r.schema,
    replayed: r.replayed,
    failedAt: r.failedAt,
    notReplayed: r.notReplayed,
    notes: r.notes.filter((n) => !n.startsWith('Replay cache:')),
    keptRebuilds: r.keptRebuilds,
  };
}

async function generated(n: number): Promise<MigrationFile[]> {
  const gen = (await import(pathToFileURL(resolve(process.cwd(), 'bench/generate.mjs')).href)) as { buildMigrations(n: number, seed?: number): { name: string; sql: string }[] };
  return gen.buildMigrations(n, 42).map((f) => mfile(f.name, f.sql));
}

/** Sets whose last file has something to say (rows-lost, fails-with-data, a DQS warning, a kept rebuild). */
async function sets(): Promise<Record<string, MigrationFile[]>> {
  const out: Record<string, MigrationFile[]> = { 'generated 120': await generated(120) };
  for (const c of DATA_CHECK_CASES.slice(0, 6)) out[`data-check: ${c.id}`] = mfiles(...c.setup, ['0009_seed_like.sql', 'SELECT 1;\n'], c.migration);
  out['double-quoted in an old file'] = mfiles(
    ['0001_a.sql', `CREATE TABLE t (id INTEGER PRIMARY KEY, kind TEXT);\nUPDATE t SET kind = "kind2";\n`],
    ['0002_b.sql', `CREATE TABLE u (id INTEGER PRIMARY KEY);\n`],
    ['0003_c.sql', `INSERT INTO u (id) VALUES (1);\n`],
  );
  return out;
}

describe('the replay cache', () => {
  test('restoring all but the last file reports what a full replay reports, and restoring all does too', async () => {
    for (const [name, files] of Object.entries(await sets())) {
      const full = await replay(files);
      const dir = cacheDir();
      const first = await replay(files.slice(0, -1), { cacheDir: dir });
      expect({ name, cache: first.cache }).toEqual({ name, cache: { restored: 0, stored: true } });
      const next = await replay(files, { cacheDir: dir });
      expect({ name, cache: next.cache }).toEqual({ name, cache: { restored: files.length - 1, stored: true } });
      expect({ name, report: report(next) }).toEqual({ name, report: report(full) });
      expect(next.notes.at(-1)).toMatch(new RegExp(`^Replay cache: the first ${files.length - 1} of ${files.length} migrations restored from .*; 1 replayed; this replay was stored for the next run\\.$`));
      const again = await replay(files, { cacheDir: dir });
      expect({ name, cache: again.cache }).toEqual({ name, cache: { restored: files.length, stored: false } });
      expect({ name, report: report(again) }).toEqual({ name, report: report(full) });
    }
  });

  // The data check's twin in a worker thread (dist/twin/index.js) stores and restores its state the same way.
  test('a twin in a worker thread stores and restores what the replay thread would, either way round', async () => {
    expect(existsSync(TWIN_WORKER)).toBe(true);
    const modes: [false | string, false | string][] = [
      [TWIN_WORKER, TWIN_WORKER],
      [TWIN_WORKER, false],
      [false, TWIN_WORKER],
    ];
    for (const [name, files] of Object.entries(await sets())) {
      const full = await replay(files, { twinWorker: false });
      for (const [store, restore] of modes) {
        const dir = cacheDir();
        await replay(files.slice(0, -1), { cacheDir: dir, twinWorker: store });
        const next = await replay(files, { cacheDir: dir, twinWorker: restore });
        expect({ name, store, restore, cache: next.cache }).toEqual({ name, store, restore, cache: { restored: files.length - 1, stored: true } });
        expect({ name, store, restore, report: report(next) }).toEqual({ name, store, restore, report: report(full) });
      }
    }
  });

  test('a change to an earlier file, a new order, or another option restores nothing past it', async () => {
    const files = await generated(40);
    const dir = cacheDir();
    await replay(files, { cacheDir: dir });
    const changed = files.map((f, i) => (i === 10 ? mfile(f.name, `${f.sql}\n-- edited\n`) : f));
    expect((await replay(changed, { cacheDir: dir })).cache?.restored).toBe(0);
    const swapped = [...files];
    [swapped[5], swapped[6]] = [swapped[6]!, swapped[5]!];
    expect((await replay(swapped, { cacheDir: dir })).cache?.restored).toBe(0);
    expect((await replay(files, { cacheDir: dir, dataCheck: false })).cache?.restored).toBe(0);
    expect((await replay(files, { cacheDir: dir, disabled: new Set(['double-quoted-string']) })).cache?.restored).toBe(0);
    expect((await replay(files, { cacheDir: dir, migrationsTable: 'other_migrations' })).cache?.restored).toBe(0);
    // The stored prefix of the changed set (files before the edit) was stored under its own key only.
    expect((await replay(files, { cacheDir: dir })).cache?.restored).toBe(40);
  });

  test('a replay that fails stores nothing, and says so', async () => {
    const dir = cacheDir();
    const files = mfiles(['0001_a.sql', 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n'], ['0002_b.sql', 'INSERT INTO nope VALUES (1);\n']);
    const r = await replay(files, { cacheDir: dir });
    expect(r.cache).toEqual({ restored: 0, stored: false });
    expect(r.notes.at(-1)).toMatch(/nothing stored \(a migration failed\)\.$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a damaged or foreign entry is ignored', async () => {
    const files = await generated(20);
    const dir = cacheDir();
    await replay(files, { cacheDir: dir });
    const [entry] = readdirSync(dir);
    writeFileSync(join(dir, entry!), 'not a cache entry');
    const r = await replay(files, { cacheDir: dir });
    expect(r.cache?.restored).toBe(0);
    expect(report(r)).toEqual(report(await replay(files)));
  });
});
