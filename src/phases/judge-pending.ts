import { REPLAY_RULES } from '../rule-catalog.js';
import { replayMigrations } from '../replay/replay.js';
import { rulePolicy } from '../rules/policy.js';
import { pendingMigrations } from './ledger.js';
import { databaseNameLabel } from './migration-arg.js';
import type { PhaseContext } from './types.js';
import { finishFindings, sortFindings, type ValidateResult } from './validate.js';

/**
 * The pending migrations replayed on the target's live schema (as preview read it) instead of on a replay
 * of the history: what will run is checked against what is really there — also when the history does not
 * replay at all (a base schema applied by a script, deleted first migrations). Their replay findings
 * (syntax, replay errors, the data check's twin) replace the ones the history replay gave them.
 */
export async function judgePendingOnLiveSchema(ctx: PhaseContext, validated: ValidateResult): Promise<void> {
  const { report, options, target } = ctx;
  const live = ctx.liveSchemaBefore;
  if (!live || !ctx.ledgerBefore) return;
  const pending = pendingMigrations(ctx.migrations, ctx.ledgerBefore);
  if (pending.length === 0) return;
  const names = new Set(pending.map((m) => m.name));
  const policy = rulePolicy(options, target.environment);
  const result = await replayMigrations({
    files: pending,
    base: live,
    migrationsTable: target.migrationsTable,
    disabled: new Set(policy.off),
    dataCheck: policy.dataCheck,
    parsed: validated.parsed.filter((p) => names.has(p.file.name)),
  });
  const where = databaseNameLabel(ctx.target);
  if (result.baseErrors?.length) {
    report.notes.push(
      `The live schema of ${where} could not be rebuilt for the replay (${result.baseErrors.slice(0, 3).join('; ')}${result.baseErrors.length > 3 ? '; …' : ''}), so the pending migrations were checked on a replay of the migrations before them instead.`,
    );
    return;
  }
  const paths = new Set(pending.map((m) => m.relPath));
  const kept = report.findings.filter((f) => !(f.file !== undefined && paths.has(f.file) && REPLAY_RULES.has(f.rule)));
  const found = finishFindings(result.findings, validated.parsed, policy, ctx.migrations, result.keptRebuilds);
  report.findings = sortFindings([...kept, ...found], ctx.migrations.map((m) => m.relPath));
  report.schema = result.schema;
  report.notes.push(
    `The ${pending.length} pending migration(s) were replayed on the live schema of ${where} (${live.length} objects), not on a replay of the migrations before them.`,
    ...result.notes,
  );
}
