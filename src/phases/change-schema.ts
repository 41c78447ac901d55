import { schemaOf } from '../replay/replay.js';
import { diffSchemas } from '../report/schema-diff.js';
import type { DatabaseReport } from '../types.js';
import type { PhaseContext } from './types.js';
import type { ValidateResult } from './validate.js';

/** A replay that stops at a broken statement would present a half-applied schema as the change's effect. */
const REPLAY_BLOCKERS: ReadonlySet<string> = new Set(['replay-error', 'sql-syntax']);

/**
 * What the change's added migrations do to the schema: the replay of the files without them against
 * validate's replay of all of them. Edits of existing files are errors of their own, so "before" uses the
 * files as they are in the change rather than their base versions.
 */
export async function schemaChangesOfChange(ctx: PhaseContext, validated: ValidateResult, added: string[]): Promise<DatabaseReport['schemaChanges']> {
  if (added.length === 0) return { changes: [] };
  if (validated.findings.some((f) => REPLAY_BLOCKERS.has(f.rule) && f.severity === 'error')) {
    return { error: 'the migrations do not replay cleanly (see the findings).' };
  }
  const without = new Set(added);
  const before = await schemaOf(ctx.migrations.filter((m) => !without.has(m.name)), ctx.target.migrationsTable);
  return { changes: diffSchemas(before, validated.schema) };
}
