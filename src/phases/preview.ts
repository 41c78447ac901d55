import { readLedger } from '../wrangler/ledger.js';
import { openSession } from '../wrangler/session.js';
import { ledgerFindings, pendingMigrations } from './ledger.js';
import type { PhaseContext } from './types.js';

/**
 * Reads the ledger of the same database, target and environment apply will use (never the local one by
 * accident), lists what is pending and reports drift. Writes nothing: a missing migrations table is an
 * empty ledger.
 */
export async function previewPhase(ctx: PhaseContext): Promise<void> {
  const { report, io } = ctx;
  const session = openSession(ctx);
  if (session.command.problem) {
    report.failure = { phase: 'preview', kind: 'wrangler-missing', message: session.command.problem };
    return;
  }
  const ledger = await readLedger(session);
  if (!ledger.ok) {
    report.failure = { phase: 'preview', kind: ledger.failure.kind, message: ledger.failure.message };
    io.warning(`preview: could not read the ${session.where} ledger of ${ctx.target.databaseName}: ${ledger.failure.message}`);
    return;
  }
  ctx.ledgerBefore = ledger.entries;
  const pending = pendingMigrations(ctx.migrations, ledger.entries);
  report.pending = pending.map((m) => m.name);
  report.findings.push(...ledgerFindings(ctx.migrations, ledger.entries, ctx.target));
  if (!ledger.exists) report.notes.push(`The ${ctx.target.migrationsTable} table does not exist yet on the ${session.where} database; apply will create it.`);
  io.info(
    `preview (${session.where}): ${ledger.entries.length} applied, ${pending.length} pending` +
      (pending.length ? `: ${pending.map((m) => m.name).join(', ')}` : ''),
  );
}
