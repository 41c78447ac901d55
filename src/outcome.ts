/**
 * The one place that decides what the facts of a run add up to: which findings block, whether apply may
 * start, each database's status and whether it fails the step, and the run's status and exit code.
 * Phases only record facts (findings, a classified failure, what was applied); nothing else computes a
 * status. Pure, so `__tests__/outcome.test.ts` can check it as a table over every combination.
 */
import { LEDGER_RULES } from './rule-catalog.js';
import { databaseLabel } from './report/label.js';
import type { DatabaseReport, DatabaseStatus, FailMode, FailureKind, Finding, JudgedScope, Phase, RunStatus } from './types.js';

/** The facts of one database the decision reads. */
export type DatabaseFacts = Pick<DatabaseReport, 'findings' | 'scope' | 'failure' | 'applied' | 'pending' | 'recorded'>;

/** What the user asked for: the phases and how failures count. */
export interface RunRules {
  phases: readonly Phase[];
  failMode: FailMode;
}

export interface DatabaseOutcome {
  status: DatabaseStatus;
  /** The step (and the CLI) must fail because of this database. */
  failsStep: boolean;
  /** Why, in one sentence, when it fails or is skipped. */
  reason?: string;
}

export interface RunOutcome {
  status: RunStatus;
  failed: boolean;
  exitCode: 0 | 1;
  failureMessage?: string;
  errors: number;
  warnings: number;
  informational: number;
}

/**
 * Failures that mean "D1 is not available to this account or token": `skip-unavailable` turns them into a
 * warning. Both kinds are decided from structure only (src/wrangler/classify.ts), never after a migration
 * started, so a migration's own error text can never produce them.
 */
const UNAVAILABLE: ReadonlySet<FailureKind> = new Set(['not-authorized', 'missing-credentials']);

const settledCache = new WeakMap<JudgedScope, ReadonlySet<string>>();

function settledFiles(scope: JudgedScope): ReadonlySet<string> {
  let set = settledCache.get(scope);
  if (!set) {
    set = new Set(scope.settled);
    settledCache.set(scope, set);
  }
  return set;
}

/**
 * A finding in a migration that already ran on the target (or that the change under review leaves as it
 * is) cannot be fixed by editing that file — editing an applied migration is itself wrong — so it is
 * reported, never blocking. Ledger rules are about what the next apply does, so they always count.
 */
export function isInformational(f: Finding, scope: JudgedScope | undefined): boolean {
  if (!scope || f.file === undefined || LEDGER_RULES.has(f.rule)) return false;
  return settledFiles(scope).has(f.file);
}

/** The findings that count: every finding outside settled files. */
export function judgedFindings(db: Pick<DatabaseReport, 'findings' | 'scope'>): Finding[] {
  return db.findings.filter((f) => !isInformational(f, db.scope));
}

export function countFindings(db: Pick<DatabaseReport, 'findings' | 'scope'>): { errors: number; warnings: number; informational: number } {
  let errors = 0;
  let warnings = 0;
  let informational = 0;
  for (const f of db.findings) {
    if (isInformational(f, db.scope)) informational++;
    else if (f.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings, informational };
}

/**
 * Whether apply may start. Every finding that can block — validate's, the ledger's, the pull request's —
 * is known before this is asked. `warn` reports and applies anyway: it is for report-only jobs and says so.
 */
export function applyGate(db: DatabaseFacts, failMode: FailMode): { go: true } | { go: false; reason: string } {
  if (db.failure) return { go: false, reason: `Nothing was applied: ${db.failure.phase} failed (${db.failure.kind}).` };
  const { errors } = countFindings(db);
  if (errors > 0 && failMode !== 'warn') {
    return { go: false, reason: `Nothing was applied: ${errors} error(s) in the migrations that would run (fail-mode ${failMode}).` };
  }
  return { go: true };
}

/** Status of one database, and whether it fails the step under the fail mode. */
export function decideDatabase(db: DatabaseFacts, rules: RunRules): DatabaseOutcome {
  const { errors } = countFindings(db);
  const appliedNow = (db.applied?.length ?? 0) > 0;
  const failing = rules.failMode !== 'warn';
  const failure = db.failure;
  // D1 being unavailable is skipped only when nothing else is wrong: what validate found still counts, and
  // a run that already applied something is never "skipped".
  const skip = failure !== undefined && rules.failMode === 'skip-unavailable' && UNAVAILABLE.has(failure.kind) && !appliedNow;
  if (failure && !skip) {
    return { status: 'failed', failsStep: failing, reason: `${failure.phase} failed (${failure.kind}): ${failure.message}` };
  }
  if (errors > 0) {
    const where = db.scope ? 'in the migrations that will run' : 'found by validate';
    return { status: 'invalid', failsStep: failing, reason: `${errors} migration error(s) ${where}` };
  }
  if (failure) {
    return { status: 'skipped', failsStep: false, reason: `D1 is not available (${failure.kind}): ${failure.message}` };
  }
  if (rules.phases.includes('restore')) return { status: 'applied', failsStep: false };
  // Ledger operations: applied when they recorded something, up-to-date when there was nothing to record.
  if (rules.phases.includes('unlock')) return { status: 'valid', failsStep: false };
  if (rules.phases.some((p) => p === 'baseline' || p === 'mark-applied' || p === 'rename-applied')) {
    return { status: (db.recorded?.length ?? 0) > 0 ? 'applied' : 'up-to-date', failsStep: false };
  }
  if (rules.phases.includes('apply') && db.pending !== undefined) return { status: appliedNow ? 'applied' : 'up-to-date', failsStep: false };
  return { status: 'valid', failsStep: false };
}

/** Worst first: the run's status is that of its worst database. */
const STATUS_RANK: RunStatus[] = ['failed', 'invalid', 'skipped', 'applied', 'up-to-date', 'valid'];

/** The run: its status, whether it failed (exit code 1) and why, and the finding counts. */
export function decideRun(databases: (DatabaseFacts & Pick<DatabaseReport, 'environment' | 'binding'>)[], rules: RunRules): RunOutcome {
  let status: RunStatus = 'valid';
  let errors = 0;
  let warnings = 0;
  let informational = 0;
  const failing: { label: string; reason: string }[] = [];
  for (const d of databases) {
    const outcome = decideDatabase(d, rules);
    if (STATUS_RANK.indexOf(outcome.status) < STATUS_RANK.indexOf(status)) status = outcome.status;
    if (outcome.failsStep) failing.push({ label: databaseLabel(d), reason: outcome.reason ?? outcome.status });
    const counts = countFindings(d);
    errors += counts.errors;
    warnings += counts.warnings;
    informational += counts.informational;
  }
  const first = failing[0];
  const failureMessage = first
    ? `${first.label}: ${first.reason}${failing.length > 1 ? ` (and ${failing.length - 1} more database(s))` : ''}`
    : undefined;
  return { status, failed: failing.length > 0, exitCode: failing.length > 0 ? 1 : 0, failureMessage, errors, warnings, informational };
}
