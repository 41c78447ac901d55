/**
 * The data check with its twin in a worker thread (twin-worker.ts), so that on two cores the twin's work and
 * the replay's overlap: the twin checks file i+1 while the replay applies file i. The replay still takes each
 * file's outcome before it runs the file, so what it reports is what the check in its own thread would give
 * (the differential test runs every fixture and corpus set both ways and compares the JSON reports).
 *
 * Used only where running ahead is exact and pays: a long enough run, no live schema to seed, no files the
 * target already applied (the replay goes on past those when they fail, which the twin cannot know ahead), no
 * dump of the twin's rows, a second core, and the worker's bundle beside this one (from the TypeScript
 * sources, as in the unit tests, the check stays in the replay's thread). A worker that fails hands over to
 * the replay's thread, which copies its database again: the check goes on, with a note.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { ParsedMigration } from '../../sql/types.js';
import type { MigrationFile } from '../../types.js';
import type { SqlText } from '../statements.js';
import { rowsHoldConstraints } from '../alter.js';
import type { ReplayInput } from '../types.js';
import type { TwinReadings } from './check.js';
import type { CheckedFile, DataCheckRunner, LocalRunner, TwinImage } from './runner.js';
import type { FromWorker, ToWorker, TwinWorkerData } from './twin-worker.js';
import { literalKey, type LiteralRows } from './written-values.js';

/**
 * SQL to check below which the twin stays in the replay's thread: starting the worker (its own V8 isolate,
 * bundle and SQLite module) and the two threads slowing each other down on a 2-core machine cost more than
 * the overlap wins on a shorter run. Measured with the bench's generated sets (worker / thread, wall time):
 * 100 files 1.11–1.24×, 300 files (270 KB) 1.02×, 600 files (535 KB) 0.84× (Node 24) and 0.94× (Node 20),
 * 1,000 files 0.77× and 0.87×.
 */
const MIN_PARALLEL_BYTES = 400 * 1024;

/**
 * The worker's script when the twin should run in one, else undefined. `input.twinWorker` (tests) or
 * `D1_MIGRATE_TWIN=thread|worker` (bench; a diagnostic switch, not an input) pins the choice; a pinned worker
 * still needs a run where running ahead is exact.
 */
/** How much SQL the files from `from` on hold (UTF-16 code units: what the thresholds here were measured in). */
export function sqlLength(files: readonly { sql: string }[], from = 0): number {
  let n = 0;
  for (let i = from; i < files.length; i++) n += files[i]!.sql.length;
  return n;
}

export function parallelTwin(input: ReplayInput, from: number, env: NodeJS.ProcessEnv = process.env, cores = availableParallelism(), script = twinWorkerScript): string | undefined {
  if (input.twinWorker === false || env.D1_MIGRATE_TWIN === 'thread') return undefined;
  if (input.base || input.dumpDataBefore !== undefined || (input.settled && input.settled.size > 0)) return undefined;
  if (typeof input.twinWorker === 'string') return input.twinWorker;
  if (env.D1_MIGRATE_TWIN !== 'worker' && (sqlLength(input.files, from) < MIN_PARALLEL_BYTES || cores < 2)) return undefined;
  return script();
}

/** dist/twin/index.js, beside the bundle this code is in (dist/index.js or dist/cli/index.js). */
function twinWorkerScript(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const c of [join(here, 'twin', 'index.js'), join(here, '..', 'twin', 'index.js')]) if (existsSync(c)) return c;
  return undefined;
}

type Options = Omit<TwinWorkerData, 'port' | 'signal' | 'work'>;

/**
 * The twin's worker started before the replay, so that its start (~100 ms: an isolate, the bundle, the SQLite
 * module) overlaps the replay's own preparation (validate parses the files and runs the static rules
 * meanwhile). Only where the replay would start one anyway and from its first file (no replay cache, which
 * may restore files first). The caller closes it (close() is idempotent); the replay adopts it.
 */
export function startTwinEarly(input: ReplayInput): ParallelRunner | undefined {
  if (input.cacheDir !== undefined || input.dataCheck !== true || input.exactAlter) return undefined;
  const script = parallelTwin(input, 0);
  if (!script) return undefined;
  return new ParallelRunner(script, {
    files: input.files,
    from: 0,
    migrationsTable: input.migrationsTable,
    exactAlter: false,
    rowsHoldConstraints: rowsHoldConstraints(input.files),
  });
}

export class ParallelRunner implements DataCheckRunner {
  private readonly worker: Worker;
  private readonly port: MessageChannel['port1'];
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly outcomes = new Map<number, { checked: CheckedFile; readings: TwinReadings }>();
  /** The image the worker waits for (the replay's database before that file). */
  private needed: number | undefined;
  private done: { notes: string[]; twin?: TwinImage } | undefined;
  private failure: string | undefined;
  private wake: (() => void) | undefined;
  /** What the replay reads of the last file's check (literalRows, covers). */
  private literals = new Map<string, LiteralRows>();
  private uncovered = new Set<string>();
  /** After a failure of the worker: the check in the replay's thread. */
  private local: LocalRunner | undefined;
  private closed = false;
  /** What a failing worker hands over to (set by the replay that adopts a runner started early). */
  fallback: () => Promise<LocalRunner> = () => Promise.reject(new Error('no replay adopted the data check'));

