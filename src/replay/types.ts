import type { ParsedMigration } from '../sql/types.js';
import type { Finding, MigrationFile, SchemaObject } from '../types.js';
import type { ParallelRunner } from './data/parallel.js';
import type { KeptRebuild } from './data/rebuilds.js';
import type { BackendName } from './db/types.js';

export interface ReplayInput {
  /** In the order wrangler applies them (the caller has already sorted them). */
  files: MigrationFile[];
  /** wrangler's migrations table (`d1_migrations` unless `migrations_table` renames it). */
  migrationsTable: string;
  /** Rule ids whose findings are dropped (and whose extra checks are skipped). */
  disabled?: Set<string>;
  /**
   * Also run each file on a twin of the replay database whose tables hold synthetic rows, and report
   * `rows-lost` and `fails-with-data` (see data/check.ts). Off unless asked for.
   */
  dataCheck?: boolean;
  /**
   * Names of files that already ran on the target (or that the change under review leaves alone). When one
   * fails here, the replay goes on without it (the real database got past it, so its base schema came from
   * elsewhere), and a later file that fails is reported as `replay-unverified`, not `replay-error`.
   */
  settled?: ReadonlySet<string>;
  /**
   * Start from this schema instead of an empty database: the target's live schema, on which the pending
   * migrations are replayed. Objects that cannot be created are listed in ReplayResult.baseErrors.
   */
  base?: SchemaObject[];
  /** The job's cancellation: checked between files, where the replay also yields to the event loop. */
  signal?: AbortSignal;
  /** The files already tokenized and split (validate has them); parsed here when absent. */
  parsed?: ParsedMigration[];
  /**
   * With dataCheck: the name of a file before which the data check's tables are dumped as SQL
   * (ReplayResult.dataSeed), to put the same rows into a real database (tests compare with wrangler).
   */
  dumpDataBefore?: string;
  /**
   * Run every ALTER TABLE … ADD COLUMN as SQLite's own statement, which reloads the whole schema, instead of
   * alter.ts's equivalent that does not (for the tests that compare the two).
   */
  exactAlter?: boolean;
  /**
   * Where the data check's twin runs (the tests compare them): false in the replay's thread, a path to the
   * worker bundle (dist/twin/index.js) in a worker; by default a worker where that pays (data/parallel.ts).
   */
  twinWorker?: false | string;
  /**
   * The twin's worker, started before the replay (data/parallel.ts startTwinEarly); the replay adopts it where
   * it would start one itself from the first file (and then closes it), else closes it at once. The caller
   * closes it in any case when the replay ends or fails (close() is idempotent).
   */
  twinStarted?: ParallelRunner;
  /** The SQLite build to start on (the tests compare them); by default node:sqlite where it is usable. */
  sqlite?: BackendName;
  /**
   * Restore the longest run of these files a previous replay stored in this directory, and store this one's
   * state for the next (see cache.ts; `cache-dir`). Not with `base` or `dumpDataBefore`.
   */
  cacheDir?: string;
}

export interface ReplayResult {
  /** `sql-syntax`, `replay-error`, `double-quoted-string`, `drop-referenced-table`. */
  findings: Finding[];
  /** Objects left after the last file that applied, sorted (see schema.ts). */
  schema: SchemaObject[];
  /** Names of the files that applied, in order. */
  replayed: string[];
  /** Name of the file that failed, when one did. */
  failedAt?: string;
  /** Names after the failing file, which wrangler would not attempt. */
  notReplayed: string[];
  notes: string[];
  /** With `base`: the objects of the base schema that could not be created (the replay is then not trustworthy). */
  baseErrors?: string[];
  /** See ReplayInput.dumpDataBefore: INSERT statements for every row the data check's tables hold then. */
  dataSeed?: string;
  /**
   * With dumpDataBefore, when that file fails only with boundary values (data/boundary.ts): the UPDATE
   * statements that put them into the rows of dataSeed.
   */
  dataFill?: string;
  /**
   * Table rebuilds the data check ran on rows and proved keep every row (data/rebuilds.ts), in files that
   * applied; `file` is the file's path as findings give it. validate folds their findings (rules/fold.ts).
   */
  keptRebuilds?: (KeptRebuild & { file: string })[];
  /** With `cacheDir`: how many files were restored instead of replayed, and whether this replay was stored. */
  cache?: { restored: number; stored: boolean };
  /** Which SQLite build finished the replay, and the file it moved to the WASM build at, if it did. */
  /** Which build replayed; `twin`: where the data check's twin ran (data/parallel.ts), when it ran. */
  engine: { sqlite: BackendName; version: string; movedToWasmAt?: string; twin?: 'thread' | 'worker' };
}
