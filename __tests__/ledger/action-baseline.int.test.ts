/**
 * Adopting an existing database through the bundled action (dist/index.js, as the runner runs it) on real
 * wrangler's local D1 — 4.86 and the newest 4.x: the `baseline` phase refuses, writing nothing, while the live
 * schema differs from the files (naming each difference), records them once it matches (wrangler's
 * `migrations list` then agrees), refuses a ledger that disagrees, and with `force` records anyway, warning;
 * and `to` applies up to a migration.
 */
import { jest } from '@jest/globals';
import { runAction } from '../support/action-runner.js';
import { makeProject } from '../support/project.js';
import { PATH_SYSTEM } from '../support/temp-project.js';
import { expectWranglerAgrees, ledger, query, requireVersion, stateRows, statePath, wrangler, wranglerCommand, type Version } from './local-d1.js';

jest.setTimeout(600_000);

const TOML = 'name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\ndatabase_id = "00000000-0000-4000-8000-0000000000aa"\n';
const FILES = {
  'wrangler.toml': TOML,
  'migrations/0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n',
  'migrations/0002_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\nCREATE INDEX posts_user ON posts(user_id);\n',
  'migrations/0003_jobs.sql': 'CREATE TABLE jobs (id INTEGER PRIMARY KEY, title TEXT);\n',
};

describe.each<Version>(['4.86', 'latest'])('wrangler %s', (version) => {
  beforeAll(() => requireVersion(version));
  const action = (cwd: string, extra: Record<string, string> = {}) =>
    runAction({ 'working-directory': cwd, target: 'local', 'persist-to': statePath(cwd), wrangler: wranglerCommand(version), comment: 'off', ...extra }, { env: { PATH: PATH_SYSTEM } });
  const byHand = (cwd: string, sql: string) => wrangler(version, cwd, ['d1', 'execute', 'DB', '--command', sql]);
  const tables = (cwd: string) => query(version, cwd, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%' ORDER BY name").map((r) => r.name);

  test('baseline: refused while the schema differs, recorded once it matches, then apply runs only what follows', async () => {
    const cwd = makeProject(FILES);
    // Created by hand long ago: users.name became NOT NULL there, and the index is missing.
    byHand(cwd, 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL); CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id))');

    const refused = await action(cwd, { phases: 'baseline', to: '0002_posts.sql' });
    expect(refused.code).toBe(1);
    expect(refused.outputs.status).toBe('failed');
    const error = refused.annotations.find((a) => a.level === 'error')?.message ?? '';
    expect(error).toMatch(/baseline failed \(refused\): the live schema of app-db differs from what the 2 migration\(s\) up to 0002_posts\.sql produce: /);
    expect(error).toContain('column users.name differs (name TEXT → name TEXT NOT NULL)');
    expect(error).toContain('index posts_user is missing from the database');
    expect(error).toMatch(/Nothing was written\./);
    // Nothing written: no ledger, no state table — wrangler would still apply everything.
    expect(tables(cwd)).toEqual(['posts', 'users']);
    expect(expectWranglerAgrees(version, cwd)).toEqual([]);

    byHand(cwd, 'DROP TABLE posts; DROP TABLE users; CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id)); CREATE INDEX posts_user ON posts(user_id)');
    const recorded = await action(cwd, { phases: 'baseline', to: '2' });
    expect(recorded.code).toBe(0);
    expect(recorded.outputs.status).toBe('applied');
    expect(recorded.summary).toMatch(/Recorded 2 migration\(s\) as applied without running them: 0001\\_users\.sql, 0002\\_posts\.sql/);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql']);
    expect(stateRows(version, cwd).map((r) => `${r.kind}:${r.name}`)).toEqual(['checksum:0001_users.sql', 'checksum:0002_posts.sql']);

    const deploy = await action(cwd);
    expect(deploy.code).toBe(0);
    expect(JSON.parse(deploy.outputs.applied!)).toEqual(['0003_jobs.sql']);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_jobs.sql']);

    // A ledger that already records a later migration disagrees with a baseline to an earlier one.
    const backwards = await action(cwd, { phases: 'baseline', to: '0001_users.sql' });
    expect(backwards.code).toBe(1);
    expect(backwards.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /baseline failed \(refused\): the ledger of app-db already records 0002_posts\.sql, 0003_jobs\.sql, which are not among the migrations up to 0001_users\.sql/,
    );
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_jobs.sql']);
  });

  test('baseline with force records despite the differences, warning; to applies up to a migration', async () => {
    const cwd = makeProject(FILES);
    byHand(cwd, 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, extra TEXT)');
    const forced = await action(cwd, { phases: 'baseline', to: '0001_users.sql', force: 'true' });
    expect(forced.code).toBe(0);
    expect(forced.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toContainEqual(
      expect.stringMatching(/^baseline --force: the live schema of app-db differs from what the 1 migration\(s\) up to 0001_users\.sql produce: column users\.extra exists only in the database \(extra TEXT\)\. Recorded anyway/),
    );
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql']);

    const upTo = await action(cwd, { to: '0002_posts.sql' });
    expect(upTo.code).toBe(0);
    expect(JSON.parse(upTo.outputs.pending!)).toEqual(['0002_posts.sql', '0003_jobs.sql']);
    expect(JSON.parse(upTo.outputs.applied!)).toEqual(['0002_posts.sql']);
    expect(upTo.summary).toMatch(/0003\\_jobs\.sql stay pending/);
    expect(ledger(version, cwd).map((r) => r.name)).toEqual(['0001_users.sql', '0002_posts.sql']);
    expect(expectWranglerAgrees(version, cwd)).toEqual(['0001_users.sql', '0002_posts.sql']);
  });
});
