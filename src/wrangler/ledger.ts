import type { LedgerEntry, SchemaObject } from '../types.js';
import type { Classified } from './classify.js';
import { executeStatements } from './execute.js';
import { textOf } from './output.js';
import { failureText } from './parts.js';
import { SCHEMA_OBJECTS_QUERY, SCHEMA_QUERY, toSchemaObjects } from './schema.js';
import type { RunExtra, WranglerSession } from './session.js';

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
 * Reads the applied-migrations table with `d1 execute --json` (machine-readable, unlike `migrations list`);
 * with `withSchema`, the live schema in the same request. A missing table is an empty ledger: nothing is
 * created, so preview never writes to the database.
 */
export async function readLedger(session: WranglerSession, extra?: RunExtra & { withSchema?: boolean }): Promise<LedgerRead> {
  const table = session.target.migrationsTable;
  const read = await executeStatements(session, extra?.withSchema ? [SCHEMA_OBJECTS_QUERY, ledgerQuery(table)] : [ledgerQuery(table)], extra);
  if (read.ok) {
    const [first, second] = read.results;
    return extra?.withSchema
      ? { ok: true, entries: toEntries(second?.results ?? []), exists: true, schema: toSchemaObjects(first?.results ?? []) }
      : { ok: true, entries: toEntries(first?.results ?? []), exists: true };
  }
  if (read.error && isMissingTable(failureText(read), table) && !read.stopped) return noLedgerYet(session, !!extra?.withSchema, extra);
  return { ok: false, failure: read.failure };
}

/** A database no migration was applied to yet (no ledger table): nothing to read but (when asked) its schema. */
export async function noLedgerYet(session: WranglerSession, withSchema: boolean, extra?: RunExtra): Promise<LedgerRead> {
  if (!withSchema) return { ok: true, entries: [], exists: false };
  const schema = await executeStatements(session, [SCHEMA_QUERY], extra);
  return schema.ok ? { ok: true, entries: [], exists: false, schema: toSchemaObjects(schema.results[0]?.results ?? []) } : { ok: false, failure: schema.failure };
}

/** SQLite's own "no such table: <name>" for exactly this table (names may hold spaces and colons). */
export function isMissingTable(text: string, table: string): boolean {
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
      appliedAt: r.applied_at === undefined || r.applied_at === null ? null : textOf(r.applied_at),
    }));
}
