/**
 * The two apply orders wrangler has used. Both are reproduced by running the same comparator with
 * the same (stable, TimSort) Array.prototype.sort that wrangler runs on, so even the undefined cases
 * (a name without a number compares "equal" to everything in 4.86) land exactly where wrangler puts them.
 */

/** Leading number as wrangler 4.86 reads it: `parseInt(name.split("_")[0])` (no radix), null for NaN. */
export function wrangler486Number(name: string): number | null {
  // No radix on purpose: wrangler 4.86 omits it, so `0x1f_a.sql` is 31 there.
  const n = parseInt(name.split('_')[0]!);
  return Number.isNaN(n) ? null : n;
}

/** The leading digits as written (`0001`), or null. */
export function leadingDigits(name: string): string | null {
  const m = /^\d+/.exec(name);
  return m === null ? null : m[0];
}

/**
 * wrangler 4.86 apply order: `getMigrationNames` returns `names.toSorted()` (UTF-16 code-unit order),
 * then apply.ts sorts by `parseInt(name.split("_")[0])` with a comparator that returns 0 for ties
 * and for NaN (`NaN < x` and `NaN > x` are both false).
 */
export function wrangler486Order(names: readonly string[]): string[] {
  return [...names].sort(codeUnitCompare).sort((a, b) => {
    // Verbatim from wrangler 4.86 apply.ts (no radix, NaN compares equal to everything).
    const numberA = parseInt(a.split('_')[0]!);
    const numberB = parseInt(b.split('_')[0]!);
    if (numberA < numberB) return -1;
    if (numberA > numberB) return 1;
    return 0;
  });
}

/** Default `Array.prototype.sort()`/`toSorted()` order for strings. */
export function codeUnitCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Newest wrangler's `compareMigrationPaths` (d1/migrations/helpers.ts, since 4.98): segment by segment,
 * the leading integer (radix 10) numerically, numbered before unnumbered, then code-unit order.
 */
export function compareMigrationPaths(a: string, b: string): number {
  const aSegments = a.split('/');
  const bSegments = b.split('/');
  const shared = Math.min(aSegments.length, bSegments.length);
  for (let i = 0; i < shared; i++) {
    const cmp = compareSegments(aSegments[i]!, bSegments[i]!);
    if (cmp !== 0) return cmp;
  }
  return aSegments.length - bSegments.length;
}

function compareSegments(a: string, b: string): number {
  const aNum = newestNumber(a);
  const bNum = newestNumber(b);
  if (aNum !== bNum) {
    if (Number.isFinite(aNum) && Number.isFinite(bNum)) return aNum - bNum;
    if (Number.isFinite(aNum)) return -1;
    if (Number.isFinite(bNum)) return 1;
  }
  return codeUnitCompare(a, b);
}

// wrangler applies this to each segment it compares; for a segment the "first segment" is itself.
function newestNumber(segment: string): number {
  return parseInt(segment.split('/')[0]!.split('_')[0]!, 10);
}

/** Newest wrangler apply order (compareMigrationPaths). */
export function newestWranglerOrder(names: readonly string[]): string[] {
  return [...names].sort(compareMigrationPaths);
}
