/**
 * data/parallel.ts: when the data check's twin runs in a worker thread, and what the replay's side does with
 * what the worker says — the image it asks for, its outcomes and readings, and a worker that fails or breaks
 * the protocol (the check then goes on in the replay's thread, with a note). That the worker's reports equal
 * the replay's-thread check on every fixture and corpus set is backends.test.ts's job.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataCheck, DataCheckOutcome } from '../../src/replay/data/check.js';
import { ParallelRunner, parallelTwin } from '../../src/replay/data/parallel.js';
import { LocalRunner } from '../../src/replay/data/runner.js';
import { SqlText } from '../../src/replay/statements.js';
import type { ReplayInput } from '../../src/replay/types.js';
import { parseMigration } from '../../src/sql/split.js';
import { mfile } from './files.js';

const dir = mkdtempSync(join(tmpdir(), 'd1m-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = [mfile('0001_a.sql', 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n')];
const big = [mfile('0001_a.sql', `CREATE TABLE a (id INTEGER PRIMARY KEY);\n${'-- padding\n'.repeat(60_000)}`)];
const input = (files: ReplayInput['files'], extra: Partial<ReplayInput> = {}): ReplayInput => ({ files, migrationsTable: 'd1_migrations', dataCheck: true, ...extra });

describe('parallelTwin: where the twin runs', () => {
  test.each<[string, ReplayInput, NodeJS.ProcessEnv, number, string | undefined]>([
    ['pinned by the input', input(small, { twinWorker: '/w.js' }), {}, 1, '/w.js'],
    ['kept in the thread by the input', input(big, { twinWorker: false }), { D1_MIGRATE_TWIN: 'worker' }, 2, undefined],
    ['kept in the thread by the switch', input(big, { twinWorker: '/w.js' }), { D1_MIGRATE_TWIN: 'thread' }, 2, undefined],
    ['a live schema to seed', input(big, { twinWorker: '/w.js', base: [] }), {}, 2, undefined],
    ['rows dumped before a file (tests)', input(big, { twinWorker: '/w.js', dumpDataBefore: '0001_a.sql' }), {}, 2, undefined],
    ['files the target applied (the replay goes on past their failures)', input(big, { twinWorker: '/w.js', settled: new Set(['0001_a.sql']) }), {}, 2, undefined],
    ['an empty settled set', input(big, { twinWorker: '/w.js', settled: new Set() }), {}, 2, '/w.js'],
    // From the TypeScript sources there is no worker bundle beside this code: the check stays in the thread.
    ['a long run, two cores, from the sources', input(big), {}, 2, undefined],
    ['the switch, from the sources', input(small), { D1_MIGRATE_TWIN: 'worker' }, 2, undefined],
  ])('%s', (_name, i, env, cores, expected) => {
    expect(parallelTwin(i, 0, env, cores)).toBe(expected);
  });

  // With the worker bundle beside the code (as in dist/).
  const bundle = () => '/dist/twin/index.js';
  test.each<[string, ReplayInput, number, NodeJS.ProcessEnv, number, string | undefined]>([
    ['a long run on two cores', input(big), 0, {}, 2, '/dist/twin/index.js'],
    ['a long run on one core', input(big), 0, {}, 1, undefined],
    ['a short run', input(small), 0, {}, 2, undefined],
    ['a short run, the switch', input(small), 0, { D1_MIGRATE_TWIN: 'worker' }, 1, '/dist/twin/index.js'],
    ['the long file restored from the cache: what is left is short', input([...big, ...small]), 1, {}, 2, undefined],
    ['an unknown switch value is no switch', input(small), 0, { D1_MIGRATE_TWIN: 'yes' }, 2, undefined],
  ])('with the bundle: %s', (_name, i, from, env, cores, expected) => {
    expect(parallelTwin(i, from, env, cores, bundle)).toBe(expected);
  });
});

/** A worker script (plain JS, as the bundle is) with the protocol's receiving side. */
function script(name: string, body: string): string {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `import { workerData, receiveMessageOnPort } from 'node:worker_threads';
const { port, signal } = workerData;
const flag = new Int32Array(signal);
const receive = () => { for (;;) { const got = receiveMessageOnPort(port); if (got) return got.message; Atomics.wait(flag, 0, 0); Atomics.store(flag, 0, 0); } };
${body}
port.close();
`,
  );
  return file;
}

