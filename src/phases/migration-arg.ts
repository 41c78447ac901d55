import type { DatabaseTarget, MigrationFile } from '../types.js';

export type ResolvedMigration = { ok: true; file: MigrationFile } | { ok: false; reason: string };

/**
 * The migration a user named (`--to`, `baseline --to`, `mark-applied`): its file name as wrangler records it
 * (`0003_add_jobs.sql`), the name without `.sql`, its path as findings show it (`migrations/0003_add_jobs.sql`),
 * or its number prefix (`3`, `0003`) when exactly one file has it.
 */
export function resolveMigration(arg: string, files: MigrationFile[]): ResolvedMigration {
  const value = arg.trim();
  const exact = files.find((m) => m.name === value || m.relPath === value || m.name === `${value}.sql`);
  if (exact) return { ok: true, file: exact };
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    const same = files.filter((m) => m.numberText === value || (m.number !== null && m.number === n));
    if (same.length === 1) return { ok: true, file: same[0]! };
    if (same.length > 1) return { ok: false, reason: `"${value}" is ambiguous: ${same.map((m) => m.name).join(', ')} share that number; name the file` };
  }
  return { ok: false, reason: `there is no migration "${value}"` };
}

/** Names for a message: the first `max`, then how many more. */
export function nameList(names: string[], max = 20): string {
  if (names.length === 0) return 'none';
  return names.length > max ? `${names.slice(0, max).join(', ')}, … ${names.length - max} more` : names.join(', ');
}

/**
 * How the ledger's, the lock's and apply's messages name the database they speak of: `<name>`, or
 * `<name> (<environment>)` (log lines and headings use report/label.ts databaseLabel, `production · DB`).
 */
export function databaseNameLabel(target: DatabaseTarget): string {
  return `${target.databaseName}${target.environment ? ` (${target.environment})` : ''}`;
}
