import { discoverMigrations } from '../migrations/discover.js';
import { checkFilenames } from '../rules/filename-rules.js';
import { foldFindings } from '../rules/fold.js';
import { checkStaticRules } from '../rules/index.js';
import { replayMigrations } from '../replay/replay.js';
import { applySuppressions, parseMigration } from '../sql/split.js';
import type { DatabaseTarget, Finding, MigrationFile, NumberingMode, SchemaObject } from '../types.js';

export interface ValidateResult {
  migrations: MigrationFile[];
  findings: Finding[];
  schema: SchemaObject[];
  notes: string[];
}

/**
 * The validate phase: everything that can be known without a database or credentials — file naming,
 * static SQL rules, and a replay of the whole set on a D1-like SQLite.
 */
export async function validateDatabase(
  target: DatabaseTarget,
  opts: { cwd: string; numbering: NumberingMode; disabled: Set<string>; dataCheck?: boolean },
): Promise<ValidateResult> {
  const set = discoverMigrations(target, opts.cwd);
  const parsed = set.files.map((file) => parseMigration(file));
  const replay = await replayMigrations({
    files: set.files,
    migrationsTable: target.migrationsTable,
    disabled: opts.disabled,
    dataCheck: opts.dataCheck ?? true,
    parsed,
  });
  const all = [
    ...set.findings,
    ...checkFilenames(set.files, opts.numbering),
    ...checkStaticRules({ target, migrations: parsed, numbering: opts.numbering }, opts.disabled),
    ...replay.findings,
  ];
  const findings = foldFindings(
    applySuppressions(
      all.filter((f) => !opts.disabled.has(f.rule)),
      parsed,
    ),
    replay.keptRebuilds ?? [],
  );
  return { migrations: set.files, findings: sortFindings(findings, set.files.map((f) => f.relPath)), schema: replay.schema, notes: replay.notes };
}

/** Findings in apply order of their files (set-wide findings first), then by line. */
export function sortFindings(findings: Finding[], fileOrder: string[] = []): Finding[] {
  const rank = new Map(fileOrder.map((f, i) => [f, i]));
  const key = (f: Finding) => (f.file === undefined ? -1 : rank.get(f.file) ?? fileOrder.length);
  return [...findings].sort(
    (a, b) =>
      key(a) - key(b) ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.rule.localeCompare(b.rule),
  );
}
