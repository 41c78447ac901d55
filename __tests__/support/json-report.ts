/** The documented shape of `d1-migrate validate --format json` (and the validate fields of the report file). */
export interface JsonFinding {
  rule: string;
  severity: 'error' | 'warning';
  file?: string | null;
  line?: number | null;
  message: string;
}
export interface JsonDatabase {
  environment: string | null;
  binding: string;
  databaseName: string;
  migrationsDir: string;
  migrations: string[];
  findings: JsonFinding[];
}
export interface JsonDoc {
  status: string;
  errors: number;
  warnings: number;
  databases: JsonDatabase[];
}
