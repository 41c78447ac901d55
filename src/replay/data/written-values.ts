/**
 * Which expression of a statement becomes which column of every row it writes: the result columns of
 * `INSERT INTO t [(cols)] SELECT …` (the copy of a table rebuild) and the assignments of `UPDATE t SET c = …`.
 * A double-quoted name that is not a column there is written, as text, into every such row — silent data
 * corruption — while the same fallback in a WHERE clause only compares with a constant.
 */
import type { Token } from '../../sql/types.js';
import type { SqlDb } from '../db/types.js';
import { isPunct, isWord, nameAt, skipGroup, skipWith } from './analyse.js';
import { q } from './tables.js';

export interface WrittenValue {
  /** The column written: its name, or its position (0-based) when the INSERT lists no columns. */
  column: string | number;
  /** Token indexes of the expression, [from, to). */
  from: number;
  to: number;
}

export interface WrittenValues {
  /** The table written, as spelled. */
  table: string;
  kind: 'copy' | 'update';
  values: WrittenValue[];
}

/** Words that end a SELECT's result columns or an UPDATE's SET list at the top level. */
const SELECT_END = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT', 'ON', 'RETURNING']);
const SET_END = new Set(['FROM', 'WHERE', 'RETURNING', 'ORDER', 'LIMIT']);

/** The values an INSERT … SELECT or UPDATE … SET writes (significant tokens), or undefined for other statements. */
export function writtenValues(tokens: Token[]): WrittenValues | undefined {
  const v = skipWith(tokens);
  if (isWord(tokens[v], 'INSERT', 'REPLACE')) return insertSelect(tokens, v);
  if (isWord(tokens[v], 'UPDATE')) return updateSet(tokens, v);
  return undefined;
}

function insertSelect(tokens: Token[], v: number): WrittenValues | undefined {
  let i = v + 1;
  if (isWord(tokens[i], 'OR')) i += 2;
  if (isWord(tokens[i], 'INTO')) i++;
  const target = nameAt(tokens, i);
  if (!target) return undefined;
  i = isWord(tokens[target.next], 'AS') ? target.next + 2 : target.next;
  let columns: string[] | undefined;
  if (isPunct(tokens[i], '(')) {
    const close = skipGroup(tokens, i);
    columns = split(tokens, i + 1, close - 1).map(([a]) => nameOf(tokens[a]!));
    i = close;
  }
  i = skipWith(tokens, i);
  if (!isWord(tokens[i], 'SELECT')) return undefined;
  i++;
  if (isWord(tokens[i], 'DISTINCT', 'ALL')) i++;
  const end = topLevel(tokens, i, (t) => t.kind === 'word' && SELECT_END.has(t.value));
  const values = split(tokens, i, end).map(([from, to], k) => ({ column: columns ? (columns[k] ?? k) : k, from, to }));
  return { table: target.name, kind: 'copy', values };
}

function updateSet(tokens: Token[], v: number): WrittenValues | undefined {
  let i = v + 1;
  if (isWord(tokens[i], 'OR')) i += 2;
  const target = nameAt(tokens, i);
  if (!target) return undefined;
  const set = tokens.findIndex((t, k) => k >= target.next && isWord(t, 'SET'));
  if (set === -1) return undefined;
  const end = topLevel(tokens, set + 1, (t) => t.kind === 'word' && SET_END.has(t.value));
  const values: WrittenValue[] = [];
  for (const [from, to] of split(tokens, set + 1, end)) {
    // `col = expr`; a row-value assignment `(a, b) = (…)` is left out.
    if (!isPunct(tokens[from + 1], '=') || isPunct(tokens[from], '(')) continue;
    const t = tokens[from];
    if (t) values.push({ column: nameOf(t), from: from + 2, to });
  }
  return { table: target.name, kind: 'update', values };
}

/** The index of the first top-level token from `i` that `stop` accepts, or the end. */
function topLevel(tokens: Token[], i: number, stop: (t: Token) => boolean): number {
  let depth = 0;
  for (let k = i; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && (stop(t) || isPunct(t, ';'))) return k;
  }
  return tokens.length;
}

/** [from, to) ranges of the top-level comma-separated items between `from` and `to`. */
function split(tokens: Token[], from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let k = from; k < to; k++) {
    if (isPunct(tokens[k], '(')) depth++;
    else if (isPunct(tokens[k], ')')) depth--;
    else if (depth === 0 && isPunct(tokens[k], ',')) {
      out.push([start, k]);
      start = k + 1;
    }
  }
  if (start < to) out.push([start, to]);
  return out;
}

/** What the data check saw in a column a double-quoted name was written to (see literalsWritten). */
export interface LiteralRows {
  /** The table and column as they are after the file (a rebuild's copy target is renamed into place). */
  table: string;
  column: string;
  /** Rows of the table after the file, and how many of them hold the name as text in that column. */
  rows: number;
  matching: number;
}

/** Key of a written literal: the line of its statement and the name. */
export function literalKey(line: number, name: string): string {
  return `${line}\u0000${name}`;
}

/**
 * After a file ran on the twin: for every value of an INSERT … SELECT / UPDATE … SET that is a bare
 * double-quoted name, how many rows of the written table (followed through the file's later renames) hold that
 * name as text in the written column. Which of those names SQLite read as text is the replay's to say; a real
 * column's synthetic values never equal its name.
 */
export function literalsWritten(
  db: Pick<SqlDb, 'rows'>,
  statements: { line: number; tokens: Token[] }[],
  renames: ({ from: string; to: string } | undefined)[],
): Map<string, LiteralRows> {
  const out = new Map<string, LiteralRows>();
  statements.forEach((s, i) => {
    if (!s.tokens.some((t) => t.kind === 'dquoted')) return;
    const w = writtenValues(s.tokens);
    const bare = w?.values.filter((v) => s.tokens[v.from]?.kind === 'dquoted' && (v.to - v.from === 1 || isWord(s.tokens[v.from + 1], 'AS'))) ?? [];
    if (!w || bare.length === 0) return;
    let table = w.table;
    for (const r of renames.slice(i + 1)) if (r && r.from.toLowerCase() === table.toLowerCase()) table = r.to;
    const columns = db.rows(`SELECT name FROM pragma_table_info(?1)`, [table]).map((r) => String(r[0]));
    const pairs = bare
      .map((v) => ({ name: s.tokens[v.from]!.value, column: typeof v.column === 'number' ? columns[v.column] : columns.find((c) => c.toLowerCase() === v.column.toString().toLowerCase()) }))
      .filter((p): p is { name: string; column: string } => p.column !== undefined);
    if (pairs.length === 0) return;
    const lit = (x: string) => `'${x.replace(/'/g, "''")}'`;
    const row = db.rows(`SELECT count(*), ${pairs.map((p) => `coalesce(sum(${q(p.column)} IS ${lit(p.name)}), 0)`).join(', ')} FROM ${q(table)}`)[0] ?? [];
    pairs.forEach((p, k) => out.set(literalKey(s.line, p.name), { table, column: p.column, rows: Number(row[0] ?? 0), matching: Number(row[k + 1] ?? 0) }));
  });
  return out;
}

/** A column name as written: a word as typed, a quoted name unquoted. */
function nameOf(t: Token): string {
  return t.kind === 'word' ? t.text : t.value;
}
