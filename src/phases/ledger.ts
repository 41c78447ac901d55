import type { DatabaseTarget, Finding, LedgerEntry, MigrationFile } from '../types.js';
import { finding } from '../finding.js';

/** Files not yet recorded in the ledger, in the order wrangler applies them (`migrations` is already in it). */
export function pendingMigrations(migrations: MigrationFile[], ledger: LedgerEntry[]): MigrationFile[] {
  const applied = new Set(ledger.map((e) => e.name));
  return migrations.filter((m) => !applied.has(m.name));
}

/**
 * Drift between the database's ledger and the files: a recorded name with no file (renamed or deleted —
 * a renamed file is pending under its new name and wrangler would run it again), and a pending file that
 * sorts before the last applied one (it was merged late, or numbered on another branch).
 */
export function ledgerFindings(migrations: MigrationFile[], ledger: LedgerEntry[], target: DatabaseTarget): Finding[] {
  const findings: Finding[] = [];
  const files = new Map(migrations.map((m) => [m.name, m]));
  const pending = pendingMigrations(migrations, ledger);
  const where = target.environment ? `${target.databaseName} (${target.environment})` : target.databaseName;

  for (const entry of ledger) {
    if (files.has(entry.name)) continue;
    const renamed = pending.find((p) => sameMigration(p.name, entry.name));
    const when = entry.appliedAt ? ` on ${entry.appliedAt}` : '';
    findings.push(finding({
      rule: 'applied-file-missing',
      file: renamed?.relPath,
      line: renamed ? 1 : undefined,
      message: renamed
        ? `${where} recorded ${entry.name} as applied${when}, but the file is now ${renamed.name}; wrangler tracks files by name and would run it again as a new migration.`
        : `${where} recorded ${entry.name} as applied${when}, but there is no such file in ${target.migrationsDir}; if it was renamed, wrangler will run it again under the new name.`,
    }));
  }

  const order = new Map(migrations.map((m, i) => [m.name, i]));
  let lastApplied: MigrationFile | undefined;
  for (const entry of ledger) {
    const file = files.get(entry.name);
    if (file && (lastApplied === undefined || order.get(file.name)! > order.get(lastApplied.name)!)) lastApplied = file;
  }
  if (lastApplied) {
    const lastIndex = order.get(lastApplied.name)!;
    for (const p of pending) {
      if (order.get(p.name)! < lastIndex) {
        findings.push(finding({
          rule: 'out-of-order',
          file: p.relPath,
          line: 1,
          message: `${p.name} is not applied on ${where} yet, but sorts before ${lastApplied.name}, which is; it will run after it, against a schema its author may not have expected.`,
        }));
      }
    }
  }
  return findings;
}

/** Same migration under another file name: same number and description, or same description. */
function sameMigration(a: string, b: string): boolean {
  const desc = (n: string) => n.replace(/\.sql$/i, '').replace(/^\d+[_-]?/, '').toLowerCase();
  const da = desc(a);
  return da !== '' && da === desc(b);
}
