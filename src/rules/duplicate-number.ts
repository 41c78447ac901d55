import { nextFreeNumber } from '../migrations/describe.js';
import type { Finding, MigrationFile } from '../types.js';
import { finding } from '../finding.js';

export const RULE_ID = 'duplicate-number';

/**
 * Files that share a leading number. wrangler does not reject them: it applies every one, ordered by
 * name among themselves, which is rarely the order the authors meant (each wrote "0001" on their branch).
 * Numbers compare as wrangler compares them (parsed integers), so `01_a.sql` and `1_b.sql` collide.
 *
 * @param files in apply order
 */
export function checkDuplicateNumbers(files: readonly MigrationFile[]): Finding[] {
  const groups = new Map<number, MigrationFile[]>();
  for (const f of files) {
    if (f.number === null) continue;
    const group = groups.get(f.number);
    if (group === undefined) groups.set(f.number, [f]);
    else group.push(f);
  }
  const findings: Finding[] = [];
  const next = nextFreeNumber(files);
  for (const [number, group] of groups) {
    if (group.length < 2) continue;
    const order = group.map((f) => f.name).join(' before ');
    const texts = [...new Set(group.map((f) => f.numberText ?? String(number)))];
    const sameNumber =
      texts.length > 1
        ? ` (${texts.map((t) => `"${t}"`).join(' and ')} are the same number to wrangler: it sorts by the parsed number, not the text)`
        : '';
    for (const f of group) {
      const others = group.filter((g) => g !== f).map((g) => g.name);
      findings.push(finding({
        rule: RULE_ID,
        file: f.relPath,
        line: 1,
        message:
          `${f.name} has the same number, ${number}, as ${others.join(', ')}${sameNumber}. ` +
          `wrangler applies both, in name order: wrangler applies ${order}. ` +
          `If that is not the order they must run in (e.g. one uses a table the other creates), a fresh database fails or ends up different. ` +
          `Renumber so every file has its own number in the order they must run (the next free number is ${next}); ` +
          `do not rename a file that a database has already applied, since wrangler tracks files by name and would apply it again.`,
      }));
    }
  }
  return findings;
}
