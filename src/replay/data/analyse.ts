/**
 * What the data check needs to know about a migration's statements before and after running them: which
 * tables a statement changes on purpose (so their row changes are not "lost"), whether it can behave
 * differently once tables hold rows, and every name it mentions (to bound the tables worth filling).
 */
import { tokenize } from '../../sql/tokenize.js';
import { firstLine } from '../statements.js';
import type { Token } from '../../sql/types.js';

export type TargetHow = 'delete' | 'update' | 'upsert' | 'drop' | 'alter';

export interface StatementFacts {
  /** Tables the statement names as the object of DELETE, UPDATE, DROP TABLE, ALTER TABLE or an upsert. */
  targets: { table: string; how: TargetHow }[];
  /** Can succeed or fail, or change rows, depending on what the tables hold (DML, DROP TABLE, some DDL). */
  dataDependent: boolean;
  /** INSERT OR REPLACE / REPLACE INTO / UPDATE OR REPLACE: conflicting rows are deleted, firing cascades. */
  replace: boolean;
  /** The table an INSERT/REPLACE/UPDATE/DELETE writes to. */
  writes?: string;
  /** An INSERT whose rows come from a SELECT (`INSERT INTO t [(cols)] SELECT …`), not from VALUES. */
  copy?: boolean;
  rename?: { from: string; to: string };
  /** CREATE INDEX / DROP INDEX: the index's name. */
  index?: { name: string; drop?: boolean };
  /** INSERT of literal rows (VALUES or DEFAULT VALUES, no SELECT anywhere, no REPLACE, no upsert). */
  plainInsert?: boolean;
  /** ALTER TABLE … ADD COLUMN … DEFAULT that cannot fail on rows unless the table is STRICT: the table. */
  addsDefaultTo?: string;
  /** CREATE [VIRTUAL] TABLE: the new table's name (`ifNotExists`: it may be there already). */
  creates?: { table: string; virtual: boolean; ifNotExists?: boolean };
  /** First line, for messages. */
  head: string;
  /** 1-based line in the file, when known. */
  line?: number;
}

/** Token kinds that can name a table (SQLite accepts a 'string' as a name in some places). */
export const NAME_KINDS: ReadonlySet<string> = new Set(['word', 'dquoted', 'bracketed', 'backticked', 'string']);

/** Significant tokens (no comments) of one statement. */
export function significant(sql: string): Token[] {
  return tokenize(sql).filter((t) => t.kind !== 'comment');
}

/** Every identifier-like token of `sql`, lower-cased: a superset of the tables and views it can touch. */
export function namesIn(sql: string, into = new Set<string>()): Set<string> {
  for (const t of tokenize(sql)) if (NAME_KINDS.has(t.kind)) into.add(t.value.toLowerCase());
  return into;
}

export function isWord(t: Token | undefined, ...words: string[]): boolean {
  return !!t && t.kind === 'word' && words.includes(t.value);
}

export function isPunct(t: Token | undefined, text: string): boolean {
  return !!t && t.kind === 'punct' && t.text === text;
}

/** A name as written (tokenize upper-cases words), unquoted. */
function spelling(t: Token): string {
  return t.kind === 'word' ? t.text : t.value;
}

/** The unquoted name at `i`, skipping `schema.`; returns the name and the index after it. */
export function nameAt(tokens: Token[], i: number): { name: string; next: number } | undefined {
  const t = tokens[i];
  if (!t || !NAME_KINDS.has(t.kind)) return undefined;
  const after = tokens[i + 2];
  if (isPunct(tokens[i + 1], '.') && after && NAME_KINDS.has(after.kind)) return { name: spelling(after), next: i + 3 };
  return { name: spelling(t), next: i + 1 };
}

/** Index after a balanced parenthesised group starting at `i` (which must be '('). */
export function skipGroup(tokens: readonly Token[], i: number): number {
  let depth = 0;
  for (let k = i; k < tokens.length; k++) {
    if (isPunct(tokens[k], '(')) depth++;
    else if (isPunct(tokens[k], ')') && --depth === 0) return k + 1;
  }
  return tokens.length;
}

/**
 * Index of the verb after a WITH clause starting at `from` (`WITH [RECURSIVE] x [(cols)] AS [[NOT] MATERIALIZED]
 * (...), ...`); `from` itself when there is none.
 */
