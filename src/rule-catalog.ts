/**
 * The rule catalog: every rule id the tool can report, with its severity, a title and a one-line summary. It
 * sits at the base of the code (it imports nothing) so that every producer of findings — the rules,
 * discovery, the replay, the phases, the pull-request check — and the Finding type itself take their ids
 * from here.
 */

export type Severity = 'error' | 'warning';

/** Metadata of one rule: the single list the CLI `rules` command, docs, SARIF and disable-rules use. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  /** A few words naming the problem (a SARIF rule's short description, a heading). */
  readonly title: string;
  /** One line: what it catches and why it matters on D1. */
  readonly summary: string;
  /**
   * Its findings are about a file as a whole (its name, number, size or absence), reported on line 1: what is on
   * that line is not what they are about (SARIF fingerprints then follow the file, not the line's text).
   */
  readonly wholeFile?: true;
}

export const RULES = [
  { id: 'duplicate-number', severity: 'error', title: 'Two migrations share a number', wholeFile: true, summary: 'Two migration files share a number (for date_time names: the whole numeric prefix), or share the number wrangler reads while their name order contradicts the rest of the prefix: wrangler applies both in name order, which is rarely what the author meant.' },
  { id: 'number-gap', severity: 'warning', title: 'Gap in the migration numbers', wholeFile: true, summary: 'A number is skipped in a sequential series (a file was lost, renamed or is on another branch).' },
  { id: 'bad-filename', severity: 'error', title: 'Migration file name without a number', wholeFile: true, summary: 'A .sql file wrangler will run does not follow the NNNN_name.sql numbering (e.g. a template left in the folder).' },
  { id: 'ambiguous-order', severity: 'warning', title: 'Apply order not obvious', wholeFile: true, summary: 'The apply order is not obvious or not defined: mixed-width numbers, or names without a number.' },
  { id: 'ignored-file', severity: 'warning', title: 'File wrangler ignores', wholeFile: true, summary: 'A file in the migrations folder that wrangler silently ignores (e.g. .SQL, .sql.txt).' },
  { id: 'unreadable-file', severity: 'error', title: 'Migration file cannot be read', wholeFile: true, summary: 'A .sql entry wrangler would run cannot be read as UTF-8 text (a directory, dangling symlink, no permission, binary or invalid UTF-8): wrangler would crash or send garbage.' },
  { id: 'empty-migration', severity: 'warning', title: 'Empty migration', wholeFile: true, summary: 'Empty or comments-only file: harmless now (wrangler applies and records it), but SQL added to it later never runs where it was applied. A comment left open is unclosed-comment.' },
  { id: 'unclosed-comment', severity: 'error', title: 'Comment that swallows the rest of the file', summary: 'A /* comment that is never closed: everything after it, and the row wrangler appends to record the migration, is comment. The file applies but is never recorded (every later apply runs it again), or, with no SQL before it, fails.' },
  { id: 'ledger-write', severity: 'error', title: 'Migration that writes the migrations table', summary: "A migration that deletes, changes or adds rows of wrangler's migrations table (d1_migrations or migrations_table), drops or renames it: the next apply runs applied files again or never runs a file it marked." },
  { id: 'sql-syntax', severity: 'error', title: 'SQL syntax error', summary: "SQLite's own parser rejects a statement." },
  { id: 'replay-error', severity: 'error', title: 'Migration fails when replayed in order', summary: 'Replaying the migrations in wrangler order on a fresh D1-like SQLite fails at this statement.' },
  { id: 'replay-unverified', severity: 'warning', title: 'New migration fails on a history that does not replay', summary: 'A new migration fails on the replayed schema, but the migrations before it do not replay (their base schema came from outside the folder, or files were deleted), so the replay cannot tell; preview with credentials checks it against the real database.' },
  { id: 'transaction-statement', severity: 'error', title: 'Transaction statement that D1 rejects', summary: 'BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE: real D1 rejects them (local wrangler strips one BEGIN TRANSACTION/COMMIT pair and hides it).' },
  { id: 'foreign-keys-pragma', severity: 'warning', title: 'PRAGMA foreign_keys has no effect on D1', summary: 'PRAGMA foreign_keys has no effect on D1; defer_foreign_keys defers checks but does not stop cascades. Reported once per file.' },
  { id: 'pragma-not-allowed', severity: 'error', title: 'PRAGMA not allowed on D1', summary: 'A PRAGMA that D1 does not allow.' },
  { id: 'unsupported-statement', severity: 'error', title: 'Statement D1 does not support', summary: 'ATTACH/DETACH, TEMP objects, _cf_ names or VACUUM: rejected by D1.' },
  { id: 'statement-too-large', severity: 'error', title: 'Migration over D1\'s request size limit', wholeFile: true, summary: "The SQL sent for one migration exceeds D1's 100,000-byte request limit (SQLITE_TOOBIG remotely; passes locally)." },
  { id: 'postgres-syntax', severity: 'error', title: 'PostgreSQL syntax in a SQLite migration', summary: 'PostgreSQL syntax that SQLite rejects or silently misreads (SERIAL, JSONB, ::casts, now(), ...).' },
  { id: 'unsafe-add-column', severity: 'error', title: 'ADD COLUMN that fails once the table has rows', summary: 'ALTER TABLE ADD COLUMN that SQLite accepts on an empty table but rejects once it has rows: NOT NULL without a default, a non-constant default, REFERENCES with a non-NULL default.' },
  { id: 'destructive-change', severity: 'warning', title: 'Change that can lose data', summary: 'DROP TABLE/COLUMN, DELETE/UPDATE without WHERE, or a table rebuild: data can be lost. A rebuild the data check proves keeps every row is one short warning.' },
  { id: 'drop-referenced-table', severity: 'error', title: 'DROP TABLE of a table other tables reference', summary: 'DROP TABLE of a table other tables reference by foreign key: on D1 (foreign keys always on) it cascades into child rows or fails.' },
  { id: 'rows-lost', severity: 'error', title: 'Migration deletes or changes rows it should not', summary: 'With rows in the tables, a migration deletes or changes rows of a table it never deletes from or updates: a foreign key cascade from a DROP (table rebuild), a REPLACE conflict or a trigger. Found by running it on synthetic rows (the data check).' },
  { id: 'fails-with-data', severity: 'error', title: 'Migration fails once tables hold rows', summary: 'A migration that applies on an empty database but fails once tables hold rows (foreign keys left dangling by a rebuild, a UNIQUE index over duplicated values, ADD COLUMN NOT NULL without a default), or once a row holds a value its table allows (NULL, \'\', 0) that a copy cannot take (a nullable column copied into NOT NULL).' },
  { id: 'preflight-rows-lost', severity: 'error', title: 'Migration deletes or changes rows of the target database', summary: 'Preview (production preflight): counted on the target database itself, read-only, the rows a pending migration deletes or changes without meaning to: a foreign key cascade from a DROP or DELETE, a copy that leaves rows or columns behind before its source is dropped, INSERT OR REPLACE.' },
  { id: 'preflight-fails', severity: 'error', title: 'Migration will fail on the target database', summary: "Preview (production preflight): counted on the target database itself, read-only, the rows that make a pending migration fail: NULLs copied into NOT NULL, duplicates under a new UNIQUE index or key, CHECK and foreign key violations, ADD COLUMN that needs an empty table, RESTRICT/NO ACTION children of a dropped table." },
  { id: 'preflight-large-rewrite', severity: 'warning', title: 'Statement rewrites more rows than D1 may manage in 30 s', summary: "Preview (production preflight): a pending statement copies, deletes, updates or indexes so many rows of the target database that it risks D1's 30-second limit per query." },
  { id: 'secret-in-migration', severity: 'error', title: 'Secret in a migration', summary: 'An API key, private key or password in a SQL literal.' },
  { id: 'double-quoted-string', severity: 'warning', title: 'Double-quoted string taken as text', summary: 'A double-quoted name that is not a column there, which SQLite silently turns into a text literal. An error where that text is written into every copied or updated row (INSERT … SELECT result columns, UPDATE … SET values), a warning elsewhere.' },
  { id: 'applied-file-missing', severity: 'error', title: 'Applied migration has no file', wholeFile: true, summary: 'The database records a migration with no file: it was renamed or deleted (a renamed file would run again).' },
  { id: 'applied-file-changed', severity: 'error', title: 'Applied migration edited after it ran', wholeFile: true, summary: "An applied migration's file no longer matches the checksum recorded when this tool applied (or recorded) it: wrangler never runs it again, so the edit reaches no database." },
  { id: 'out-of-order', severity: 'warning', title: 'Pending migration sorts before an applied one', summary: 'A pending migration sorts before the last applied one.' },
  { id: 'schema-drift', severity: 'error', title: 'Live schema differs from the migrations', summary: 'The live schema differs from what its applied migrations produce (changed by hand, or a migration edited after it ran), or differs between environments.' },
  { id: 'modified-migration', severity: 'error', title: 'Applied migration modified by the pull request', wholeFile: true, summary: 'A migration that exists on the base branch was modified, renamed or deleted by the pull request.' },
] as const satisfies readonly RuleInfo[];

