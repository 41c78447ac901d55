import type { Finding } from '../types.js';
import type { Statement, Token } from '../sql/types.js';
import type { StaticRule } from './types.js';
import { skipWith } from '../replay/data/analyse.js';
import { findingAt, findWord, isPunct, isWord, quoteName, readName, skipIfExists, verbIndex, type QualifiedName } from './util.js';

const ID = 'ledger-write';

/** What happens when a migration writes the ledger that way (checked with real wrangler 4.86 and 4.164). */
const EFFECT = {
  delete: 'the migrations whose rows it deletes count as pending again, so the next `wrangler d1 migrations apply` runs them a second time (a CREATE TABLE there then fails because the table exists, an INSERT adds its rows twice)',
  update: 'a migration whose recorded name changes counts as pending again and runs a second time on the next apply, and the new name marks a file as applied that may never have run',
  insert: 'a name it records counts as applied, so wrangler never runs that file (a later file of this run fails its own bookkeeping INSERT with "UNIQUE constraint failed")',
  drop: 'wrangler\'s bookkeeping INSERT at the end of this file then fails, and a ledger created again is empty: every migration counts as pending and runs again',
  alter: 'wrangler reads and writes it by its name and its `name` column, so the bookkeeping of this file or of the next apply fails, or the next apply starts from an empty ledger and runs every migration again',
  trigger: 'it runs at every bookkeeping INSERT wrangler makes from now on, so what it does decides which migrations wrangler thinks have run',
  'trigger-body': 'each time the trigger fires, the ledger changes: applied migrations can count as pending again (and run a second time) or files as applied that never ran',
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
        const write = ledgerTarget(stmt, ledger);
        if (!write) continue;
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

/** How a statement writes the ledger (`ledger`, lower-cased), if it does. */
function ledgerTarget(stmt: Statement, ledger: string): Target | undefined {
  const t = stmt.tokens;
  const i = verbIndex(stmt);
  if (isWord(t[i], 'CREATE')) return triggerTarget(t, i, ledger);
  const write = writeAt(t, skipWith(t, i));
  return write && isLedger(write.name, ledger) ? write : undefined;
}

type Target = { name: QualifiedName; how: How; what: string };

function isLedger(name: QualifiedName, ledger: string): boolean {
  return name.name.toLowerCase() === ledger && (name.schema === undefined || name.schema.toLowerCase() === 'main');
}

/** The table the statement starting at t[i] writes rows of, drops or alters, and how. */
function writeAt(t: Token[], i: number): Target | undefined {
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

/**
 * `CREATE [TEMP] TRIGGER … ON <ledger> …`, or a trigger whose body writes the ledger (each statement of the
 * body starts after BEGIN or a `;`).
 */
function triggerTarget(t: Token[], i: number, ledger: string): Target | undefined {
  let j = i + 1;
  if (isWord(t[j], 'TEMP', 'TEMPORARY')) j++;
  if (!isWord(t[j], 'TRIGGER')) return undefined;
  const trigger = readName(t, skipIfExists(t, j + 1));
  const on = trigger ? findWord(t, trigger.next, 'ON') : -1;
  const table = on === -1 ? undefined : readName(t, on + 1);
  if (table && isLedger(table, ledger)) return { name: table, how: 'trigger', what: 'puts a trigger on' };
  const begin = table ? findWord(t, table.next, 'BEGIN') : -1;
  for (let k = begin + 1; begin !== -1 && k < t.length; k++) {
    if (k !== begin + 1 && !isPunct(t[k - 1], ';')) continue;
    const write = writeAt(t, skipWith(t, k));
    if (write && isLedger(write.name, ledger)) return { ...write, how: 'trigger-body', what: `creates a trigger whose body ${write.what}` };
  }
  return undefined;
}
