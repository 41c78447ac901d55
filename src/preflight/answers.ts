/**
 * From counts to what reports show: one entry per question (counts only), findings for the counts that
 * mean rows lost or a failure (`preflight-rows-lost`, `preflight-fails`) or a rewrite large enough to risk
 * D1's time limit (`preflight-large-rewrite`), and the count added to the static and data-check findings
 * about the same statement — or the note that the target proves them harmless today.
 */
import { ruleInfo } from '../rule-catalog.js';
import type { Finding } from '../types.js';
import type { Answers } from './request.js';
import type { PreflightEntry, Probe, Unanswerable } from './types.js';

/**
 * Rows a single statement rewrites from which a warning is given. D1 stops a query after 30 s; SQLite copies
 * or deletes on the order of a few hundred thousand to a few million rows per second depending on row size,
 * indexes, foreign keys and triggers, so a rewrite of this size is where the limit comes into sight.
 */
export const LARGE_REWRITE_ROWS = 1_000_000;

/**
 * Findings of other phases a preflight count can confirm or disprove (the same statement, the same table),
 * and the kind of count that speaks to each.
 */
const PREDICTIONS = new Map<string, readonly string[]>([
  ['drop-referenced-table', ['lost', 'fails']],
  ['rows-lost', ['lost']],
  ['fails-with-data', ['fails']],
  ['unsafe-add-column', ['fails']],
]);

export interface Answered {
  entries: PreflightEntry[];
  findings: Finding[];
}

/** `probes[i]`'s answer is `answers.get(i)` (a count or an error); probes not sent carry `notSent`. */
export function answer(probes: readonly Probe[], answers: Answers, notSent: ReadonlyMap<number, string>, unanswerable: readonly Unanswerable[], where: string): Answered {
  const entries: PreflightEntry[] = [];
  const findings: Finding[] = [];
  const sized = new Set<string>();
  probes.forEach((p, i) => {
    const a = answers.get(i);
    const why = notSent.get(i) ?? (typeof a === 'object' ? a.error : a === undefined ? 'not answered' : undefined);
    const rows = typeof a === 'number' ? a : null;
    entries.push({ migration: p.migration, file: p.file, line: p.line, table: p.table, question: p.question, effect: p.effect, rows, ...(why !== undefined && rows === null && { why }) });
    if (rows === null || rows === 0) return;
    if ((p.effect === 'lost' || p.effect === 'fails') && p.message) {
      const rule = p.effect === 'lost' ? 'preflight-rows-lost' : 'preflight-fails';
      findings.push({ rule, severity: ruleInfo(rule).severity, file: p.file, line: p.line, table: p.table, rows, message: p.message(rows, where) });
    }
    const key = `${p.file}\0${p.line}\0${p.table.toLowerCase()}`;
    if (p.effect === 'size' && rows >= LARGE_REWRITE_ROWS && !sized.has(key)) {
      sized.add(key);
      const rule = 'preflight-large-rewrite';
      findings.push({
        rule,
        severity: ruleInfo(rule).severity,
        file: p.file,
        line: p.line,
        table: p.table,
        rows,
        message: `On ${where}, ${p.question}: ${rows.toLocaleString('en-US')}. D1 stops a query after 30 s and the whole migration with it; a rewrite this large can get there. Split it (copy in ranges of the key, e.g. WHERE id BETWEEN …, one migration or statement each), or run it when the table is smaller.`,
      });
    }
  });
  for (const u of unanswerable) {
    entries.push({ migration: u.migration, file: u.file, line: u.line, table: u.table, question: u.question, effect: u.effect, rows: null, why: u.why });
  }
  return { entries, findings };
}

/**
 * The count added to findings that predicted the same thing (same file and statement, and the same table when
 * the finding names one): confirmed with its number, or marked as harmless on the target today.
 */
export function markPredictions(findings: readonly Finding[], entries: readonly PreflightEntry[], statements: ReadonlyMap<string, { line: number; endLine: number }[]>, where: string): Finding[] {
  return findings.map((f) => {
    const kinds = PREDICTIONS.get(f.rule);
    if (!kinds || f.file === undefined || f.line === undefined || f.rows !== undefined) return f;
    const stmt = statements.get(f.file)?.find((s) => s.line <= f.line! && f.line! <= s.endLine);
    const first = stmt?.line ?? f.line;
    const related = entries.filter(
      (e) => e.file === f.file && e.line === first && kinds.includes(e.effect) && (f.table === undefined || e.table.toLowerCase() === f.table.toLowerCase()),
    );
    if (related.length === 0 || related.some((e) => e.rows === null)) return f;
    const total = related.reduce((n, e) => n + (e.rows ?? 0), 0);
    const note =
      total === 0
        ? ` Production preflight on ${where}: 0 rows affected — harmless on that data today (kept: the data can change before the migration runs).`
        : ` Production preflight on ${where}: ${total.toLocaleString('en-US')} row(s) affected (see preflight-${related.some((e) => e.effect === 'fails' && (e.rows ?? 0) > 0) ? 'fails' : 'rows-lost'}).`;
    return { ...f, rows: total, message: `${f.message}${note}` };
  });
}
