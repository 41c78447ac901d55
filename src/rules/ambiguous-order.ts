import { describePosition, ordinal } from '../migrations/describe.js';
import { codeUnitCompare, newestWranglerOrder, wrangler486Order } from '../migrations/order.js';
import type { Finding, MigrationFile } from '../types.js';
import { finding } from '../finding.js';

export const RULE_ID = 'ambiguous-order';

/** Which wrangler ordered `files`: 4.86 (no migrations_pattern) or newest (compareMigrationPaths). */
export type OrderSource = 'wrangler-4.86' | 'newest';

/**
 * Where the apply order is not what a reader of the folder would expect, or not defined:
 *  - a name without a leading number (wrangler 4.86's comparator calls it equal to everything);
 *  - numbers of mixed width whose numeric order differs from name order (`9_a.sql` runs before
 *    `10_b.sql`, though `10_b.sql` is listed first by `ls`, GitHub and 4.86's `migrations list`);
 *  - wrangler 4.86 and newest wrangler applying the same files in different orders.
 * Each message states the order wrangler actually applies.
 *
 * @param files in apply order
 * @param source which wrangler's order `files` is in; inferred when omitted
 */
export function checkAmbiguousOrder(files: readonly MigrationFile[], source?: OrderSource): Finding[] {
  if (files.length < 2) return [];
  const names = files.map((f) => f.name);
  const old = wrangler486Order(names);
  const newest = newestWranglerOrder(names);
  const src: OrderSource = source ?? (sameOrder(names, old) ? 'wrangler-4.86' : 'newest');
  const findings: Finding[] = [];
  const reported = new Set<string>();

  // 1. Names without a number.
  const newestIndex = new Map(newest.map((n, i) => [n, i]));
  files.forEach((f, index) => {
    if (f.number !== null) return;
    reported.add(f.name);
    let versions = '';
    if (src === 'wrangler-4.86') {
      const ni = newestIndex.get(f.name) as number;
      versions =
        ni === index
          ? ' wrangler 4.98 and later apply it at the same position (after the numbered files, by name).'
          : ` wrangler 4.98 and later apply it ${ordinal(ni + 1)} instead (after every numbered file, by name), so the order depends on the wrangler version.`;
    }
    findings.push(finding({
      rule: RULE_ID,
      file: f.relPath,
      line: 1,
      message:
        `${f.name} has no leading number, so its place in the apply order is not defined by its name: ` +
        `wrangler ${src === 'wrangler-4.86' ? '4.86 ' : ''}applies it ${describePosition(files, index)}, ` +
        `only because ${src === 'wrangler-4.86' ? "its comparator treats a missing number as equal to every other file, so the position is an artefact of the sort" : 'unnumbered files sort after numbered ones'}.${versions} ` +
        `Give it a number (NNNN_name.sql) where it must run, or move it out of the folder if it is not a migration.`,
    }));
  });

  // 2. Numbered files whose apply position disagrees with name order (mixed-width numbers).
  const byName = [...names].sort(codeUnitCompare);
  if (!sameOrder(names, byName)) {
    const nameRank = new Map(byName.map((n, i) => [n, i]));
    const keep = longestIncreasingRun(names.map((n) => nameRank.get(n) as number));
    files.forEach((f, index) => {
      if (keep.has(index) || reported.has(f.name)) return;
      reported.add(f.name);
      const rank = nameRank.get(f.name) as number;
      const nameNeighbour = rank + 1 < byName.length ? `before ${byName[rank + 1]}` : `after ${byName[rank - 1]}`;
      findings.push(finding({
        rule: RULE_ID,
        file: f.relPath,
        line: 1,
        message:
          `${f.name} is listed ${ordinal(rank + 1)} by name (${nameNeighbour}), but wrangler applies it ${describePosition(files, index)}: ` +
          `wrangler orders by the number before the first "_" (${f.numberText ?? f.number}), not by name, and the numbers have different widths. ` +
          `ls, editors, GitHub and wrangler 4.86's \`migrations list\` therefore show a different order from the one apply uses. ` +
          `Pad every number to the same width (e.g. ${pad(f)}), renaming only files no database has applied yet.`,
      }));
    });
  }

  // 3. The two wrangler versions disagree for another reason (e.g. `0x10_a.sql`: 4.86 parses hex).
  if (src === 'wrangler-4.86' && !sameOrder(old, newest)) {
    const k = old.findIndex((n, i) => n !== newest[i]);
    const f = files[k];
    if (f && !reported.has(f.name)) {
      findings.push(finding({
        rule: RULE_ID,
        file: f.relPath,
        line: 1,
        message:
          `wrangler 4.86 and wrangler 4.98+ apply these migrations in different orders: 4.86 applies ${old[k]} ${ordinal(k + 1)}, ` +
          `4.98+ applies ${newest[k]} there (4.86 reads the number with parseInt without a radix, e.g. "0x10" is 16). ` +
          `wrangler 4.86 order: ${old.join(', ')}. Rename the files to plain NNNN_name.sql so every wrangler agrees.`,
      }));
    }
  }
  return findings;
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function pad(f: MigrationFile): string {
  if (f.numberText === null) return '0001_name.sql';
  const width = Math.max(4, f.numberText.length);
  return `${f.numberText.padStart(width, '0')}${f.name.slice(f.numberText.length)}`;
}

/**
 * Indexes of one longest strictly increasing subsequence of `values` (patience sorting, O(n log n)):
 * the largest set of files whose apply order already agrees with name order. Only the rest are reported,
 * so one `10_x.sql` among `1..9` yields one finding, not ten.
 */
function longestIncreasingRun(values: readonly number[]): Set<number> {
  const tails: number[] = [];
  const prev = new Array<number>(values.length).fill(-1);
  for (const [i, value] of values.entries()) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]!]! < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.at(-1) ?? -1; i !== -1; i = prev[i]!) keep.add(i);
  return keep;
}