  constructor(
    script: string,
    readonly opts: Options,
    fallback?: () => Promise<LocalRunner>,
  ) {
    if (fallback) this.fallback = fallback;
    const channel = new MessageChannel();
    this.port = channel.port1;
    const data: TwinWorkerData = { ...opts, work: { bytes: sqlLength(opts.files, opts.from), parallel: true }, port: channel.port2, signal: this.flag.buffer };
    this.worker = new Worker(script, { workerData: data, transferList: [channel.port2] });
    this.port.on('message', (m: FromWorker) => this.receive(m));
    // What the worker posted before it stopped still counts (its end, a last outcome): the worker's events may
    // come before the port's messages.
    this.worker.on('error', (e) => {
      this.drain();
      this.fail(e.message);
    });
    this.worker.on('exit', (code) => {
      this.drain();
      if (!this.done) this.fail(`it exited (code ${code})`);
    });
  }

  /** Whether the check went on in the replay's thread (the worker failed). */
  get handedOver(): boolean {
    return this.local !== undefined;
  }

  async run(index: number, file: MigrationFile, text: SqlText, parsed: () => ParsedMigration, before: () => Uint8Array): Promise<CheckedFile> {
    if (this.local) return this.local.run(index, file, text, parsed);
    for (;;) {
      const got = this.outcomes.get(index);
      if (got) {
        this.outcomes.delete(index);
        this.literals = new Map(got.readings.literals);
        this.uncovered = new Set(got.readings.uncovered);
        return got.checked;
      }
      if (this.failure !== undefined) return this.handOver(index, file, text, parsed);
      if (this.needed !== undefined) {
        if (this.needed !== index) return this.handOver(index, file, text, parsed, `it asked for the database before file ${this.needed + 1} while the replay was before file ${index + 1}`);
        this.sendImage(before);
        continue;
      }
      await this.next();
    }
  }

  follow(text: SqlText): void {
    // The worker followed the file already, unless it failed since.
    this.local?.follow(text);
  }

  literalRows(line: number, name: string): LiteralRows | undefined {
    if (this.local) return this.local.literalRows(line, name);
    return this.literals.get(literalKey(line, name));
  }

  covers(tables: string[]): boolean {
    if (this.local) return this.local.covers(tables);
    return tables.every((t) => !this.uncovered.has(t.toLowerCase()));
  }

  async finish(last: { index: number; followed: boolean }, snapshot: boolean, before: () => Uint8Array): Promise<{ notes: string[]; twin?: TwinImage }> {
    if (this.local) return this.local.finish(last, snapshot);
    // A worker waiting for the image after the last file (it followed it) gets it: a snapshot must hold it.
    if (this.needed === this.opts.files.length && this.failure === undefined) this.sendImage(before);
    this.send({ type: 'finish', last, snapshot });
    while (!this.done && this.failure === undefined) await this.next();
    if (this.done) return this.done;
    return { notes: [`Data check: its worker thread failed at the end (${this.failure}); the note on tables it could not fill is missing.`] };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.local?.close();
    this.port.close();
    void this.worker.terminate();
  }

  /** The replay's database as it is now, to the worker waiting for it. */
  private sendImage(before: () => Uint8Array): void {
    this.needed = undefined;
    const image = before();
    this.send({ type: 'image', image }, [image.buffer as ArrayBuffer]);
  }

  private send(m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.port.postMessage(m, transfer);
    Atomics.store(this.flag, 0, 1);
    Atomics.notify(this.flag, 0);
  }

  private receive(m: FromWorker): void {
    if (m.type === 'outcome') this.outcomes.set(m.index, { checked: m.checked, readings: m.readings });
    else if (m.type === 'need-image') this.needed = m.before;
    else if (m.type === 'done') this.done = { notes: m.notes, ...(m.twin && { twin: m.twin }) };
    else this.fail(m.message);
    this.wake?.();
  }

  private drain(): void {
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) this.receive(m.message as FromWorker);
  }

  private fail(message: string): void {
    this.failure ??= message;
    this.wake?.();
  }

  private next(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** The worker failed: the check goes on in the replay's thread, from a fresh copy of its database. */
  private async handOver(index: number, file: MigrationFile, text: SqlText, parsed: () => ParsedMigration, why?: string): Promise<CheckedFile> {
    const reason = why ?? this.failure ?? 'unknown';
    void this.worker.terminate();
    this.local = await this.fallback();
    this.local.check.markOutOfSync();
    const checked = await this.local.run(index, file, text, parsed);
    return { ...checked, notes: [`Data check: its worker thread failed (${reason}); the check went on in the replay's thread from ${file.name}.`, ...(checked.notes ?? [])] };
  }
}
