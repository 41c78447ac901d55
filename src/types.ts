/**
 * Types shared by every part of the engine. Nothing here imports @actions/*, so the engine can be
 * used by the action (src/main.ts) and the CLI (src/cli/) alike.
 */
import type { RuleId, Severity } from './rule-catalog.js';

import type { ProjectConfig } from './config/project-config.js';
import type { PreflightReport } from './preflight/types.js';

export type { RuleId, Severity };

/** One problem found in a migration set, pointing at a file and line where it can. Made by finding(). */
export interface Finding {
  /** Stable rule id from the catalog, e.g. `duplicate-number`. */
  rule: RuleId;
  severity: Severity;
  /** Path relative to the working directory, forward slashes. Absent for findings about the whole set. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  endLine?: number;
  /** The table a data finding is about (`rows-lost`, `preflight-*`). */
  table?: string;
  /**
   * Rows of the target database the finding is about, counted by the production preflight
   * (src/preflight/): `preflight-*` findings always; a static or data-check finding it confirmed (0: it
   * found the statement harmless on that data).
   */
  rows?: number;
  message: string;
  /**
   * What was folded into this finding (see src/rules/fold.ts): the longer explanation it replaces and the
   * findings it stands for, each a complete sentence starting with its rule id and line. Reports show them
   * collapsed under the message; they never add to the counts.
   */
  details?: string[];
}

export type Phase = 'validate' | 'preview' | 'apply' | 'history' | 'test' | 'restore' | 'drift' | LedgerPhase;
/** Ledger operations (src/phases/ledger-ops/): each runs alone and writes the ledger without running a file. */
export type LedgerPhase = 'baseline' | 'mark-applied' | 'rename-applied' | 'unlock';
export type Target = 'remote' | 'local';
export type FailMode = 'strict' | 'skip-unavailable' | 'warn';
export type NumberingMode = 'sequential' | 'unique' | 'off';
export type CommentMode = 'auto' | 'off';

/** A D1 database as the wrangler config declares it for one environment. */
export interface DatabaseTarget {
  /** wrangler `--env` name; null for the top level. */
  environment: string | null;
  binding: string;
  databaseName: string;
  databaseId?: string;
  previewDatabaseId?: string;
  /** migrations_dir as written in config (or the override), for display. */
  migrationsDirSetting: string;
  /** Absolute path of the migrations directory. */
  migrationsDirAbs: string;
  /** migrations directory relative to the working directory, forward slashes. */
  migrationsDir: string;
  /** Table wrangler records applied migrations in (default `d1_migrations`). */
  migrationsTable: string;
  /** wrangler >= 4.98 `migrations_pattern` (minimatch glob starting with `migrations_dir/`). */
  migrationsPattern?: string;
  /** Absolute path of the config file it came from. */
  configPath: string;
}

/** One migration file as wrangler sees it. */
export interface MigrationFile {
  /** The name wrangler records in the migrations table (path relative to migrations dir, forward slashes). */
  name: string;
  /** Absolute path. */
  path: string;
  /** Path relative to the working directory, forward slashes (what findings and annotations use). */
  relPath: string;
  /** Leading number as wrangler 4.86 parses it (`parseInt(name.split('_')[0])`), or null when NaN. */
  number: number | null;
  /** The leading digits as written (`0001`), or null. */
  numberText: string | null;
  /** File content decoded as UTF-8 exactly as wrangler reads it (`readFileSync(p, 'utf8')`, BOM kept). */
  sql: string;
  /** Size on disk in bytes. */
  bytes: number;
}

/** Result of discovering a migrations folder. */
export interface MigrationSet {
  /** In the order `wrangler d1 migrations apply` applies them on an empty database. */
  files: MigrationFile[];
  /** Findings produced while discovering (ignored-file, unreadable files, ...). */
  findings: Finding[];
}

