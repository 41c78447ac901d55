/**
 * Just enough of npm's semver ranges to read `engines.node` of wrangler (`>=20.3.0`, `>=22.12.0`,
 * `^18.17.0 || >=20`, `>=16.13.0 <17`): without pulling in a semver dependency.
 */
export function satisfiesNodeRange(version: string, range: string): boolean {
  const v = parse(version);
  if (!v) return true;
  return range
    .split('||')
    .map((alt) => alt.trim())
    .some((alt) => alt === '' || alt === '*' || alt.split(/\s+/).every((c) => satisfiesComparator(v, c)));
}

type Version = [number, number, number];

function parse(text: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/.exec(text.trim());
  if (!m) return undefined;
  const n = (s: string | undefined) => (s === undefined || s === 'x' || s === '*' ? 0 : Number(s));
  return [n(m[1]), n(m[2]), n(m[3])];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function satisfiesComparator(v: Version, comparator: string): boolean {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*(.+)$/.exec(comparator);
  if (!m) return true;
  const op = m[1] ?? '=';
  const target = parse(m[2]!);
  if (!target) return true;
  const c = compare(v, target);
  switch (op) {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '<':
      return c < 0;
    case '^':
      return c >= 0 && v[0] === target[0];
    case '~':
      return c >= 0 && v[0] === target[0] && v[1] === target[1];
    default:
      // A bare `20` or `20.x` means that major (and minor) line.
      return /[x*]|^\d+$|^\d+\.\d+$/.test(m[2]!) ? v[0] === target[0] && (!/^\d+\.\d+$/.test(m[2]!) || v[1] === target[1]) : c === 0;
  }
}
