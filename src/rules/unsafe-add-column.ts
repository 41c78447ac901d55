import type { Finding } from '../types.js';
import type { Token } from '../sql/types.js';
import type { StaticRule } from './types.js';
import { findingAt, isPunct, isWord, readName, skipIfExists, verb, verbIndex } from './util.js';

const ID = 'unsafe-add-column';

/**
 * SQLite checks these ADD COLUMN restrictions only against existing rows (sqlite3AlterFinishAddColumn
 * tests "is the table empty?"), so they pass on the empty local database every replay and CI run uses,
 * then fail on production with "Cannot add a NOT NULL column with default value NULL" and friends.
 */
export const unsafeAddColumn: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    for (const pm of ctx.migrations) {
      const createdHere = new Set<string>();
      for (const stmt of pm.statements) {
        const t = stmt.tokens;
        const v = verbIndex(stmt);
        if (verb(stmt) === 'CREATE') {
          let i = v + 1;
          if (isWord(t[i], 'TEMP', 'TEMPORARY')) i++;
          if (isWord(t[i], 'TABLE')) {
            const name = readName(t, skipIfExists(t, i + 1));
            if (name) createdHere.add(name.name.toLowerCase());
          }
          continue;
        }
        if (verb(stmt) !== 'ALTER' || !isWord(t[v + 1], 'TABLE')) continue;
        const table = readName(t, v + 2);
        if (!table || !isWord(t[table.next], 'ADD')) continue;
        // A table created earlier in the same file is certainly empty here: the restriction cannot bite.
        if (createdHere.has(table.name.toLowerCase())) continue;
        let i = table.next + 1;
        if (isWord(t[i], 'COLUMN')) i++;
        const column = readName(t, i);
        if (!column) continue;
        const problem = columnProblem(t.slice(column.next));
        if (problem) {
          out.push(
            findingAt(
              ID,
              pm,
              column.tok,
              `\`ALTER TABLE ${table.name} ADD COLUMN ${column.name}\` ${problem} SQLite only enforces this when the table has rows, so it passes locally and on an empty database but fails on a real one.`,
            ),
          );
        }
      }
    }
    return out;
  },
};

/** Why an ADD COLUMN definition (the tokens after the column name) fails once the table has rows, if it does. */
export function columnProblem(def: Token[]): string | undefined {
  let notNull = false;
  let references = false;
  let defaultTokens: Token[] | undefined;
  let depth = 0;
  for (let i = 0; i < def.length; i++) {
    const tok = def[i]!;
    if (isPunct(tok, '(')) depth++;
    else if (isPunct(tok, ')')) depth--;
    if (depth > 0) continue;
    if (isWord(tok, 'NOT') && isWord(def[i + 1], 'NULL')) notNull = true;
    else if (isWord(tok, 'REFERENCES')) references = true;
    else if (isWord(tok, 'DEFAULT')) defaultTokens = defaultExpression(def, i + 1);
  }
  const isNullDefault = !defaultTokens || (defaultTokens.length === 1 && isWord(defaultTokens[0], 'NULL'));
  if (defaultTokens && !isConstant(defaultTokens)) {
    return `has a non-constant default (${defaultTokens.map((x) => x.text).join(' ')}): SQLite rejects it with "Cannot add a column with non-constant default". Add the column with a constant default (or none) and backfill it with UPDATE.`;
  }
  if (notNull && isNullDefault) {
    return 'is NOT NULL without a non-NULL default: SQLite rejects it with "Cannot add a NOT NULL column with default value NULL". Give it a DEFAULT, or add it nullable and backfill.';
  }
  if (references && !isNullDefault) {
    return 'has REFERENCES and a non-NULL default: with foreign keys on (always, on D1) SQLite rejects it with "Cannot add a REFERENCES column with non-NULL default value". Add it with DEFAULT NULL and backfill.';
  }
  return undefined;
}

/** The DEFAULT value: one literal/word, a signed number, or a parenthesised expression. */
function defaultExpression(def: Token[], i: number): Token[] {
  const first = def[i];
  if (!first) return [];
  if (isPunct(first, '(')) {
    let depth = 0;
    for (let j = i; j < def.length; j++) {
      if (isPunct(def[j], '(')) depth++;
      else if (isPunct(def[j], ')') && --depth === 0) return def.slice(i, j + 1);
    }
    return def.slice(i);
  }
  if ((isPunct(first, '-') || isPunct(first, '+')) && def[i + 1]) return [first, def[i + 1]!];
  return [first];
}

function isConstant(expr: Token[]): boolean {
  if (expr.length === 0) return true;
  if (expr.some((x) => isWord(x, 'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME'))) return false;
  // A parenthesised expression is only constant when it holds literals and operators, no function call.
  if (isPunct(expr[0], '(')) {
    return !expr.some((x, k) => x.kind === 'word' && isPunct(expr[k + 1], '(')) && !expr.some((x) => x.kind === 'word' && !isWord(x, 'NULL', 'TRUE', 'FALSE'));
  }
  return true;
}
