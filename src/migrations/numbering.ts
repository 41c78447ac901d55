/**
 * How a migration name is numbered, beyond the one number wrangler reads. wrangler (4.86 and newest) reads
 * only the text before the first "_" and orders files with the same number by name. Names made of a date and
 * a time (`20250420_120404_add_users.sql`, `2025_04_20_120404_x.sql`) therefore share a "number" per day
 * (or year) and run in name order, which is their time order as long as the parts have fixed widths. The
 * numbering rules read the whole numeric prefix so such names are neither duplicates nor gaps.
 */
import type { MigrationFile } from '../types.js';

/**
 * The leading all-digit parts of a name, split at "_": `20250420_120404_x.sql` → ['20250420', '120404'],
 * `0001_2fa.sql` → ['0001'], `0001.sql` → ['0001'], `init.sql` → []. With migrations_pattern only the first
 * path segment counts, as for wrangler's number.
 */
export function numberParts(name: string): string[] {
  const first = name.split('/')[0] ?? name;
  const segments = (name.includes('/') ? first : first.replace(/\.sql$/, '')).split('_');
  const parts: string[] = [];
  for (const s of segments) {
    if (!/^\d+$/.test(s)) break;
    parts.push(s);
  }
  return parts;
}

/** The numeric prefix as written (`20250420_120404`), or null when the name has none. */
export function numberPrefix(name: string): string | null {
  const parts = numberParts(name);
  return parts.length ? parts.join('_') : null;
}

/** Numeric order of two part lists, part by part (`9` < `10`); a list that is a prefix of the other first. */
export function compareParts(a: readonly string[], b: readonly string[]): number {
  for (const [i, x] of a.entries()) {
    const y = b[i];
    if (y === undefined) break;
    if (BigInt(x) !== BigInt(y)) return BigInt(x) < BigInt(y) ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Whether a numeric prefix reads as a point in time: a date (YYYYMMDD, or YYYY_MM_DD), optionally followed
 * by a time, in one part or several (`20240101120000`, `20250420_120404`, `2025_04_20_1204`); or Unix time in
 * seconds or milliseconds (drizzle-kit's `prefix: "unix"`, 10 or 13 digits).
 */
export function isTimestampPrefix(parts: readonly string[]): boolean {
  if (parts.length === 0) return false;
  const [a, b, c] = parts;
  if (a === undefined) return false;
  if (parts.length === 1 && /^1\d{9}(\d{3})?$/.test(a)) return true;
  const digits = parts.join('');
  const m = /^(19[7-9]\d|2\d{3})(\d{2})(\d{2})/.exec(digits);
  if (!m) return false;
  // The date opens the first part (`20250420…`) or is made of whole parts (`2025_04_20`): not `2024_0101`.
  if (a.length < 8 && !(a.length === 4 && b?.length === 2 && c?.length === 2)) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * The folder names its migrations by time: at least two numbered files, and every numbered file's prefix reads
 * as a timestamp. Gaps between numbers then mean nothing, and files of the same day share wrangler's number.
 */
export function timestampNamed(files: readonly MigrationFile[]): boolean {
  const numbered = files.filter((f) => f.number !== null);
  return numbered.length >= 2 && numbered.every((f) => isTimestampPrefix(numberParts(f.name)));
}
