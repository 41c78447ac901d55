/**
 * The production preflight in reports: the `preflight` output and the JSON report's entries, and the
 * "Production preflight" section of the job summary and the PR comment. Counts and questions only — a
 * question is built from the migration's SQL, never from a value of the database.
 */
import type { PreflightEntry } from '../preflight/types.js';
import type { DatabaseReport, Report } from '../types.js';
import { cut, escapeMarkdown, inlineCode } from './escape.js';

/** Rows shown in the summary / comment table (the JSON report and the output have all). */
const SHOWN = 20;

/** The `preflight` output: every question of every database, with its count (null: not answered, and why). */
export function preflightOutput(report: Report): object[] {
  return report.databases.flatMap((d) =>
    (d.preflight?.entries ?? []).map((e) => ({
      environment: d.environment,
      database: d.binding,
      migration: e.migration,
      line: e.line,
      question: e.question,
      table: e.table,
      effect: e.effect,
      rows: e.rows,
      ...(e.why !== undefined ? { why: e.why } : {}),
    })),
  );
}

const EFFECT: Record<PreflightEntry['effect'], string> = { lost: 'rows lost', fails: 'fails', info: 'on purpose', size: 'size' };

/** Markdown lines of the "Production preflight" section, or none when the preflight did not run. */
export function preflightSection(db: DatabaseReport, heading: string): string[] {
  const pf = db.preflight;
  if (!pf) return [];
  const answered = pf.entries.filter((e) => e.rows !== null);
  const notAnswered = pf.entries.filter((e) => e.rows === null);
  const risks = answered.filter((e) => (e.effect === 'lost' || e.effect === 'fails') && (e.rows ?? 0) > 0);
  const out = ['', heading, ''];
  if (pf.requests === 0 && pf.entries.length === 0) {
    out.push('Nothing to ask: no pending statement can lose rows or fail on the rows the database holds (new tables are empty), so no request was made.');
    return out;
  }
  const zero = answered.filter((e) => e.rows === 0).length;
  out.push(
    `${answered.length} question(s) answered by the database in ${pf.requests} read-only request(s): ${risks.length ? `**${risks.length} with rows lost or a failure**` : 'no rows lost, no failure'}${zero ? `, ${zero} answered 0` : ''}${notAnswered.length ? `, ${notAnswered.length} not answered` : ''}.`,
  );
  const shown = [...pf.entries.filter((e) => (e.rows ?? 0) > 0 || e.rows === null)].sort((a, b) => rank(a) - rank(b)).slice(0, SHOWN);
  if (shown.length) {
    out.push('', '| migration | line | table | question | rows |', '| --- | --- | --- | --- | --- |');
    for (const e of shown) {
      const rows = e.rows === null ? `not answered: ${escapeMarkdown(cut(e.why ?? '', 300))}` : `${e.rows.toLocaleString('en-US')} (${EFFECT[e.effect]})`;
      out.push(`| ${inlineCode(cut(e.migration, 200))} | ${e.line} | ${inlineCode(cut(e.table, 100))} | ${escapeMarkdown(cut(e.question, 300))} | ${rows} |`);
    }
    const more = pf.entries.filter((e) => (e.rows ?? 0) > 0 || e.rows === null).length - shown.length;
    if (more > 0) out.push(`| | | | … ${more} more in the JSON report and the \`preflight\` output | |`);
  }
  return out;
}

function rank(e: PreflightEntry): number {
  if (e.rows === null) return 3;
  return e.effect === 'fails' ? 0 : e.effect === 'lost' ? 1 : 2;
}
