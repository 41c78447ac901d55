import { ruleInfo } from './rule-catalog.js';
import type { Finding } from './types.js';

/** A finding as its producer knows it: everything but the severity, which is the catalog's. */
export type FindingInput = Omit<Finding, 'severity'>;

/**
 * The one way to make a finding: the severity comes from the rule catalog, so each rule's severity is
 * decided in one place, and `rule` is a RuleId, so a mistyped id does not compile. Fields left undefined
 * are left out.
 */
export function finding(f: FindingInput): Finding {
  return {
    rule: f.rule,
    severity: ruleInfo(f.rule).severity,
    ...(f.file !== undefined && { file: f.file }),
    ...(f.line !== undefined && { line: f.line }),
    ...(f.column !== undefined && { column: f.column }),
    ...(f.endLine !== undefined && { endLine: f.endLine }),
    ...(f.table !== undefined && { table: f.table }),
    message: f.message,
    ...(f.details !== undefined && f.details.length > 0 && { details: f.details }),
  };
}
