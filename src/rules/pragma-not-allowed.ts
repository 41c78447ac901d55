import type { Finding } from '../types.js';
import type { StaticRule } from './types.js';
import { parsePragma } from './pragma.js';
import { argumentProblem, D1_PRAGMAS } from './pragma-allowlist.js';
import { findingAt } from './util.js';

const ID = 'pragma-not-allowed';

function allowedList(): string {
  return [...D1_PRAGMAS.keys()].sort().join(', ');
}

export const pragmaNotAllowed: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    for (const pm of ctx.migrations) {
      for (const stmt of pm.statements) {
        const p = parsePragma(stmt);
        if (!p) continue;
        let problem: string | null = null;
        const schema = p.schema?.toLowerCase();
        const sig = D1_PRAGMAS.get(p.name);
        if (schema !== undefined && schema !== 'main') {
          problem = `\`PRAGMA ${p.schema}.${p.name}\`: D1 has only the \`main\` schema, so this fails with "not authorized". Drop the \`${p.schema}.\` prefix.`;
        } else if (sig === undefined) {
          const lower = p.name.toLowerCase();
          problem = D1_PRAGMAS.has(lower)
            ? `\`PRAGMA ${p.name}\`: D1 matches pragma names case-sensitively, so this fails with "not authorized". Write \`PRAGMA ${lower}\`.`
            : `\`PRAGMA ${p.name}\` is not allowed on D1 and fails with "not authorized". D1 manages storage settings itself; remove it. Allowed pragmas: ${allowedList()}.`;
        } else if (p.name !== 'foreign_keys') {
          // foreign_keys has its own rule, which explains why setting it is pointless on D1.
          const arg = argumentProblem(sig, p.value);
          if (arg) problem = `\`PRAGMA ${p.name}\` ${arg}, so D1 rejects it with "not authorized".`;
        }
        if (problem) out.push(findingAt(ID, pm, p.nameTok, problem));
      }
    }
    return out;
  },
};
