/**
 * The ledger operations through the CLI (dist/cli/index.js), on real wrangler's local D1 — run by
 * cli-ops-4.86.int.test.ts and cli-ops-latest.int.test.ts — with wrangler's own `migrations list` asked after
 * every operation: `run --to`, `rename-applied`,
 * `mark-applied`, applied-file checksums, the lock and `unlock`, and each refusal.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/action-runner.js';
import type { JsonReport } from '../support/json-report.js';
import { makeProject } from '../support/project.js';
import { PATH_SYSTEM } from '../support/temp-project.js';
import { expectWranglerAgrees, ledger, query, requireVersion, stateRows, statePath, userSchema, wrangler, wranglerCommand, type Version } from './local-d1.js';

const TOML = 'name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\ndatabase_id = "00000000-0000-4000-8000-0000000000aa"\n';
const USERS = 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n';
const POSTS = 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n';
const INDEX = 'CREATE INDEX posts_user ON posts(user_id);\n';
const JOBS = 'CREATE TABLE jobs (id INTEGER PRIMARY KEY, title TEXT NOT NULL);\n';

/** The whole suite for one wrangler version (a file per version, so the two run in parallel). */
export function cliOpsSuite(version: Version): void {
  beforeAll(() => requireVersion(version));

  const cli = (cwd: string, args: string[]) =>
    runCli([...args, '--wrangler', wranglerCommand(version), '--persist-to', statePath(cwd)], { cwd, env: { PATH: PATH_SYSTEM } });
  /** The command with `--format json`, its report parsed. */
  const cliJson = async (cwd: string, args: string[]) => {
    const r = await cli(cwd, [...args, '--format', 'json']);
    return { ...r, json: JSON.parse(r.stdout) as JsonReport };
  };

  test('run --to applies up to that migration and nothing after, leaving the ledger wrangler would leave', async () => {
    const files = { 'migrations/0001_users.sql': USERS, 'migrations/0002_posts.sql': POSTS, 'migrations/0003_index.sql': INDEX };
    const cwd = makeProject({ 'wrangler.toml': TOML, ...files });
    const r = await cliJson(cwd, ['run', '--to', '0002_posts.sql']);
    expect(r.code).toBe(0);
    expect(r.json.databases[0]).toMatchObject({ status: 'applied', pending: ['0001_users.sql', '0002_posts.sql', '0003_index.sql'], applied: ['0001_users.sql', '0002_posts.sql'] });
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql']);

    // The same files applied by wrangler itself from a folder that holds only them: the same ledger and schema.
    const reference = makeProject({ 'wrangler.toml': TOML, 'migrations/0001_users.sql': USERS, 'migrations/0002_posts.sql': POSTS });
    wrangler(version, reference, ['d1', 'migrations', 'apply', 'DB']);
    const strip = (rows: { id: number; name: string }[]) => rows.map(({ id, name }) => ({ id, name }));
    expect(strip(ledger(version, cwd))).toEqual(strip(ledger(version, reference)));
    expect(userSchema(version, cwd)).toEqual(userSchema(version, reference));
    // The files' checksums are recorded, the lock is gone.
    expect(stateRows(version, cwd).map((x) => `${x.kind}:${x.name}`)).toEqual(['checksum:0001_users.sql', 'checksum:0002_posts.sql']);

    // Already applied, or no such migration: a usage error (exit 2) listing what is pending; nothing applied.
    const again = await cli(cwd, ['run', '--to', '2']);
    expect(again.code).toBe(2);
    expect(again.stdout).toMatch(/apply failed \(usage\): to: 0002_posts\.sql is already applied on app-db \(.+\)\. Nothing was applied; pending on app-db: 0003_index\.sql\./);
    const unknown = await cli(cwd, ['apply', '--to', '0009_nope.sql']);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toMatch(/to: there is no migration "0009_nope\.sql" in migrations\. Nothing was applied; pending on app-db: 0003_index\.sql\./);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql']);

    // The usage failures released the lock they took: the rest applies.
    const rest = await cliJson(cwd, ['run']);
    expect(rest.code).toBe(0);
    expect(rest.json.databases[0]!.applied).toEqual(['0003_index.sql']);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_index.sql']);
  });

  test('an edited applied file blocks apply (applied-file-changed); mark-applied --force accepts the edit; mark-applied records a change made by hand', async () => {
    const cwd = makeProject({ 'wrangler.toml': TOML, 'migrations/0001_users.sql': USERS, 'migrations/0002_posts.sql': POSTS });
    expect((await cli(cwd, ['run'])).code).toBe(0);
    const appliedAt = ledger(version, cwd)[0]!.applied_at;

    writeFileSync(join(cwd, 'migrations/0001_users.sql'), `-- users of the app\n${USERS}`);
    writeFileSync(join(cwd, 'migrations/0003_jobs.sql'), JOBS);
    const blocked = await cliJson(cwd, ['run']);
    expect(blocked.code).toBe(1);
    const db = blocked.json.databases[0]!;
    expect(db.status).toBe('invalid');
    expect(db.applied).toBeNull(); // apply never started
    expect(db.findings).toEqual([
      expect.objectContaining<Record<string, unknown>>({ rule: 'applied-file-changed', severity: 'error', file: 'migrations/0001_users.sql', informational: false, message: expect.stringContaining(`0001_users.sql was applied to app-db on ${appliedAt}, and the file has changed since`) }),
    ]);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql']);

    const refused = await cli(cwd, ['mark-applied', '0001_users.sql']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/mark-applied failed \(refused\): 0001_users\.sql is already applied on app-db \(.+\), and its file has changed since\. Undo the edit, or accept it with --force/);
    const accepted = await cli(cwd, ['mark-applied', '1', '--force']);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(/Accepted the edit of 0001_users\.sql/);
    const applied = await cliJson(cwd, ['run']);
    expect(applied.code).toBe(0);
    expect(applied.json.databases[0]!.applied).toEqual(['0003_jobs.sql']);

    // 0004's index was created by hand (a hotfix): mark-applied checks the live schema, then records it.
    writeFileSync(join(cwd, 'migrations/0004_jobs_title.sql'), 'CREATE INDEX jobs_title ON jobs(title);\n');
    writeFileSync(join(cwd, 'migrations/0005_index.sql'), INDEX);
    const notThere = await cli(cwd, ['mark-applied', '0004_jobs_title.sql']);
    expect(notThere.code).toBe(1);
    expect(notThere.stdout).toMatch(/mark-applied failed \(refused\): the live schema of app-db differs from what the applied migrations plus 0004_jobs_title\.sql produce: index jobs_title is missing from the database\. Nothing was written/);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_jobs.sql']);
    wrangler(version, cwd, ['d1', 'execute', 'DB', '--command', 'CREATE INDEX jobs_title ON jobs(title)']);
    const marked = await cli(cwd, ['mark-applied', '0004_jobs_title']);
    expect(marked.code).toBe(0);
    expect(marked.stdout).toMatch(/Recorded 0004_jobs_title\.sql as applied on app-db without running it\./);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_jobs.sql', '0004_jobs_title.sql']);
    const sums = Object.fromEntries(stateRows(version, cwd).filter((x) => x.kind === 'checksum').map((x) => [x.name, x.value]));
    expect(Object.keys(sums).sort()).toEqual(['0001_users.sql', '0002_posts.sql', '0003_jobs.sql', '0004_jobs_title.sql']);
  });

  test('rename-applied fixes applied-file-missing after a deliberate rename, and refuses what would run a file twice', async () => {
    const cwd = makeProject({ 'wrangler.toml': TOML, 'migrations/0001_users.sql': USERS, 'migrations/0002_posts.sql': POSTS });
    expect((await cli(cwd, ['run'])).code).toBe(0);
    const before = ledger(version, cwd);
    renameSync(join(cwd, 'migrations/0002_posts.sql'), join(cwd, 'migrations/0002_add_posts.sql'));
    const preview = await cliJson(cwd, ['preview']);
    expect(preview.code).toBe(1);
    expect(preview.json.databases[0]!.findings.map((f) => f.rule)).toEqual(['applied-file-missing']);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql']); // wrangler would run 0002_add_posts.sql again

    const backwards = await cli(cwd, ['rename-applied', '0002_add_posts.sql', '0002_posts.sql']);
    expect(backwards.code).toBe(2);
    expect(backwards.stdout).toMatch(/rename-applied failed \(usage\): rename-applied: the ledger of app-db records no "0002_add_posts\.sql"\. Recorded names with no file: 0002_posts\.sql\./);
    writeFileSync(join(cwd, 'migrations/0002_posts.sql'), POSTS);
    const stillThere = await cli(cwd, ['rename-applied', '0002_posts.sql', '0002_add_posts.sql']);
    expect(stillThere.code).toBe(1);
    expect(stillThere.stdout).toMatch(/\(refused\): 0002_posts\.sql still exists in migrations; renaming its record would make wrangler run it again/);
    renameSync(join(cwd, 'migrations/0002_posts.sql'), join(cwd, 'migrations/0002_other.sql'));
    writeFileSync(join(cwd, 'migrations/0002_other.sql'), 'CREATE TABLE other (id INTEGER);\n');
    const notSame = await cli(cwd, ['rename-applied', '0002_posts.sql', '0002_other.sql']);
    expect(notSame.code).toBe(1);
    expect(notSame.stdout).toMatch(/\(refused\): 0002_other\.sql is not the file that was applied as 0002_posts\.sql \(its checksum differs/);
    renameSync(join(cwd, 'migrations/0002_other.sql'), join(cwd, '0002_other.sql.bak'));

    const renamed = await cli(cwd, ['rename-applied', '0002_posts.sql', '0002_add_posts.sql']);
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toMatch(/Renamed the record of 0002_posts\.sql \(applied .+\) to 0002_add_posts\.sql on app-db/);
    const after = ledger(version, cwd);
    expect(after).toEqual([before[0], { ...before[1], name: '0002_add_posts.sql' }]);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_add_posts.sql']);
    expect(stateRows(version, cwd).map((x) => x.name)).toEqual(['0001_users.sql', '0002_add_posts.sql']);
    const clean = await cliJson(cwd, ['run']);
    expect(clean.code).toBe(0);
    expect(clean.json.databases[0]).toMatchObject({ status: 'up-to-date', findings: [] });
  });

  test('a held lock fails the run naming its holder; unlock removes it; an expired one is taken over with a warning', async () => {
    const cwd = makeProject({ 'wrangler.toml': TOML, 'migrations/0001_users.sql': USERS });
    expect((await cli(cwd, ['run'])).code).toBe(0);
    writeFileSync(join(cwd, 'migrations/0002_posts.sql'), POSTS);
    // A run that was killed while holding the lock (its row, as the tool writes it).
    const lockRow = (expires: string) =>
      `INSERT INTO d1_migrate_state (ledger, kind, name, value, detail, at, expires_at) VALUES ('d1_migrations', 'lock', '', 'token-of-the-dead', 'https://github.com/acme/shop/actions/runs/42 (octocat)', '2026-01-01T00:00:00Z', ${expires})`;
    wrangler(version, cwd, ['d1', 'execute', 'DB', '--command', lockRow("CAST(strftime('%s','now') AS INTEGER) + 3600")]);

    const locked = await cliJson(cwd, ['run']);
    expect(locked.code).toBe(1);
    expect(locked.json.databases[0]).toMatchObject({ status: 'failed', applied: null, failure: { phase: 'apply', kind: 'locked' } });
    expect(locked.json.databases[0]!.failure?.message).toMatch(/^app-db is locked by another run: https:\/\/github\.com\/acme\/shop\/actions\/runs\/42 \(octocat\), taken at 2026-01-01T00:00:00Z, expires at \S+Z\. Nothing was applied\./);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql']);

    const unlock = await cli(cwd, ['unlock']);
    expect(unlock.code).toBe(0);
    expect(unlock.stderr).toMatch(/Removed the lock on app-db held by https:\/\/github\.com\/acme\/shop\/actions\/runs\/42 \(octocat\).* It had not expired/);
    expect(stateRows(version, cwd).filter((x) => x.kind === 'lock')).toEqual([]);
    expect((await cli(cwd, ['unlock'])).stdout).toMatch(/app-db was not locked\./);

    wrangler(version, cwd, ['d1', 'execute', 'DB', '--command', lockRow("CAST(strftime('%s','now') AS INTEGER) - 1")]);
    const takeover = await cliJson(cwd, ['run']);
    expect(takeover.code).toBe(0);
    expect(takeover.json.databases[0]!.applied).toEqual(['0002_posts.sql']);
    expect(takeover.stderr).toMatch(/warning: Took over the expired lock on app-db held by https:\/\/github\.com\/acme\/shop\/actions\/runs\/42 \(octocat\)/);
    expect(stateRows(version, cwd).filter((x) => x.kind === 'lock')).toEqual([]);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql']);
  });

  test('baseline from the CLI: by number, refused (nothing written) while a table is missing, then recorded', async () => {
    const cwd = makeProject({ 'wrangler.toml': TOML, 'migrations/0001_users.sql': USERS, 'migrations/0002_posts.sql': POSTS, 'migrations/0003_index.sql': INDEX });
    wrangler(version, cwd, ['d1', 'execute', 'DB', '--command', USERS]);
    const missing = await cli(cwd, ['baseline', '--to', '2']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/baseline failed \(refused\): the live schema of app-db differs from what the 2 migration\(s\) up to 0002_posts\.sql produce: table posts is missing from the database\. Nothing was written\./);
    expect(ledger(version, cwd)).toEqual([]);
    const recorded = await cliJson(cwd, ['baseline', '--to', '1']);
    expect(recorded.code).toBe(0);
    expect(recorded.json.databases[0]).toMatchObject({ status: 'applied', recorded: ['0001_users.sql'] });
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql']);
    const rest = await cliJson(cwd, ['run']);
    expect(rest.json.databases[0]!.applied).toEqual(['0002_posts.sql', '0003_index.sql']);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_index.sql']);
  });

  test('migrations applied before the tool get checksums on first sight, said once; --no-ledger-state adds no table', async () => {
    const cwd = makeProject({ 'wrangler.toml': TOML, 'migrations/0001_users.sql': USERS, 'migrations/0002_posts.sql': POSTS });
    wrangler(version, cwd, ['d1', 'migrations', 'apply', 'DB']);
    const first = await cliJson(cwd, ['run']);
    expect(first.code).toBe(0);
    expect(first.json.databases[0]!.notes).toContain(
      'Recorded the checksums of 2 applied migration(s) that had none (applied before d1-migrate kept checksums): 0001_users.sql, 0002_posts.sql. From now on an edit to one of them is reported (applied-file-changed).',
    );
    expect(stateRows(version, cwd).map((x) => x.name)).toEqual(['0001_users.sql', '0002_posts.sql']);
    const second = await cliJson(cwd, ['run']);
    expect(second.json.databases[0]!.notes.filter((n) => /Recorded the checksums/.test(n))).toEqual([]);

    const off = makeProject({ 'wrangler.toml': TOML, 'migrations/0001_users.sql': USERS });
    const r = await cliJson(off, ['run', '--no-ledger-state']);
    expect(r.code).toBe(0);
    expect(r.json.databases[0]!.applied).toEqual(['0001_users.sql']);
    expect(query(version, off, "SELECT name FROM sqlite_schema WHERE name = 'd1_migrate_state'")).toEqual([]);
    expect(expectWranglerAgrees(version, off)).toEqual(['0001_users.sql']);
  });
}
