import type { Finding } from '../types.js';
import type { StaticRule } from './types.js';
import { excerpt, findingAt, verb, verbIndex } from './util.js';

const ID = 'transaction-statement';
const VERBS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);

const D1_ERROR =
  'To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements.';

/**
 * Only a statement's verb counts: the BEGIN/END of a trigger body, RAISE(ROLLBACK, ...) and CASE ... END all sit
 * inside a CREATE TRIGGER (or another) statement, never at its start.
 */
export const transactionStatement: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    for (const pm of ctx.migrations) {
      for (const stmt of pm.statements) {
        const v = verb(stmt);
        if (!VERBS.has(v)) continue;
        const tok = stmt.tokens[verbIndex(stmt)]!;
        out.push(
          findingAt(ID, pm, tok, `\`${excerpt(stmt)}\`: real D1 rejects transaction statements (BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT, RELEASE) with "${D1_ERROR}" Local wrangler strips one literal \`BEGIN TRANSACTION;\` and one \`COMMIT;\` before running a file, so this can pass with --local and still fail on the real database. D1 already runs each migration file atomically: delete this line.`),
        );
      }
    }
    return out;
  },
};
