import { DATA_LOSS_RULES, dataLossFirst } from '../rule-catalog.js';
import { escapeMarkdown, inlineCode } from './escape.js';
import { countByRule, partitionFindings, settledWhere } from './groups.js';
import { preflightSection } from './preflight.js';
import { fitSummary } from './summary-limit.js';
import type { DatabaseReport, Finding, Report, RunContext, Target } from '../types.js';

const LIST_LIMIT = 50;

const ICON: Record<string, string> = {
  valid: '✅',
  applied: '✅',
  'up-to-date': '✅',
  invalid: '❌',
  failed: '❌',
  skipped: '⚠️',
};

export interface SummaryInput {
  report: Report;
  run: RunContext;
  target: Target;
  reportPath?: string;
}

/** The job summary: one section per environment/database with findings, pending, applied and history. */
export function renderSummary({ report, run, target, reportPath }: SummaryInput): string {
  const out: string[] = [];
  const icon = report.failed ? '❌' : report.warnings || report.status === 'skipped' ? '⚠️' : '✅';
  const info = report.informational ? `, ${report.informational} informational (not blocking)` : '';
  out.push(`## ${icon} D1 migrations: ${report.status}`);
  out.push('');
  out.push(
    `${report.errors} error(s), ${report.warnings} warning(s)${info} in ${report.databases.length} database(s), target ${inlineCode(target)}, ${(report.durationMs / 1000).toFixed(1)} s.`,
  );
  if (report.failureMessage) out.push('', `**Failed:** ${escapeMarkdown(report.failureMessage)}`);
  for (const db of report.databases) out.push('', ...databaseSection(db, run));
  if (reportPath) out.push('', `<sub>Full JSON report: ${inlineCode(reportPath)}</sub>`);
  // GitHub's 1 MiB is bytes; fitSummary cuts cleanly and says where (src/report/summary-limit.ts).
  return fitSummary(out.join('\n') + '\n', { reportPath });
}

