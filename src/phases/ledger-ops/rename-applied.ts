/**
 * `d1-migrate rename-applied <old> <new>`: the fix for `applied-file-missing` after a deliberate rename.
 * wrangler tracks files by name, so a renamed applied file would run again; this changes the recorded name
 * (keeping its id and applied_at) so wrangler sees the new file as applied. Refused when the old file still
 * exists (it would then run again), when the new name is already recorded, or when the new file's content is
 * not what was applied under the old name (as far as a recorded checksum tells; --force skips that check).
 */
import { checksumOf } from '../../ledger-state/checksum.js';
import { databaseNameLabel, nameList, resolveMigration } from '../migration-arg.js';
import type { PhaseContext } from '../types.js';
import { finishRecording, openAndRead, refuse, usage } from './shared.js';
import { writeLedger } from './write.js';

export async function renameAppliedPhase(ctx: PhaseContext): Promise<void> {
  const { report, options, target } = ctx;
  const read = await openAndRead(ctx, { withSchema: false });
  if (!read) return;
  report.history = read.entries;
  const [oldArg = '', newArg = ''] = options.ledgerArgs ?? [];
  const old = read.entries.find((e) => e.name === oldArg) ?? read.entries.find((e) => e.name === `${oldArg}.sql`);
  if (!old) {
    const gone = read.entries.filter((e) => !ctx.migrations.some((m) => m.name === e.name)).map((e) => e.name);
    usage(ctx, `rename-applied: the ledger of ${databaseNameLabel(target)} records no "${oldArg}". Recorded names with no file: ${nameList(gone)}.`);
    return;
  }
  const resolved = resolveMigration(newArg, ctx.migrations);
  if (!resolved.ok) {
    usage(ctx, `rename-applied: ${resolved.reason} in ${target.migrationsDir} (the new name must be a file there).`);
    return;
  }
  const file = resolved.file;
  if (ctx.migrations.some((m) => m.name === old.name)) {
    refuse(ctx, `${old.name} still exists in ${target.migrationsDir}; renaming its record would make wrangler run it again. Rename or delete the file first. Nothing was written.`);
    return;
  }
  if (read.entries.some((e) => e.name === file.name)) {
    refuse(ctx, `${file.name} is already recorded as applied on ${databaseNameLabel(target)}. Nothing was written.`);
    return;
  }
  const recorded = read.state.checksums.get(old.name);
  if (recorded && recorded.sum !== checksumOf(file.sql) && !options.force) {
    refuse(
      ctx,
      `${file.name} is not the file that was applied as ${old.name} (its checksum differs from the one recorded${recorded.at ? ` on ${recorded.at}` : ''}). ` +
        'Undo the edit (put changes into a new migration), or --force to record it anyway. Nothing was written.',
    );
    return;
  }
  const written = await writeLedger(ctx, read.session, {
    insert: [],
    rename: { from: old.name, to: file.name },
    dropChecksums: [old.name],
    checksums: { files: [file], replace: true },
  });
  if (!written.ok) return;
  finishRecording(ctx, [file.name], written.entries, [old.name]);
  if (report.failure) return;
  report.notes.push(
    `Renamed the record of ${old.name}${old.appliedAt ? ` (applied ${old.appliedAt})` : ''} to ${file.name} on ${databaseNameLabel(target)}; wrangler now treats ${file.name} as applied.` +
      (recorded ? '' : ` No checksum was recorded for ${old.name}, so the content could not be compared.`),
  );
}
