import type { Statement, Token } from '../sql/types.js';
import { isPunct, isWord, nameOf, verbIndex } from './util.js';

export interface Pragma {
  schema?: string;
  /** Name as written (SQLite passes it to the authorizer unchanged). */
  name: string;
  nameTok: Token;
  /** The value as SQLite's authorizer sees it (`-1`, `OFF`, `'on'`, a table name), or null when absent. */
  value: string | null;
}

/** Parse `PRAGMA [schema.]name [= value | (value)]`; undefined when the statement is not a PRAGMA. */
export function parsePragma(stmt: Statement): Pragma | undefined {
  const t = stmt.tokens;
  let i = verbIndex(stmt);
  if (!isWord(t[i], 'PRAGMA')) return undefined;
  i++;
  let schema: string | undefined;
  let nameTok = t[i];
  if (isPunct(t[i + 1], '.')) {
    schema = nameOf(t[i]);
    nameTok = t[i + 2];
    i += 2;
  }
  const name = nameOf(nameTok);
  if (!nameTok || name === undefined) return undefined;
  i++;
  let value: string | null = null;
  if (isPunct(t[i], '=') || isPunct(t[i], '(')) {
    const rest = t.slice(i + 1).filter((tok) => !isPunct(tok, ')'));
    value = rest.map((tok) => (tok.kind === 'word' || tok.kind === 'punct' || tok.kind === 'number' ? tok.text : tok.value)).join('');
  }
  return { schema, name, nameTok, value };
}
