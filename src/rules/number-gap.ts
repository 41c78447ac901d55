import { timestampNamed } from '../migrations/numbering.js';
import type { Finding, MigrationFile } from '../types.js';
import { finding } from '../finding.js';

export const RULE_ID = 'number-gap' as const;

/**
 * A number missing between two present ones in a sequential series (a file lost in a merge, renamed, or
 * still on another branch, which would then run out of order). The first number may be anything:
 * drizzle starts at 0000 and a squashed history may start at 0020. A folder named by time
 * (`20250420_120404_x.sql`, `1718366890_x.sql`) has gaps by nature: nothing is reported there.
 *
 * @param files in apply order
 */
export function checkNumberGaps(files: readonly MigrationFile[]): Finding[] {
  if (timestampNamed(files)) return [];
  const firstWithNumber = new Map<number, MigrationFile>();
  for (const f of files) {
    if (f.number !== null && !firstWithNumber.has(f.number)) firstWithNumber.set(f.number, f);
  }
  const numbers = [...firstWithNumber.keys()].sort((a, b) => a - b);
  const findings: Finding[] = [];
  for (let i = 1; i < numbers.length; i++) {
    const before = numbers[i - 1]!;
    const after = numbers[i]!;
    if (after - before <= 1) continue;
    const prev = firstWithNumber.get(before) as MigrationFile;
    const file = firstWithNumber.get(after) as MigrationFile;
    const missingCount = after - before - 1;
    const missing = missingCount === 1 ? `number ${before + 1} is` : `numbers ${before + 1} to ${after - 1} (${missingCount}) are`;
    findings.push(finding({
      rule: RULE_ID,
      file: file.relPath,
      line: 1,
      message:
        `Migration ${missing} missing between ${prev.name} and ${file.name}. ` +
        `In a sequential series that usually means a file was lost, renamed, or is still on another branch; ` +
        `wrangler applies whatever is present, so a missing file that arrives later runs after ${file.name}, out of order. ` +
        `Restore the missing migration or renumber. If the gap is intended, set numbering to "unique" to check only for duplicates.`,
    }));
  }
  return findings;
}
