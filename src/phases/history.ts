import { readLedger } from '../wrangler/ledger.js';
import { openSession } from '../wrangler/session.js';
import type { PhaseContext } from './types.js';

/**
 * The ledger after this run (applied_at per migration); which of it this run applied is `report.applied`.
 * No wrangler call when apply already read the ledger back, or preview read it and nothing was applied;
 * one `SELECT` otherwise.
 */
export async function historyPhase(ctx: PhaseContext): Promise<void> {
  const { report, io } = ctx;
  if (ctx.ledgerAfter) {
    report.history = ctx.ledgerAfter;
    return;
  }
  // Preview read the ledger and apply did not run (not asked for, or held back by what validate found).
  if (ctx.ledgerBefore && report.applied === undefined) {
    report.history = ctx.ledgerBefore;
    return;
  }
  const session = openSession(ctx);
  if (session.command.problem) {
    report.failure ??= { phase: 'history', kind: 'wrangler-missing', message: session.command.problem };
    return;
  }
  const read = await readLedger(session);
  if (!read.ok) {
    report.failure ??= { phase: 'history', kind: read.failure.kind, message: read.failure.message };
    io.warning(`history: could not read the ledger: ${read.failure.message}`);
    return;
  }
  report.history = read.entries;
}
