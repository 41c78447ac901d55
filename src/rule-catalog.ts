/**
 * The rule catalog: every rule id the tool can report, with its severity and a one-line summary. It sits at
 * the base of the code (it imports nothing) so that every producer of findings — the rules, discovery, the
 * replay, the phases, the pull-request check — and the Finding type itself take their ids from here.
 */

export type Severity = 'error' | 'warning';

/** Metadata of one rule: the single list the CLI `rules` command, docs and disable-rules use. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  /** One line: what it catches and why it matters on D1. */
  readonly summary: string;
}

export const RULES = [
  { id: 'duplicate-number', severity: 'error', summary: 'Two migration files share a number; wrangler applies both, in name order, which is rarely what the author meant.' },
  { id: 'number-gap', severity: 'warning', summary: 'A number is skipped in a sequential series (a file was lost, renamed or is on another branch).' },
  { id: 'bad-filename', severity: 'error', summary: 'A .sql file wrangler will run does not follow the NNNN_name.sql numbering (e.g. a template left in the folder).' },
  { id: 'ambiguous-order', severity: 'warning', summary: 'The apply order is not obvious or not defined: mixed-width numbers, or names without a number.' },
  { id: 'ignored-file', severity: 'warning', summary: 'A file in the migrations folder that wrangler silently ignores (e.g. .SQL, .sql.txt).' },
  { id: 'unreadable-file', severity: 'error', summary: 'A .sql entry wrangler would run cannot be read as UTF-8 text (a directory, dangling symlink, no permission, binary or invalid UTF-8): wrangler would crash or send garbage.' },
  { id: 'empty-migration', severity: 'error', summary: 'Empty or comments-only file: wrangler records it as applied, so filling it in later never runs.' },
  { id: 'sql-syntax', severity: 'error', summary: "SQLite's own parser rejects a statement." },
  { id: 'replay-error', severity: 'error', summary: 'Replaying the migrations in wrangler order on a fresh D1-like SQLite fails at this statement.' },
  { id: 'transaction-statement', severity: 'error', summary: 'BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE: real D1 rejects them (local wrangler strips one BEGIN TRANSACTION/COMMIT pair and hides it).' },
  { id: 'foreign-keys-pragma', severity: 'warning', summary: 'PRAGMA foreign_keys has no effect on D1; defer_foreign_keys defers checks but does not stop cascades.' },
  { id: 'pragma-not-allowed', severity: 'error', summary: 'A PRAGMA that D1 does not allow.' },
  { id: 'unsupported-statement', severity: 'error', summary: 'ATTACH/DETACH, TEMP objects, _cf_ names or VACUUM: rejected by D1.' },
  { id: 'statement-too-large', severity: 'error', summary: "The SQL sent for one migration exceeds D1's 100,000-byte request limit (SQLITE_TOOBIG remotely; passes locally)." },
  { id: 'postgres-syntax', severity: 'error', summary: 'PostgreSQL syntax that SQLite rejects or silently misreads (SERIAL, JSONB, ::casts, now(), ...).' },
  { id: 'unsafe-add-column', severity: 'error', summary: 'ALTER TABLE ADD COLUMN that SQLite accepts on an empty table but rejects once it has rows: NOT NULL without a default, a non-constant default, REFERENCES with a non-NULL default.' },
  { id: 'destructive-change', severity: 'warning', summary: 'DROP TABLE/COLUMN, DELETE/UPDATE without WHERE, or a table rebuild: data can be lost.' },
  { id: 'drop-referenced-table', severity: 'error', summary: 'DROP TABLE of a table other tables reference by foreign key: on D1 (foreign keys always on) it cascades into child rows or fails.' },
  { id: 'rows-lost', severity: 'error', summary: 'With rows in the tables, a migration deletes or changes rows of a table it never deletes from or updates: a foreign key cascade from a DROP (table rebuild), a REPLACE conflict or a trigger. Found by running it on synthetic rows (the data check).' },
  { id: 'fails-with-data', severity: 'error', summary: 'A migration that applies on an empty database but fails once tables hold rows (foreign keys left dangling by a rebuild, a UNIQUE index over duplicated values, ADD COLUMN NOT NULL without a default).' },
  { id: 'secret-in-migration', severity: 'error', summary: 'An API key, private key or password in a SQL literal.' },
  { id: 'double-quoted-string', severity: 'warning', summary: 'A double-quoted name that is not a column there, which SQLite silently turns into a text literal.' },
  { id: 'applied-file-missing', severity: 'error', summary: 'The database records a migration with no file: it was renamed or deleted (a renamed file would run again).' },
  { id: 'out-of-order', severity: 'warning', summary: 'A pending migration sorts before the last applied one.' },
  { id: 'schema-drift', severity: 'error', summary: 'The live schema differs from what its applied migrations produce (changed by hand, or a migration edited after it ran), or differs between environments.' },
  { id: 'modified-migration', severity: 'error', summary: 'A migration that exists on the base branch was modified, renamed or deleted by the pull request.' },
] as const satisfies readonly RuleInfo[];

/** A rule id the catalog knows: a mistyped id in code does not compile. */
export type RuleId = (typeof RULES)[number]['id'];

/** Rules whose findings mean rows are lost or a deploy fails on real data: reports list them first. */
export const DATA_LOSS_RULES: ReadonlySet<string> = new Set<RuleId>(['rows-lost', 'fails-with-data']);

/** The data-loss findings first, each group in its original order. */
export function dataLossFirst<T extends { rule: string }>(findings: T[]): T[] {
  return [...findings.filter((f) => DATA_LOSS_RULES.has(f.rule)), ...findings.filter((f) => !DATA_LOSS_RULES.has(f.rule))];
}

export const RULE_IDS: ReadonlySet<string> = new Set<string>(RULES.map((r) => r.id));

/** For ids that come from outside the code (disable-rules, suppression comments). */
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
