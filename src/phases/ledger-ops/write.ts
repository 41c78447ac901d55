/**
 * The one way ledger operations write: rows exactly as wrangler writes them (`INSERT INTO "<table>" (name)`,
 * id and applied_at from the table's defaults, the table created if missing with wrangler's own statement),
 * guarded by the apply lock taken in the same request, the ledger read back at the end. Everything fits into
 * ONE request (atomic) unless a baseline records thousands of files; then the lock is held across the
 * requests and released in the last one.
 */
import { packRequests, recordChecksumStatements } from '../../ledger-state/checksum.js';
import { acquireLockPart, describeLock, newLockRequest, releaseLockPart, type LockOutcome } from '../../ledger-state/lock.js';
import { sqlIdent, sqlString } from '../../ledger-state/sql.js';
import { createLedgerTable, STATE_TABLE } from '../../ledger-state/table.js';
import type { LedgerEntry, MigrationFile } from '../../types.js';
import { executeStatements } from '../../wrangler/execute.js';
import { ledgerQuery, toEntries } from '../../wrangler/ledger.js';
import type { WranglerSession } from '../../wrangler/session.js';
import type { PhaseContext } from '../types.js';

export interface LedgerWrite {
  /** Names to record as applied, in wrangler's apply order. */
  insert: string[];
  /** A recorded name to change (rename-applied). */
  rename?: { from: string; to: string };
  /** Checksums to record (`replace`: over a recorded one). Skipped when the state is off. */
  checksums?: { files: MigrationFile[]; replace: boolean };
  /** Checksum rows to drop first (rename-applied moves the record). */
  dropChecksums?: string[];
}

/** VALUES rows per INSERT statement are kept far below D1's request limit. */
const MAX_VALUES_BYTES = 30_000;

export async function writeLedger(ctx: PhaseContext, session: WranglerSession, write: LedgerWrite): Promise<{ ok: true; entries: LedgerEntry[] } | { ok: false }> {
  const { report, options } = ctx;
  const phase = options.phases[0]!;
  const table = session.target.migrationsTable;
  const lock = options.ledgerState ? newLockRequest(ctx.run, ctx.env, options.timeoutMs) : undefined;
  const guard = lock
    ? `EXISTS (SELECT 1 FROM ${STATE_TABLE} WHERE ledger = ${sqlString(table)} AND kind = 'lock' AND name = '' AND value = ${sqlString(lock.token)})`
    : '1';
  const lockPart = lock ? acquireLockPart(table, lock) : undefined;

  const body: string[] = [];
  if (options.ledgerState && write.dropChecksums?.length) {
    body.push(`DELETE FROM ${STATE_TABLE} WHERE ledger = ${sqlString(table)} AND kind = 'checksum' AND name IN (${write.dropChecksums.map(sqlString).join(', ')}) AND ${guard}`);
  }
  body.push(...insertStatements(table, write.insert, guard));
  if (write.rename) {
    body.push(`UPDATE ${sqlIdent(table)} SET name = ${sqlString(write.rename.to)} WHERE name = ${sqlString(write.rename.from)} AND ${guard}`);
  }
  if (options.ledgerState && write.checksums?.files.length) {
    body.push(...recordChecksumStatements(table, write.checksums.files, { replace: write.checksums.replace, guard }));
  }
  const tail = [...(lock ? releaseLockPart(table, lock.token).statements : []), ledgerQuery(table)];
  const head = [createLedgerTable(table), ...(lockPart?.statements ?? [])];
  const packed = packRequests(head, body);
  const requests = [packed.first, ...packed.more];
  requests[requests.length - 1]!.push(...tail);

  let outcome: LockOutcome | undefined;
  let entries: LedgerEntry[] = [];
  for (let i = 0; i < requests.length; i++) {
    const done = await executeStatements(session, requests[i]!, { signal: i === 0 ? undefined : null });
    if (!done.ok) {
      report.failure = {
        phase,
        kind: done.failure.kind,
        message: `${i === 0 ? 'Nothing was written' : `Writing stopped after ${i} of ${requests.length} requests`}: ${done.failure.message}`,
      };
      if (i > 0 && lock) await executeStatements(session, releaseLockPart(table, lock.token).statements, { signal: null, timeoutMs: 30_000 });
      return { ok: false };
    }
    if (i === 0 && lockPart) {
      outcome = lockPart.parse(done.results.slice(1, 1 + lockPart.statements.length));
      if (!outcome.taken) {
        report.failure = {
          phase,
          kind: 'locked',
          message: `${ctx.target.databaseName} is locked by a run that is applying migrations (${describeLock(outcome.heldBy)}). Nothing was written; try again when it is done, or remove a dead lock with \`d1-migrate unlock\`.`,
        };
        return { ok: false };
      }
    }
    if (i === requests.length - 1) entries = toEntries(done.results[done.results.length - 1]?.results ?? []);
  }
  if (outcome?.taken && outcome.tookOver) {
    const message = `Took over the expired lock held by ${describeLock(outcome.tookOver)}.`;
    report.notes.push(message);
    ctx.io.warning(message);
  }
  return { ok: true, entries };
}

/** `INSERT INTO "<table>" (name) SELECT ...` in apply order, so ids ascend the way wrangler's would. */
function insertStatements(table: string, names: string[], guard: string): string[] {
  const out: string[] = [];
  let rows: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (!rows.length) return;
    out.push(`INSERT INTO ${sqlIdent(table)} (name) SELECT v.column2 FROM (VALUES ${rows.join(', ')}) AS v WHERE ${guard} ORDER BY v.column1`);
    rows = [];
    bytes = 0;
  };
  names.forEach((name, i) => {
    const row = `(${i}, ${sqlString(name)})`;
    if (bytes + row.length > MAX_VALUES_BYTES) flush();
    rows.push(row);
    bytes += Buffer.byteLength(row, 'utf8') + 2;
  });
  flush();
  return out;
}
