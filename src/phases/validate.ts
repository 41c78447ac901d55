import { discoverMigrations } from '../migrations/discover.js';
import { checkFilenames } from '../rules/filename-rules.js';
import { foldFindings } from '../rules/fold.js';
import { checkStaticRules } from '../rules/index.js';
import { applyRulePolicy, type PolicyFilter } from '../rules/policy.js';
import { replayMigrations, startTwinEarly, type ReplayInput } from '../replay/replay.js';
import { applySuppressions, parseMigration } from '../sql/split.js';
import type { ParsedMigration } from '../sql/types.js';
import type { DatabaseTarget, Finding, MigrationFile, MigrationSet, NumberingMode, SchemaObject } from '../types.js';

export interface ValidateOptions {
  numbering: NumberingMode;
  disabled: Set<string>;
  dataCheck?: boolean;
  /**
   * Names of migrations that already ran (or that the change under review leaves alone). Their findings are
   * informational, and a failure of one of them in the replay does not stop the replay: the real database
   * got past it, so the migrations after it are still checked.
   */
  settled?: ReadonlySet<string>;
  /** Severities, rules turned off and excluded paths (.d1-migrate.toml and inputs); `disabled` alone when absent. */
  policy?: PolicyFilter;
  /** The job's cancellation: the replay checks it between files. */
  signal?: AbortSignal;
  /** The replay cache's directory (see src/replay/cache.ts). */
  cacheDir?: string;
}

export interface ValidateResult {
  migrations: MigrationFile[];
  findings: Finding[];
  /** The schema the replay of the whole set produces. */
  schema: SchemaObject[];
  notes: string[];
  /** The files parsed once, for later replays (pending migrations on the live schema). */
  parsed: ParsedMigration[];
  /** Which SQLite build replayed them, for the log: `node:sqlite 3.53.4`, `SQLite WASM 3.54.1`. */
  sqlite: string;
}

/**
 * The validate phase: everything that can be known without a database or credentials — file naming,
 * static SQL rules, and a replay of the whole set on a D1-like SQLite.
 */
export async function validateDatabase(target: DatabaseTarget, opts: ValidateOptions & { cwd: string }): Promise<ValidateResult> {
  return validateMigrations(target, discoverMigrations(target, opts.cwd), opts);
}

/** validateDatabase on a set discovered already (the engine needs the file list before it validates). */
export async function validateMigrations(target: DatabaseTarget, set: MigrationSet, opts: ValidateOptions): Promise<ValidateResult> {
  const input: ReplayInput = {
    files: set.files,
    migrationsTable: target.migrationsTable,
    disabled: opts.disabled,
    dataCheck: opts.dataCheck ?? true,
    settled: opts.settled,
    signal: opts.signal,
    cacheDir: opts.cacheDir,
  };
  // The data check's worker (long runs) starts first: its start overlaps the parsing and the static rules.
  const twinStarted = startTwinEarly(input);
  try {
    const parsed = set.files.map((file) => parseMigration(file));
    const early = [...set.findings, ...checkFilenames(set.files, opts.numbering), ...checkStaticRules({ target, migrations: parsed, numbering: opts.numbering }, opts.disabled)];
    const replay = await replayMigrations({ ...input, parsed, ...(twinStarted && { twinStarted }) });
    return {
      migrations: set.files,
      findings: finishFindings([...early, ...replay.findings], parsed, opts.policy ?? { off: opts.disabled }, set.files, replay.keptRebuilds),
      schema: replay.schema,
      notes: replay.notes,
      parsed,
      sqlite: `${replay.engine.sqlite === 'node' ? 'node:sqlite' : 'SQLite WASM'} ${replay.engine.version}${replay.engine.twin === 'worker' ? ', data check in a worker thread' : ''}`,
    };
  } finally {
    twinStarted?.close();
  }
}

/**
 * Applies the rule policy (rules off, severities, excluded paths), drops suppressed (`-- d1-migrate-ignore`)
 * findings and orders the rest: one pass for every source.
 */
export function finishFindings(
  findings: Finding[],
  parsed: ParsedMigration[],
  policy: PolicyFilter,
  files: MigrationFile[],
  keptRebuilds: Parameters<typeof foldFindings>[1] = [],
): Finding[] {
  // Folding comes after suppression, so a comment above one statement still suppresses that statement.
  const kept = foldFindings(applySuppressions(applyRulePolicy(findings, policy), parsed), keptRebuilds);
  return sortFindings(kept, files.map((f) => f.relPath));
}

/** Findings in apply order of their files (set-wide findings first), then by line. */
export function sortFindings(findings: Finding[], fileOrder: string[] = []): Finding[] {
  const rank = new Map(fileOrder.map((f, i) => [f, i]));
  const key = (f: Finding) => (f.file === undefined ? -1 : rank.get(f.file) ?? fileOrder.length);
  return [...findings].sort(
    (a, b) =>
      key(a) - key(b) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.rule.localeCompare(b.rule),
  );
}