export function skipWith(tokens: Token[], from = 0): number {
  if (!isWord(tokens[from], 'WITH')) return from;
  let i = isWord(tokens[from + 1], 'RECURSIVE') ? from + 2 : from + 1;
  for (;;) {
    i++; // the CTE name
    if (isPunct(tokens[i], '(')) i = skipGroup(tokens, i);
    if (isWord(tokens[i], 'AS')) i++;
    if (isWord(tokens[i], 'NOT')) i++;
    if (isWord(tokens[i], 'MATERIALIZED')) i++;
    if (isPunct(tokens[i], '(')) i = skipGroup(tokens, i);
    if (isPunct(tokens[i], ',')) {
      i++;
      continue;
    }
    return i;
  }
}

/** Statements that read or write no row (the replay stops at transaction control, ATTACH and VACUUM). */
const ROWLESS_VERBS: ReadonlySet<string> = new Set(['PRAGMA', 'ANALYZE', 'REINDEX', 'EXPLAIN', 'BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'ATTACH', 'DETACH', 'VACUUM']);

export function analyseStatement(sql: string): StatementFacts {
  return analyseTokens(significant(sql), sql);
}

/** analyseStatement() for a statement already tokenized (significant tokens only). */
export function analyseTokens(tokens: Token[], sql: string): StatementFacts {
  const head = firstLine(sql);
  const facts: StatementFacts = { targets: [], dataDependent: false, replace: false, head };
  const v = skipWith(tokens);
  const verb = tokens[v]?.kind === 'word' ? tokens[v].value : '';
  switch (verb) {
    case 'DELETE': {
      const n = nameAt(tokens, isWord(tokens[v + 1], 'FROM') ? v + 2 : v + 1);
      facts.dataDependent = true;
      if (n) {
        facts.targets.push({ table: n.name, how: 'delete' });
        facts.writes = n.name;
      }
      return facts;
    }
    case 'UPDATE': {
      let i = v + 1;
      if (isWord(tokens[i], 'OR')) {
        facts.replace = isWord(tokens[i + 1], 'REPLACE');
        i += 2;
      }
      const n = nameAt(tokens, i);
      facts.dataDependent = true;
      if (n) {
        facts.targets.push({ table: n.name, how: 'update' });
        facts.writes = n.name;
      }
      return facts;
    }
    case 'INSERT':
    case 'REPLACE': {
      let i = v + 1;
      if (verb === 'REPLACE') facts.replace = true;
      if (isWord(tokens[i], 'OR')) {
        facts.replace = isWord(tokens[i + 1], 'REPLACE');
        i += 2;
      }
      if (isWord(tokens[i], 'INTO')) i++;
      const n = nameAt(tokens, i);
      facts.dataDependent = true;
      if (n) {
        facts.writes = n.name;
        let k = isWord(tokens[n.next], 'AS') ? n.next + 2 : n.next;
        if (isPunct(tokens[k], '(')) k = skipGroup(tokens, k);
        facts.copy = isWord(tokens[k], 'SELECT', 'WITH');
        // An upsert's DO UPDATE changes existing rows on purpose, like an UPDATE.
        const doUpdate = tokens.some((t, k) => isWord(t, 'DO') && isWord(tokens[k + 1], 'UPDATE'));
        if (doUpdate) facts.targets.push({ table: n.name, how: 'upsert' });
        // Rows given literally: they meet other rows only through the table's triggers and constraints.
        facts.plainInsert = !facts.replace && !doUpdate && !tokens.some((t) => isWord(t, 'SELECT'));
      }
      return facts;
    }
    case 'DROP': {
      if (isWord(tokens[v + 1], 'INDEX')) {
        const n = nameAt(tokens, isWord(tokens[v + 2], 'IF') && isWord(tokens[v + 3], 'EXISTS') ? v + 4 : v + 2);
        if (n) facts.index = { name: n.name, drop: true };
        return facts;
      }
      if (!isWord(tokens[v + 1], 'TABLE')) return facts;
      const i = isWord(tokens[v + 2], 'IF') && isWord(tokens[v + 3], 'EXISTS') ? v + 4 : v + 2;
      const n = nameAt(tokens, i);
      // The implicit DELETE of DROP TABLE fires foreign key actions (D1 keeps foreign keys on).
      facts.dataDependent = true;
      if (n) facts.targets.push({ table: n.name, how: 'drop' });
      return facts;
    }
    case 'ALTER': {
      if (!isWord(tokens[v + 1], 'TABLE')) return facts;
      const n = nameAt(tokens, v + 2);
      if (!n) return facts;
      facts.targets.push({ table: n.name, how: 'alter' });
      const action = tokens[n.next];
      if (isWord(action, 'RENAME') && isWord(tokens[n.next + 1], 'TO')) {
        const to = nameAt(tokens, n.next + 2);
        if (to) facts.rename = { from: n.name, to: to.name };
      } else if (isWord(action, 'ADD')) {
        // SQLite checks NOT NULL, CHECK, REFERENCES and generated columns of a new column against existing
        // rows only (since 3.37), so an empty table accepts what a filled one rejects; a default that is not a
        // constant, too. NOT NULL with a non-NULL constant default cannot fail: every row gets the default.
        const def = tokens.slice(n.next + 1);
        const risky = def.some((t) => isWord(t, 'CHECK', 'REFERENCES', 'GENERATED', 'AS', 'UNIQUE', 'PRIMARY', 'CURRENT_TIME', 'CURRENT_DATE', 'CURRENT_TIMESTAMP') || isPunct(t, '('));
        const notNull = def.some((t, i) => isWord(t, 'NOT') && isWord(def[i + 1], 'NULL'));
        const d = def.findIndex((t) => isWord(t, 'DEFAULT'));
        facts.dataDependent = risky || (notNull && (d === -1 || isWord(def[d + 1], 'NULL')));
        // A STRICT table also checks the default's type against existing rows (see file-facts.ts).
        if (!facts.dataDependent && d !== -1) facts.addsDefaultTo = n.name;
      }
      return facts;
    }
    case 'CREATE': {
      let c = v + 1;
      if (isWord(tokens[c], 'TEMP', 'TEMPORARY')) c++;
      const virtual = isWord(tokens[c], 'VIRTUAL');
      if (virtual) c++;
      if (isWord(tokens[c], 'TABLE')) {
        const ifNotExists = isWord(tokens[c + 1], 'IF') && isWord(tokens[c + 2], 'NOT') && isWord(tokens[c + 3], 'EXISTS');
        if (ifNotExists) c += 3;
        const n = nameAt(tokens, c + 1);
        if (n) facts.creates = { table: n.name, virtual, ...(ifNotExists && { ifNotExists }) };
        // CREATE TABLE … AS SELECT reads rows (and evaluates its expressions on them).
        facts.dataDependent = !!n && isWord(tokens[n.next], 'AS');
        return facts;
      }
      const unique = isWord(tokens[v + 1], 'UNIQUE');
      const k = unique ? v + 2 : v + 1;
      if (!isWord(tokens[k], 'INDEX')) return facts;
      const n = nameAt(tokens, isWord(tokens[k + 1], 'IF') && isWord(tokens[k + 2], 'NOT') && isWord(tokens[k + 3], 'EXISTS') ? k + 4 : k + 1);
      if (n) facts.index = { name: n.name };
      // A UNIQUE index fails over duplicated values; an expression or partial index evaluates per row (and
      // can raise, e.g. json_extract of malformed JSON). A plain index over columns cannot fail on data.
      const on = tokens.findIndex((t, i) => i > k && isWord(t, 'ON'));
      const open = on === -1 ? -1 : tokens.findIndex((t, i) => i > on && isPunct(t, '('));
      const close = open === -1 ? tokens.length : skipGroup(tokens, open);
      const expression = open !== -1 && tokens.slice(open + 1, close - 1).some((t) => isPunct(t, '('));
      const partial = tokens.slice(close).some((t) => isWord(t, 'WHERE'));
      facts.dataDependent = unique || expression || partial;
      return facts;
    }
    // SELECT, VALUES and anything else but statements that read or write no row: may read rows, and fail on
    // what they hold (json_extract of a malformed value…).
    default:
      facts.dataDependent = !ROWLESS_VERBS.has(verb);
      return facts;
  }
}
