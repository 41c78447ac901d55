import { countFindings, isInformational } from '../outcome.js';
import type { DatabaseReport, Report } from '../types.js';

/**
 * The CLI's `--format json` document and the action's report file. The validate fields keep the
 * documented shape; phases that ran add their own fields, so one parser reads every command's output.
 */
export function toJson(report: Report, opts: { validateOnly: boolean }): object {
  return {
    status: report.status,
    errors: report.errors,
    warnings: report.warnings,
    informational: report.informational,
    ...(opts.validateOnly ? {} : { failed: report.failed, failureMessage: report.failureMessage, durationMs: report.durationMs }),
    databases: report.databases.map((d) => databaseJson(d, opts.validateOnly)),
  };
}

function databaseJson(d: DatabaseReport, validateOnly: boolean): object {
  const base = {
    environment: d.environment,
    binding: d.binding,
    databaseName: d.databaseName,
    migrationsDir: d.migrationsDir,
    migrations: d.migrations,
    ...countFindings(d),
    // What decided which findings count: null when every file was judged.
    scope: d.scope ? { basis: d.scope.basis, judged: d.scope.judged, ...(d.scope.base !== undefined ? { base: d.scope.base } : {}) } : null,
    findings: d.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      file: f.file ?? null,
      line: f.line ?? null,
      ...(f.column !== undefined ? { column: f.column } : {}),
      ...(f.table !== undefined ? { table: f.table } : {}),
      ...(f.rows !== undefined ? { rows: f.rows } : {}),
      informational: isInformational(f, d.scope),
      message: f.message,
      ...(f.details?.length ? { details: f.details } : {}),
    })),
  };
  if (validateOnly) return base;
  return {
    ...base,
    status: d.status,
    pending: d.pending ?? null,
    applied: d.applied ?? null,
    recorded: d.recorded ?? null,
    failed: d.failed ?? null,
    notAttempted: d.notAttempted ?? null,
    history: d.history ?? null,
    bookmark: d.bookmark ?? null,
    failure: d.failure ?? null,
    timings: d.timings ?? null,
    preflight: d.preflight ?? null,
    schema: d.schema ?? null,
    notes: d.notes,
    durationMs: d.durationMs,
  };
}
