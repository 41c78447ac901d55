import path from 'node:path';
import { findConfig } from './config/find-config.js';
import { resolveDatabases } from './config/resolve-databases.js';
import { migrationChanges } from './migrations/changes.js';
import { discoverMigrations } from './migrations/discover.js';
import { applyGate, countFindings, decideDatabase, decideRun } from './outcome.js';
import { applyPhase } from './phases/apply.js';
import { schemaChangesOfChange } from './phases/change-schema.js';
import { compareEnvironments, driftPhase } from './phases/drift.js';
import { historyPhase } from './phases/history.js';
import { checkApplyTo } from './phases/apply-to.js';
import { judgePendingOnLiveSchema } from './phases/judge-pending.js';
import { preflightPhase } from './phases/preflight.js';
import { isLedgerOperation, ledgerOperationPhase } from './phases/ledger-ops/index.js';
import { settleLedgerState } from './phases/ledger-state.js';
import { previewPhase } from './phases/preview.js';
import { recordFindings } from './phases/record.js';
import { restorePhase } from './phases/restore.js';
import { testPhase } from './phases/test.js';
import type { PhaseContext } from './phases/types.js';
import { validateMigrations, type ValidateResult } from './phases/validate.js';
import { databaseLabel } from './report/label.js';
import { rulePolicy } from './rules/policy.js';
import type { ChangeSet, DatabaseReport, DatabaseTarget, EngineIO, Options, Report, RunContext } from './types.js';

export interface EngineRun {
  options: Options;
  io: EngineIO;
  run?: RunContext;
  /** Environment handed to wrangler (CLOUDFLARE_* set from the options here). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /**
   * What a pull request (or `--since <ref>`) changes, when known before the run: the migrations it touches
   * are judged, the others are informational — until a database's ledger says what will really run.
   */
  change?: ChangeSet;
}

interface DatabaseRun {
  options: Options;
  io: EngineIO;
  run: RunContext;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  change?: ChangeSet;
}

/**
 * Runs the chosen phases for every environment (in order) and every selected database. Stops before
 * the next environment once one fails, so `environment: staging, production` never reaches production
 * after a failed staging.
 */
export async function runEngine({ options, io, run = {}, env = process.env, signal, change }: EngineRun): Promise<Report> {
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
      const report = await io.group(`d1-migrate: ${databaseLabel(target, { name: true })}`, () =>
        processDatabase(target, { options, io, run, env: wranglerEnv, signal, change }),
      );
      databases.push(report);
    }
    const rest = plan.slice(i + 1).map((p) => p.environment ?? 'top level');
    if (rest.length && databases.some((d) => decideDatabase(d, options).failsStep)) {
      const message = `Stopped after environment "${environment ?? 'top level'}" failed; not processed: ${rest.join(', ')}.`;
      io.warning(message);
      databases[databases.length - 1]?.notes.push(message);
      break;
    }
  }
  if (options.phases.includes('drift')) compareEnvironments(databases);
  for (const d of databases) d.status = decideDatabase(d, options).status;
  return summarise(databases, options, Date.now() - started);
}

