import type { PreflightReport } from '../preflight/types.js';
import type { Report } from '../types.js';
import { countByRule, partitionFindings, settledWhere } from './groups.js';

/** Compiler-style lines for people: `path:line:col: error [rule] message`, coloured on a TTY. */
export function toText(report: Report, opts: { color: boolean; validateOnly: boolean; details?: boolean }): string {
  const c = (code: string, s: string) => (opts.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  for (const d of report.databases) {
    const env = d.environment ? `${d.environment} · ` : '';
    lines.push(c('1', `${env}${d.binding} (${d.databaseName}) — ${d.migrations.length} migrations in ${d.migrationsDir}`));
    const { judged, informational } = partitionFindings(d);
    for (const f of judged) {
      const loc = f.file ? `${f.file}${f.line ? `:${f.line}` : ''}${f.line && f.column ? `:${f.column}` : ''}: ` : '';
      const sev = f.severity === 'error' ? c('31', 'error') : c('33', 'warning');
      lines.push(`${loc}${sev} ${c('2', `[${f.rule}]`)} ${f.message}`);
      // What was folded into it (rules/fold.ts): one dim line naming it, or each in full with --verbose.
      const details = f.details ?? [];
      if (opts.details) for (const d of details) lines.push(c('2', `    ↳ ${d}`));
      else if (details.length) lines.push(c('2', `    ↳ folded: ${details.map((d) => d.slice(0, d.indexOf(':'))).join('; ')} (-v shows them)`));
    }
    if (informational.length) {
      lines.push(c('2', `  ${informational.length} finding(s) ${settledWhere(d)} — informational, not blocking: ${countByRule(informational)} (all in --format json)`));
    }
    if (!opts.validateOnly) {
      if (d.pending) lines.push(`  pending: ${d.pending.length ? d.pending.join(', ') : 'none'}`);
      if (d.preflight) lines.push(`  preflight: ${preflightLine(d.preflight)}`);
      if (d.applied) lines.push(`  applied: ${d.applied.length ? d.applied.join(', ') : 'none'}`);
      if (d.failed) lines.push(c('31', `  failed: ${d.failed.name}: ${d.failed.message}`));
      if (d.notAttempted?.length) lines.push(`  not attempted: ${d.notAttempted.join(', ')}`);
      if (d.history) lines.push(`  history: ${d.history.length} applied migration(s)`);
      if (d.bookmark) lines.push(`  bookmark: ${d.bookmark}`);
      if (d.schema && d.schema.length) lines.push(`  schema: ${d.schema.filter((o) => o.type === 'table').map((o) => o.name).join(', ')}`);
      if (d.failure) lines.push(c('31', `  ${d.failure.phase} failed (${d.failure.kind}): ${d.failure.message}`));
      lines.push(`  status: ${d.status}`);
    }
    for (const n of d.notes) lines.push(c('2', `  note: ${n}`));
  }
  const verdict = report.status;
  const colour = report.failed || report.errors ? '31' : report.warnings ? '33' : '32';
  const info = report.informational ? `, ${report.informational} informational` : '';
  lines.push(c(colour, `${verdict}: ${report.errors} error(s), ${report.warnings} warning(s)${info} in ${report.databases.length} database(s)`));
  if (report.failureMessage) lines.push(c('31', report.failureMessage));
  return lines.join('\n') + '\n';
}

/** The production preflight in one line (the findings carry the counts that matter). */
function preflightLine(p: PreflightReport): string {
  if (p.requests === 0 && p.entries.length === 0) return 'nothing to ask (no request made)';
  const answered = p.entries.filter((e) => e.rows !== null);
  const risks = answered.filter((e) => (e.effect === 'lost' || e.effect === 'fails') && (e.rows ?? 0) > 0).length;
  const missing = p.entries.length - answered.length;
  return `${answered.length} question(s) answered in ${p.requests} read-only request(s)${risks ? `, ${risks} with rows lost or a failure` : ', no rows lost, no failure'}${missing ? `, ${missing} not answered` : ''}`;
}
