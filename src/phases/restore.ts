import { openSession } from '../wrangler/session.js';
import { restoreBookmark, restoreCommand } from '../wrangler/time-travel.js';
import type { PhaseContext } from './types.js';

/** Restores the remote database to `options.bookmark` with Time Travel (on demand, e.g. after a bad deploy). */
export async function restorePhase(ctx: PhaseContext): Promise<void> {
  const { report, io, options, target } = ctx;
  const bookmark = options.bookmark?.trim();
  if (!bookmark) {
    report.failure = { phase: 'restore', kind: 'config', message: 'The restore phase needs a bookmark (input `bookmark`, CLI `--bookmark`).' };
    return;
  }
  if (options.target !== 'remote') {
    report.failure = { phase: 'restore', kind: 'config', message: 'Time Travel restore works on remote D1 only; use target: remote.' };
    return;
  }
  const session = openSession(ctx);
  if (session.command.problem) {
    report.failure = { phase: 'restore', kind: 'wrangler-missing', message: session.command.problem };
    return;
  }
  const result = await restoreBookmark(session, bookmark);
  if (!result.ok) {
    report.failure = { phase: 'restore', kind: result.failure.kind, message: result.failure.message };
    return;
  }
  // The bookmark output is "where to go to undo this run", which for a restore is the state it replaced.
  if (result.previousBookmark) report.bookmark = result.previousBookmark;
  const undo = result.previousBookmark ? ` To undo: ${restoreCommand(target, result.previousBookmark)}` : '';
  const message = `Restored ${target.databaseName} to bookmark ${result.bookmark}.${undo}`;
  report.notes.push(message);
  io.info(message);
}
