import { nextFreeNumber } from '../migrations/describe.js';
import { compareParts, numberParts, numberPrefix, timestampNamed } from '../migrations/numbering.js';
import type { Finding, MigrationFile } from '../types.js';
import { finding } from '../finding.js';

export const RULE_ID = 'duplicate-number' as const;

/**
 * Files that share a leading number. wrangler does not reject them: it applies every one, ordered by
 * name among themselves, which is rarely the order the authors meant (each wrote "0001" on their branch).
 * Numbers compare as wrangler compares them (parsed integers), so `01_a.sql` and `1_b.sql` collide.
 *
 * Names whose numeric prefix goes on past the first "_" (`20250420_120404_x.sql`: a date and a time) share
 * wrangler's number per day, yet their name order is their time order: only files whose whole prefixes are
 * equal collide, and only files whose name order disagrees with their prefixes' numeric order
 * (`20250420_9_a.sql` runs after `20250420_10_b.sql`) make the order ambiguous. Nothing else is reported.
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
  const next = timestampNamed(files) ? 'give it a later timestamp' : `the next free number is ${nextFreeNumber(files)}`;
  for (const [number, group] of groups) {
    if (group.length < 2) continue;
    const parts = new Map(group.map((f) => [f, numberParts(f.name)]));
    // A prefix wrangler reads differently from its digits (`0x10_a.sql`) is judged by wrangler's number alone.
    const readable = group.every((f) => {
      const first = parts.get(f)![0];
      return first !== undefined && BigInt(first) === BigInt(number);
    });
    const colliding = readable ? group.filter((f) => group.some((g) => g !== f && compareParts(parts.get(f)!, parts.get(g)!) === 0)) : group;
    if (colliding.length > 0) findings.push(...collisions(colliding, number, next, readable));
    if (!readable) continue;
    // Apply order is name order here; a file applied after one whose prefix is larger runs out of its order.
    group.forEach((f, i) => {
      if (colliding.includes(f)) return;
      const earlier = group.slice(0, i).filter((g) => !colliding.includes(g) && compareParts(parts.get(g)!, parts.get(f)!) > 0);
      if (earlier.length === 0) return;
      const prefix = numberPrefix(f.name);
      findings.push(finding({
        rule: RULE_ID,
        file: f.relPath,
        line: 1,
        message:
          `${f.name} runs after ${earlier.map((g) => g.name).join(', ')}, although its numeric prefix ${prefix} is smaller than ${earlier.map((g) => numberPrefix(g.name)).join(', ')}. ` +
          `wrangler reads only the number before the first "_" (${number}, the same for these files) and applies files with the same number in name order, ` +
          `so the rest of each name is compared as text, not as numbers ("9" sorts after "10"). Give every part of the prefix a fixed width (zero-padded), renaming only files no database has applied yet.`,
      }));
    });
  }
  return findings;
}

/** Files whose whole numeric prefixes are equal (or, for unreadable prefixes, whose wrangler numbers are). */
function collisions(group: MigrationFile[], number: number, next: string, byPrefix: boolean): Finding[] {
  const order = group.map((f) => f.name).join(' before ');
  const texts = [...new Set(group.map((f) => (byPrefix ? numberPrefix(f.name) : f.numberText) ?? String(number)))];
  const what = byPrefix && group.some((f) => numberParts(f.name).length > 1) ? `numeric prefix, ${texts[0]},` : `number, ${number},`;
  const sameNumber =
    texts.length > 1
      ? ` (${texts.map((t) => `"${t}"`).join(' and ')} are the same number to wrangler: it sorts by the parsed number, not the text)`
      : '';
  return group.map((f) => {
    const others = group.filter((g) => g !== f).map((g) => g.name);
    return finding({
      rule: RULE_ID,
      file: f.relPath,
      line: 1,
      message:
        `${f.name} has the same ${what} as ${others.join(', ')}${sameNumber}. ` +
        `wrangler applies both, in name order: wrangler applies ${order}. ` +
        `If that is not the order they must run in (e.g. one uses a table the other creates), a fresh database fails or ends up different. ` +
        `Renumber so every file has its own number in the order they must run (${next}); ` +
        `do not rename a file that a database has already applied, since wrangler tracks files by name and would apply it again.`,
    });
  });
}
