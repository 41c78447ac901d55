import type { Finding } from '../types.js';
import type { Statement, Token } from '../sql/types.js';
import type { StaticRule } from './types.js';
import { findingAt, isPunct, isWord, quoteName, readName, skipIfExists, verbIndex } from './util.js';

const ID = 'ledger-write';

/** What happens when a migration writes the ledger that way (checked with real wrangler 4.86 and 4.164). */
const EFFECT = {
  delete: 'the migrations whose rows it deletes count as pending again, so the next `wrangler d1 migrations apply` runs them a second time (a CREATE TABLE there then fails because the table exists, an INSERT adds its rows twice)',
  update: 'a migration whose recorded name changes counts as pending again and runs a second time on the next apply, and the new name marks a file as applied that may never have run',
  insert: 'a name it records counts as applied, so wrangler never runs that file (a later file of this run fails its own bookkeeping INSERT with "UNIQUE constraint failed")',
  drop: 'wrangler\'s bookkeeping INSERT at the end of this file then fails, and a ledger created again is empty: every migration counts as pending and runs again',
  alter: 'wrangler reads and writes it by its name and its `name` column, so the bookkeeping of this file or of the next apply fails, or the next apply starts from an empty ledger and runs every migration again',
} as const;

type How = keyof typeof EFFECT;

/**
 * A migration that writes wrangler's ledger (`d1_migrations`, or the binding's `migrations_table`): wrangler
 * decides what to run from that table alone, so a row a migration deletes, renames or adds makes a later apply
 * run a file again or skip it for good. The file itself applies without an error.
 */
export const ledgerWrite: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    const ledger = ctx.target.migrationsTable.toLowerCase();
    for (const pm of ctx.migrations) {
      for (const stmt of pm.statements) {
        const write = ledgerTarget(stmt);
        if (!write || write.name.name.toLowerCase() !== ledger || !mainSchema(write.name.schema)) continue;
        out.push(
          findingAt(
            ID,
            pm,
            write.name.tok,
            `This statement ${write.what} ${quoteName(write.name.name)}, the table where wrangler records which migrations ran: ${EFFECT[write.how]}. Leave that table to wrangler; to record or forget migrations on purpose, use the ledger operations (\`baseline\`, \`mark-applied\`, \`rename-applied\`: docs/ledger.md), which check the database first.`,
          ),
        );
      }
    }
    return out;
  },
};

function mainSchema(schema: string | undefined): boolean {
  return schema === undefined || schema.toLowerCase() === 'main';
}

/** The table a statement writes rows of, drops or alters, and how; after a `WITH …` prefix too. */
function ledgerTarget(stmt: Statement): { name: NonNullable<ReturnType<typeof readName>>; how: How; what: string } | undefined {
  const t = stmt.tokens;
  let i = verbIndex(stmt);
  if (isWord(t[i], 'WITH')) i = afterWith(t, i);
  const at = (j: number, how: How, what: string) => {
    const name = readName(t, j);
    return name ? { name, how, what } : undefined;
  };
  if (isWord(t[i], 'INSERT', 'REPLACE')) {
    let j = i + 1;
    if (isWord(t[j], 'OR')) j += 2;
    return isWord(t[j], 'INTO') ? at(j + 1, 'insert', 'adds rows to') : undefined;
  }
  if (isWord(t[i], 'UPDATE')) return at(isWord(t[i + 1], 'OR') ? i + 3 : i + 1, 'update', 'changes rows of');
  if (isWord(t[i], 'DELETE') && isWord(t[i + 1], 'FROM')) return at(i + 2, 'delete', 'deletes rows of');
  if (isWord(t[i], 'DROP') && isWord(t[i + 1], 'TABLE')) return at(skipIfExists(t, i + 2), 'drop', 'drops');
  if (isWord(t[i], 'ALTER') && isWord(t[i + 1], 'TABLE')) {
    const name = readName(t, i + 2);
    // ADD COLUMN leaves what wrangler reads and writes in place.
    if (!name || isWord(t[name.next], 'ADD')) return undefined;
    return { name, how: 'alter', what: isWord(t[name.next], 'RENAME') && isWord(t[name.next + 1], 'TO') ? 'renames' : 'alters' };
  }
  return undefined;
}

/** The index of the first top-level word after a `WITH [RECURSIVE] name AS (…), …` prefix. */
function afterWith(t: Token[], i: number): number {
  let depth = 0;
  for (let j = i + 1; j < t.length; j++) {
    if (isPunct(t[j], '(')) depth++;
    else if (isPunct(t[j], ')')) depth--;
    else if (depth === 0 && isWord(t[j], 'INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'SELECT')) return j;
  }
  return t.length;
}
