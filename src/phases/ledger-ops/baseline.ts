/**
 * `d1-migrate baseline --to <migration>` (phase `baseline`, input `to`): adopting migrations on a database
 * that already has the schema — created by hand, by a script, by another tool. Every migration up to and
 * including <migration> is recorded as applied without running it, as wrangler would record it, after
 * checking that the live schema is what those files produce.
 */
import { databaseNameLabel, nameList, resolveMigration } from '../migration-arg.js';
import type { PhaseContext } from '../types.js';
import { finishRecording, firstDifferences, openAndRead, refuse, schemaDifferences, usage } from './shared.js';
import { writeLedger } from './write.js';

export async function baselinePhase(ctx: PhaseContext): Promise<void> {
  const { report, options, target, io } = ctx;
  const read = await openAndRead(ctx, { withSchema: true });
  if (!read) return;
  report.history = read.entries;
  const resolved = resolveMigration(options.to ?? '', ctx.migrations);
  if (!resolved.ok) {
    usage(ctx, `baseline --to: ${resolved.reason} in ${target.migrationsDir}. Migrations: ${nameList(ctx.migrations.map((m) => m.name))}.`);
    return;
  }
  const last = resolved.file;
  const upTo = ctx.migrations.slice(0, ctx.migrations.indexOf(last) + 1);
  const names = new Set(upTo.map((m) => m.name));
  const disagree = read.entries.filter((e) => !names.has(e.name)).map((e) => e.name);
  if (disagree.length) {
    refuse(
      ctx,
      `the ledger of ${databaseNameLabel(target)} already records ${nameList(disagree)}, which ${disagree.length === 1 ? 'is' : 'are'} not among the migrations up to ${last.name} ` +
        '(a later migration, or a name with no file). A baseline records the start of the history of a database that has none yet. Nothing was written.',
    );
    return;
  }
  const recorded = new Set(read.entries.map((e) => e.name));
  const toRecord = upTo.filter((m) => !recorded.has(m.name));
  if (toRecord.length === 0) {
    report.recorded = [];
    report.notes.push(`Every migration up to ${last.name} is already recorded as applied on ${databaseNameLabel(target)}; nothing to do.`);
    return;
  }

  const compared = await schemaDifferences(upTo, read.schema, target.migrationsTable);
  const problems = 'problem' in compared ? [compared.problem] : compared.differences;
  if (problems.length) {
    const what = 'problem' in compared ? compared.problem : `the live schema of ${databaseNameLabel(target)} differs from what the ${upTo.length} migration(s) up to ${last.name} produce: ${firstDifferences(problems)}`;
    if (!options.force) {
      if (problems.length > 10) report.notes.push(...problems.map((p) => `difference: ${p}`));
      refuse(ctx, `${what}. Nothing was written. Bring the database or the files in line (or baseline to another migration); --force (input force: true) records them anyway.`);
      return;
    }
    const message = `baseline --force: ${what}. Recorded anyway, as asked; the next drift check will show the same differences.`;
    report.notes.push(message);
    io.warning(message);
  }

  const written = await writeLedger(ctx, read.session, { insert: toRecord.map((m) => m.name), checksums: { files: toRecord, replace: true } });
  if (!written.ok) return;
  finishRecording(ctx, toRecord.map((m) => m.name), written.entries);
  if (report.failure) return;
  report.notes.push(`Recorded ${toRecord.length} migration(s) as applied without running them: ${nameList(toRecord.map((m) => m.name))}. wrangler now treats them as applied.`);
  io.info(`baseline: recorded ${toRecord.map((m) => m.name).join(', ')} on ${databaseNameLabel(target)}`);
}
