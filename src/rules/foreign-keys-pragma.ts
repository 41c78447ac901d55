import type { Finding } from '../types.js';
import type { StaticRule } from './types.js';
import { parsePragma } from './pragma.js';
import { findingAt } from './util.js';

const ID = 'foreign-keys-pragma';
const OFF = new Set(['OFF', 'FALSE', 'NO', '0']);

export const foreignKeysPragma: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    for (const pm of ctx.migrations) {
      for (const stmt of pm.statements) {
        const p = parsePragma(stmt);
        // Reading the setting (`PRAGMA foreign_keys;`) is harmless; only setting it is misleading.
        if (!p || p.name.toLowerCase() !== 'foreign_keys' || p.value === null) continue;
        const value = p.value.replace(/^['"]|['"]$/g, '');
        const turnsOff = OFF.has(value.toUpperCase());
        const message = turnsOff
          ? `\`PRAGMA foreign_keys = ${value}\` has no effect on D1: D1 always enforces foreign keys and runs each migration inside a transaction, where SQLite ignores this pragma. To defer foreign key checks to the end of the migration use \`PRAGMA defer_foreign_keys = on\` instead — but deferring does not stop ON DELETE CASCADE / SET NULL: in a table rebuild, DROP TABLE of a referenced table still deletes or nulls the child rows.`
          : `\`PRAGMA foreign_keys = ${value}\` has no effect on D1: foreign keys are always enforced there. Remove it (if it re-enables checks after a \`foreign_keys = OFF\`, that OFF did nothing either; use \`PRAGMA defer_foreign_keys = on\` to defer checks, which still does not stop ON DELETE CASCADE).`;
        out.push(findingAt(ID, pm, stmt, message));
      }
    }
    return out;
  },
};
