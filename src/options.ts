import { isAbsolute, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { isInside } from './config/paths.js';
import { loadProjectConfig } from './config/project-config.js';
import { UsageError } from './errors.js';
import { RULE_IDS } from './rule-catalog.js';
import type { CommentMode, FailMode, LedgerPhase, NumberingMode, Options, Phase, Target } from './types.js';

/** Raw values by action input name (`fail-mode`, ...), as strings; empty or absent = not set. */
export type RawInputs = Partial<Record<InputName, string>>;

export const INPUT_NAMES = [
  'working-directory',
  'config',
  'environment',
  'database',
  'migrations-dir',
  'phases',
  'target',
  'fail-mode',
  'numbering',
  'disable-rules',
  'data-check',
  'cache-dir',
  'comment',
  'github-token',
  'cloudflare-api-token',
  'cloudflare-account-id',
  'wrangler',
  'persist-to',
  'rollback-on-failure',
  'bookmark',
  'notify-webhook',
  'report',
  'sarif',
  'timeout',
  'to',
  'force',
  'ledger-state',
] as const;
export type InputName = (typeof INPUT_NAMES)[number];

/** Phases the `phases` input accepts (the CLI's mark-applied and rename-applied are commands of their own). */
export const PHASES: readonly Phase[] = ['validate', 'preview', 'apply', 'history', 'test', 'restore', 'drift', 'baseline', 'unlock'];
export const LEDGER_PHASES: readonly LedgerPhase[] = ['baseline', 'mark-applied', 'rename-applied', 'unlock'];
/** How many arguments each ledger operation takes (CLI positionals). */
const LEDGER_ARGS: Record<LedgerPhase, { count: number; usage: string }> = {
  baseline: { count: 0, usage: 'd1-migrate baseline --to <migration> [--force]' },
  'mark-applied': { count: 1, usage: 'd1-migrate mark-applied <migration> [--force]' },
  'rename-applied': { count: 2, usage: 'd1-migrate rename-applied <old name> <new file> [--force]' },
  unlock: { count: 0, usage: 'd1-migrate unlock' },
};
const TARGETS: readonly Target[] = ['remote', 'local'];
const FAIL_MODES: readonly FailMode[] = ['strict', 'skip-unavailable', 'warn'];
const NUMBERING: readonly NumberingMode[] = ['sequential', 'unique', 'off'];
const COMMENT: readonly CommentMode[] = ['auto', 'off'];

export const DEFAULT_PHASES: readonly Phase[] = ['validate', 'preview', 'apply', 'history'];

/** Where a bad value came from, so the message names it the way the user wrote it. */
export type InputSource = 'action' | 'cli';

/** CLI flags whose name differs from the action input (args.ts FLAG_TO_INPUT). */
const CLI_FLAG: Partial<Record<InputName, string>> = { 'working-directory': 'cwd', environment: 'env' };

function label(name: InputName, source: InputSource): string {
  return source === 'cli' ? `--${CLI_FLAG[name] ?? name}` : `input '${name}'`;
}

function oneOf<T extends string>(name: InputName, raw: string | undefined, allowed: readonly T[], fallback: T, source: InputSource): T {
  const value = (raw ?? '').trim();
  if (value === '') return fallback;
  const lower = value.toLowerCase() as T;
  if (allowed.includes(lower)) return lower;
  throw new UsageError(`Invalid ${label(name, source)}: "${value}". Allowed values: ${allowed.join(', ')}.`);
}

/** Comma- or newline-separated list; blanks dropped. */
export function splitList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function bool(name: InputName, raw: string | undefined, source: InputSource, fallback = false): boolean {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '') return fallback;
  if (['true', 'yes', '1', 'on'].includes(value)) return true;
  if (['false', 'no', '0', 'off'].includes(value)) return false;
  throw new UsageError(`Invalid ${label(name, source)}: "${raw}". Allowed values: true, false.`);
}

function optional(raw: string | undefined): string | undefined {
  const value = (raw ?? '').trim();
  return value === '' ? undefined : value;
}

/**
 * The replay cache's directory (src/replay/cache.ts), absolute. The cache trusts what it finds there, so it
 * may not be inside the working directory or the checkout, where a pull request can put files.
 */
