/**
 * `d1-migrate mark-applied <migration> [--force]`: one pending migration recorded as applied without running
 * it (its change was made by hand, or by a hotfix), after the same checks as baseline: the live schema must
 * be what the applied files plus this one produce, the ledger must name no file that is gone. On a migration
 * that is already applied, `--force` accepts an edit of its file (records the new checksum).
 */
import { checksumOf } from '../../ledger-state/checksum.js';
import { pendingMigrations } from '../ledger.js';
import { databaseNameLabel, nameList, resolveMigration } from '../migration-arg.js';
import type { PhaseContext } from '../types.js';
import { appliedPlus, finishRecording, firstDifferences, openAndRead, refuse, schemaDifferences, usage } from './shared.js';
import { writeLedger } from './write.js';

export async function markAppliedPhase(ctx: PhaseContext): Promise<void> {
  const { report, options, target, io } = ctx;
  const read = await openAndRead(ctx, { withSchema: true });
  if (!read) return;
  report.history = read.entries;
  const arg = options.ledgerArgs?.[0] ?? '';
  const resolved = resolveMigration(arg, ctx.migrations);
  if (!resolved.ok) {
    const pending = pendingMigrations(ctx.migrations, read.entries).map((m) => m.name);
    usage(ctx, `mark-applied: ${resolved.reason} in ${target.migrationsDir}. Pending on ${databaseNameLabel(target)}: ${nameList(pending)}.`);
    return;
  }
  const file = resolved.file;
  const entry = read.entries.find((e) => e.name === file.name);

  if (entry) {
    const recorded = read.state.checksums.get(file.name);
    const now = checksumOf(file.sql);
    if (!options.ledgerState || !recorded || recorded.sum === now) {
      report.recorded = [];
      report.notes.push(`${file.name} is already recorded as applied on ${databaseNameLabel(target)}${entry.appliedAt ? ` (${entry.appliedAt})` : ''}; nothing to do.`);
      return;
    }
    if (!options.force) {
      refuse(
        ctx,
        `${file.name} is already applied on ${databaseNameLabel(target)}${entry.appliedAt ? ` (${entry.appliedAt})` : ''}, and its file has changed since. ` +
          'Undo the edit, or accept it with --force (records the file as it is now; the edit itself never runs).',
      );
      return;
    }
    const written = await writeLedger(ctx, read.session, { insert: [], checksums: { files: [file], replace: true } });
    if (!written.ok) return;
    finishRecording(ctx, [file.name], written.entries);
    report.notes.push(`Accepted the edit of ${file.name}: its checksum is now that of the file as it is (the edit itself never ran).`);
    return;
  }

  const missing = read.entries.filter((e) => !ctx.migrations.some((m) => m.name === e.name)).map((e) => e.name);
  if (missing.length) {
    refuse(ctx, `the ledger of ${databaseNameLabel(target)} records ${nameList(missing)} with no file (applied-file-missing); fix that first (\`d1-migrate rename-applied <old> <new>\` after a rename). Nothing was written.`);
    return;
  }
  const compared = await schemaDifferences(appliedPlus(ctx.migrations, read.entries, [file]), read.schema, target.migrationsTable);
  const problems = 'problem' in compared ? [compared.problem] : compared.differences;
  if (problems.length) {
    const what = 'problem' in compared ? compared.problem : `the live schema of ${databaseNameLabel(target)} differs from what the applied migrations plus ${file.name} produce: ${firstDifferences(problems)}`;
    if (!options.force) {
      if (problems.length > 10) report.notes.push(...problems.map((p) => `difference: ${p}`));
      refuse(ctx, `${what}. Nothing was written. Make the change ${file.name} describes first; --force records it anyway.`);
      return;
    }
    const message = `mark-applied --force: ${what}. Recorded anyway, as asked.`;
    report.notes.push(message);
    io.warning(message);
  }
  const written = await writeLedger(ctx, read.session, { insert: [file.name], checksums: { files: [file], replace: true } });
  if (!written.ok) return;
  finishRecording(ctx, [file.name], written.entries);
  if (report.failure) return;
  const before = pendingMigrations(ctx.migrations, written.entries).filter((m) => ctx.migrations.indexOf(m) < ctx.migrations.indexOf(file));
  report.notes.push(
    `Recorded ${file.name} as applied on ${databaseNameLabel(target)} without running it.` +
      (before.length ? ` ${nameList(before.map((m) => m.name))} sort before it and stay pending.` : ''),
  );
}
