import type { Statement, Token } from '../sql/types.js';
import { isPunct, isWord, readName, skipIfExists, verb, verbIndex } from './util.js';

const TABLE_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

export interface ColumnDef {
  name: Token;
  /** Tokens of the type name (may be empty), e.g. [VARCHAR, (, 255, )]. */
  type: Token[];
}

/** Column definitions of `CREATE TABLE ... (...)` and `ALTER TABLE ... ADD [COLUMN] ...`. */
export function columnDefs(stmt: Statement): ColumnDef[] {
  const t = stmt.tokens;
  const i = verbIndex(stmt);
  const v = verb(stmt);
  if (v === 'ALTER' && isWord(t[i + 1], 'TABLE')) {
    const name = readName(t, i + 2);
    if (!name || !isWord(t[name.next], 'ADD')) return [];
    let j = name.next + 1;
    if (isWord(t[j], 'COLUMN')) j++;
    if (!t[j] || TABLE_CONSTRAINT.has(t[j]!.value)) return [];
    return [{ name: t[j]!, type: typeTokens(t, j + 1) }];
  }
  if (v !== 'CREATE') return [];
  let j = i + 1;
  while (isWord(t[j], 'TEMP', 'TEMPORARY')) j++;
  if (!isWord(t[j], 'TABLE')) return [];
  const name = readName(t, skipIfExists(t, j + 1));
  if (!name || !isPunct(t[name.next], '(')) return [];
  const out: ColumnDef[] = [];
  let depth = 0;
  for (let k = name.next; k < t.length; k++) {
    const tok = t[k]!;
    if (isPunct(tok, '(')) depth++;
    else if (isPunct(tok, ')')) {
      depth--;
      if (depth === 0) break;
    } else if (depth === 1 && (isPunct(t[k - 1], ',') || k === name.next + 1)) {
      if (tok.kind === 'word' && TABLE_CONSTRAINT.has(tok.value)) continue;
      out.push({ name: tok, type: typeTokens(t, k + 1) });
    }
  }
  return out;
}

const TYPE_END = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);

/** A type name is a run of words, optionally followed by `(n[, m])`, as in SQLite's grammar. */
function typeTokens(t: Token[], from: number): Token[] {
  const out: Token[] = [];
  let k = from;
  while (t[k] && t[k]!.kind === 'word' && !TYPE_END.has(t[k]!.value)) out.push(t[k++]!);
  if (out.length > 0 && isPunct(t[k], '(')) {
    while (t[k] && !isPunct(t[k], ')')) out.push(t[k++]!);
    if (t[k]) out.push(t[k]!);
  }
  return out;
}