/** Everything the engine needs, already parsed and checked. Built from action inputs or CLI flags. */
export interface Options {
  /** Absolute working directory. */
  cwd: string;
  /** Config file path as given (relative to cwd) or undefined to search the way wrangler does. */
  config?: string;
  /** Environments to process in order; [null] means the top level only. */
  environments: (string | null)[];
  /** Binding or database_name; 'all' for every D1 binding; undefined = the only one. */
  database?: string;
  migrationsDir?: string;
  phases: Phase[];
  target: Target;
  failMode: FailMode;
  /** The numbering input or flag; undefined when not given (.d1-migrate.toml, else sequential: see rulePolicy). */
  numbering?: NumberingMode;
  disableRules: string[];
  comment: CommentMode;
  githubToken?: string;
  cloudflareApiToken?: string;
  cloudflareAccountId?: string;
  /** How to run wrangler: a path or a command line; undefined = find it. */
  wrangler?: string;
  /** Directory for local D1 state (`--persist-to`), target local only. */
  persistTo?: string;
  rollbackOnFailure: boolean;
  /** Run the validate replay a second time on synthetic rows (`rows-lost`, `fails-with-data`); undefined when
   * the input or flag is not given (.d1-migrate.toml, else on: see rulePolicy). */
  dataCheck?: boolean;
  /** Directory of the replay cache (the `cache-dir` input, `--cache-dir`); undefined = no cache. */
  cacheDir?: string;
  /** The project's .d1-migrate.toml, read and checked; undefined when there is none. */
  projectConfig?: ProjectConfig;
  /** Time Travel bookmark for the restore phase. */
  bookmark?: string;
  notifyWebhook?: string;
  /** Where to write the JSON report. */
  reportPath?: string;
  /** Where to write the SARIF log (the `sarif` input, `--sarif`); undefined = none. */
  sarifPath?: string;
  /** Timeout for one wrangler invocation, in ms. */
  timeoutMs: number;
  /** `to` (`--to`): apply, or baseline, up to and including this migration (a file name or unique number). */
  to?: string;
  /** The tool's state table (checksums, the apply lock; docs/ledger.md); false: never read, written or created. */
  ledgerState: boolean;
  /** `force` (`--force`): baseline / mark-applied / rename-applied record although a safety check disagrees. */
  force: boolean;
  /** The CLI arguments of mark-applied (`<file>`) and rename-applied (`<old> <new>`). */
  ledgerArgs?: string[];
}

export type DatabaseStatus = 'valid' | 'invalid' | 'applied' | 'up-to-date' | 'failed' | 'skipped';

export interface LedgerEntry {
  id?: number;
  name: string;
  appliedAt: string | null;
}

/** One file a change touches, repository-relative (the shape of GitHub's pull-request files list). */
export interface ChangedFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previous_filename?: string;
  /** Unified diff of the file; absent for binary or very large diffs. */
  patch?: string;
}

/** What a pull request (or the CLI's `--since <ref>`) changes: the engine judges the migrations it touches. */
export interface ChangeSet {
  basis: 'pull-request' | 'since';
  /** The base branch or git ref, for messages. */
  base?: string;
  /** The working directory relative to the repository root ('' when the same): file paths are repository-relative. */
  repoPrefix: string;
  files: ChangedFile[];
  /**
   * The list may miss files (GitHub lists at most 3,000 of a pull request): what it holds is still reported
   * (modified-migration), but nothing is settled by it — a migration past the cut would pass as unchanged.
   */
  incomplete?: boolean;
}

/**
 * Which migrations' findings can block: those that will run next. Set when the run knows what already
 * ran — the database's ledger (preview/apply) — or what a change touches (a pull request's files, the
 * CLI's `--since <ref>`). Findings in `settled` files are informational; everything else is judged as
 * before. Undefined: every file is judged (a plain validate).
 */
export interface JudgedScope {
  basis: 'ledger' | 'pull-request' | 'since';
  /** Working-directory-relative paths of migration files that already ran, or that the change leaves as they are. */
  settled: string[];
  /** Names of the migrations that are judged (pending, or added/changed by the change), in apply order. */
  judged: string[];
  /** The base the change is compared with (a branch or git ref), for messages. */
  base?: string;
}

