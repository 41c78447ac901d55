/**
 * `ignored-file`: a file in the migrations folder that looks like a migration but that wrangler never
 * runs. Discovery (src/migrations/discover.ts) emits it, because only discovery sees the names wrangler
 * filters out; this module holds the judgement so it can be tested on names alone.
 */
export const RULE_ID = 'ignored-file';

/**
 * Why wrangler skips `name` although it looks like a migration, or null when it is plainly not one
 * (`README.md`, `meta/_journal.json`, a `.sqlite` database file).
 *
 * @param migrationsDir the folder as shown to the user (relative to the working directory)
 * @param pattern `migrations_pattern` when one is set (then the name did not match it)
 */
export function ignoredFileReason(name: string, migrationsDir: string, pattern?: string): string | null {
  const where = `${migrationsDir}/`;
  const skipped =
    pattern === undefined ? 'wrangler only runs names ending in lower-case ".sql"' : `it does not match migrations_pattern "${pattern}"`;
  if (pattern !== undefined && name.endsWith('.sql')) {
    return `${skipped}, so wrangler does not apply it. Move it into the layout the pattern expects, or out of ${where}.`;
  }
  if (/\.sql$/i.test(name)) {
    return `its extension is "${name.slice(-4)}": ${skipped}, so it is silently skipped. Rename it to end in ".sql" if it is a migration.`;
  }
  // `.sql.bak`, `.sql.txt`, `.sql~`, `.sql_old`: a copy someone meant to keep out of the run (or forgot to rename back).
  if (/\.sql[.~_-]/i.test(name)) {
    return `its name goes on after ".sql" (a backup or disabled copy?): ${skipped}, so it is never applied. Move it out of ${where} if it is a leftover, or rename it to end in ".sql" if it should run.`;
  }
  // Numbered like a migration but with another extension (`0004_add_users.psql`, `0005_seed`); notes are fine.
  if (/^\d+_/.test(name) && !/\.(md|markdown|txt|json|ya?ml|toml|sqlite3?|db)$/i.test(name)) {
    return `it is numbered like a migration but ${skipped}, so it is never applied. Rename it to end in ".sql" if it should run, or move it out of ${where}.`;
  }
  return null;
}
