import { readLedgerAndState } from '../../ledger-state/read.js';
import { NO_STATE, type LedgerState } from '../../ledger-state/table.js';
import { replayMigrations } from '../../replay/replay.js';
import { sortSchema } from '../../replay/schema.js';
import { diffSchemas } from '../../report/schema-diff.js';
import type { LedgerEntry, LedgerPhase, MigrationFile, SchemaObject } from '../../types.js';
import { openSession, type WranglerSession } from '../../wrangler/session.js';
import { describeChange, userObjects } from '../drift.js';
import type { PhaseContext } from '../types.js';

export interface OpRead {
  session: WranglerSession;
  entries: LedgerEntry[];
  schema: SchemaObject[];
  state: LedgerState;
}

export function phaseOf(ctx: PhaseContext): LedgerPhase {
  return ctx.options.phases[0] as LedgerPhase;
}

/** The ledger, the live schema and the state in one read-only request, as preview reads them. */
export async function openAndRead(ctx: PhaseContext, opts: { withSchema: boolean }): Promise<OpRead | undefined> {
  const { report } = ctx;
  const phase = phaseOf(ctx);
  const session = openSession(ctx);
  if (session.command.problem) {
    report.failure = { phase, kind: 'wrangler-missing', message: session.command.problem };
    return undefined;
  }
  const read = await readLedgerAndState(session, { withSchema: opts.withSchema, state: ctx.options.ledgerState });
  if (!read.ok) {
    report.failure = { phase, kind: read.failure.kind, message: `reading the ledger failed: ${read.failure.message}` };
    return undefined;
  }
  ctx.ledgerBefore = read.entries;
  return { session, entries: read.entries, schema: read.schema ?? [], state: read.state ?? NO_STATE };
}

export function refuse(ctx: PhaseContext, message: string): void {
  ctx.report.failure = { phase: phaseOf(ctx), kind: 'refused', message };
  ctx.io.warning(message);
}

export function usage(ctx: PhaseContext, message: string): void {
  ctx.report.failure = { phase: phaseOf(ctx), kind: 'usage', message };
}

/**
 * How the live schema differs from the replay of `files` (tables, columns with their types and constraints,
 * indexes, triggers, views — the drift comparison), each difference in words; or why the files cannot be
 * compared (they do not replay).
 */
export async function schemaDifferences(files: MigrationFile[], live: SchemaObject[], migrationsTable: string): Promise<{ differences: string[] } | { problem: string }> {
  const replay = await replayMigrations({ files, migrationsTable, disabled: new Set(['double-quoted-string', 'drop-referenced-table']) });
  if (replay.failedAt) {
    const why = replay.findings.find((f) => f.rule === 'replay-error' || f.rule === 'sql-syntax')?.message;
    return { problem: `the migrations do not replay on an empty database: ${replay.failedAt} fails${why ? ` (${why})` : ''}` };
  }
  const changes = diffSchemas(replay.schema, sortSchema(userObjects(live, migrationsTable)));
  return { differences: changes.map(describeChange) };
}

/** A list of differences for a message: the first ten, then how many more (the note lists all). */
export function firstDifferences(differences: string[]): string {
  return differences.length > 10 ? `${differences.slice(0, 10).join('; ')}; … ${differences.length - 10} more (every one is listed in the notes)` : differences.join('; ');
}

/** The files that would then be applied: those the ledger records plus `extra`, in apply order. */
export function appliedPlus(migrations: MigrationFile[], entries: LedgerEntry[], extra: MigrationFile[]): MigrationFile[] {
  const names = new Set([...entries.map((e) => e.name), ...extra.map((m) => m.name)]);
  return migrations.filter((m) => names.has(m.name));
}

/**
 * The ledger read back must record `names` (and no longer record `gone`); what the operation recorded goes
 * on the report, and the ledger after it is the history shown.
 */
export function finishRecording(ctx: PhaseContext, names: string[], entries: LedgerEntry[], gone: string[] = []): void {
  const { report } = ctx;
  report.history = entries;
  ctx.ledgerAfter = entries;
  const now = new Set(entries.map((e) => e.name));
  report.recorded = names.filter((n) => now.has(n));
  const problems = [
    ...names.filter((n) => !now.has(n)).map((n) => `${n} is not recorded`),
    ...gone.filter((n) => now.has(n)).map((n) => `${n} is still recorded`),
  ];
  if (problems.length) {
    report.failure = { phase: phaseOf(ctx), kind: 'not-applied', message: `The write succeeded, but in the ledger read back ${problems.join(', ')}.` };
  }
}