/** What happened to one database in one environment. */
export interface DatabaseReport {
  environment: string | null;
  binding: string;
  databaseName: string;
  migrationsDir: string;
  /** wrangler's ledger table (`migrations_table`, default `d1_migrations`). */
  migrationsTable: string;
  /** See JudgedScope; decides which findings block (src/outcome.ts). */
  scope?: JudgedScope;
  /** Migrations a pull request (or `--since`) adds, and the paths it deletes, when the change is known. */
  changes?: { added: string[]; removed: string[] };
  /** The schema before and after the change's added migrations (both replayed); why not, when it could not be computed. */
  schemaChanges?: { changes: SchemaChange[] } | { error: string };
  /** Migration names in apply order. */
  migrations: string[];
  findings: Finding[];
  status: DatabaseStatus;
  /** Names pending before apply (preview), when known. */
  pending?: string[];
  /** Names this run applied. */
  applied?: string[];
  /** Ledger operations: names recorded as applied without running them (baseline, mark-applied), or renamed. */
  recorded?: string[];
  /** The migration that failed during apply, when one did. */
  failed?: { name: string; message: string; line?: number; kind: string };
  /** Names not attempted after a failure. */
  notAttempted?: string[];
  /** The ledger after the run (history phase). */
  history?: LedgerEntry[];
  bookmark?: string;
  /** Objects (tables, indexes, ...) of the replayed or tested schema. */
  schema?: SchemaObject[];
  /** Non-finding notes shown in the summary (e.g. "3 later migrations were not replayed"). */
  notes: string[];
  /** Why a phase could not complete (wrangler failure, classified); drives the fail mode. */
  failure?: { phase: Phase; kind: FailureKind; message: string };
  /** Schema read from the database itself (drift phase). */
  liveSchema?: SchemaObject[];
  /** Drift phase: how the live schema differs from the applied migrations and from other environments. */
  drift?: DriftComparison[];
  /** Production preflight (preview): the read-only questions asked of the target and their counts. */
  preflight?: PreflightReport;
  /** Per-migration timing of this run's apply, in ms. */
  timings?: { name: string; ms: number }[];
  durationMs: number;
}

/** The closed set wrangler failures are classified into (see src/wrangler/classify.ts). */
export type FailureKind =
  | 'not-authorized'
  | 'missing-credentials'
  | 'database-not-found'
  | 'sql-error'
  | 'too-large'
  | 'network'
  | 'timeout'
  | 'wrangler-missing'
  | 'cancelled'
  | 'config'
  /** wrangler exited 0, but the ledger read afterwards does not hold exactly what was pending. */
  | 'not-applied'
  /** Another run holds the database's apply lock (src/ledger-state/lock.ts). */
  | 'locked'
  /** A ledger operation refused to write: the live schema or the ledger disagrees with what it would record. */
  | 'refused'
  /** The request does not fit the database: `to` names no pending migration, a ledger operation's file is wrong. */
  | 'usage'
  | 'unknown';

/** Who/what triggered the run: the audit trail D1's own ledger lacks. */
export interface RunContext {
  actor?: string;
  sha?: string;
  ref?: string;
  repository?: string;
  eventName?: string;
  runUrl?: string;
  serverUrl?: string;
}

/** Logging the engine uses; the action maps it to @actions/core, the CLI to stderr. */
export interface EngineIO {
  info(message: string): void;
  warning(message: string): void;
  debug(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

/** One schema comparison of the drift phase; `changes` turn the reference into the live schema. */
export interface DriftComparison {
  /** What the live schema was compared with: `migrations` (a replay of the applied files) or `environment:<name>`. */
  against: string;
  changes: SchemaChange[];
}

export type SchemaChangeKind = 'added' | 'changed' | 'dropped' | 'renamed';
export type SchemaChangeObject = 'table' | 'column' | 'constraint' | 'index' | 'trigger' | 'view';

/** One difference between two schemas (src/report/schema-diff.ts computes them). */
export interface SchemaChange {
  kind: SchemaChangeKind;
  object: SchemaChangeObject;
  /** Object name; for a column, the column name; for a renamed table, the new name. */
  name: string;
  /** Table the object belongs to (the table itself for a table). */
  table: string;
  /** Column declaration (`email TEXT NOT NULL`), table constraint, or the object's SQL (after; before when dropped). */
  definition?: string;
  /** The declaration/SQL before, for `changed`; the old name for a renamed table. */
  before?: string;
  /** Column declarations of an added table. */
  columns?: string[];
}

export interface SchemaObject {
  type: 'table' | 'index' | 'trigger' | 'view';
  name: string;
  tableName: string;
  sql: string | null;
}

export type RunStatus = 'valid' | 'invalid' | 'applied' | 'up-to-date' | 'failed' | 'skipped';

export interface Report {
  status: RunStatus;
  /** Blocking errors and warnings: findings in migrations that will run (see JudgedScope). */
  errors: number;
  warnings: number;
  /** Findings in migrations that already ran (or that a change leaves untouched): reported, never blocking. */
  informational: number;
  databases: DatabaseReport[];
  durationMs: number;
  /** True when the run should fail the step/exit non-zero under the chosen fail mode. */
  failed: boolean;
  /** 0 or 1: what the action's step and the CLI end with (the CLI uses 2 for usage errors, before a run). */
  exitCode: 0 | 1;
  /** A message explaining why it failed, when it did. */
  failureMessage?: string;
}
