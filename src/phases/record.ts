import type { Finding } from '../types.js';
import type { PhaseContext } from './types.js';

/**
 * Adds findings a phase found to the database's report, without the rules the user turned off: every
 * phase records its findings through here, so `disable-rules` means the same for all of them.
 */
export function recordFindings(ctx: Pick<PhaseContext, 'options' | 'report'>, findings: readonly Finding[]): void {
  const off = new Set(ctx.options.disableRules);
  for (const f of findings) if (!off.has(f.rule)) ctx.report.findings.push(f);
}
