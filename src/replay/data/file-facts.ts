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
  /** Tables given a column with a DEFAULT that fails on existing rows only if the table is STRICT. */
  defaultsAddedTo: Set<string>;
  /**
   * Tables that the file's only row-dependent statements insert literal rows into; such a file can touch
   * existing rows only through triggers on them (see DataCheck.canTouchRows).
   */
  plainInsertsInto: Set<string>;
  /** The file creates a trigger. */
  createsTrigger: boolean;
}

export function fileFacts(parsed: ParsedMigration): FileFacts {
  const facts: StatementFacts[] = [];
  const rowTargets = new Set<string>();
  const replaced = new Set<string>();
  const copied = new Set<string>();
  const renames: { from: string; to: string }[] = [];
  const creates = new Map<string, { name: string; virtual: boolean }>();
  const copySources = new Set<string>();
  const defaultsAddedTo = new Set<string>();
  const plainInsertsInto = new Set<string>();
  /** Tables the file has created so far (not `IF NOT EXISTS`, which may find one with rows). */
  const fresh = new Set<string>();
  let createsTrigger = false;
  for (const s of parsed.statements) {
    const f = analyseTokens(s.tokens, s.text);
    f.line = s.line;
    facts.push(f);
    createsTrigger ||= s.tokens.some((t, i) => i < 4 && t.kind === 'word' && t.value === 'TRIGGER');
    // A table the file created before this statement held no row the twin could have filled: literal rows
    // into it, and indexes on it, meet only the file's own rows, the same on an empty database.
    const isFresh = (t: string | undefined) => t !== undefined && fresh.has(t.toLowerCase());
    if (f.dataDependent && !createsTrigger && ((f.plainInsert && isFresh(f.writes)) || (f.index && !f.index.drop && isFresh(indexTable(s.tokens))))) f.dataDependent = false;
    if (f.creates && !f.creates.ifNotExists && !f.dataDependent) fresh.add(f.creates.table.toLowerCase());
    for (const t of f.targets) if (t.how === 'drop') fresh.delete(t.table.toLowerCase());
    if (f.dataDependent && f.plainInsert && f.writes) plainInsertsInto.add(f.writes.toLowerCase());
    for (const t of f.targets) {
      const lower = t.table.toLowerCase();
      if (t.how === 'delete' || t.how === 'update' || t.how === 'upsert') rowTargets.add(lower);
      if (t.how === 'drop') replaced.add(lower);
    }
    if (f.addsDefaultTo) defaultsAddedTo.add(f.addsDefaultTo.toLowerCase());
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
  return { facts, rowTargets, rebuilt, renames, creates, copySources, defaultsAddedTo, plainInsertsInto, createsTrigger };
}

/** The table of CREATE [UNIQUE] INDEX … ON table. */
function indexTable(tokens: ParsedMigration['statements'][number]['tokens']): string | undefined {
  const on = tokens.findIndex((t) => t.kind === 'word' && t.value === 'ON');
  const t = on === -1 ? undefined : tokens[on + 1];
  return t && NAME_KINDS.has(t.kind) && !(tokens[on + 2]?.kind === 'punct' && tokens[on + 2]?.text === '.') ? t.value : on === -1 ? undefined : tokens[on + 3]?.value;
}

/** The first DROP TABLE of the file (the usual cause of a deferred foreign key failure at its end). */
export function firstDrop(ff: FileFacts): { line: number; head: string } | undefined {
  const d = ff.facts.find((f) => f.targets.some((t) => t.how === 'drop'));
  return d ? { line: d.line ?? 0, head: d.head } : undefined;
}
