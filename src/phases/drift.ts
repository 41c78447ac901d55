import { schemaOf } from '../replay/replay.js';
import { diffSchemas, type SchemaChange } from '../report/schema-diff.js';
import { finding } from '../finding.js';
import type { DatabaseReport, DriftComparison, SchemaObject } from '../types.js';
import { readLedger } from '../wrangler/ledger.js';
import { readLiveSchema } from '../wrangler/schema.js';
import { openSession } from '../wrangler/session.js';
import type { PhaseContext } from './types.js';

const RULE = 'schema-drift';

/**
 * Drift against the migrations: the live schema (from sqlite_schema via `d1 execute --json`) compared with
 * a replay of exactly the files its ledger lists as applied, so pending migrations are not drift.
 */
export async function driftPhase(ctx: PhaseContext): Promise<void> {
  const { report, target } = ctx;
  const session = openSession(ctx);
  if (session.command.problem) {
    report.failure ??= { phase: 'drift', kind: 'wrangler-missing', message: session.command.problem };
    return;
  }
  const ledger = await readLedger(session);
  if (!ledger.ok) {
    report.failure ??= { phase: 'drift', kind: ledger.failure.kind, message: `reading the ledger failed: ${ledger.failure.message}` };
    return;
  }
  const read = await readLiveSchema(session);
  if (!read.ok) {
    report.failure ??= { phase: 'drift', kind: read.failure.kind, message: `reading the schema failed: ${read.failure.message}` };
    return;
  }
  const live = userObjects(read.objects, target.migrationsTable);
  report.liveSchema = live;

  const applied = new Set(ledger.entries.map((e) => e.name));
  const files = ctx.migrations.filter((m) => applied.has(m.name));
  const expected = await schemaOf(files, target.migrationsTable);
  recordDrift(report, 'migrations', diffSchemas(expected, live), `the schema the ${files.length} applied migration(s) produce`);
}

/** The live objects the migrations own: not wrangler's ledger, not D1's `_cf_` tables (the tool's own table is left out by the query). */
export function userObjects(objects: SchemaObject[], migrationsTable: string): SchemaObject[] {
  return objects.filter((o) => o.tableName.toLowerCase() !== migrationsTable.toLowerCase() && !/^_cf_/i.test(o.name));
}

/** Cross-environment drift: every later environment's live schema against the first one's, per binding. */
export function compareEnvironments(databases: DatabaseReport[]): void {
  const byBinding = new Map<string, DatabaseReport[]>();
  for (const d of databases) {
    if (!d.liveSchema) continue;
    const list = byBinding.get(d.binding) ?? [];
    list.push(d);
    byBinding.set(d.binding, list);
  }
  for (const list of byBinding.values()) {
    const [reference, ...others] = list;
    if (!reference) continue;
    for (const d of others) {
      const name = reference.environment ?? 'top level';
      recordDrift(d, `environment:${name}`, diffSchemas(reference.liveSchema!, d.liveSchema!), `environment ${name}`);
    }
  }
}

function recordDrift(report: DatabaseReport, against: string, changes: SchemaChange[], what: string): void {
  const comparison: DriftComparison = { against, changes };
  (report.drift ??= []).push(comparison);
  if (changes.length === 0) return;
  const shown = changes.slice(0, 10).map(describeChange).join('; ');
  const more = changes.length > 10 ? `; … ${changes.length - 10} more` : '';
  report.findings.push(finding({
    rule: RULE,
    message: `The live schema of ${report.environment ?? 'top level'} · ${report.binding} differs from ${what}: ${shown}${more}. Find who changed it (a hand-run statement, an edited migration) and bring it back in line with a new migration.`,
  }));
}

/** One difference between the live schema and the reference, in words ("column users.email is missing from the database"). */
export function describeChange(c: SchemaChange): string {
  const what = c.object === 'column' ? `column ${c.table}.${c.name}` : `${c.object} ${c.name}`;
  switch (c.kind) {
    case 'added':
      return `${what} exists only in the database${c.definition ? ` (${c.definition})` : ''}`;
    case 'dropped':
      return `${what} is missing from the database`;
    case 'renamed':
      return `table ${c.before} is named ${c.name} in the database`;
    default:
      return `${what} differs (${c.before ?? '?'} → ${c.definition ?? '?'})`;
  }
}
