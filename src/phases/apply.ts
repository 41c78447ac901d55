import type { LedgerEntry } from '../types.js';
import type { Classified } from '../wrangler/classify.js';
import { readLedger, type LedgerRead } from '../wrangler/ledger.js';
import { ApplyProgress } from '../wrangler/progress.js';
import { scopedSession } from '../wrangler/scoped-config.js';
import { d1Args, openSession, succeeded, type WranglerSession } from '../wrangler/session.js';
import { currentBookmark, restoreBookmark, restoreCommand } from '../wrangler/time-travel.js';
import { failureLine } from './failure-line.js';
import { pendingMigrations } from './ledger.js';
import { readBackAfterApply } from './ledger-state.js';
import type { PhaseContext } from './types.js';

/** How long the ledger re-read after apply may take (also after a timeout or cancellation). */
const REREAD_TIMEOUT_MS = 30_000;

/**
 * One `wrangler d1 migrations apply` for the database, then the ledger read back — after success too:
 * wrangler's exit code and output are not proof (it may read the folder differently, or say "No migrations
 * to apply!"), the ledger is. Afterwards the report says exactly what this run applied, which migration
 * failed (with SQLite's message and line) and what was not attempted.
 */
export async function applyPhase(ctx: PhaseContext): Promise<void> {
  const { report, io } = ctx;
  const session = openSession(ctx);
  if (session.command.problem) {
    fail(ctx, { kind: 'wrangler-missing', message: session.command.problem });
    return;
  }

  if (!ctx.ledgerBefore) {
    const read = await readLedger(session);
    if (!read.ok) {
      fail(ctx, read.failure);
      return;
    }
    ctx.ledgerBefore = read.entries;
  }
  const before = ctx.ledgerBefore;
  // `--to`: only the files up to that migration are given to wrangler (src/wrangler/scoped-config.ts).
  const expectedFiles = pendingMigrations(ctx.applyUpTo ?? ctx.migrations, before);
  const expected = expectedFiles.map((m) => m.name);
  report.pending ??= expected;
  if (expected.length === 0) {
    // Nothing pending as of a ledger read moments ago: a wrangler run would only re-read it.
    report.applied = [];
    ctx.ledgerAfter = before;
    io.info('apply: nothing to apply, the database is up to date');
    return;
  }

  if (session.where === 'remote') {
    const bm = await currentBookmark(session);
    if (bm.ok) {
      report.bookmark = bm.bookmark;
      io.info(`apply: Time Travel bookmark before this run: ${bm.bookmark}`);
    } else if (bm.failure.kind === 'cancelled') {
      fail(ctx, bm.failure);
      return;
    } else {
      report.notes.push(`Could not record a Time Travel bookmark before applying (${bm.failure.message}).`);
      io.warning(`apply: could not record a Time Travel bookmark: ${bm.failure.message}`);
    }
  }

  const progress = new ApplyProgress();
  const scoped = ctx.applyUpTo ? scopedSession(session, ctx.applyUpTo) : undefined;
  const runner = scoped?.session ?? session;
  let result;
  try {
    result = await runner.run(d1Args(runner, ['migrations', 'apply']), {
      onStdout: (chunk) => progress.push(chunk),
      verbose: true,
    });
  } finally {
    scoped?.dispose();
  }
  progress.end();
  // Read back even after a kill or timeout (the job's signal is ignored for this short read): only the
  // database knows what happened. The same request records checksums and releases the lock.
  const after = await readBackAfterApply(ctx, session, expectedFiles, { signal: null, timeoutMs: REREAD_TIMEOUT_MS });

  if (succeeded(result)) {
    verifySuccess(ctx, session, progress, after, before, expected);
  } else {
    await recordFailure(ctx, session, session.classify(result, { migrationsStarted: progress.started }), progress, after, before, expected);
  }
}

