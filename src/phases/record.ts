import { applyRulePolicy, rulePolicy } from '../rules/policy.js';
import type { Finding } from '../types.js';
import type { PhaseContext } from './types.js';

/**
 * Adds findings a phase found (the ledger's, the change's, wrangler's) to the database's report under the
 * rule policy — rules turned off, severities and excluded paths from the inputs and .d1-migrate.toml — so
 * they mean the same as validate's.
 */
export function recordFindings(ctx: Pick<PhaseContext, 'options' | 'report'>, findings: Finding[]): void {
  ctx.report.findings.push(...applyRulePolicy(findings, rulePolicy(ctx.options, ctx.report.environment)));
}
