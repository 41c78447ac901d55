import { readLedgerAndState } from '../ledger-state/read.js';
import { openSession } from '../wrangler/session.js';
import { ledgerFindings, pendingMigrations } from './ledger.js';
import { lockRequestFor, recordStateRead } from './ledger-state.js';
import { recordFindings } from './record.js';
import type { PhaseContext } from './types.js';

/**
 * Reads the ledger of the same database, target and environment apply will use (never the local one by
 * accident), lists what is pending and reports drift. With `withSchema` it reads the live schema in the
 * same request, so the pending migrations can be checked against it, and the tool's state (checksums; see
 * src/phases/ledger-state.ts). Writes nothing, unless `forApply`: a run that will apply takes the lock in
 * that same request (creating the ledger and state tables when missing, as the apply would a moment later).
 */
export async function previewPhase(ctx: PhaseContext, opts: { withSchema?: boolean; forApply?: boolean } = {}): Promise<void> {
  const { report, io } = ctx;
  const session = openSession(ctx);
  if (session.command.problem) {
    report.failure = { phase: 'preview', kind: 'wrangler-missing', message: session.command.problem };
    return;
  }
  const lock = opts.forApply ? lockRequestFor(ctx) : undefined;
  const ledger = await readLedgerAndState(session, { withSchema: opts.withSchema === true, state: ctx.options.ledgerState, lock });
  if (!ledger.ok) {
    report.failure = { phase: 'preview', kind: ledger.failure.kind, message: ledger.failure.message };
    io.warning(`preview: could not read the ${session.where} ledger of ${ctx.target.databaseName}: ${ledger.failure.message}`);
    return;
  }
  ctx.ledgerBefore = ledger.entries;
  ctx.liveSchemaBefore = ledger.schema;
  const pending = pendingMigrations(ctx.migrations, ledger.entries);
  const applied = new Set(ledger.entries.map((e) => e.name));
  report.pending = pending.map((m) => m.name);
  // From here on the ledger says what will run: findings in applied files are informational.
  report.scope = {
    basis: 'ledger',
    settled: ctx.migrations.filter((m) => applied.has(m.name)).map((m) => m.relPath),
    judged: report.pending,
  };
  recordFindings(ctx, ledgerFindings(ctx.migrations, ledger.entries, ctx.target));
  recordStateRead(ctx, ledger, lock);
  if (!ledger.exists) {
    report.notes.push(
      lock
        ? `The ${ctx.target.migrationsTable} table did not exist yet on the ${session.where} database; it was created as wrangler's apply creates it, with the apply lock.`
        : `The ${ctx.target.migrationsTable} table does not exist yet on the ${session.where} database; apply will create it.`,
    );
  }
  io.info(
    `preview (${session.where}): ${ledger.entries.length} applied, ${pending.length} pending` +
      (pending.length ? `: ${pending.map((m) => m.name).join(', ')}` : ''),
  );
}
