/** The documented shape of `d1-migrate validate --format json` (and the validate fields of the report file). */
export interface JsonFinding {
  rule: string;
  severity: 'error' | 'warning';
  file?: string | null;
  line?: number | null;
  column?: number;
  table?: string;
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
