import type { DatabaseTarget, Finding, MigrationFile } from '../../src/types.js';
import type { ParsedMigration } from '../../src/sql/types.js';
import type { RuleContext, StaticRule } from '../../src/rules/types.js';
import { applySuppressions, parseMigration } from '../../src/sql/split.js';
import { checkStaticRules } from '../../src/rules/index.js';
import { sortFindings } from '../../src/phases/validate.js';

/** A migration file as discovery would produce it, for `migrations/<name>`. */
export function migrationFile(sql: string, name = '0001_test.sql'): MigrationFile {
  const m = /^(\d+)/.exec(name);
  return {
    name,
    path: `/project/migrations/${name}`,
    relPath: `migrations/${name}`,
    number: m ? parseInt(m[1]!, 10) : null,
    numberText: m ? m[1]! : null,
    sql,
    bytes: Buffer.byteLength(sql, 'utf8'),
  };
}

export const target: DatabaseTarget = {
  environment: null,
  binding: 'DB',
  databaseName: 'db',
  migrationsDirSetting: 'migrations',
  migrationsDirAbs: '/project/migrations',
  migrationsDir: 'migrations',
  migrationsTable: 'd1_migrations',
  configPath: '/project/wrangler.json',
};

export function contextOf(...sqls: string[]): RuleContext {
  const migrations: ParsedMigration[] = sqls.map((sql, i) => parseMigration(migrationFile(sql, `${String(i + 1).padStart(4, '0')}_m.sql`)));
  return { target, migrations, numbering: 'sequential' };
}

/** Findings of one rule on one or more migration files (in apply order). */
export function check(rule: StaticRule, ...sqls: string[]): Finding[] {
  return rule.check(contextOf(...sqls));
}

/** The static rules' findings as validate reports them: disabled rules skipped, suppressions applied, in apply order. */
export function staticFindings(ctx: RuleContext, disabled = new Set<string>()): Finding[] {
  return sortFindings(applySuppressions(checkStaticRules(ctx, disabled), ctx.migrations), ctx.migrations.map((m) => m.file.relPath));
}

/** Findings of every static rule on one or more migration files, as validate reports them. */
export function checkAll(...sqls: string[]): Finding[] {
  return staticFindings(contextOf(...sqls));
}
