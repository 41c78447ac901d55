/** `d1-migrate unlock` (phase `unlock`): removes the apply lock of a run that died holding it. */
import { describeLock, unlockPart } from '../../ledger-state/lock.js';
import { STATE_TABLE } from '../../ledger-state/table.js';
import { isMissingTable } from '../../wrangler/ledger.js';
import { executeParts, failureText } from '../../wrangler/parts.js';
import { openSession } from '../../wrangler/session.js';
import { databaseNameLabel } from '../migration-arg.js';
import type { PhaseContext } from '../types.js';

export async function unlockPhase(ctx: PhaseContext): Promise<void> {
  const { report, target, io } = ctx;
  const session = openSession(ctx);
  if (session.command.problem) {
    report.failure = { phase: 'unlock', kind: 'wrangler-missing', message: session.command.problem };
    return;
  }
  const done = await executeParts(session, [unlockPart(target.migrationsTable)] as const);
  if (!done.ok) {
    if (!done.stopped && isMissingTable(failureText(done), STATE_TABLE)) {
      report.notes.push(`${databaseNameLabel(target)} has no lock (the tool's state table does not exist there).`);
      return;
    }
    report.failure = { phase: 'unlock', kind: done.failure.kind, message: done.failure.message };
    return;
  }
  const [removed] = done.values;
  if (!removed) {
    report.notes.push(`${databaseNameLabel(target)} was not locked.`);
    io.info('unlock: there was no lock');
    return;
  }
  const live = removed.expiresAt > Date.now() / 1000;
  const message = `Removed the lock on ${databaseNameLabel(target)} held by ${describeLock(removed)}.${live ? ' It had not expired: make sure that run is not still applying migrations.' : ''}`;
  report.notes.push(message);
  if (live) io.warning(message);
  else io.info(message);
}
