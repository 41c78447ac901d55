/**
 * Applied-file checksums: when this tool applies (or records) a migration it keeps a hash of the file, and
 * every later preview/apply compares the file with it. wrangler never runs an applied file again, so an edit
 * to one reaches no database: `applied-file-changed` says so before it misleads anyone.
 */
import { createHash } from 'node:crypto';
import { finding } from '../finding.js';
import { databaseNameLabel } from '../phases/migration-arg.js';
import type { DatabaseTarget, Finding, LedgerEntry, MigrationFile } from '../types.js';
import { NOW_ISO, sqlIdent, sqlString } from './sql.js';
import { STATE_TABLE, type ChecksumRow } from './table.js';

export const CHANGED_RULE = 'applied-file-changed';

/**
 * `sha256:<hex>` of the SQL wrangler sends for the file: its text as wrangler reads it (UTF-8), with one
 * leading byte-order mark dropped and CRLF/CR line ends read as LF — a checkout with other line endings
 * (git autocrlf) or an editor adding a BOM is not an edit; any other changed byte is.
 */
export function checksumOf(sql: string): string {
  const text = (sql.charCodeAt(0) === 0xfeff ? sql.slice(1) : sql).replace(/\r\n?/g, '\n');
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** Applied files whose content is not what was applied (as far as a recorded checksum tells). */
export function checksumFindings(
  migrations: MigrationFile[],
  ledger: LedgerEntry[],
  checksums: ReadonlyMap<string, ChecksumRow>,
  target: DatabaseTarget,
): Finding[] {
  const files = new Map(migrations.map((m) => [m.name, m]));
  const where = databaseNameLabel(target);
  const findings: Finding[] = [];
  for (const entry of ledger) {
    const file = files.get(entry.name);
    const recorded = checksums.get(entry.name);
    if (!file || !recorded) continue;
    const now = checksumOf(file.sql);
    if (now === recorded.sum) continue;
    findings.push(
      finding({
        rule: CHANGED_RULE,
        file: file.relPath,
        line: 1,
        message:
          `${file.name} was applied to ${where}${entry.appliedAt ? ` on ${entry.appliedAt}` : ''}, and the file has changed since (recorded ${short(recorded.sum)}, now ${short(now)}). ` +
          'wrangler never runs an applied file again, so the edit reaches no database: undo it and put the change in a new migration. ' +
          `If the edit changes nothing that ran (a comment), accept it with \`d1-migrate mark-applied ${file.name} --force\`.`,
      }),
    );
  }
  return findings;
}

function short(sum: string): string {
  return sum.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]*$/, '$1…');
}

/** Applied files (with a file) that have no checksum yet: applied before this tool kept them. */
export function unhashedApplied(migrations: MigrationFile[], ledger: LedgerEntry[], checksums: ReadonlyMap<string, ChecksumRow>): MigrationFile[] {
  const applied = new Set(ledger.map((e) => e.name));
  return migrations.filter((m) => applied.has(m.name) && !checksums.has(m.name));
}

/** D1 refuses requests over 100,000 bytes of SQL: one statement stays far below it (see packRequests). */
const MAX_STATEMENT_BYTES = 30_000;

/**
 * Statements recording the checksums of `files`, only for names the ledger records (so a file wrangler did
 * not apply gets none). `replace`: files this run applied (their content is what ran now); otherwise a
 * recorded checksum is never overwritten — that would hide the very change it exists to catch.
 */
export function recordChecksumStatements(ledgerTable: string, files: MigrationFile[], opts: { replace: boolean; /** an extra SQL condition (a lock guard) */ guard?: string }): string[] {
  const statements: string[] = [];
  let rows: string[] = [];
  let bytes = 0;
  const flush = () => {
    if (!rows.length) return;
    statements.push(
      `INSERT INTO ${STATE_TABLE} (ledger, kind, name, value, at) ` +
        `SELECT ${sqlString(ledgerTable)}, 'checksum', v.column1, v.column2, ${NOW_ISO} FROM (VALUES ${rows.join(', ')}) AS v ` +
        `WHERE v.column1 IN (SELECT name FROM ${sqlIdent(ledgerTable)})${opts.guard ? ` AND ${opts.guard}` : ''} ` +
        (opts.replace ? 'ON CONFLICT (ledger, kind, name) DO UPDATE SET value = excluded.value, at = excluded.at' : 'ON CONFLICT (ledger, kind, name) DO NOTHING'),
    );
    rows = [];
    bytes = 0;
  };
  for (const f of files) {
    const row = `(${sqlString(f.name)}, ${sqlString(checksumOf(f.sql))})`;
    const size = Buffer.byteLength(row, 'utf8') + 2;
    if (bytes + size > MAX_STATEMENT_BYTES) flush();
    rows.push(row);
    bytes += size;
  }
  flush();
  return statements;
}

/** What one request may carry: D1's limit is 100,000 bytes of SQL, the rest is headroom. */
export const REQUEST_BUDGET_BYTES = 90_000;

/**
 * Splits `extra` statements over requests: as many as fit go with `first` (a request the run makes anyway),
 * the rest into as few further requests as fit the budget. Needed once, for a database with a long history
 * seen for the first time; usually everything fits into `first`.
 */
export function packRequests(first: string[], extra: string[]): { first: string[]; more: string[][] } {
  const size = (list: string[]) => list.reduce((n, s) => n + Buffer.byteLength(s, 'utf8') + 2, 0);
  const head = [...first];
  let used = size(head);
  const more: string[][] = [];
  let current: string[] | undefined;
  let currentBytes = 0;
  for (const s of extra) {
    const n = Buffer.byteLength(s, 'utf8') + 2;
    if (!current && used + n <= REQUEST_BUDGET_BYTES) {
      head.push(s);
      used += n;
      continue;
    }
    if (!current || currentBytes + n > REQUEST_BUDGET_BYTES) {
      current = [];
      currentBytes = 0;
      more.push(current);
    }
    current.push(s);
    currentBytes += n;
  }
  return { first: head, more };
}
