/**
 * The exact text wrangler 4.86 sends for one migration (packages/wrangler/src/d1/migrations/apply.ts,
 * helpers.ts, trimmer.ts), so the replay fails exactly where `wrangler d1 migrations apply --local` does.
 */

/** wrangler's initMigrationsTable statement; the table name is not quoted before wrangler 4.106. */
export function createMigrationsTableSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${table}(
		id         INTEGER PRIMARY KEY AUTOINCREMENT,
		name       TEXT UNIQUE,
		applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`;
}

/**
 * The bookkeeping wrangler appends to the file. The name is interpolated unescaped (wrangler < 4.106), so a
 * `'` in a file name breaks the INSERT — that is what the pinned wrangler does, so the replay does it too.
 */
export function bookkeepingSql(table: string, name: string): string {
  return `
								INSERT INTO ${table} (name)
								values ('${name}');
						`;
}

export const SEVERAL_TRANSACTIONS_MESSAGE =
  'Wrangler could not process the provided SQL file, as it contains several transactions.\nD1 runs your SQL in a transaction for you.\nPlease export an SQL file from your SQLite database and try again.';

export type TrimResult = { ok: true; sql: string } | { ok: false; index: number };

/**
 * Local wrangler's trimSqlQuery: if the text mentions `BEGIN TRANSACTION` anywhere (comments included), it
 * removes the first literal `BEGIN TRANSACTION;` and the first literal `COMMIT;`, and refuses the file if
 * `BEGIN TRANSACTION` still occurs. Removed text is replaced by spaces rather than deleted so byte offsets
 * and lines stay those of the file.
 */
export function wranglerTrim(sql: string): TrimResult {
  const marker = 'BEGIN TRANSACTION';
  if (!sql.includes(marker)) return { ok: true, sql };
  const blank = (s: string, what: string) => {
    const i = s.indexOf(what);
    return i === -1 ? s : s.slice(0, i) + ' '.repeat(what.length) + s.slice(i + what.length);
  };
  const trimmed = blank(blank(sql, 'BEGIN TRANSACTION;'), 'COMMIT;');
  const left = trimmed.indexOf(marker);
  return left === -1 ? { ok: true, sql: trimmed } : { ok: false, index: left };
}

/**
 * The file as wrangler sends it: BOM dropped (wrangler's splitter trims each statement with String#trim), its
 * bookkeeping INSERT appended; `bookStart` is the byte offset of that INSERT.
 */
export function wranglerFileText(file: { sql: string; name: string }, migrationsTable: string): { full: string; bookStart: number } {
  const body = file.sql.charCodeAt(0) === 0xfeff ? file.sql.slice(1) : file.sql;
  return { full: body + bookkeepingSql(migrationsTable, file.name), bookStart: Buffer.byteLength(body, 'utf8') };
}