/** A rule id the catalog knows: a mistyped id in code does not compile. */
export type RuleId = (typeof RULES)[number]['id'];

/**
 * Rules about what the NEXT apply will do with the ledger (a renamed or edited applied file, an out-of-order
 * file, a live schema that drifted): they always count, also when they point at a migration that ran.
 */
export const LEDGER_RULES: ReadonlySet<string> = new Set<RuleId>(['applied-file-missing', 'applied-file-changed', 'out-of-order', 'modified-migration', 'schema-drift']);

/**
 * Rules found by replaying files on a schema (src/replay/): for pending migrations they are found again on
 * the target's live schema when preview can read it, and that verdict replaces the one from the history.
 */
export const REPLAY_RULES: ReadonlySet<string> = new Set<RuleId>([
  'sql-syntax',
  'replay-error',
  'replay-unverified',
  'double-quoted-string',
  'drop-referenced-table',
  'rows-lost',
  'fails-with-data',
]);

/** Rules whose findings mean rows are lost or a deploy fails on real data: reports list them first. */
export const DATA_LOSS_RULES: ReadonlySet<string> = new Set<RuleId>(['rows-lost', 'fails-with-data']);

/** Rules of the production preflight (preview): counts of real rows of the target database. */
export const PREFLIGHT_RULES: ReadonlySet<string> = new Set(['preflight-rows-lost', 'preflight-fails', 'preflight-large-rewrite']);

/** The preflight's findings first (real rows), then the data check's, each group in its original order. */
export function dataLossFirst<T extends { rule: string }>(findings: T[]): T[] {
  const rank = (f: T) => (PREFLIGHT_RULES.has(f.rule) ? 0 : DATA_LOSS_RULES.has(f.rule) ? 1 : 2);
  return [...findings].sort((a, b) => rank(a) - rank(b));
}

export const RULE_IDS: ReadonlySet<string> = new Set<string>(RULES.map((r) => r.id));

/** For ids that come from outside the code (disable-rules, suppression comments, config files). */
export function isRuleId(id: string): id is RuleId {
  return RULE_IDS.has(id);
}

const BY_ID = new Map<string, RuleInfo>(RULES.map((r) => [r.id, r]));

export function ruleInfo(id: RuleId): RuleInfo {
  const info = BY_ID.get(id);
  if (!info) throw new Error(`unknown rule id ${id}`);
  return info;
}

/** Docs anchor of a rule in docs/rules.md. */
export function ruleDocsUrl(id: string): string {
  return `https://github.com/d1-migrate/d1-migrate-action/blob/v1/docs/rules.md#${id}`;
}
