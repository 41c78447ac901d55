import path from 'node:path';

/**
 * Canonical form of a relative path or glob, exactly as newest wrangler's `normalizeRelativePath`
 * (d1/migrations/helpers.ts) computes it, so prefix checks between `migrations_dir` and
 * `migrations_pattern` agree with wrangler's.
 */
export function normalizeRelativePath(p: string): string {
  const normalized = path.posix.normalize(p.replace(/\\/g, '/'));
  return normalized.endsWith('/') && normalized.length > 1 ? normalized.slice(0, -1) : normalized;
}

/** `abs` relative to `base` with forward slashes; `.` for the directory itself. */
export function toPosixRelative(base: string, abs: string): string {
  const rel = path.relative(base, abs);
  if (rel === '') return '.';
  return rel.split(path.sep).join('/');
}

/** True when `child` is `parent` or lies below it (both absolute, already resolved). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  // `..foo` is a child named `..foo`, not a parent reference, so test whole segments.
  return !(rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel));
}
