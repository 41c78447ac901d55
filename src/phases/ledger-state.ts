import type { DatabaseReport, LedgerEntry } from '../types.js';

/**
 * The ledger after apply, handed from apply to history without widening PhaseContext: keyed by the
 * database's report object, which both phases share. `exact` is false when it was computed (ledger before +
 * what wrangler reported) rather than read, so applied_at is this run's clock, not D1's.
 */
const after = new WeakMap<DatabaseReport, { entries: LedgerEntry[]; exact: boolean }>();

export function rememberLedgerAfter(report: DatabaseReport, entries: LedgerEntry[], exact: boolean): void {
  after.set(report, { entries, exact });
}

export function ledgerAfter(report: DatabaseReport): { entries: LedgerEntry[]; exact: boolean } | undefined {
  return after.get(report);
}

/** D1 stores applied_at as CURRENT_TIMESTAMP: `YYYY-MM-DD HH:MM:SS` in UTC. */
export function d1Timestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
