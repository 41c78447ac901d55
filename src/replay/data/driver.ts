/**
 * The replay's side of the data check, file by file: where the twin runs (this thread, or a worker thread
 * where that is exact and pays, parallel.ts), each file's outcome before the replay runs the file, the twin
 * following a file the replay applied, and the run-wide notes at the end. For the tests, the twin's rows can be
 * dumped before a file (then the twin stays in this thread).
 */
import type { ParsedMigration } from '../../sql/types.js';
import type { MigrationFile } from '../../types.js';
import { wasm, type SqlDb, type WasmWork } from '../db/index.js';
import type { SqlText } from '../statements.js';
import type { ReplayInput } from '../types.js';
import { fillSql } from './boundary.js';
import { DataCheck, type DataCheckOutcome } from './check.js';
import { ParallelRunner, parallelTwin, sqlLength } from './parallel.js';
import { LocalRunner, type DataCheckRunner, type TwinImage } from './runner.js';
import type { LiteralRows } from './written-values.js';

/**
 * What a thread will run on the WASM build at most: every file, twice with the data check (its twin) unless
 * the twin runs in a worker thread beside the replay (then each thread runs every file once, side by side).
 */
export function wasmWork(input: ReplayInput): WasmWork {
  const bytes = sqlLength(input.files);
  if (input.dataCheck !== true) return { bytes };
  return input.twinStarted !== undefined || parallelTwin(input, 0) !== undefined ? { bytes, parallel: true } : { bytes: 2 * bytes };
}

interface Options {
  exactAlter: boolean;
  rowsHoldConstraints: boolean;
}

export class DataCheckDriver {
  private runner!: DataCheckRunner;
  /** The check in this thread, when it runs here (only that one can dump its rows). */
  private local: DataCheck | undefined;
  /** The last file checked, and whether the twin then followed it (DataCheckRunner.finish). */
  private last = { index: -1, followed: false };
  /** The twin's rows before input.dumpDataBefore, as SQL, and the boundary fill of that file (tests). */
  dataSeed: string | undefined;
  dataFill: string | undefined;

  private constructor(
    private readonly input: ReplayInput,
    /** The replay's database now (the twin is copied from it again after a file it missed). */
    private readonly replayDb: () => SqlDb,
    /** The replay's notes: a check's own notes go in among them, in file order. */
    private readonly notes: string[],
    private readonly opts: Options,
  ) {}

  /**
   * The check from file `from` on (those before were restored from the replay cache, with `twin`); a worker
   * validate started early (input.twinStarted) is adopted where it fits, else closed.
   */
  static async start(input: ReplayInput, replayDb: () => SqlDb, notes: string[], opts: Options, from: number, twin: TwinImage | undefined): Promise<DataCheckDriver> {
    const d = new DataCheckDriver(input, replayDb, notes, opts);
    const started = input.twinStarted;
    const script = parallelTwin(input, from);
    if (started && from === 0 && !twin && script !== undefined) {
      started.fallback = () => d.localRunner();
      d.runner = started;
      return d;
    }
    started?.close();
    if (script) d.runner = new ParallelRunner(script, { files: input.files, from, migrationsTable: input.migrationsTable, ...opts, ...(twin && { twin }) }, () => d.localRunner());
    else d.runner = await d.localRunner(twin);
    return d;
  }

  private async localRunner(from?: TwinImage): Promise<LocalRunner> {
    this.local = new DataCheck(await wasm(wasmWork(this.input)), this.replayDb, this.input.migrationsTable, { ...this.opts, ...(from && { from }) });
    return new LocalRunner(this.local);
  }

  /** Where the twin ran: in a worker unless there was none or it failed and handed over. */
  get where(): 'thread' | 'worker' {
    return this.runner instanceof ParallelRunner && !this.runner.handedOver ? 'worker' : 'thread';
  }

  /** The replay starts from a live schema: the twin is copied from it before the first file. */
  markOutOfSync(): void {
    this.local?.markOutOfSync();
  }

  /** The check of one file, before the replay runs it; a fault in it costs that file's check (a note), never the replay. */
  async run(file: MigrationFile, index: number, text: SqlText, parsed: () => ParsedMigration): Promise<DataCheckOutcome | undefined> {
    const dump = this.input.dumpDataBefore === file.name ? this.local : undefined;
    if (dump) {
      try {
        this.dataSeed = dump.dump();
      } catch (e) {
        dump.markOutOfSync();
        this.notes.push(`Data check skipped for ${file.name}: ${(e as Error).message}`);
        return undefined;
      }
    }
    const checked = await this.runner.run(index, file, text, parsed, () => this.replayDb().serialize());
    this.last = { index, followed: false };
    this.notes.push(...(checked.notes ?? []));
    if (dump && checked.outcome?.boundary) this.dataFill = fillSql(checked.outcome.boundary);
    return checked.outcome;
  }

  /** The replay applied a file whose check said the twin may simply follow it. */
  follow(text: SqlText): void {
    this.runner.follow(text);
    this.last = { ...this.last, followed: true };
  }

  literalRows(line: number, name: string): LiteralRows | undefined {
    return this.runner.literalRows(line, name);
  }

  covers(tables: string[]): boolean {
    return this.runner.covers(tables);
  }

  /** The run-wide notes and, when `snapshot`, the twin to store in the replay cache. */
  finish(snapshot: boolean): Promise<{ notes: string[]; twin?: TwinImage }> {
    return this.runner.finish(this.last, snapshot, () => this.replayDb().serialize());
  }

  close(): void {
    this.runner.close();
  }
}
