import type { Finding } from '../types.js';
import type { RuleContext, StaticRule } from './types.js';
import { destructiveChange } from './destructive-change.js';
import { emptyMigration } from './empty-migration.js';
import { foreignKeysPragma } from './foreign-keys-pragma.js';
import { ledgerWrite } from './ledger-write.js';
import { postgresSyntax } from './postgres-syntax.js';
import { pragmaNotAllowed } from './pragma-not-allowed.js';
import { secretInMigration } from './secret-in-migration.js';
import { statementTooLarge } from './statement-too-large.js';
import { transactionStatement } from './transaction-statement.js';
import { unsupportedStatement } from './unsupported-statement.js';
import { unclosedComment } from './unclosed-comment.js';
import { unsafeAddColumn } from './unsafe-add-column.js';

/** Every rule that needs only the parsed SQL (no database). */
export const STATIC_RULES: StaticRule[] = [
  emptyMigration,
  unclosedComment,
  ledgerWrite,
  transactionStatement,
  foreignKeysPragma,
  pragmaNotAllowed,
  unsupportedStatement,
  statementTooLarge,
  postgresSyntax,
  destructiveChange,
  unsafeAddColumn,
  secretInMigration,
];

/**
 * The static rules' findings as the rules report them, before suppression and ordering: the validate phase
 * suppresses and orders all of a database's findings (naming, static, replay) in one pass.
 */
export function checkStaticRules(ctx: RuleContext, disabled: Set<string>): Finding[] {
  const findings: Finding[] = [];
  for (const rule of STATIC_RULES) {
    if (disabled.has(rule.id)) continue;
    for (const f of rule.check(ctx)) findings.push(f);
  }
  return findings;
}
