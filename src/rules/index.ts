import type { Finding } from '../types.js';
import { applySuppressions } from '../sql/split.js';
import type { RuleContext, StaticRule } from './types.js';
import { destructiveChange } from './destructive-change.js';
import { emptyMigration } from './empty-migration.js';
import { foreignKeysPragma } from './foreign-keys-pragma.js';
import { postgresSyntax } from './postgres-syntax.js';
import { pragmaNotAllowed } from './pragma-not-allowed.js';
import { secretInMigration } from './secret-in-migration.js';
import { statementTooLarge } from './statement-too-large.js';
import { transactionStatement } from './transaction-statement.js';
import { unsupportedStatement } from './unsupported-statement.js';
import { unsafeAddColumn } from './unsafe-add-column.js';

/** Every rule that needs only the parsed SQL (no database). */
export const STATIC_RULES: StaticRule[] = [
  emptyMigration,
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
 * Run the static rules not in `disabled`, drop suppressed findings, and order them by migration (apply
 * order), line and column.
 */
export function runStaticRules(ctx: RuleContext, disabled: Set<string>): Finding[] {
  const findings = checkStaticRules(ctx, disabled);
  const order = new Map<string, number>();
  ctx.migrations.forEach((pm, i) => order.set(pm.file.relPath, i));
  return applySuppressions(findings, ctx.migrations).sort(
    (a, b) =>
      (order.get(a.file ?? '') ?? -1) - (order.get(b.file ?? '') ?? -1) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/**
 * The static rules' findings as the rules report them, before suppression and ordering: for the validate
 * phase, which suppresses and orders all of a database's findings (naming, static, replay) in one pass.
 */
export function checkStaticRules(ctx: RuleContext, disabled: Set<string>): Finding[] {
  const findings: Finding[] = [];
  for (const rule of STATIC_RULES) {
    if (disabled.has(rule.id)) continue;
    for (const f of rule.check(ctx)) findings.push(f);
  }
  return findings;
}
