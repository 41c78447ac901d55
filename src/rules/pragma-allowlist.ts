/**
 * The PRAGMAs D1 lets a query run, and the argument each accepts.
 *
 * Source: cloudflare/workerd `src/workerd/util/sqlite.c++` — the `ALLOWED_PRAGMAS` table and the
 * `SQLITE_PRAGMA` case of `SqliteDatabase::isAuthorized()` (which also allows `table_list`, and
 * `table_info`/`table_xinfo` with a table argument). Cloudflare's docs list a subset of these under "Compatible
 * PRAGMA statements" (developers.cloudflare.com/d1/sql-api/sql-statements/). Checked against
 * `wrangler d1 execute --local` (workerd): names are compared case-sensitively, so `PRAGMA FOREIGN_KEYS=OFF`
 * and `PRAGMA Table_List` fail with "not authorized: SQLITE_AUTH", as do `journal_mode`, `user_version = 3`,
 * `data_version = 1` and `foreign_keys = maybe`; `main.foreign_keys = off` and `optimize` run.
 */
export type PragmaSignature =
  | 'no-arg'
  | 'boolean'
  | 'object-name'
  | 'optional-object-name'
  | 'null-or-number'
  | 'null-number-or-object-name'
  | 'any';

export const D1_PRAGMAS: ReadonlyMap<string, PragmaSignature> = new Map<string, PragmaSignature>([
  ['data_version', 'no-arg'],
  ['case_sensitive_like', 'boolean'],
  ['foreign_keys', 'boolean'],
  ['defer_foreign_keys', 'boolean'],
  ['ignore_check_constraints', 'boolean'],
  ['legacy_alter_table', 'boolean'],
  ['recursive_triggers', 'boolean'],
  ['reverse_unordered_selects', 'boolean'],
  ['foreign_key_check', 'optional-object-name'],
  ['foreign_key_list', 'object-name'],
  ['index_info', 'object-name'],
  ['index_list', 'object-name'],
  ['index_xinfo', 'object-name'],
  ['table_info', 'object-name'],
  ['table_xinfo', 'object-name'],
  ['quick_check', 'null-number-or-object-name'],
  ['optimize', 'null-or-number'],
  ['table_list', 'any'],
]);

// workerd compares with strncasecmp against each spelling, i.e. a case-insensitive prefix match.
const BOOLEAN_PREFIXES = ['true', 'false', 'yes', 'no', 'on', 'off', '1', '0'];

/** Names D1 refuses to touch (reserved for Cloudflare's own tables). */
export function isReservedName(name: string): boolean {
  return name.toLowerCase().startsWith('_cf_');
}

/** Why D1 rejects this argument for a pragma of this signature, or null when it accepts it. */
export function argumentProblem(sig: PragmaSignature, value: string | null): string | null {
  switch (sig) {
    case 'no-arg':
      return value === null ? null : 'takes no argument on D1 (it can only be read)';
    case 'boolean': {
      if (value === null) return null;
      const v = value.replace(/^(['"])(.*)\1$/, '$2').toLowerCase();
      return BOOLEAN_PREFIXES.some((p) => v.startsWith(p)) ? null : `accepts only a boolean (on/off, true/false, yes/no, 1/0), not \`${value}\``;
    }
    case 'object-name':
      if (value === null) return 'needs a table or index name argument';
      return isReservedName(value) ? `cannot name the reserved object \`${value}\`` : null;
    case 'optional-object-name':
      return value !== null && isReservedName(value) ? `cannot name the reserved object \`${value}\`` : null;
    case 'null-or-number':
      return value === null || /^[-+]?\d+$/.test(value) ? null : `accepts only an integer argument, not \`${value}\``;
    case 'null-number-or-object-name':
      return value !== null && isReservedName(value) ? `cannot name the reserved object \`${value}\`` : null;
    case 'any':
      return null;
  }
}
