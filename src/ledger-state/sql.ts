/** SQL text for the statements the tool sends itself (d1 execute --command): literals quoted the SQL way. */

/** A string literal. Names of migration files may hold quotes and newlines; all of them stay data. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A quoted identifier (a table name from `migrations_table`). */
export function sqlIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The database's clock as unix seconds: every time the lock compares comes from the same clock. */
export const NOW_SECONDS = "CAST(strftime('%s','now') AS INTEGER)";

/** The database's clock as ISO-8601 UTC text, for humans. */
export const NOW_ISO = "strftime('%Y-%m-%dT%H:%M:%SZ','now')";
