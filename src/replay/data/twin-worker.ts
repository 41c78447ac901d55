/**
 * The data check's twin in a worker thread (parallel.ts is the replay's side). It runs every file's check in
 * order, exactly as the replay's own thread would, and goes on to the next file without waiting for the
 * replay to apply this one: the twin follows a file as soon as its check says it may (a file the replay then
 * fails ends the replay, so nothing the twin did past it is read). Only when the twin must be copied from
 * the replay's database again does it wait, blocked, for the replay to get there and send the image.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { parseMigration } from '../../sql/split.js';
import type { MigrationFile } from '../../types.js';
import { wasm, type SqlDb, type WasmWork } from '../db/index.js';
import { SqlText } from '../statements.js';
import { wranglerFileText, wranglerTrim } from '../wrangler-text.js';
import { DataCheck, type TwinReadings } from './check.js';
import { followChecked, runChecked, type CheckedFile, type TwinImage } from './runner.js';

/** What the replay gives the worker (workerData). */
export interface TwinWorkerData {
  files: MigrationFile[];
  /** The first file to check (those before were restored from the replay cache, with `twin`). */
  from: number;
  migrationsTable: string;
  exactAlter: boolean;
  rowsHoldConstraints: boolean;
  twin?: TwinImage;
  work: WasmWork;
  /** The worker's end of the channel, and the word the replay sets (and notifies) after each message it sends. */
  port: MessagePort;
  signal: SharedArrayBuffer;
}

/** Replay → worker. */
export type ToWorker = { type: 'image'; image: Uint8Array } | { type: 'finish'; last: { index: number; followed: boolean }; snapshot: boolean };

/** Worker → replay. */
export type FromWorker =
  | { type: 'outcome'; index: number; checked: CheckedFile; readings: TwinReadings }
  /** An image of the replay's database as it is before file `before` (after the files ahead of it). */
  | { type: 'need-image'; before: number }
  | { type: 'done'; notes: string[]; twin?: TwinImage }
  | { type: 'failed'; message: string };

export async function runTwinWorker(data: TwinWorkerData): Promise<void> {
  const { port } = data;
  const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    await checkAll(data, post);
  } catch (e) {
    post({ type: 'failed', message: (e as Error).message });
  } finally {
    port.close();
  }
}

async function checkAll(data: TwinWorkerData, post: (m: FromWorker, transfer?: ArrayBuffer[]) => void): Promise<void> {
  const flag = new Int32Array(data.signal);
  const receive = (): ToWorker => {
    for (;;) {
      const got = receiveMessageOnPort(data.port);
      if (got) return got.message as ToWorker;
      Atomics.wait(flag, 0, 0);
      Atomics.store(flag, 0, 0);
    }
  };
  /** Set when the replay ended while the twin waited for an image: the check unwinds and answers it. */
  let finished: Extract<ToWorker, { type: 'finish' }> | undefined;
  let position = data.from;
  const replayDb = {
    serialize: (): Uint8Array => {
      post({ type: 'need-image', before: position });
      const m = receive();
      if (m.type === 'image') return m.image;
      finished = m;
      throw new Error('the replay ended');
    },
  };
  const check = new DataCheck(await wasm(data.work), () => replayDb as unknown as SqlDb, data.migrationsTable, {
    exactAlter: data.exactAlter,
    rowsHoldConstraints: data.rowsHoldConstraints,
    ...(data.twin && { from: data.twin }),
  });
  try {
    // How many uncovered tables the run-wide note names after each file's check and after following it.
    const noted = new Map<string, number>([['start', check.readings().noted]]);
    for (let i = data.from; i < data.files.length && !finished; i++) {
      const file = data.files[i]!;
      const trimmed = wranglerTrim(wranglerFileText(file, data.migrationsTable).full);
      // The replay refuses such a file before its check (and stops there).
      if (!trimmed.ok) continue;
      const text = new SqlText(trimmed.sql);
      try {
        position = i;
        const checked = runChecked(check, file, text, () => parseMigration(file));
        if (finished) break;
        const readings = check.readings();
        noted.set(`${i}`, readings.noted);
        post({ type: 'outcome', index: i, checked, readings });
        if (checked.outcome?.follow) {
          position = i + 1;
          followChecked(check, text);
        }
        noted.set(`${i}+`, check.readings().noted);
      } finally {
        text.free();
      }
    }
    const end = finished ?? receiveFinish(receive);
    const last = end.last.index < data.from ? 'start' : `${end.last.index}${end.last.followed ? '+' : ''}`;
    const twin = end.snapshot ? check.snapshot() : undefined;
    post({ type: 'done', notes: check.notes(noted.get(last) ?? noted.get('start')), ...(twin && { twin }) }, twin ? [twin.image.buffer as ArrayBuffer] : []);
  } finally {
    check.close();
  }
}

/** The replay's finish (an image it sends unasked is a protocol fault). */
function receiveFinish(receive: () => ToWorker): Extract<ToWorker, { type: 'finish' }> {
  const m = receive();
  if (m.type !== 'finish') throw new Error(`twin worker: expected the end of the replay, got "${m.type}"`);
  return m;
}
