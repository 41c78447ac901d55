import { pendingMigrations } from './ledger.js';
import { databaseNameLabel, nameList, resolveMigration } from './migration-arg.js';
import type { PhaseContext } from './types.js';

/**
 * `to` (`--to`): apply the pending migrations up to and including that one, nothing after. Checked once the
 * ledger is read, before the gate: a migration that does not exist, or is not pending, is a usage error
 * that lists what is pending. Sets `ctx.applyUpTo` for apply.
 */
export function checkApplyTo(ctx: PhaseContext): void {
  const { options, report, target } = ctx;
  const to = options.to;
  if (to === undefined || !ctx.ledgerBefore) return;
  const pending = pendingMigrations(ctx.migrations, ctx.ledgerBefore);
  const where = databaseNameLabel(target);
  const list = `pending on ${where}: ${nameList(pending.map((m) => m.name))}`;
  const resolved = resolveMigration(to, ctx.migrations);
  if (!resolved.ok) {
    report.failure = { phase: 'apply', kind: 'usage', message: `to: ${resolved.reason} in ${target.migrationsDir}. Nothing was applied; ${list}.` };
    return;
  }
  const file = resolved.file;
  const entry = ctx.ledgerBefore.find((e) => e.name === file.name);
  if (entry) {
    report.failure = {
      phase: 'apply',
      kind: 'usage',
      message: `to: ${file.name} is already applied on ${where}${entry.appliedAt ? ` (${entry.appliedAt})` : ''}. Nothing was applied; ${list}.`,
    };
    return;
  }
  const index = ctx.migrations.indexOf(file);
  ctx.applyUpTo = ctx.migrations.slice(0, index + 1);
  const now = pendingMigrations(ctx.applyUpTo, ctx.ledgerBefore);
  const later = pending.filter((m) => !now.includes(m));
  const message = `to: ${file.name} — applying ${now.length} of the ${pending.length} pending migration(s)${later.length ? `; ${nameList(later.map((m) => m.name))} stay pending` : ''}.`;
  report.notes.push(message);
  ctx.io.info(message);
}
