import type { Finding, MigrationFile, NumberingMode } from '../types.js';
import { checkAmbiguousOrder, type OrderSource } from './ambiguous-order.js';
import { checkBadFilenames } from './bad-filename.js';
import { checkDuplicateNumbers } from './duplicate-number.js';
import { checkNumberGaps } from './number-gap.js';

export interface FilenameRuleOptions {
  /** Which wrangler ordered the files; inferred from the order when omitted. */
  orderSource?: OrderSource;
}

/**
 * The rules that look only at names and order. `ignored-file` is not here: it concerns files that
 * never reach this list, so discovery reports it.
 *
 * @param files in wrangler's apply order (MigrationSet.files)
 * @param numbering `sequential`: unique numbers, no gaps; `unique`: no duplicates (timestamps);
 *   `off`: no naming rules at all, only the order warnings
 */
export function checkFilenames(files: readonly MigrationFile[], numbering: NumberingMode, options: FilenameRuleOptions = {}): Finding[] {
  const findings: Finding[] = [];
  if (numbering !== 'off') {
    findings.push(...checkDuplicateNumbers(files));
    if (numbering === 'sequential') findings.push(...checkNumberGaps(files));
    findings.push(...checkBadFilenames(files));
  }
  findings.push(...checkAmbiguousOrder(files, options.orderSource));
  return findings;
}