/** A stand-in for the replay's-thread check (what the runner hands over to). */
function fallback(): { make: () => Promise<LocalRunner>; outOfSync: () => number } {
  let marked = 0;
  const outcome: DataCheckOutcome = { findings: [], notes: [], complete: true };
  const check = {
    run: () => outcome,
    markOutOfSync: () => void marked++,
    follow: () => undefined,
    literalRows: () => undefined,
    covers: () => true,
    notes: () => ['local notes'],
    snapshot: () => ({ image: new Uint8Array(), state: {} }),
    close: () => undefined,
  } as unknown as DataCheck;
  return { make: () => Promise.resolve(new LocalRunner(check)), outOfSync: () => marked };
}

async function runFirst(workerScript: string, before = () => new Uint8Array([1, 2, 3, 4, 5])) {
  const file = mfile('0001_a.sql', 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n');
  const local = fallback();
  const runner = new ParallelRunner(workerScript, { files: [file], from: 0, migrationsTable: 'd1_migrations', exactAlter: false, rowsHoldConstraints: true }, local.make);
  const text = new SqlText(file.sql);
  try {
    const checked = await runner.run(0, file, text, () => parseMigration(file), before);
    return { checked, runner, local };
  } finally {
    text.free();
  }
}

describe('ParallelRunner: the replay side of the protocol', () => {
  test('the image the worker waits for is the replay database as it is; outcome, readings and the end come back', async () => {
    const worker = script(
      'image',
      `port.postMessage({ type: 'need-image', before: 0 });
const m = receive();
port.postMessage({ type: 'outcome', index: 0, checked: { notes: ['image ' + m.type + ' ' + Array.from(m.image).join(',')] }, readings: { literals: [['3\\u0000x', { table: 't', column: 'c', rows: 2, matching: 1 }]], uncovered: ['fts'], noted: 1 } });
const f = receive();
port.postMessage({ type: 'done', notes: ['end ' + f.last.index + ' ' + f.last.followed + ' ' + f.snapshot] });`,
    );
    const { checked, runner, local } = await runFirst(worker);
    try {
      expect(checked).toEqual({ notes: ['image image 1,2,3,4,5'] });
      expect(runner.covers(['FTS'])).toBe(false);
      expect(runner.covers(['other'])).toBe(true);
      expect(runner.literalRows(3, 'x')).toEqual({ table: 't', column: 'c', rows: 2, matching: 1 });
      expect(runner.literalRows(4, 'x')).toBeUndefined();
      expect(await runner.finish({ index: 0, followed: true }, false, () => new Uint8Array())).toEqual({ notes: ['end 0 true false'] });
      expect(local.outOfSync()).toBe(0);
    } finally {
      runner.close();
    }
  });

  test.each([
    ['exits without a word', ``, /its worker thread failed \(it exited \(code 0\)\)/],
    ['throws', `throw new Error('boom');`, /its worker thread failed \(.*boom/],
    ['says it failed', `port.postMessage({ type: 'failed', message: 'no memory' }); receive();`, /its worker thread failed \(no memory\)/],
    ['asks for the database at the wrong place', `port.postMessage({ type: 'need-image', before: 3 }); receive();`, /asked for the database before file 4 while the replay was before file 1/],
  ])('a worker that %s: the check goes on in the replay thread, from a fresh copy, with a note', async (name, body, note) => {
    const { checked, runner, local } = await runFirst(script(name.replace(/\W+/g, '-'), body));
    try {
      expect(checked.outcome).toEqual({ findings: [], notes: [], complete: true });
      expect(checked.notes?.[0]).toMatch(note);
      expect(checked.notes?.[0]).toMatch(/the check went on in the replay's thread from 0001_a\.sql/);
      expect(local.outOfSync()).toBe(1);
      expect(await runner.finish({ index: 0, followed: false }, false, () => new Uint8Array())).toEqual({ notes: ['local notes'] });
    } finally {
      runner.close();
    }
  });
});
