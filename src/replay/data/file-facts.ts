/**
 * What a migration file does to tables, read from its statements before it runs: the tables it changes on
 * purpose, the tables it rebuilds, renames and creates. The data check judges row changes against it.
 */
import type { ParsedMigration } from '../../sql/types.js';
import { analyseTokens, NAME_KINDS, type StatementFacts } from './analyse.js';

export interface FileFacts {
  facts: StatementFacts[];
  /** Lower-cased tables the file deletes from or updates (incl. upserts), or drops without keeping their rows. */
  rowTargets: Set<string>;
  /**
   * Lower-cased tables dropped or renamed away whose rows the file copies (INSERT … SELECT): if the name
   * exists again at the end, it was rebuilt and should still hold as many rows.
   */
  rebuilt: Set<string>;
  renames: { from: string; to: string }[];
  /** Tables the file creates (lower-cased), to fill for the next files. */
  creates: Map<string, { name: string; virtual: boolean }>;
  /**
   * Names (lower-cased) an INSERT … SELECT of the file reads, other than the table it writes, traced back
   * through the file's renames: a superset of the tables whose rows it copies (see boundary.ts).
   */
  copySources: Set<string>;
}

export function fileFacts(parsed: ParsedMigration): FileFacts {
  const facts: StatementFacts[] = [];
  const rowTargets = new Set<string>();
  const replaced = new Set<string>();
  const copied = new Set<string>();
  const renames: { from: string; to: string }[] = [];
  const creates = new Map<string, { name: string; virtual: boolean }>();
  const copySources = new Set<string>();
  for (const s of parsed.statements) {
    const f = analyseTokens(s.tokens, s.text);
    f.line = s.line;
    facts.push(f);
    for (const t of f.targets) {
      const lower = t.table.toLowerCase();
      if (t.how === 'delete' || t.how === 'update' || t.how === 'upsert') rowTargets.add(lower);
      if (t.how === 'drop') replaced.add(lower);
    }
    if (f.rename) {
      renames.push(f.rename);
      replaced.add(f.rename.from.toLowerCase());
    }
    if (f.creates) creates.set(f.creates.table.toLowerCase(), { name: f.creates.table, virtual: f.creates.virtual });
    // INSERT … SELECT reads the tables whose rows it copies.
    if (f.writes && !f.targets.some((t) => t.how === 'delete' || t.how === 'update')) {
      const target = f.writes.toLowerCase();
      const select = f.copy === true;
      for (const t of s.tokens) {
        if (!NAME_KINDS.has(t.kind) || t.value.toLowerCase() === target) continue;
        copied.add(t.value.toLowerCase());
        if (select) copySources.add(t.value.toLowerCase());
      }
    }
  }
  // A copy from `users_old` after `ALTER TABLE users RENAME TO users_old` copies the rows of users.
  for (const r of [...renames].reverse()) {
    if (copied.has(r.to.toLowerCase())) copied.add(r.from.toLowerCase());
    if (copySources.has(r.to.toLowerCase())) copySources.add(r.from.toLowerCase());
  }
  const rebuilt = new Set<string>();
  for (const t of replaced) {
    if (copied.has(t)) rebuilt.add(t);
    // Dropped (or renamed away) without copying its rows: the file discards or moves them on purpose.
    else rowTargets.add(t);
  }
  return { facts, rowTargets, rebuilt, renames, creates, copySources };
}

/** The first DROP TABLE of the file (the usual cause of a deferred foreign key failure at its end). */
export function firstDrop(ff: FileFacts): { line: number; head: string } | undefined {
  const d = ff.facts.find((f) => f.targets.some((t) => t.how === 'drop'));
  return d ? { line: d.line ?? 0, head: d.head } : undefined;
}
