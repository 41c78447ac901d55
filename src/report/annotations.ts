import { isInformational } from '../outcome.js';
import type { FailMode, Finding, Report } from '../types.js';

export interface Annotation {
  level: 'error' | 'warning';
  message: string;
  title: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/** GitHub keeps only the first 10 error and 10 warning annotations per step; the summary lists the rest. */
export const ANNOTATION_LIMIT = 10;

/**
 * One annotation per finding that counts (not those in settled migrations), title = rule id, pointing at
 * file and line. Under `fail-mode: warn`
 * errors are shown as warnings: the run reports everything but must not look failed.
 */
export function annotationsFor(report: Report, failMode: FailMode): Annotation[] {
  const out: Annotation[] = [];
  for (const db of report.databases) {
    const where = db.environment ? ` [${db.environment}/${db.binding}]` : report.databases.length > 1 ? ` [${db.binding}]` : '';
    // Findings in migrations that already ran are listed once, folded, in the summary: annotating them would
    // bury what this change is judged by.
    for (const f of db.findings) if (!isInformational(f, db.scope)) out.push(toAnnotation(f, failMode, where));
  }
  return dedupe(out);
}

function toAnnotation(f: Finding, failMode: FailMode, where: string): Annotation {
  return {
    level: failMode === 'warn' ? 'warning' : f.severity,
    title: f.rule,
    message: `${f.message}${where}`,
    file: f.file,
    startLine: f.line,
    startColumn: f.line !== undefined ? f.column : undefined,
  };
}

/** The same file checked for several environments gives the same finding: annotate it once. */
function dedupe(list: Annotation[]): Annotation[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = `${a.level}|${a.title}|${a.file}|${a.startLine}|${a.message.replace(/ \[[^\]]*\]$/, '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `::error file=...::msg` workflow commands, for the CLI's `--format github`. */
export function workflowCommand(a: Annotation): string {
  const props: string[] = [];
  if (a.file) props.push(`file=${escapeProperty(a.file)}`);
  if (a.startLine) props.push(`line=${a.startLine}`);
  if (a.startColumn) props.push(`col=${a.startColumn}`);
  props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level} ${props.join(',')}::${escapeData(a.message)}`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
