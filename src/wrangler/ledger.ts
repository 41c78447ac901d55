import type { LedgerEntry } from '../types.js';
import type { Classified } from './classify.js';
import { parseJsonOutput, textOf } from './output.js';
import { d1Args, succeeded, type RunExtra, type WranglerSession } from './session.js';

export type LedgerRead =
  | { ok: true; entries: LedgerEntry[]; /** false when the migrations table does not exist yet */ exists: boolean }
  | { ok: false; failure: Classified };

/** `SELECT * FROM "<table>" ORDER BY id` with the identifier quoted the SQL way. */
export function ledgerQuery(table: string): string {
  return `SELECT * FROM "${table.replace(/"/g, '""')}" ORDER BY id`;
}

/**
 * Reads the applied-migrations table with `d1 execute --json` (machine-readable, unlike `migrations list`).
 * A missing table is an empty ledger: nothing is created, so preview never writes to the database.
 */
export async function readLedger(session: WranglerSession, extra?: RunExtra): Promise<LedgerRead> {
  const table = session.target.migrationsTable;
  const result = await session.run(d1Args(session, ['execute'], ['--json', '--command', ledgerQuery(table)]), extra);
  const json = parseJsonOutput(result.stdout);
  if (succeeded(result) && json?.kind === 'results') {
    return { ok: true, entries: toEntries(json.results[0]?.results ?? []), exists: true };
  }
  if (json?.kind === 'error' && isMissingTable([json.text, ...json.notes].join('\n'), table) && !result.timedOut && !result.cancelled) {
    return { ok: true, entries: [], exists: false };
  }
  return { ok: false, failure: session.classify(result) };
}

function isMissingTable(text: string, table: string): boolean {
  const m = /no such table: ([^\s:]+)/.exec(text);
  return !!m && m[1]!.replace(/^main\./, '').toLowerCase() === table.toLowerCase();
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
