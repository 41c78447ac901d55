import type { Finding } from '../types.js';
import type { ParsedMigration, Statement, Token } from '../sql/types.js';
import type { StaticRule } from './types.js';
import { findingAt, hasTopLevelWord, isWord, quoteName, readName, skipIfExists, verb, verbIndex } from './util.js';

const ID = 'destructive-change';
const SUPPRESS = 'If this is intended, add `-- d1-migrate-ignore: destructive-change` on the line above.';

interface Rename {
  from: string;
  /** `from` as written, for messages. */
  fromName: string;
  to: string;
  index: number;
}

/** `ALTER TABLE a RENAME TO b` statements of a file, by statement index. */
function renames(pm: ParsedMigration): Rename[] {
  const out: Rename[] = [];
  pm.statements.forEach((stmt, index) => {
    const t = stmt.tokens;
    const i = verbIndex(stmt);
    if (verb(stmt) !== 'ALTER' || !isWord(t[i + 1], 'TABLE')) return;
    const from = readName(t, i + 2);
    if (!from || !isWord(t[from.next], 'RENAME') || !isWord(t[from.next + 1], 'TO')) return;
    const to = readName(t, from.next + 2);
    if (to) out.push({ from: from.name.toLowerCase(), fromName: from.name, to: to.name.toLowerCase(), index });
  });
  return out;
}

/**
 * A table rebuild is reported once, at its DROP: either `CREATE new_t; INSERT INTO new_t SELECT ... FROM t;
 * DROP TABLE t; ALTER TABLE new_t RENAME TO t` (drizzle-kit, prisma) or `ALTER TABLE t RENAME TO t_old;
 * CREATE TABLE t ...; INSERT ...; DROP TABLE t_old`.
 */
function rebuildOf(table: string, index: number, all: Rename[]): string | undefined {
  const key = table.toLowerCase();
  if (all.some((r) => r.to === key && r.index > index)) return table;
  return all.find((r) => r.to === key && r.index < index)?.fromName;
}

function checkStatement(pm: ParsedMigration, stmt: Statement, index: number, all: Rename[], ledger: string, out: Finding[]): void {
  const t = stmt.tokens;
  const i = verbIndex(stmt);
  const at = (tok: Token | Statement, table: string | undefined, message: string): void => {
    // wrangler's migrations table holds none of the app's data: ledger-write says what writing it does.
    if (table?.toLowerCase() === ledger) return;
    out.push(findingAt(ID, pm, tok, `${message} ${SUPPRESS}`));
  };
  switch (verb(stmt)) {
    case 'DROP': {
      if (!isWord(t[i + 1], 'TABLE')) return;
      const name = readName(t, skipIfExists(t, i + 2));
      if (!name) return;
      const table = quoteName(name.name);
      const rebuilt = rebuildOf(name.name, index, all);
      if (rebuilt !== undefined) {
        at(stmt, name.name, `Table rebuild of \`${quoteName(rebuilt)}\` (copy into a new table, \`DROP TABLE ${table}\`, rename): rows survive only in the columns the INSERT ... SELECT copies, and on D1, where foreign keys are always on, dropping a table that other tables reference deletes or nulls their rows (ON DELETE CASCADE / SET NULL) or fails. Check the copied columns and the tables that reference it.`);
      } else {
        at(stmt, name.name, `\`DROP TABLE ${table}\` deletes the table and all its rows, and D1 cannot undo it except by a Time Travel restore of the whole database. Make sure nothing still reads it and its data is no longer needed (or back it up first).`);
      }
      return;
    }
    case 'ALTER': {
      if (!isWord(t[i + 1], 'TABLE')) return;
      const name = readName(t, i + 2);
      if (!name || !isWord(t[name.next], 'DROP')) return;
      const colTok = isWord(t[name.next + 1], 'COLUMN') ? t[name.next + 2] : t[name.next + 1];
      const col = colTok ? (colTok.kind === 'word' ? colTok.text : colTok.value) : '?';
      at(t[name.next]!, name.name, `\`ALTER TABLE ${quoteName(name.name)} DROP COLUMN ${quoteName(col)}\` deletes that column's data for every row. Deploy code that no longer uses the column first, and back up the data if it may be needed.`);
      return;
    }
    case 'DELETE':
      if (!hasTopLevelWord(t, i, 'WHERE')) {
        const name = readName(t, i + 2);
        at(stmt, name?.name, `\`DELETE FROM ${name ? quoteName(name.name) : '...'}\` has no WHERE clause and deletes every row. Add a WHERE clause.`);
      }
      return;
    case 'UPDATE':
      if (!hasTopLevelWord(t, i, 'WHERE')) {
        const name = readName(t, isWord(t[i + 1], 'OR') ? i + 3 : i + 1);
        at(stmt, name?.name, `\`UPDATE ${name ? quoteName(name.name) : '...'}\` has no WHERE clause and overwrites every row. Add a WHERE clause.`);
      }
      return;
  }
}

export const destructiveChange: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    const ledger = ctx.target.migrationsTable.toLowerCase();
    for (const pm of ctx.migrations) {
      const all = renames(pm);
      pm.statements.forEach((stmt, index) => checkStatement(pm, stmt, index, all, ledger, out));
    }
    return out;
  },
};
