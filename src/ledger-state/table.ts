/**
 * The tool's own state table on the target database: applied-file checksums and the apply lock, one small
 * table beside wrangler's ledger (never inside it, so wrangler and every other tool read the ledger as
 * before). docs/ledger.md documents it. It is created by the first write that needs it — an apply, a ledger
 * operation — never by a read, and `ledger-state: false` (CLI `--no-ledger-state`) means it is never read,
 * written or created.
 *
 * Its name must not start with `_cf_` (D1 refuses those) nor `sqlite_`; drift, the schema listings, schema
 * diffs and the live-schema replay leave it out (see isToolTable).
 */
import { sqlIdent, sqlString } from './sql.js';

export const STATE_TABLE = 'd1_migrate_state';

/**
 * One row per (ledger, kind, name): `ledger` is the wrangler migrations table the row belongs to (several
 * bindings may share a database with different `migrations_table`s), `kind` is `checksum` (name = migration,
 * value = `sha256:<hex>`) or `lock` (name = '', value = the holder's random token, detail = who holds it).
 */
export const CREATE_STATE_TABLE = `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (
  ledger TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  detail TEXT,
  at TEXT NOT NULL,
  expires_at INTEGER,
  PRIMARY KEY (ledger, kind, name)
)`;

/** True for the tool's own table (case-insensitive, as SQLite names are). */
export function isToolTable(name: string): boolean {
  return name.toLowerCase() === STATE_TABLE;
}

/**
 * wrangler's own `CREATE TABLE IF NOT EXISTS` for the ledger, character for character as wrangler >= 4.106
 * sends it (quoted name; 4.86 sends the name unquoted, which SQLite stores the same for plain names): a
 * ledger the tool creates is the ledger wrangler would have created.
 */
export function createLedgerTable(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${sqlIdent(table)}(
\t\tid         INTEGER PRIMARY KEY AUTOINCREMENT,
\t\tname       TEXT UNIQUE,
\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;
}

/** Every row of one ledger's state (checksums and the lock). */
export function selectState(ledger: string): string {
  return `SELECT kind, name, value, detail, at, expires_at FROM ${STATE_TABLE} WHERE ledger = ${sqlString(ledger)}`;
}

export interface ChecksumRow {
  sum: string;
  /** When the tool recorded it (the database's clock). */
  at: string;
}

export interface LockRow {
  token: string;
  holder: string;
  /** When it was taken (ISO UTC). */
  at: string;
  /** Unix seconds after which another run may take it over. */
  expiresAt: number;
}

/** What the state table holds for one ledger; `exists: false` when the table is not there (yet). */
export interface LedgerState {
  exists: boolean;
  checksums: Map<string, ChecksumRow>;
  lock?: LockRow;
}

export const NO_STATE: LedgerState = { exists: false, checksums: new Map() };

export function toLedgerState(rows: Record<string, unknown>[]): LedgerState {
  const checksums = new Map<string, ChecksumRow>();
  let lock: LockRow | undefined;
  for (const r of rows) {
    if (r.kind === 'checksum' && typeof r.name === 'string' && typeof r.value === 'string') {
      checksums.set(r.name, { sum: r.value, at: text(r.at) });
    } else if (r.kind === 'lock') {
      lock = toLockRow(r);
    }
  }
  return { exists: true, checksums, ...(lock ? { lock } : {}) };
}

export function toLockRow(r: Record<string, unknown>): LockRow {
  return { token: text(r.value), holder: text(r.detail) || 'unknown', at: text(r.at), expiresAt: Number(r.expires_at ?? 0) };
}

/**
 * `2026-01-02T03:04:05Z` for a unix time in seconds; 'unknown' for one no Date can hold. The time comes from
 * a row of the target database (a lock's expires_at): a finite number beyond ±8.64e12 s would make
 * toISOString throw, and a message about the lock must not become the run's crash.
 */
export function isoSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? 'unknown' : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A column D1 returned, as text ('' for NULL): the state table only holds text and numbers. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value);
}