async function processDatabase(target: DatabaseTarget, ctx: DatabaseRun): Promise<DatabaseReport> {
  const { options, io } = ctx;
  const started = Date.now();
  const has = (p: string) => options.phases.includes(p as never);
  const report: DatabaseReport = {
    environment: target.environment,
    binding: target.binding,
    databaseName: target.databaseName,
    migrationsDir: target.migrationsDir,
    migrationsTable: target.migrationsTable,
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

  const set = discoverMigrations(target, options.cwd);
  phase.migrations = set.files;
  report.migrations = set.files.map((m) => m.name);
  if (ctx.change) judgeChange(phase, ctx.change);
  if (isLedgerOperation(options)) {
    await ledgerOperationPhase(phase);
    return finish(report, started, options);
  }

  // Apply never runs unvalidated: validate is implied by apply (and test). preview, history and drift only
  // need the file list, so they discover without running the rules and the replay.
  let validated: ValidateResult | undefined;
  if (has('validate') || has('apply') || has('test')) {
    const settled = report.scope ? new Set(set.files.filter((m) => report.scope!.settled.includes(m.relPath)).map((m) => m.name)) : undefined;
    const policy = rulePolicy(options, target.environment);
    validated = await validateMigrations(target, set, {
      numbering: policy.numbering,
      disabled: new Set(policy.off),
      dataCheck: policy.dataCheck,
      cacheDir: options.cacheDir,
      policy,
      settled,
      signal: ctx.signal,
    });
    report.findings.push(...validated.findings);
    report.notes.push(...validated.notes);
    report.schema = validated.schema;
    if (ctx.change && report.changes) report.schemaChanges = await schemaChangesOfChange(phase, validated, report.changes.added);
    const counts = countFindings(report);
    io.info(`validate: ${validated.migrations.length} migrations, ${counts.errors} errors, ${counts.warnings} warnings${counts.informational ? `, ${counts.informational} informational` : ''} (replayed on ${validated.sqlite})`);
  }

  try {
    if (has('preview') || has('apply')) {
      // The live schema travels in the ledger's request: the pending files are judged and preflighted on it.
      // A run that applies also takes the apply lock in that request (src/phases/ledger-state.ts).
      await previewPhase(phase, { withSchema: true, forApply: has('apply') });
      if (validated && !report.failure) await judgePendingOnLiveSchema(phase, validated);
      if (!report.failure && !ctx.signal?.aborted) await preflightPhase(phase, validated?.parsed);
    }
    if (has('apply')) {
      if (!report.failure) checkApplyTo(phase);
      // Every finding that can block is known now: validate's, the change's, the ledger's and the preflight's.
      const gate = applyGate(report, options.failMode);
      if (gate.go) await applyPhase(phase);
      else {
        phase.heldBack = true;
        report.notes.push(gate.reason);
      }
    }
  } finally {
    // Released on every path: applied, held back by the gate, nothing pending, failed, cancelled.
    await settleLedgerState(phase);
  }
  if (has('history') && !(report.failure && report.failure.phase === 'preview')) await historyPhase(phase);
  if (has('test') && !ctx.signal?.aborted) await testPhase(phase);
  if (has('drift') && !ctx.signal?.aborted && !report.failure) await driftPhase(phase);
  return finish(report, started, options);
}

/**
 * The change under review decides what is judged until a ledger is read: the migrations it adds or edits;
 * the ones it leaves as they are on its base are settled. Edits, renames and deletions of existing
 * migrations are `modified-migration` errors.
 */
function judgeChange(phase: PhaseContext, change: ChangeSet): void {
  const { report } = phase;
  const c = migrationChanges(change.files, report, { repoPrefix: change.repoPrefix, baseRef: change.base });
  const touched = new Set(c.touched);
  report.changes = { added: c.added, removed: c.removed };
  recordFindings(phase, c.findings);
  warnIfChangesPolicy(phase, change);
  // A list that may miss files settles nothing: every migration is judged, as without a change.
  if (change.incomplete) return;
  report.scope = {
    basis: change.basis,
    settled: phase.migrations.filter((m) => !touched.has(m.name)).map((m) => m.relPath),
    judged: c.touched,
    ...(change.base !== undefined ? { base: change.base } : {}),
  };
}

/**
 * The rule policy is read from the checkout, so a change to .d1-migrate.toml applies to the very check that
 * judges it (it can turn a rule off or exclude its own files). Said where a reviewer reads it; whether such a
 * change is acceptable is the reviewer's call.
 */
function warnIfChangesPolicy(phase: PhaseContext, change: ChangeSet): void {
  const config = phase.options.projectConfig;
  if (!config) return;
  const fromCwd = path.relative(phase.options.cwd, config.path).split(path.sep).join('/');
  const inRepo = path.posix.normalize(path.posix.join(change.repoPrefix || '.', fromCwd));
  const touched = change.files.find((f) => f.filename === inRepo || f.previous_filename === inRepo);
  if (!touched) return;
  const message =
    `${change.basis === 'pull-request' ? 'This pull request' : `The change since ${change.base ?? 'the base'}`} ${touched.status === 'removed' ? 'removes' : 'changes'} ${inRepo}, ` +
    'the rule settings this check ran with (severities, rules turned off, excluded paths): review that change with the migrations.';
  phase.report.notes.push(message);
  phase.io.warning(message);
}

function finish(report: DatabaseReport, started: number, options: Options): DatabaseReport {
  report.durationMs = Date.now() - started;
  report.status = decideDatabase(report, options).status;
  return report;
}

/** The run's report: statuses, counts and the failure come from the outcome decision (src/outcome.ts). */
export function summarise(databases: DatabaseReport[], options: Options, durationMs: number): Report {
  const outcome = decideRun(databases, options);
  return {
    status: outcome.status,
    errors: outcome.errors,
    warnings: outcome.warnings,
    informational: outcome.informational,
    databases,
    durationMs,
    failed: outcome.failed,
    exitCode: outcome.exitCode,
    ...(outcome.failureMessage !== undefined ? { failureMessage: outcome.failureMessage } : {}),
  };
}

/** wrangler reads credentials from the environment only; tokens never go on a command line. */
function wranglerEnvironment(options: Options, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // What reaches wrangler of it is decided by the allow-list in src/wrangler/child-env.ts (which never passes
  // CLOUDFLARE_ENV: wrangler would act on another environment than the one validated).
  const out: NodeJS.ProcessEnv = { ...env };
  if (options.cloudflareApiToken) out.CLOUDFLARE_API_TOKEN = options.cloudflareApiToken;
  if (options.cloudflareAccountId) out.CLOUDFLARE_ACCOUNT_ID = options.cloudflareAccountId;
  return out;
}
