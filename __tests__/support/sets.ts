/**
 * Whole migration sets — a wrangler config and its migrations folder — that several tests run the same checks
 * on: the fixtures written for this repository (always there) and the real-world corpus (only when present,
 * see corpus.ts). Each entry says what is true of the set, checked by discovery, the SQL splitter, the replay
 * against real wrangler, and the data check against real wrangler with rows.
 */
import { join } from 'node:path';
import { REPO_ROOT } from './temp-project.js';

export interface SetSpec {
  /** Folder name under the source's root. */
  set: string;
  /** The config file wrangler finds. */
  config: 'wrangler.toml' | 'wrangler.json' | 'wrangler.jsonc';
  binding: string;
  /** Where the binding is declared (null: the top level) and the database it names there. */
  databases: { environment: string | null; databaseName: string }[];
  /** The migrations folder relative to the project, and as the config writes it when that differs. */
  migrationsDir: string;
  migrationsDirSetting?: string;
  /** How many files wrangler applies, and the number the first one has. */
  files: number;
  firstNumber: string;
  /** A subfolder of the migrations folder holding .sql files that wrangler never applies. */
  ignoredSubfolder?: string;
  /** wrangler 4 rejects the set's own config (e.g. node_compat): real-wrangler tests give it a minimal one. */
  ownConfigRejected?: boolean;
  /** Also compare the newest wrangler (slower; a few sets are enough). */
  latest?: boolean;
  /** Lines with transaction statements, which the transaction-statement rule reports: [file, line]. */
  transactionLines?: [string, number][];
  /** Files the data-check truth test always checks against wrangler, whatever its tiers pick, and why. */
  truthAlso?: Record<string, string>;
}

export interface SetSource {
  /** Label in test names: "fixtures" or "corpus". */
  label: string;
  root: string;
  sets: SetSpec[];
}

/** The environment real-wrangler tests apply a set with: the top level when it declares the binding. */
export function applyEnv(s: SetSpec): string | undefined {
  return s.databases.some((d) => d.environment === null) ? undefined : (s.databases[0]?.environment ?? undefined);
}

export const FIXTURES_DIR = join(REPO_ROOT, '__tests__', 'fixtures', 'sets');

/** Written for this repository; together they cover what the corpus sets exercise (see __tests__/corpus/README.md). */
export const FIXTURE_SETS: SetSpec[] = [
  { set: 'drizzle-app', config: 'wrangler.toml', binding: 'DB', databases: [{ environment: null, databaseName: 'notes' }], migrationsDir: 'drizzle', files: 3, firstNumber: '0000', latest: true },
  { set: 'prisma-app', config: 'wrangler.toml', binding: 'DB', databases: [{ environment: null, databaseName: 'billing-db' }], migrationsDir: 'migrations', files: 5, firstNumber: '0001' },
  {
    set: 'fts5-feed',
    config: 'wrangler.toml',
    binding: 'DATABASE',
    databases: [{ environment: null, databaseName: 'feed' }],
    migrationsDir: 'migrations',
    files: 3,
    firstNumber: '0000',
    ownConfigRejected: true,
    latest: true,
    truthAlso: { 'migrations/0002_add_admin.sql': 'DML firing FTS5 triggers (shadow tables rewritten)' },
  },
  {
    set: 'multi-env',
    config: 'wrangler.toml',
    binding: 'ACCESS_DB',
    databases: [
      { environment: null, databaseName: 'access-local' },
      { environment: 'dev', databaseName: 'access-dev' },
      { environment: 'staging', databaseName: 'access-staging' },
      { environment: 'production', databaseName: 'access' },
    ],
    migrationsDir: 'migrations',
    files: 4,
    firstNumber: '0000',
  },
  {
    set: 'env-only',
    config: 'wrangler.toml',
    binding: 'DB',
    databases: [
      { environment: 'production', databaseName: 'archive' },
      { environment: 'development', databaseName: 'archive-dev' },
    ],
    migrationsDir: 'migrations',
    migrationsDirSetting: './migrations',
    files: 2,
    firstNumber: '0020',
    ignoredSubfolder: 'old',
    transactionLines: [
      ['migrations/0021_submission_review.sql', 3],
      ['migrations/0021_submission_review.sql', 6],
    ],
  },
  { set: 'json-config', config: 'wrangler.json', binding: 'DB', databases: [{ environment: null, databaseName: 'guestbook' }], migrationsDir: 'migrations', files: 1, firstNumber: '0001' },
  { set: 'jsonc-config', config: 'wrangler.jsonc', binding: 'DB', databases: [{ environment: null, databaseName: 'dashboard-db' }], migrationsDir: 'migrations', files: 3, firstNumber: '0001' },
];

/** The real-world sets and what real wrangler runs established about them (the corpus README). */
export const CORPUS_SETS: SetSpec[] = [
  {
    set: 'cloudflare__wildebeest',
    config: 'wrangler.toml',
    binding: 'DATABASE',
    databases: [{ environment: null, databaseName: 'wildebeest' }],
    migrationsDir: 'migrations',
    files: 11,
    firstNumber: '0000',
    ownConfigRejected: true,
    latest: true,
    truthAlso: { 'migrations/0009_add_admin.sql': 'DML firing FTS5 triggers (shadow tables rewritten)' },
  },
  { set: 'cloudflare__templates__d1-template', config: 'wrangler.json', binding: 'DB', databases: [{ environment: null, databaseName: 'd1-template-database' }], migrationsDir: 'migrations', files: 1, firstNumber: '0001' },
  { set: 'cloudflare__templates__saas-admin-template', config: 'wrangler.jsonc', binding: 'DB', databases: [{ environment: null, databaseName: 'admin-db' }], migrationsDir: 'migrations', files: 3, firstNumber: '0001' },
  { set: 'beilunyang__moemail', config: 'wrangler.toml', binding: 'DB', databases: [{ environment: null, databaseName: 'moemail' }], migrationsDir: 'drizzle', files: 19, firstNumber: '0000', latest: true },
  { set: 'redwoodjs__sdk__experiments-billable', config: 'wrangler.toml', binding: 'DB', databases: [{ environment: null, databaseName: 'billable' }], migrationsDir: 'migrations', files: 11, firstNumber: '0001' },
  {
    set: 'storacha__w3up__access-api',
    config: 'wrangler.toml',
    binding: '__D1_BETA__',
    databases: [
      { environment: null, databaseName: 'spaces-dev' },
      { environment: 'dev', databaseName: 'access-dev' },
      { environment: 'staging', databaseName: 'access-staging' },
      { environment: 'production', databaseName: 'access' },
    ],
    migrationsDir: 'migrations',
    files: 8,
    firstNumber: '0000',
  },
  {
    set: 'zpg6__better-auth-cloudflare__examples-hono',
    config: 'wrangler.toml',
    binding: 'DATABASE',
    databases: [{ environment: null, databaseName: 'your-d1-database-name' }],
    migrationsDir: 'drizzle',
    files: 2,
    firstNumber: '0000',
  },
  {
    set: 'funvill__cultural-archiver__workers-ab6b4f0',
    config: 'wrangler.toml',
    binding: 'DB',
    databases: [
      { environment: 'production', databaseName: 'cultural-archiver' },
      { environment: 'development', databaseName: 'cultural-archiver' },
    ],
    migrationsDir: 'migrations',
    migrationsDirSetting: './migrations',
    files: 2,
    firstNumber: '0020',
    ignoredSubfolder: 'old',
    transactionLines: [
      ['migrations/0021_submission_review_alignment.sql', 5],
      ['migrations/0021_submission_review_alignment.sql', 7],
    ],
  },
];
