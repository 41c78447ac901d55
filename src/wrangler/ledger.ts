import type { LedgerEntry, SchemaObject } from '../types.js';
import type { Classified } from './classify.js';
import { parseJsonOutput } from './output.js';
import { SCHEMA_OBJECTS_QUERY, SCHEMA_QUERY, toSchemaObjects } from './schema.js';
import { d1Args, succeeded, type RunExtra, type WranglerSession } from './session.js';

export type LedgerRead =
  | {
      ok: true;
      entries: LedgerEntry[];
      /** false when the migrations table does not exist yet */
      exists: boolean;
      /** The live schema, when asked for (`withSchema`). */
      schema?: SchemaObject[];
    }
  | { ok: false; failure: Classified };

/** `SELECT * FROM "<table>" ORDER BY id` with the identifier quoted the SQL way. */
export function ledgerQuery(table: string): string {
  return `SELECT * FROM "${table.replace(/"/g, '""')}" ORDER BY id`;
}

/**
 * Reads the applied-migrations table with `d1 execute --json` (machine-readable, unlike `migrations list`).
 * A missing table is an empty ledger: nothing is created, so preview never writes to the database.
 */
export async function readLedger(session: WranglerSession, extra?: RunExtra & { withSchema?: boolean }): Promise<LedgerRead> {
  const table = session.target.migrationsTable;
  // With the schema: both SELECTs in one `d1 execute`, which is one D1 request.
  const sql = extra?.withSchema ? `${SCHEMA_OBJECTS_QUERY}; ${ledgerQuery(table)}` : ledgerQuery(table);
  const result = await session.run(d1Args(session, ['execute'], ['--json', '--command', sql]), extra);
  const json = parseJsonOutput(result.stdout);
  if (succeeded(result) && json?.kind === 'results') {
    const [first, second] = json.results;
    if (!extra?.withSchema) return { ok: true, entries: toEntries(first?.results ?? []), exists: true };
    if (first && second && json.results.length === 2) {
      return { ok: true, entries: toEntries(second.results), exists: true, schema: toSchemaObjects(first.results) };
    }
    // Not one result per statement (a wrangler that split the text differently): ask separately.
    const ledger = await readLedger(session, { ...extra, withSchema: false });
    if (!ledger.ok) return ledger;
    const schema = await readSchemaOnly(session, extra);
    return schema.ok ? { ...ledger, schema: schema.objects } : { ok: false, failure: schema.failure };
  }
  if (json?.kind === 'error' && isMissingTable([json.text, ...json.notes].join('\n'), table) && !result.timedOut && !result.cancelled) {
    // A database no migration was applied to yet: nothing to read but (when asked) its schema.
    if (!extra?.withSchema) return { ok: true, entries: [], exists: false };
    const schema = await readSchemaOnly(session, extra);
    return schema.ok ? { ok: true, entries: [], exists: false, schema: schema.objects } : { ok: false, failure: schema.failure };
  }
  return { ok: false, failure: session.classify(result) };
}

async function readSchemaOnly(session: WranglerSession, extra: RunExtra): Promise<{ ok: true; objects: SchemaObject[] } | { ok: false; failure: Classified }> {
  const result = await session.run(d1Args(session, ['execute'], ['--json', '--command', SCHEMA_QUERY]), extra);
  const json = parseJsonOutput(result.stdout);
  if (succeeded(result) && json?.kind === 'results') return { ok: true, objects: toSchemaObjects(json.results[0]?.results ?? []) };
  return { ok: false, failure: session.classify(result) };
}


/** SQLite's own "no such table: <name>" for exactly this table (names may hold spaces and colons). */
function isMissingTable(text: string, table: string): boolean {
  const lower = text.toLowerCase();
  const name = table.toLowerCase();
  return [`no such table: ${name}:`, `no such table: main.${name}:`].some((m) => lower.includes(m)) || new RegExp(`no such table: (main\\.)?${escapeRegExp(name)}$`, 'm').test(lower);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function toEntries(rows: Record<string, unknown>[]): LedgerEntry[] {
  return rows
    .filter((r) => typeof r.name === 'string')
    .map((r) => ({
      id: typeof r.id === 'number' ? r.id : r.id === undefined || r.id === null ? undefined : Number(r.id),
      name: String(r.name),
      appliedAt: r.applied_at === undefined || r.applied_at === null ? null : String(r.applied_at),
    }));
}
