import type { Finding, RuleId } from '../types.js';
import type { ParsedMigration, Statement, Token } from '../sql/types.js';
import { finding } from '../finding.js';

/** A finding for `rule` at a token (or statement) of a parsed migration; severity comes from the catalog. */
export function findingAt(rule: RuleId, pm: ParsedMigration, at: { line: number; column: number }, message: string): Finding {
  return finding({ rule, file: pm.file.relPath, line: at.line, column: at.column, message });
}

export function isWord(tok: Token | undefined, ...upper: string[]): boolean {
  return tok !== undefined && tok.kind === 'word' && upper.includes(tok.value);
}

export function isPunct(tok: Token | undefined, text: string): boolean {
  return tok !== undefined && tok.kind === 'punct' && tok.text === text;
}

const NAME_KINDS = new Set(['word', 'dquoted', 'bracketed', 'backticked', 'string']);

/** The name a token denotes, as SQLite resolves it (unquoted); undefined when the token cannot be a name. */
export function nameOf(tok: Token | undefined): string | undefined {
  if (!tok || !NAME_KINDS.has(tok.kind)) return undefined;
  return tok.kind === 'word' ? tok.text : tok.value;
}

export interface QualifiedName {
  schema?: string;
  name: string;
  /** The token of the object name itself (after any `schema.`). */
  tok: Token;
  /** Index of the first token after the name. */
  next: number;
}

/** Read `[schema .] name` starting at tokens[i]. */
export function readName(tokens: Token[], i: number): QualifiedName | undefined {
  const first = nameOf(tokens[i]);
  if (first === undefined) return undefined;
  if (isPunct(tokens[i + 1], '.')) {
    const second = nameOf(tokens[i + 2]);
    if (second !== undefined) return { schema: first, name: second, tok: tokens[i + 2]!, next: i + 3 };
  }
  return { name: first, tok: tokens[i]!, next: i + 1 };
}

/** Index of the statement's verb, skipping `EXPLAIN [QUERY PLAN]`. */
export function verbIndex(stmt: Statement): number {
  const t = stmt.tokens;
  if (!isWord(t[0], 'EXPLAIN')) return 0;
  return isWord(t[1], 'QUERY') && isWord(t[2], 'PLAN') ? 3 : 1;
}

export function verb(stmt: Statement): string {
  const tok = stmt.tokens[verbIndex(stmt)];
  return tok && tok.kind === 'word' ? tok.value : '';
}

/** Index of the first top-level word (outside parentheses) among `upper` at or after `from`, or -1. */
export function findWord(tokens: Token[], from: number, ...upper: string[]): number {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isWord(t, ...upper)) return i;
  }
  return -1;
}

/** Skip `IF EXISTS` / `IF NOT EXISTS` at tokens[i]. */
export function skipIfExists(tokens: Token[], i: number): number {
  if (!isWord(tokens[i], 'IF')) return i;
  if (isWord(tokens[i + 1], 'NOT') && isWord(tokens[i + 2], 'EXISTS')) return i + 3;
  return isWord(tokens[i + 1], 'EXISTS') ? i + 2 : i;
}

/** True when a word appears outside any parentheses from index `from` on. */
export function hasTopLevelWord(tokens: Token[], from: number, upper: string): boolean {
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct') {
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
    } else if (depth === 0 && t.kind === 'word' && t.value === upper) return true;
  }
  return false;
}

/** A short one-line excerpt of a statement for messages. */
export function excerpt(stmt: Statement, max = 60): string {
  const flat = stmt.tokens.map((t) => t.text).join(' ').replace(/\s+/g, ' ').replace(/ ([,;)]) ?/g, '$1 ').replace(/\( /g, '(').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Show a name in a message as SQL would write it. */
export function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