function parseCacheDir(rawValue: string | undefined, cwd: string, env: NodeJS.ProcessEnv, source: InputSource): string | undefined {
  const value = optional(rawValue);
  if (value === undefined) return undefined;
  const dir = resolve(cwd, value);
  // isInside tests whole segments: a directory named `..cache` is inside, not a parent reference.
  const root = [cwd, env.GITHUB_WORKSPACE].find((r) => r !== undefined && r !== '' && isInside(resolve(r), dir));
  if (root !== undefined) {
    throw new UsageError(
      `Invalid ${label('cache-dir', source)}: "${value}" is inside ${root === cwd ? 'the working directory' : 'the checkout (GITHUB_WORKSPACE)'}, where a pull request could put files the cache would trust. Use a directory outside it, e.g. \${{ runner.temp }}/d1-migrate-cache restored with actions/cache.`,
    );
  }
  return dir;
}

/** The one place inputs are checked: every bad value fails here, before anything runs. */
export function parseOptions(
  raw: RawInputs,
  opts: { baseDir: string; source: InputSource; env?: NodeJS.ProcessEnv; /** CLI positionals of a ledger command. */ ledgerArgs?: string[] },
): Options {
  const { source } = opts;
  const env = opts.env ?? process.env;
  const cwd = resolve(opts.baseDir, optional(raw['working-directory']) ?? '.');

  const phaseList = splitList(raw.phases).map((p) => p.toLowerCase());
  const phases: Phase[] = [];
  // mark-applied and rename-applied take file arguments: CLI commands only.
  const allowed: readonly Phase[] = opts.ledgerArgs ? [...PHASES, ...LEDGER_PHASES] : PHASES;
  for (const p of phaseList.length ? phaseList : DEFAULT_PHASES) {
    if (!allowed.includes(p as Phase)) {
      throw new UsageError(`Invalid ${label('phases', source)}: unknown phase "${p}" in "${raw.phases}". Allowed phases: ${PHASES.join(', ')}.`);
    }
    if (!phases.includes(p as Phase)) phases.push(p as Phase);
  }
  if (phases.includes('restore') && phases.length > 1) {
    throw new UsageError(`Invalid ${label('phases', source)}: "restore" runs alone (got "${phases.join(',')}"). Run restore in its own step.`);
  }
  const ledgerPhase = phases.find((p): p is LedgerPhase => (LEDGER_PHASES as readonly string[]).includes(p));
  if (ledgerPhase && phases.length > 1) {
    throw new UsageError(`Invalid ${label('phases', source)}: "${ledgerPhase}" runs alone (got "${phases.join(',')}"). Run it in its own step.`);
  }
  const bookmark = optional(raw.bookmark);
  if (phases.includes('restore') && !bookmark) {
    throw new UsageError(`The restore phase needs ${label('bookmark', source)}: the Time Travel bookmark to restore to (the 'bookmark' output of the run that applied the migrations).`);
  }
  if (bookmark && !/^[A-Za-z0-9-]{1,200}$/.test(bookmark)) {
    throw new UsageError(`Invalid ${label('bookmark', source)}: "${bookmark}". A Time Travel bookmark contains only letters, digits and '-'.`);
  }

  const target = oneOf('target', raw.target, TARGETS, 'remote', source);
  const failMode = oneOf('fail-mode', raw['fail-mode'], FAIL_MODES, 'strict', source);
  // Not given = undefined: .d1-migrate.toml or the default decides (rulePolicy), so a config value is not
  // silently overridden by a default.
  const numbering = optional(raw.numbering) === undefined ? undefined : oneOf('numbering', raw.numbering, NUMBERING, 'sequential', source);
  const comment = oneOf('comment', raw.comment, COMMENT, 'auto', source);

  const disableRules = splitList(raw['disable-rules']);
  for (const id of disableRules) {
    if (!RULE_IDS.has(id)) {
      throw new UsageError(`Invalid ${label('disable-rules', source)}: unknown rule "${id}". Known rules: ${[...RULE_IDS].join(', ')}.`);
    }
  }

  const envList = splitList(raw.environment);
  for (const e of envList) {
    if (!/^[A-Za-z0-9_-]+$/.test(e)) {
      throw new UsageError(`Invalid ${label('environment', source)}: "${e}". An environment name (wrangler --env) contains only letters, digits, '-' and '_'.`);
    }
  }
  const environments: (string | null)[] = envList.length ? envList : [null];

  const persistTo = optional(raw['persist-to']);
  if (persistTo && target !== 'local') {
    throw new UsageError(`${label('persist-to', source)} is only used with target local (got target "${target}").`);
  }

  const cacheDir = parseCacheDir(raw['cache-dir'], cwd, env, source);

  let timeoutMs = 10 * 60 * 1000;
  const timeoutRaw = optional(raw.timeout);
  if (timeoutRaw) {
    const seconds = Number(timeoutRaw);
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 6 * 3600) {
      throw new UsageError(`Invalid ${label('timeout', source)}: "${timeoutRaw}". Allowed: a number of seconds between 1 and 21600.`);
    }
    timeoutMs = Math.round(seconds * 1000);
  }

  const reportRaw = optional(raw.report);
  const reportPath = reportRaw
    ? isAbsolute(reportRaw) ? reportRaw : resolve(cwd, reportRaw)
    : source === 'action'
      ? join(env.RUNNER_TEMP || tmpdir(), `d1-migrate-report-${env.GITHUB_RUN_ID ?? process.pid}-${env.GITHUB_ACTION ?? 'step'}.json`)
      : undefined;

  const sarifRaw = optional(raw.sarif);
  if (sarifRaw !== undefined && !/\.sarif(\.json)?$/i.test(sarifRaw)) {
    throw new UsageError(`Invalid ${label('sarif', source)}: "${sarifRaw}". Give a file path ending in .sarif (or .sarif.json), e.g. d1-migrate.sarif.`);
  }

  const to = optional(raw.to);
  if (to !== undefined && !phases.includes('apply') && ledgerPhase !== 'baseline') {
    throw new UsageError(`${label('to', source)} is for apply (apply up to and including that migration) and baseline; phases are "${phases.join(',')}".`);
  }
  if (ledgerPhase === 'baseline' && to === undefined) {
    throw new UsageError(`baseline needs ${label('to', source)}: the last migration the database already has (a file name, e.g. 0007_add_jobs.sql, or its number when unique). Usage: ${LEDGER_ARGS.baseline.usage}`);
  }
  if (to !== undefined && (/[\r\n\0]/.test(to) || to.length > 500)) {
    throw new UsageError(`Invalid ${label('to', source)}: ${JSON.stringify(to.slice(0, 80))}. Give one migration file name (e.g. 0007_add_jobs.sql) or its number.`);
  }
  const force = bool('force', raw.force, source);
  if (force && !(ledgerPhase === 'baseline' || ledgerPhase === 'mark-applied' || ledgerPhase === 'rename-applied')) {
    throw new UsageError(`${label('force', source)} is only for baseline, mark-applied and rename-applied.`);
  }
  const ledgerState = bool('ledger-state', raw['ledger-state'], source, true);
  if (ledgerPhase === 'unlock' && !ledgerState) {
    throw new UsageError(`unlock removes the apply lock, which lives in the state table that ${label('ledger-state', source)} false turns off.`);
  }
  const ledgerArgs = opts.ledgerArgs ?? [];
  if (ledgerPhase && source === 'cli' && ledgerArgs.length !== LEDGER_ARGS[ledgerPhase].count) {
    throw new UsageError(`${ledgerPhase} takes ${LEDGER_ARGS[ledgerPhase].count || 'no'} argument(s), got ${ledgerArgs.length}. Usage: ${LEDGER_ARGS[ledgerPhase].usage}`);
  }

  return {
    cwd,
    config: optional(raw.config),
    environments,
    database: optional(raw.database),
    migrationsDir: optional(raw['migrations-dir']),
    phases,
    target,
    failMode,
    numbering,
    disableRules,
    comment,
    githubToken: optional(raw['github-token']),
    cloudflareApiToken: optional(raw['cloudflare-api-token']),
    cloudflareAccountId: optional(raw['cloudflare-account-id']),
    wrangler: optional(raw.wrangler),
    persistTo,
    rollbackOnFailure: bool('rollback-on-failure', raw['rollback-on-failure'], source),
    dataCheck: optional(raw['data-check']) === undefined ? undefined : bool('data-check', raw['data-check'], source),
    ...(cacheDir !== undefined && { cacheDir }),
    bookmark,
    notifyWebhook: optional(raw['notify-webhook']),
    reportPath,
    sarifPath: sarifRaw === undefined ? undefined : isAbsolute(sarifRaw) ? sarifRaw : resolve(cwd, sarifRaw),
    timeoutMs,
    ...(to !== undefined ? { to } : {}),
    ledgerState,
    force,
    ...(ledgerPhase ? { ledgerArgs } : {}),
    // Read here so that a bad key or value in it fails like a bad input, before anything runs.
    projectConfig: loadProjectConfig({ cwd, wranglerConfig: optional(raw.config), env }),
  };
}
