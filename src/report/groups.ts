import { isInformational } from '../outcome.js';
import type { DatabaseReport, Finding } from '../types.js';

/** A database's findings split into the ones that count and the informational ones (see src/outcome.ts). */
export function partitionFindings(db: Pick<DatabaseReport, 'findings' | 'scope'>): { judged: Finding[]; informational: Finding[] } {
  const judged: Finding[] = [];
  const informational: Finding[] = [];
  for (const f of db.findings) (isInformational(f, db.scope) ? informational : judged).push(f);
  return { judged, informational };
}

/** `destructive-change ×12, foreign-keys-pragma ×30`: a one-line count by rule, most frequent first. */
export function countByRule(findings: readonly Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([rule, n]) => `${rule} ×${n}`)
    .join(', ');
}

/** Where informational findings are, in words: "in migrations the database already applied". */
export function settledWhere(db: Pick<DatabaseReport, 'scope'>): string {
  switch (db.scope?.basis) {
    case 'pull-request':
      return 'in migrations this pull request does not change';
    case 'since':
      return `in migrations unchanged since ${db.scope.base ?? 'the base'}`;
    default:
      return 'in migrations the database already applied';
  }
}
