/**
 * Preview's one request, with the tool's state: the live schema, the ledger and the state table's rows —
 * and for a run that will apply, the lock, taken in that same request. Costs nothing extra on a database
 * the tool has applied to before; see docs/ledger.md for every case.
 */
import type { LedgerEntry, SchemaObject } from '../types.js';
import { isMissingTable, ledgerQuery, noLedgerYet, readLedger, toEntries, type LedgerRead } from '../wrangler/ledger.js';
import { executeParts, failureText, type StatementPart } from '../wrangler/parts.js';
import { SCHEMA_OBJECTS_QUERY, toSchemaObjects } from '../wrangler/schema.js';
import type { RunExtra, WranglerSession } from '../wrangler/session.js';
import { acquireLockPart, type LockOutcome, type LockRequest } from './lock.js';
import { sqlString } from './sql.js';
import { createLedgerTable, NO_STATE, selectState, STATE_TABLE, toLedgerState, type LedgerState } from './table.js';

export type StateRead =
  | (Extract<LedgerRead, { ok: true }> & {
      /** The state rows; undefined when the state is off. */
      state?: LedgerState;
      /** With a lock request: whether this run holds the lock now. */
      lock?: LockOutcome;
    })
  | Extract<LedgerRead, { ok: false }>;

export interface StateReadOptions {
  withSchema: boolean;
  /** Read the tool's state table (off with `ledger-state: false`). */
  state: boolean;
  /** Take the lock in the same request (a run that will apply; the state must be on). */
  lock?: LockRequest;
}

const schemaPart = (query: string): StatementPart<SchemaObject[]> => ({ statements: [query], parse: (r) => toSchemaObjects(r[0]?.results ?? []) });
const entriesPart = (table: string): StatementPart<LedgerEntry[]> => ({ statements: [ledgerQuery(table)], parse: (r) => toEntries(r[0]?.results ?? []) });
const statePart = (table: string): StatementPart<LedgerState> => ({ statements: [selectState(table)], parse: (r) => toLedgerState(r[0]?.results ?? []) });

export async function readLedgerAndState(session: WranglerSession, opts: StateReadOptions, extra?: RunExtra): Promise<StateRead> {
  const table = session.target.migrationsTable;
  if (!opts.state) return readLedger(session, { ...extra, withSchema: opts.withSchema });
  if (opts.lock) return readAndLock(session, table, opts.lock, opts.withSchema, extra);

  const read = await executeParts(session, [schemaPart(SCHEMA_OBJECTS_QUERY), entriesPart(table), statePart(table)] as const, extra);
  if (read.ok) {
    const [schema, entries, state] = read.values;
    return { ok: true, entries, exists: true, state, ...(opts.withSchema ? { schema } : {}) };
  }
  if (read.stopped) return { ok: false, failure: read.failure };
  const text = failureText(read);
  if (isMissingTable(text, table)) {
    // No migration was applied yet: the state cannot matter (the tool creates both tables together).
    const empty = await noLedgerYet(session, opts.withSchema, extra);
    return empty.ok ? { ...empty, state: NO_STATE } : empty;
  }
  if (isMissingTable(text, STATE_TABLE)) {
    // Migrations were applied, but never by this tool (or with the state off): read as before, once.
    const plain = await readLedger(session, { ...extra, withSchema: opts.withSchema });
    return plain.ok ? { ...plain, state: NO_STATE } : plain;
  }
  return { ok: false, failure: read.failure };
}

/**
 * A run that will apply: the ledger is created if missing exactly as wrangler creates it (wrangler's own
 * apply does that first thing, a moment later), so no read can fail on a missing table and the lock, the
 * schema, the ledger and the state all come back in ONE request, on a fresh database too.
 */
async function readAndLock(session: WranglerSession, table: string, lock: LockRequest, withSchema: boolean, extra?: RunExtra): Promise<StateRead> {
  const existed: StatementPart<boolean> = {
    statements: [`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table' AND name = ${sqlString(table)} COLLATE NOCASE`],
    parse: (r) => Number(r[0]?.results[0]?.n ?? 0) > 0,
  };
  const create: StatementPart<void> = { statements: [createLedgerTable(table)], parse: () => undefined };
  const parts = [schemaPart(SCHEMA_OBJECTS_QUERY), existed, create, acquireLockPart(table, lock), entriesPart(table), statePart(table)] as const;
  const read = await executeParts(session, parts, extra);
  if (!read.ok) return { ok: false, failure: read.failure };
  const [schema, exists, , outcome, entries, state] = read.values;
  return { ok: true, entries, exists, state, lock: outcome, ...(withSchema ? { schema } : {}) };
}