function databaseSection(db: DatabaseReport, run: RunContext): string[] {
  const out: string[] = [];
  const env = db.environment ? `${escapeMarkdown(db.environment)} · ` : '';
  out.push(`### ${ICON[db.status] ?? ''} ${env}${inlineCode(db.binding)} (${escapeMarkdown(db.databaseName)}): ${db.status}`);
  const { judged, informational } = partitionFindings(db);
  const errors = judged.filter((f) => f.severity === 'error').length;
  const warnings = judged.length - errors;
  const info = informational.length ? ` · ${informational.length} informational` : '';
  out.push('', `${db.migrations.length} migration(s) in ${inlineCode(db.migrationsDir)} · ${errors} error(s) · ${warnings} warning(s)${info} · ${(db.durationMs / 1000).toFixed(1)} s`);

  if (db.failure) out.push('', `**${escapeMarkdown(db.failure.phase)} failed** (${inlineCode(db.failure.kind)}): ${escapeMarkdown(db.failure.message)}`);
  if (db.failed) {
    const line = db.failed.line ? ` (line ${db.failed.line})` : '';
    out.push('', `**Failed migration:** ${inlineCode(db.failed.name)}${line}: ${escapeMarkdown(db.failed.message)}`);
  }
  // What will run (or what the change adds) and its verdict come first; the history's findings are folded below.
  if (db.pending) out.push('', `**Pending before apply (${db.pending.length}):** ${nameList(db.pending)}`);
  else if (db.scope && db.scope.basis !== 'ledger') out.push('', `**Migrations this change adds or edits (${db.scope.judged.length}):** ${nameList(db.scope.judged)}`);
  const dataLoss = judged.filter((f) => DATA_LOSS_RULES.has(f.rule)).length;
  if (dataLoss) {
    out.push('', '> [!CAUTION]', `> ${dataLoss} finding(s) of the data check: these migrations delete or change rows, or fail, only on a database that has data — an empty local database does not show it. They are listed first.`);
  }
  out.push(...preflightSection(db, '#### Production preflight'));
  if (judged.length) out.push('', ...findingsTable(dataLossFirst(judged)));
  if (db.applied) out.push('', `**Applied by this run (${db.applied.length}):** ${nameList(db.applied)}`);
  if (db.notAttempted?.length) out.push('', `**Not attempted (${db.notAttempted.length}):** ${nameList(db.notAttempted)}`);
  if (db.bookmark) out.push('', `**Time Travel bookmark before apply:** ${inlineCode(db.bookmark)}`);
  if (informational.length) {
    out.push(
      '',
      `<details><summary>${informational.length} finding(s) ${settledWhere(db)} — informational, not blocking: ${escapeMarkdown(countByRule(informational))}</summary>`,
      '',
      ...findingsTable(informational),
      '',
      '</details>',
    );
  }
  if (db.history) out.push('', ...historyTable(db, run));
  for (const d of db.drift ?? []) {
    const against = d.against === 'migrations' ? 'the applied migrations' : `environment ${escapeMarkdown(d.against.replace(/^environment:/, ''))}`;
    if (!d.changes.length) {
      out.push('', `**Schema drift vs ${against}:** none`);
      continue;
    }
    out.push('', `**Schema drift vs ${against}** (${d.changes.length}):`, '', '```diff');
    for (const c of d.changes.slice(0, 200)) {
      const sign = c.kind === 'added' ? '+' : c.kind === 'dropped' ? '-' : '!';
      const name = c.object === 'column' ? `${c.table}.${c.name}` : c.name;
      out.push(`${sign} ${c.object} ${name}${c.definition ? `: ${c.definition}` : ''}${c.before ? ` (was: ${c.before})` : ''}`.replace(/```/g, "'''"));
    }
    out.push('```');
  }
  if (db.schema && db.schema.length && db.schema.some((o) => o.type === 'table')) {
    const tables = db.schema.filter((o) => o.type !== 'table' || !o.name.startsWith('sqlite_'));
    out.push('', '<details><summary>Resulting schema (' + tables.length + ' objects)</summary>', '');
    out.push('| type | name | table |', '| --- | --- | --- |');
    for (const o of tables.slice(0, 500)) out.push(`| ${o.type} | ${inlineCode(o.name)} | ${inlineCode(o.tableName)} |`);
    out.push('', '</details>');
  }
  for (const note of db.notes) out.push('', `> ${escapeMarkdown(note)}`);
  return out;
}

function findingsTable(findings: Finding[]): string[] {
  const out = ['| | rule | where | message |', '| --- | --- | --- | --- |'];
  for (const f of findings.slice(0, 500)) {
    const where = f.file ? inlineCode(`${f.file}${f.line ? `:${f.line}` : ''}`) : '';
    // What was folded into this finding (src/rules/fold.ts) stays one click away, inside the same cell.
    const folded = f.details?.length
      ? ` <details><summary>${f.details.length} folded into this</summary>${f.details.map((d) => escapeMarkdown(d)).join('<br>')}</details>`
      : '';
    out.push(`| ${f.severity === 'error' ? '❌' : '⚠️'} | ${inlineCode(f.rule)} | ${where} | ${escapeMarkdown(f.message)}${folded} |`);
  }
  if (findings.length > 500) out.push(`| | | | … ${findings.length - 500} more in the JSON report |`);
  return out;
}

function nameList(names: string[]): string {
  if (!names.length) return 'none';
  const shown = names.slice(0, LIST_LIMIT).map((n) => inlineCode(n)).join(', ');
  return names.length > LIST_LIMIT ? `${shown}, … ${names.length - LIST_LIMIT} more` : shown;
}

function historyTable(db: DatabaseReport, run: RunContext): string[] {
  const history = db.history ?? [];
  const mine = new Set(db.applied ?? []);
  const who = [run.actor && `by ${escapeMarkdown(run.actor)}`, run.sha && `at ${inlineCode(run.sha.slice(0, 7))}`, run.runUrl && `[run](${run.runUrl})`]
    .filter(Boolean)
    .join(' ');
  const out = [`**History (${history.length} applied):**`, '', '| # | migration | applied at | this run |', '| --- | --- | --- | --- |'];
  const shown = history.length > 200 ? history.slice(-200) : history;
  for (const h of shown) {
    out.push(`| ${h.id ?? ''} | ${inlineCode(h.name)} | ${escapeMarkdown(h.appliedAt ?? '')} | ${mine.has(h.name) ? `✅ ${who}` : ''} |`);
  }
  if (history.length > shown.length) out.push(`| | … ${history.length - shown.length} earlier | | |`);
  return out;
}