/** wrangler exited 0: the ledger must now hold exactly the pending migrations, no fewer and no others. */
function verifySuccess(
  ctx: PhaseContext,
  session: WranglerSession,
  progress: ApplyProgress,
  after: LedgerRead,
  before: LedgerEntry[],
  expected: string[],
): void {
  const { report, io, target } = ctx;
  if (!after.ok) {
    report.applied = progress.applied.filter((n) => expected.includes(n));
    report.timings = progress.timings;
    fail(ctx, {
      kind: after.failure.kind,
      message: `wrangler reported success, but the ledger could not be read back to confirm what was applied (${after.failure.message}). Check with \`wrangler d1 migrations list ${target.databaseName} --${session.where}\`.`,
    });
    return;
  }
  ctx.ledgerAfter = after.entries;
  const recorded = new Set(after.entries.map((e) => e.name));
  const added = newNames(before, after.entries);
  const ours = added.filter((n) => expected.includes(n));
  // wrangler's status table says which of them it applied; the rest another run recorded meanwhile.
  const confirmed = new Set(progress.applied);
  report.applied = confirmed.size ? ours.filter((n) => confirmed.has(n)) : ours;
  report.timings = progress.timings.filter((t) => report.applied!.includes(t.name));
  noteConcurrentChanges(ctx, before, after.entries, report.applied);
  const missing = expected.filter((n) => !recorded.has(n));
  const unexpected = added.filter((n) => !expected.includes(n));
  if (missing.length === 0 && unexpected.length === 0) {
    io.info(`apply: applied ${report.applied.join(', ')} (confirmed by the ledger)`);
    return;
  }
  const parts: string[] = [];
  if (missing.length) {
    parts.push(
      `the ledger does not record ${missing.join(', ')}, so ${missing.length === 1 ? 'it was' : 'they were'} not applied (wrangler may read the migrations folder differently — e.g. \`migrations_pattern\`, which wrangler before 4.98 ignores — or answered "No migrations to apply!")`,
    );
  }
  if (unexpected.length) {
    parts.push(`the ledger records ${unexpected.join(', ')}, which this run did not validate or expect (applied by wrangler from other files, or by another run at the same time)`);
  }
  report.notAttempted = missing;
  fail(ctx, { kind: 'not-applied', message: `wrangler exited 0, but ${parts.join('; and ')}.` });
  if (report.bookmark && session.where === 'remote') {
    const message = `To return ${target.databaseName} to its state before this run: ${restoreCommand(target, report.bookmark)}`;
    report.notes.push(message);
    io.warning(message);
  }
}

async function recordFailure(
  ctx: PhaseContext,
  session: WranglerSession,
  failure: Classified,
  progress: ApplyProgress,
  after: LedgerRead,
  before: LedgerEntry[],
  expected: string[],
): Promise<void> {
  const { report, io, target } = ctx;
  let appliedNow: string[];
  let isApplied: (name: string) => boolean;
  if (after.ok) {
    const added = newNames(before, after.entries);
    appliedNow = added.filter((n) => expected.includes(n));
    isApplied = (n) => after.entries.some((e) => e.name === n);
    ctx.ledgerAfter = after.entries;
    noteConcurrentChanges(ctx, before, after.entries, appliedNow);
  } else {
    appliedNow = [...progress.applied];
    isApplied = (n) => progress.applied.includes(n);
    report.notes.push(
      `Could not re-read the ledger after the failure (${after.failure.message}); the applied list comes from wrangler's output. Check with \`wrangler d1 migrations list ${target.databaseName} --remote\`.`,
    );
  }

  // A migration failed only if wrangler got as far as sending migrations; an auth or network failure while
  // reading the ledger leaves every pending migration not attempted.
  const inFlight =
    failure.migration && expected.includes(failure.migration) && !isApplied(failure.migration)
      ? failure.migration
      : progress.started || failure.kind === 'sql-error' || failure.kind === 'too-large'
        ? expected.find((n) => !isApplied(n))
        : undefined;
  const rest = expected.filter((n) => !isApplied(n) && n !== inFlight);

  report.applied = appliedNow;
  report.timings = progress.timings.filter((t) => appliedNow.includes(t.name));
  report.notAttempted = rest;
  const detail = failure.sqliteMessage ?? failure.message;
  if (inFlight) {
    const file = ctx.migrations.find((m) => m.name === inFlight);
    const line = file ? failureLine(file.sql, detail) : undefined;
    report.failed = { name: inFlight, message: detail, kind: failure.kind, ...(line ? { line } : {}) };
    report.failure = { phase: 'apply', kind: failure.kind, message: `${inFlight}: ${detail}` };
  } else {
    report.failure = { phase: 'apply', kind: failure.kind, message: failure.message };
  }
  io.warning(
    `apply failed (${failure.kind})${inFlight ? ` at ${inFlight}` : ''}: ${detail}. ` +
      `Applied by this run: ${appliedNow.length ? appliedNow.join(', ') : 'none'}; not attempted: ${rest.length ? rest.join(', ') : 'none'}.`,
  );

  await offerTimeTravel(ctx, session, appliedNow, before);
}

