/**
 * What the run does with the tool's state table (src/ledger-state/): after preview's read, the checksum
 * findings and the lock's outcome; after apply, the checksums of what ran and the lock's release in the
 * request that reads the ledger back; and whatever is left (a lock still held because nothing was applied,
 * checksums of files seen for the first time) once the apply phase is over, cancelled or not.
 */
import { checksumFindings, packRequests, recordChecksumStatements, unhashedApplied } from '../ledger-state/checksum.js';
import { describeLock, newLockRequest, releaseLockPart, type LockRequest } from '../ledger-state/lock.js';
import type { StateRead } from '../ledger-state/read.js';
import { isoSeconds } from '../ledger-state/table.js';
import type { MigrationFile } from '../types.js';
import { executeStatements } from '../wrangler/execute.js';
import { isMissingTable, ledgerQuery, readLedger, toEntries, type LedgerRead } from '../wrangler/ledger.js';
import { failureText } from '../wrangler/parts.js';
import { openSession, type RunExtra, type WranglerSession } from '../wrangler/session.js';
import { databaseNameLabel, nameList } from './migration-arg.js';
import { recordFindings } from './record.js';
import type { PhaseContext } from './types.js';

/** How long the last bookkeeping request may take (it also runs after a cancellation). */
const SETTLE: RunExtra = { signal: null, timeoutMs: 30_000 };

/** The lock request for a run that will apply, when the state is on. */
export function lockRequestFor(ctx: PhaseContext): LockRequest | undefined {
  return ctx.options.ledgerState ? newLockRequest(ctx.run, ctx.env, ctx.options.timeoutMs) : undefined;
}

/** Preview read the state (and maybe took the lock): record what it means. */
export function recordStateRead(ctx: PhaseContext, read: Extract<StateRead, { ok: true }>, request: LockRequest | undefined): void {
  const { report, io, target } = ctx;
  const state = read.state;
  if (!state) return;
  ctx.state = state;
  recordFindings(ctx, checksumFindings(ctx.migrations, read.entries, state.checksums, target));
  ctx.unhashed = state.exists || read.lock ? unhashedApplied(ctx.migrations, read.entries, state.checksums) : [];
  const where = databaseNameLabel(target);
  if (read.lock && request) {
    if (!read.lock.taken) {
      report.failure = {
        phase: 'apply',
        kind: 'locked',
        message:
          `${where} is locked by another run: ${describeLock(read.lock.heldBy)}. Nothing was applied. ` +
          'Wait for it to finish; if it died, the lock expires by itself, or remove it with `d1-migrate unlock`.',
      };
      io.warning(report.failure.message);
      return;
    }
    ctx.lock = { request, held: true };
    io.info(`apply: took the lock on ${where} (${request.holder}; expires at ${isoSeconds(read.lock.lock.expiresAt)} unless released)`);
    if (read.lock.tookOver) {
      const message =
        `Took over the expired lock on ${where} held by ${describeLock(read.lock.tookOver)}: that run ended without releasing it ` +
        `(killed?) or ran past its TTL of ${Math.round(request.ttlSeconds / 60)} minutes. Check that it is not still applying.`;
      report.notes.push(message);
      io.warning(message);
    }
  } else if (state.lock) {
    report.notes.push(`${where} is locked by a run that is applying migrations: ${describeLock(state.lock)}.`);
  }
}

/**
 * The ledger read back after wrangler ran, in ONE request with the checksums of the files this run applied
 * (replacing older ones: what ran now is the truth), the checksums of applied files seen for the first
 * time (never replacing one), and the lock's release. Runs also after a failure, a timeout or a cancel.
 */
export async function readBackAfterApply(ctx: PhaseContext, session: WranglerSession, applied: MigrationFile[], extra: RunExtra): Promise<LedgerRead> {
  const table = session.target.migrationsTable;
  if (!ctx.lock?.held) return readLedger(session, extra);
  const backlog = ctx.unhashed ?? [];
  const release = releaseLockPart(table, ctx.lock.request.token).statements;
  const packed = packRequests(
    [ledgerQuery(table), ...release],
    [...recordChecksumStatements(table, applied, { replace: true }), ...recordChecksumStatements(table, backlog, { replace: false })],
  );
  const read = await executeStatements(session, packed.first, extra);
  if (!read.ok) {
    const missing = !read.stopped && isMissingTable(failureText(read), table);
    await releaseOnly(ctx, session);
    return missing ? { ok: true, entries: [], exists: false } : { ok: false, failure: read.failure };
  }
  ctx.lock.held = false;
  await sendMore(ctx, session, packed.more);
  noteBacklog(ctx, backlog);
  return { ok: true, entries: toEntries(read.results[0]?.results ?? []), exists: true };
}

/**
 * After the apply phase, whatever happened: a lock this run still holds is released (nothing was pending,
 * the gate held apply back, a Time Travel rollback brought the row back), together with the checksums of
 * applied files seen for the first time — unless the run failed or was held back.
 */
export async function settleLedgerState(ctx: PhaseContext): Promise<void> {
  if (!ctx.lock?.held) return;
  const session = openSession(ctx);
  const table = session.target.migrationsTable;
  // A run that failed or was held back records nothing new: the release is its only write.
  const backlog = ctx.report.failure || ctx.heldBack ? [] : (ctx.unhashed ?? []);
  const packed = packRequests(releaseLockPart(table, ctx.lock.request.token).statements, recordChecksumStatements(table, backlog, { replace: false }));
  const done = await executeStatements(session, packed.first, SETTLE);
  if (!done.ok) {
    warnNotReleased(ctx, done.failure.message);
    return;
  }
  ctx.lock.held = false;
  await sendMore(ctx, session, packed.more);
  noteBacklog(ctx, backlog);
}

async function releaseOnly(ctx: PhaseContext, session: WranglerSession): Promise<void> {
  if (!ctx.lock?.held) return;
  const done = await executeStatements(session, releaseLockPart(session.target.migrationsTable, ctx.lock.request.token).statements, SETTLE);
  if (done.ok) ctx.lock.held = false;
  else warnNotReleased(ctx, done.failure.message);
}

function warnNotReleased(ctx: PhaseContext, why: string): void {
  if (!ctx.lock) return;
  const message =
    `Could not release the lock on ${ctx.target.databaseName} (${why}). It expires by itself ${Math.round(ctx.lock.request.ttlSeconds / 60)} minutes after it was taken; ` +
    'to remove it now: `d1-migrate unlock`' + (ctx.target.environment ? ` --env ${ctx.target.environment}` : '') + '.';
  ctx.report.notes.push(message);
  ctx.io.warning(message);
}

/** Checksum statements that did not fit into the request they rode with (a long history seen first). */
async function sendMore(ctx: PhaseContext, session: WranglerSession, more: string[][]): Promise<void> {
  for (const statements of more) {
    const done = await executeStatements(session, statements, SETTLE);
    if (!done.ok) {
      ctx.io.warning(`Could not record all checksums of applied migrations (${done.failure.message}); the next apply records the rest.`);
      return;
    }
  }
}

function noteBacklog(ctx: PhaseContext, backlog: MigrationFile[]): void {
  if (!backlog.length) return;
  ctx.unhashed = [];
  ctx.report.notes.push(
    `Recorded the checksums of ${backlog.length} applied migration(s) that had none (applied before d1-migrate kept checksums): ${nameList(backlog.map((m) => m.name), 10)}. ` +
      'From now on an edit to one of them is reported (applied-file-changed).',
  );
}
