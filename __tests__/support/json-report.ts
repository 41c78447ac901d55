import type { PreflightReport } from '../../src/preflight/types.js';

/** The documented shape of `d1-migrate validate --format json` (and the validate fields of the report file). */
export interface JsonFinding {
  rule: string;
  severity: 'error' | 'warning';
  file?: string | null;
  line?: number | null;
  column?: number;
  table?: string;
  /** Rows of the target the production preflight counted. */
  rows?: number;
  /** In a migration that already ran, or that the change leaves alone (src/outcome.ts). */
  informational: boolean;
  message: string;
  details?: string[];
}
export interface JsonDatabase {
  environment: string | null;
  binding: string;
  databaseName: string;
  migrationsDir: string;
  migrations: string[];
  errors: number;
  warnings: number;
  informational: number;
  scope: { basis: 'ledger' | 'pull-request' | 'since'; judged: string[]; base?: string } | null;
  findings: JsonFinding[];
}
export interface JsonDoc {
  status: string;
  errors: number;
  warnings: number;
  informational: number;
  databases: JsonDatabase[];
}

/**
 * A database in the action's report file (outputs.report) and in `--format json` of the commands past validate:
 * the validate fields plus what each phase recorded, null when that phase did not run (src/report/json.ts).
 */
export interface JsonReportDatabase extends JsonDatabase {
  status: 'valid' | 'invalid' | 'applied' | 'up-to-date' | 'failed' | 'skipped';
  pending: string[] | null;
  applied: string[] | null;
  /** Ledger operations: names recorded as applied without running them (baseline, mark-applied), or renamed. */
  recorded: string[] | null;
  /** The migration that failed during apply; `kind` is the classified failure kind. */
  failed: { name: string; message: string; line?: number; kind: string } | null;
  notAttempted: string[] | null;
  history: { id?: number; name: string; appliedAt: string | null }[] | null;
  bookmark: string | null;
  /** Why a phase could not complete (the classified wrangler failure). */
  failure: { phase: string; kind: string; message: string } | null;
  timings: { name: string; ms: number }[] | null;
  schema: { type: 'table' | 'index' | 'trigger' | 'view'; name: string; tableName: string; sql: string | null }[] | null;
  notes: string[];
  /** Production preflight: the read-only questions asked and their counts. */
  preflight: PreflightReport | null;
  durationMs: number;
}
/** The action's report file (outputs.report): the validate document plus the run's outcome. */
export interface JsonReport extends Omit<JsonDoc, 'databases'> {
  failed: boolean;
  failureMessage?: string;
  durationMs: number;
  databases: JsonReportDatabase[];
}
