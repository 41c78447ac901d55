import type { Finding, MigrationFile, SchemaObject } from '../types.js';

export interface ReplayInput {
  /** In the order wrangler applies them (the caller has already sorted them). */
  files: MigrationFile[];
  /** wrangler's migrations table (`d1_migrations` unless `migrations_table` renames it). */
  migrationsTable: string;
  /** Rule ids whose findings are dropped (and whose extra checks are skipped). */
  disabled?: Set<string>;
}

export interface ReplayResult {
  /** `sql-syntax`, `replay-error`, `double-quoted-string`, `drop-referenced-table`. */
  findings: Finding[];
  /** Objects left after the last file that applied, sorted (see schema.ts). */
  schema: SchemaObject[];
  /** Names of the files that applied, in order. */
  replayed: string[];
  /** Name of the file that failed, when one did. */
  failedAt?: string;
  /** Names after the failing file, which wrangler would not attempt. */
  notReplayed: string[];
  notes: string[];
}
