import type { DatabaseTarget, Finding, NumberingMode, RuleId } from '../types.js';
import type { ParsedMigration } from '../sql/types.js';

/** What a statement-level rule sees: every migration of one database, parsed, in apply order. */
export interface RuleContext {
  target: DatabaseTarget;
  migrations: ParsedMigration[];
  numbering: NumberingMode;
}

/** A rule that needs no database: it reads the parsed SQL only. */
export interface StaticRule {
  id: RuleId;
  check(ctx: RuleContext): Finding[];
}
