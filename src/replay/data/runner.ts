/**
 * How the replay drives the data check: in its own thread (LocalRunner, below) or with the twin in a worker
 * thread that runs ahead of it (parallel.ts). Both give the replay the same outcomes in the same order; a
 * fault in the check costs that file's check (a note) and a fresh copy of the replay's database, never the
 * replay.
 */
import type { ParsedMigration } from '../../sql/types.js';
import type { MigrationFile } from '../../types.js';
import type { SqlText } from '../statements.js';
import type { DataCheck, DataCheckOutcome } from './check.js';
import type { TwinState } from './twin.js';
import type { LiteralRows } from './written-values.js';

/** The check of one file: its outcome, and notes (why there is none, or what happened to the check). */
export interface CheckedFile {
  outcome?: DataCheckOutcome;
  notes?: string[];
}

export interface TwinImage {
  image: Uint8Array;
  state: TwinState;
}

export interface DataCheckRunner {
  /**
   * The check of file `index` of the run, before the replay runs it. `before`: an image of the replay's
   * database as it is now (read only if the twin must be copied from it again).
   */
  run(index: number, file: MigrationFile, text: SqlText, parsed: () => ParsedMigration, before: () => Uint8Array): Promise<CheckedFile>;
  /** The replay applied the file whose outcome said `follow`: the twin catches up. */
  follow(text: SqlText): void;
  /** For the file last run: the rows of the column the statement at `line` writes `name` to (written-values.ts). */
  literalRows(line: number, name: string): LiteralRows | undefined;
  /** Whether every one of `tables` held synthetic rows. */
  covers(tables: string[]): boolean;
  /**
   * The run-wide notes and, when `snapshot`, the twin to store (replay cache). `last`: the last file the replay
   * ran (-1 for none) and whether the twin followed it; `before`: as for run().
   */
  finish(last: { index: number; followed: boolean }, snapshot: boolean, before: () => Uint8Array): Promise<{ notes: string[]; twin?: TwinImage }>;
  close(): void;
}

/** The check in the replay's own thread. */
export class LocalRunner implements DataCheckRunner {
  constructor(readonly check: DataCheck) {}

  run(_index: number, file: MigrationFile, text: SqlText, parsed: () => ParsedMigration): Promise<CheckedFile> {
    return Promise.resolve(runChecked(this.check, file, text, parsed));
  }

  follow(text: SqlText): void {
    followChecked(this.check, text);
  }

  literalRows(line: number, name: string): LiteralRows | undefined {
    return this.check.literalRows(line, name);
  }

  covers(tables: string[]): boolean {
    return this.check.covers(tables);
  }

  finish(_last: { index: number; followed: boolean }, snapshot: boolean): Promise<{ notes: string[]; twin?: TwinImage }> {
    return Promise.resolve({ notes: this.check.notes(), ...(snapshot && { twin: this.check.snapshot() }) });
  }

  close(): void {
    this.check.close();
  }
}

/** One file's check; a fault in it must not stop the replay (the twin is copied again before the next file). */
export function runChecked(check: DataCheck, file: MigrationFile, text: SqlText, parsed: () => ParsedMigration): CheckedFile {
  try {
    const outcome = check.run(file, text, parsed());
    return outcome ? { outcome } : {};
  } catch (e) {
    check.markOutOfSync();
    return { notes: [`Data check skipped for ${file.name}: ${(e as Error).message}`] };
  }
}

/** The twin catches up with a file that could not touch rows; a fault only costs a re-copy. */
export function followChecked(check: DataCheck, text: SqlText): void {
  try {
    check.follow(text);
  } catch {
    check.markOutOfSync();
  }
}