async function offerTimeTravel(ctx: PhaseContext, session: WranglerSession, appliedNow: string[], before: LedgerEntry[]): Promise<void> {
  const { report, io, options, target } = ctx;
  if (session.where !== 'remote') {
    if (options.rollbackOnFailure && appliedNow.length) {
      report.notes.push('rollback-on-failure needs Time Travel, which only remote D1 has; the local database was left as it is.');
    }
    return;
  }
  if (!report.bookmark) return;
  const command = restoreCommand(target, report.bookmark);
  if (options.rollbackOnFailure && appliedNow.length) {
    const restored = await restoreBookmark(session, report.bookmark, { signal: null, timeoutMs: Math.max(options.timeoutMs, 60_000) });
    if (restored.ok) {
      const message =
        `Rolled back: restored ${target.databaseName} to bookmark ${report.bookmark} (its state before this run), undoing ${appliedNow.join(', ')}.` +
        (restored.previousBookmark ? ` To undo the rollback: wrangler d1 time-travel restore ${target.databaseName} --bookmark=${restored.previousBookmark}` : '');
      report.notes.push(message);
      io.warning(message);
      report.applied = [];
      ctx.ledgerAfter = before;
      // The restored database holds this run's lock row again (the bookmark was taken after the lock).
      if (ctx.lock) ctx.lock.held = true;
      return;
    }
    const message = `Rollback failed (${restored.failure.message}). To return the database to its state before this run: ${command}`;
    report.notes.push(message);
    io.warning(message);
    return;
  }
  const message = `To return ${target.databaseName} to its state before this run: ${command}`;
  report.notes.push(message);
  io.warning(message);
}

function newNames(before: LedgerEntry[], after: LedgerEntry[]): string[] {
  const had = new Set(before.map((e) => e.name));
  return after.filter((e) => !had.has(e.name)).map((e) => e.name);
}

/** Someone else (another workflow?) changed the ledger between preview and apply: say so, claim none of it. */
function noteConcurrentChanges(ctx: PhaseContext, before: LedgerEntry[], after: LedgerEntry[], ours: string[]): void {
  const foreign = newNames(before, after).filter((n) => !ours.includes(n));
  const vanished = before.filter((e) => !after.some((a) => a.name === e.name)).map((e) => e.name);
  if (!foreign.length && !vanished.length) return;
  const parts: string[] = [];
  if (foreign.length) parts.push(`${foreign.join(', ')} ${foreign.length === 1 ? 'was' : 'were'} recorded by someone else`);
  if (vanished.length) parts.push(`${vanished.join(', ')} disappeared from it`);
  const message =
    `The ledger of ${ctx.target.databaseName} changed between preview and apply: ${parts.join('; ')}. ` +
    'Another run may be applying migrations to the same database; serialize deployments (e.g. a workflow `concurrency:` group).';
  ctx.report.notes.push(message);
  ctx.io.warning(message);
}

function fail(ctx: PhaseContext, failure: Pick<Classified, 'kind' | 'message'>): void {
  ctx.report.failure = { phase: 'apply', kind: failure.kind, message: failure.message };
  ctx.report.applied ??= [];
  ctx.io.warning(`apply: ${failure.message}`);
}
