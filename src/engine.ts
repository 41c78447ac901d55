import { findConfig } from './config/find-config.js';
import { resolveDatabases } from './config/resolve-databases.js';
import { applyPhase } from './phases/apply.js';
import { compareEnvironments, driftPhase } from './phases/drift.js';
import { historyPhase } from './phases/history.js';
import { previewPhase } from './phases/preview.js';
import { restorePhase } from './phases/restore.js';
import { testPhase } from './phases/test.js';
import type { PhaseContext } from './phases/types.js';
import { validateDatabase } from './phases/validate.js';
import { discoverMigrations } from './migrations/discover.js';
import type { DatabaseReport, DatabaseStatus, DatabaseTarget, EngineIO, Options, Report, RunContext, RunStatus } from './types.js';

export interface EngineRun {
  options: Options;
  io: EngineIO;
  run?: RunContext;
  /** Environment handed to wrangler (CLOUDFLARE_* set from the options here). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/**
 * Runs the chosen phases for every environment (in order) and every selected database. Stops before
 * the next environment once one fails, so `environment: staging, production` never reaches production
 * after a failed staging.
 */
export async function runEngine({ options, io, run = {}, env = process.env, signal }: EngineRun): Promise<Report> {
  const started = Date.now();
  const wranglerEnv = wranglerEnvironment(options, env);
  const configPath = findConfig(options.cwd, options.config);
  io.debug(`config: ${configPath}`);

  // Resolve every environment up front: a typo in the last environment must fail before the first applies.
  const plan = options.environments.map((environment) => ({
    environment,
    targets: resolveDatabases({
      cwd: options.cwd,
      configPath,
      environment,
      database: options.database,
      migrationsDir: options.migrationsDir,
    }),
  }));

  const databases: DatabaseReport[] = [];
  for (const [i, { environment, targets }] of plan.entries()) {
    for (const target of targets) {
      if (signal?.aborted) break;
      const title = `${environment ?? 'top level'} · ${target.binding} (${target.databaseName})`;
      const report = await io.group(`d1-migrate: ${title}`, () =>
        processDatabase(target, { options, io, run, env: wranglerEnv, signal }),
      );
      databases.push(report);
    }
    const rest = plan.slice(i + 1).map((p) => p.environment ?? 'top level');
    if (rest.length && databases.some((d) => wouldFail(d, options))) {
      const message = `Stopped after environment "${environment ?? 'top level'}" failed; not processed: ${rest.join(', ')}.`;
      io.warning(message);
      databases[databases.length - 1]?.notes.push(message);
      break;
    }
  }
  if (options.phases.includes('drift')) {
    compareEnvironments(databases);
    for (const d of databases) d.status = databaseStatus(d, options);
  }
  return summarise(databases, options, Date.now() - started);
}

async function processDatabase(
  target: DatabaseTarget,
  ctx: { options: Options; io: EngineIO; run: RunContext; env: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<DatabaseReport> {
  const { options, io } = ctx;
  const started = Date.now();
  const has = (p: string) => options.phases.includes(p as never);
  const report: DatabaseReport = {
    environment: target.environment,
    binding: target.binding,
    databaseName: target.databaseName,
    migrationsDir: target.migrationsDir,
    migrations: [],
    findings: [],
    status: 'valid',
    notes: [],
    durationMs: 0,
  };
  const phase: PhaseContext = { options, target, migrations: [], report, io, run: ctx.run, env: ctx.env, signal: ctx.signal };

  if (has('restore')) {
    await restorePhase(phase);
    return finish(report, started, options);
  }

  // Apply never runs unvalidated: validate is implied by apply (and test). preview, history and drift only
  // need the file list, so they discover without running the rules and the replay.
  if (has('validate') || has('apply') || has('test')) {
    const validated = await validateDatabase(target, {
      cwd: options.cwd,
      numbering: options.numbering,
      disabled: new Set(options.disableRules),
      dataCheck: options.dataCheck,
    });
    phase.migrations = validated.migrations;
    report.findings.push(...validated.findings);
    report.notes.push(...validated.notes);
    report.schema = validated.schema;
    io.info(`validate: ${validated.migrations.length} migrations, ${count(report, 'error')} errors, ${count(report, 'warning')} warnings`);
  } else {
    phase.migrations = discoverMigrations(target, options.cwd).files;
  }
  report.migrations = phase.migrations.map((m) => m.name);
  const invalid = report.findings.some((f) => f.severity === 'error');

  if (has('preview') || has('apply')) await previewPhase(phase);
  if (has('apply')) {
    if (invalid && options.failMode !== 'warn') {
      report.notes.push('Nothing was applied: validation found errors (fail-mode ' + options.failMode + ').');
    } else if (!report.failure) {
      await applyPhase(phase);
    }
  }
  if (has('history') && !(report.failure && report.failure.phase === 'preview')) await historyPhase(phase);
  if (has('test') && !ctx.signal?.aborted) await testPhase(phase);
  if (has('drift') && !ctx.signal?.aborted && !report.failure) await driftPhase(phase);
  return finish(report, started, options);
}

function count(report: DatabaseReport, severity: 'error' | 'warning'): number {
  return report.findings.filter((f) => f.severity === severity).length;
}

function finish(report: DatabaseReport, started: number, options: Options): DatabaseReport {
  report.durationMs = Date.now() - started;
  report.status = databaseStatus(report, options);
  return report;
}

/** Status of one database; the phases record facts, this decides what they add up to. */
export function databaseStatus(report: DatabaseReport, options: Options): DatabaseStatus {
  if (report.failure) {
    if (report.failure.kind === 'not-authorized' && options.failMode === 'skip-unavailable') return 'skipped';
    return 'failed';
  }
  if (report.findings.some((f) => f.severity === 'error') && !(report.applied && report.applied.length)) return 'invalid';
  if (options.phases.includes('apply') && report.pending !== undefined) {
    return report.applied && report.applied.length ? 'applied' : 'up-to-date';
  }
  if (options.phases.includes('restore')) return 'applied';
  return report.findings.some((f) => f.severity === 'error') ? 'invalid' : 'valid';
}

/** Whether this database's outcome fails the step under the fail mode. */
export function wouldFail(report: DatabaseReport, options: Options): boolean {
  if (options.failMode === 'warn') return false;
  if (report.failure) return !(report.failure.kind === 'not-authorized' && options.failMode === 'skip-unavailable');
  return report.findings.some((f) => f.severity === 'error');
}

const STATUS_RANK: RunStatus[] = ['failed', 'invalid', 'skipped', 'applied', 'up-to-date', 'valid'];

export function summarise(databases: DatabaseReport[], options: Options, durationMs: number): Report {
  const errors = databases.reduce((n, d) => n + count(d, 'error'), 0);
  const warnings = databases.reduce((n, d) => n + count(d, 'warning'), 0);
  let status: RunStatus = 'valid';
  for (const d of databases) if (STATUS_RANK.indexOf(d.status) < STATUS_RANK.indexOf(status)) status = d.status;
  const failing = databases.filter((d) => wouldFail(d, options));
  let failureMessage: string | undefined;
  const d = failing[0];
  if (d) {
    const where = `${d.environment ?? 'top level'} · ${d.binding}`;
    failureMessage = d.failure
      ? `${where}: ${d.failure.phase} failed (${d.failure.kind}): ${d.failure.message}`
      : `${where}: ${count(d, 'error')} migration error(s) found by validate`;
    if (failing.length > 1) failureMessage += ` (and ${failing.length - 1} more database(s))`;
  }
  return { status, errors, warnings, databases, durationMs, failed: failing.length > 0, failureMessage };
}

/** wrangler reads credentials from the environment only; tokens never go on a command line. */
function wranglerEnvironment(options: Options, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  // wrangler falls back to CLOUDFLARE_ENV when --env is absent; the config was resolved without it, so
  // leaving it set would make wrangler act on another environment than the one validated.
  delete out.CLOUDFLARE_ENV;
  if (options.cloudflareApiToken) out.CLOUDFLARE_API_TOKEN = options.cloudflareApiToken;
  if (options.cloudflareAccountId) out.CLOUDFLARE_ACCOUNT_ID = options.cloudflareAccountId;
  return out;
}
