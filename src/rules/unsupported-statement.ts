import type { Finding } from '../types.js';
import type { ParsedMigration, Statement } from '../sql/types.js';
import type { StaticRule } from './types.js';
import { isReservedName } from './pragma-allowlist.js';
import { findingAt, findWord, isWord, nameOf, readName, skipIfExists, verb, verbIndex, type QualifiedName } from './util.js';

const ID = 'unsupported-statement';
// workerd's authorizer allows only these virtual table modules (SQLITE_CREATE_VTABLE case in sqlite.c++).
const VTABLE_MODULES = new Set(['fts5', 'fts5vocab']);

/** The objects a statement creates, changes or writes: where a reserved `_cf_` name or `temp.` would be rejected. */
function targets(stmt: Statement, i: number): QualifiedName[] {
  const t = stmt.tokens;
  const out: QualifiedName[] = [];
  const add = (q: QualifiedName | undefined): void => {
    if (q) out.push(q);
  };
  switch (verb(stmt)) {
    case 'CREATE': {
      let j = i + 1;
      while (isWord(t[j], 'TEMP', 'TEMPORARY', 'UNIQUE', 'VIRTUAL')) j++;
      const kind = t[j]?.value;
      const name = readName(t, skipIfExists(t, j + 1));
      add(name);
      if (name && (kind === 'INDEX' || kind === 'TRIGGER')) {
        const on = findWord(t, name.next, 'ON');
        if (on !== -1) add(readName(t, on + 1));
      }
      break;
    }
    case 'ALTER': {
      const name = readName(t, i + 2);
      add(name);
      if (name && isWord(t[name.next], 'RENAME') && isWord(t[name.next + 1], 'TO')) add(readName(t, name.next + 2));
      break;
    }
    case 'DROP':
      add(readName(t, skipIfExists(t, i + 2)));
      break;
    case 'INSERT':
    case 'REPLACE': {
      const into = findWord(t, i, 'INTO');
      if (into !== -1) add(readName(t, into + 1));
      break;
    }
    case 'UPDATE':
      add(readName(t, isWord(t[i + 1], 'OR') ? i + 3 : i + 1));
      break;
    case 'DELETE':
      add(readName(t, i + 2));
      break;
  }
  return out;
}

function checkStatement(pm: ParsedMigration, stmt: Statement, out: Finding[]): void {
  const t = stmt.tokens;
  const i = verbIndex(stmt);
  const v = verb(stmt);
  const first = t[i]!;
  if (v === 'ATTACH' || v === 'DETACH') {
    out.push(findingAt(ID, pm, first, `${v} is not supported on D1 (a D1 database can attach no other database). Keep these tables in this database, or use a second D1 binding and query it from your Worker.`));
    return;
  }
  if (v === 'VACUUM') {
    out.push(findingAt(ID, pm, first, 'VACUUM is not allowed on D1, which manages storage itself. Remove it.'));
    return;
  }
  if (v === 'CREATE') {
    const temp = isWord(t[i + 1], 'TEMP', 'TEMPORARY') ? t[i + 1] : undefined;
    if (temp) {
      out.push(findingAt(ID, pm, temp, `CREATE ${temp.text.toUpperCase()} objects are rejected by D1 ("not authorized"). Create a regular table (and DROP it at the end of the migration if it is scratch space).`));
    }
    if (isWord(t[i + 1], 'VIRTUAL')) {
      const using = findWord(t, i + 2, 'USING');
      const mod = nameOf(t[using + 1]);
      if (using !== -1 && mod !== undefined && !VTABLE_MODULES.has(mod.toLowerCase())) {
        out.push(findingAt(ID, pm, t[using + 1]!, `Virtual table module \`${mod}\` is not allowed on D1 ("not authorized"); only FTS5 (\`USING fts5\`) virtual tables are. Use FTS5 for full-text search, or a regular table.`));
      }
    }
  }
  for (const q of targets(stmt, i)) {
    if (q.schema !== undefined && q.schema.toLowerCase() === 'temp') {
      out.push(findingAt(ID, pm, q.tok, `\`temp.${q.name}\`: D1 does not support the temp schema ("not authorized"). Use a regular table in main.`));
    }
    if (isReservedName(q.name)) {
      out.push(findingAt(ID, pm, q.tok, `\`${q.name}\`: names starting with \`_cf_\` (any case) are reserved for Cloudflare, and D1 rejects this statement with "not authorized". Rename the object.`));
    }
  }
}

export const unsupportedStatement: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    for (const pm of ctx.migrations) for (const stmt of pm.statements) checkStatement(pm, stmt, out);
    return out;
  },
};
