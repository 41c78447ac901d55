/**
 * The apply lock and the request budget against the D1 API emulator, with the bundled action and real wrangler
 * 4.86: two runs started together (exactly one applies, the other fails `locked` naming the winner), a holder
 * killed outright (its lock blocks the next run until it expires, then is taken over), and the D1 API
 * requests a run makes over a bare `wrangler d1 migrations apply --remote` (+4, fresh database or not).
 */
import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { D1Emulator, type LoggedRequest } from '../support/d1-emulator.js';
import { runAction, type ActionResult } from '../support/action-runner.js';
import { makeProject } from '../support/project.js';
import { PATH_SYSTEM, REPO_ROOT } from '../support/temp-project.js';

const WRANGLER = join(REPO_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const FILES = {
  'migrations/0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n',
  'migrations/0002_posts.sql': 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n',
  'migrations/0003_index.sql': 'CREATE INDEX posts_user ON posts(user_id);\n',
};

let emulator: D1Emulator;
beforeAll(async () => {
  emulator = await D1Emulator.start();
});
afterAll(async () => {
  await emulator.close();
});
afterEach(() => emulator.clearFaults());
jest.setTimeout(300_000);

function project(files: Record<string, string> = FILES): { cwd: string; uuid: string } {
  const name = `db-${Math.random().toString(36).slice(2, 10)}`;
  const uuid = emulator.createDatabase(name);
  const toml = `name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${name}"\ndatabase_id = "${uuid}"\n`;
  return { cwd: makeProject({ 'wrangler.toml': toml, ...files }), uuid };
}

const inputs = (cwd: string) => ({
  'working-directory': cwd,
  'cloudflare-api-token': emulator.token,
  'cloudflare-account-id': emulator.accountId,
  wrangler: `${process.execPath} ${WRANGLER}`,
  comment: 'off',
});
const env = (runId: string) => ({ PATH: PATH_SYSTEM, CLOUDFLARE_API_BASE_URL: emulator.url, GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: runId, GITHUB_ACTOR: 'octocat' });
const runUrl = (runId: string) => `https://github.com/acme/shop/actions/runs/${runId}`;
const lockRows = (uuid: string) => emulator.select(uuid, "SELECT value, detail FROM d1_migrate_state WHERE kind = 'lock'");

test('two runs started together: exactly one applies, the other fails locked naming the one that holds it', async () => {
  const { cwd, uuid } = project();
  // The first run to preview holds the lock from then on; its Time Travel look-up (the request after preview)
  // is answered only once the other run's preview has been answered too — whatever the timing of the two.
  const from = emulator.log.length;
  let seen: () => void = () => {};
  const bothPreviewed = new Promise<void>((resolve) => (seen = resolve));
  const poll = setInterval(() => {
    if (emulator.requests(from, 'query').filter((r) => r.status !== 'hang').length >= 2) seen();
  }, 20);
  emulator.inject({ on: 'bookmark', action: { kind: 'until', until: bothPreviewed } });
  const [a, b] = await Promise.all([runAction(inputs(cwd), { env: env('101') }), runAction(inputs(cwd), { env: env('102') })]).finally(() => {
    clearInterval(poll);
    seen();
  });
  const runs: [string, ActionResult][] = [
    ['101', a],
    ['102', b],
  ];
  const winners = runs.filter(([, r]) => r.code === 0);
  const losers = runs.filter(([, r]) => r.code !== 0);
  expect(winners).toHaveLength(1);
  expect(losers).toHaveLength(1);
  const [winnerId, winner] = winners[0]!;
  const [, loser] = losers[0]!;
  expect(winner.outputs.status).toBe('applied');
  expect(JSON.parse(winner.outputs.applied!)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_index.sql']);
  expect(loser.code).toBe(1);
  expect(loser.outputs.status).toBe('failed');
  expect(JSON.parse(loser.outputs.applied!)).toEqual([]);
  expect(loser.stdout).toMatch(new RegExp(`::error::.*is locked by another run: ${runUrl(winnerId).replace(/[/.]/g, '\\$&')} \\(octocat\\), taken at \\S+, expires at \\S+\\. Nothing was applied\\.`));
  expect(loser.summary).toMatch(/locked/);
  // Each migration ran once; the lock is released; the checksums are recorded.
  expect(emulator.ledger(uuid)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_index.sql']);
  expect(lockRows(uuid)).toEqual([]);
  expect(emulator.select(uuid, "SELECT count(*) AS n FROM d1_migrate_state WHERE kind = 'checksum'")).toEqual([{ n: 3 }]);
});

test('a holder killed outright keeps the database locked until its TTL; then the lock is taken over with a warning', async () => {
  const { cwd, uuid } = project();
  emulator.inject({ on: 'bookmark', action: { kind: 'delay', ms: 4000 } });
  const from = emulator.log.length;
  let pid = 0;
  const watcher = setInterval(() => {
    if (pid && emulator.requests(from, 'bookmark').length > 0) {
      clearInterval(watcher);
      process.kill(pid, 'SIGKILL'); // no handler runs: the lock stays
    }
  }, 50);
  const killed = await runAction(inputs(cwd), { env: env('201'), onSpawn: (p) => (pid = p) });
  clearInterval(watcher);
  expect(killed.signal).toBe('SIGKILL');
  expect(lockRows(uuid)).toEqual<Record<string, unknown>[]>([{ value: expect.any(String), detail: `${runUrl('201')} (octocat)` }]);
  expect(emulator.ledger(uuid)).toEqual([]);
  emulator.clearFaults();

  const blocked = await runAction(inputs(cwd), { env: env('202') });
  expect(blocked.code).toBe(1);
  expect(blocked.stdout).toMatch(/is locked by another run: https:\/\/github\.com\/acme\/shop\/actions\/runs\/201 \(octocat\)/);
  expect(emulator.ledger(uuid)).toEqual([]);

  // Its TTL passes (the database's clock moved on).
  emulator.select(uuid, "UPDATE d1_migrate_state SET expires_at = CAST(strftime('%s','now') AS INTEGER) - 1 WHERE kind = 'lock'");
  const next = await runAction(inputs(cwd), { env: env('203') });
  expect(next.code).toBe(0);
  expect(JSON.parse(next.outputs.applied!)).toEqual(['0001_users.sql', '0002_posts.sql', '0003_index.sql']);
  expect(next.annotations.filter((x) => x.level === 'warning').map((x) => x.message)).toContainEqual(
    expect.stringMatching(/^Took over the expired lock on \S+ held by https:\/\/github\.com\/acme\/shop\/actions\/runs\/201 \(octocat\), taken at \S+, expires at \S+: that run ended without releasing it/),
  );
  expect(lockRows(uuid)).toEqual([]);
});

test('remote, in an environment: to applies up to a migration; baseline records on a database created by hand', async () => {
  const name = `db-${Math.random().toString(36).slice(2, 10)}`;
  const uuid = emulator.createDatabase(name);
  const toml = `name = "app"\n\n[env.production]\n[[env.production.d1_databases]]\nbinding = "DB"\ndatabase_name = "${name}"\ndatabase_id = "${uuid}"\n`;
  const cwd = makeProject({ 'wrangler.toml': toml, ...FILES });
  const upTo = await runAction({ ...inputs(cwd), environment: 'production', to: '0002' }, { env: env('401') });
  expect(upTo.code).toBe(0);
  expect(JSON.parse(upTo.outputs.applied!)).toEqual(['0001_users.sql', '0002_posts.sql']);
  expect(emulator.ledger(uuid)).toEqual(['0001_users.sql', '0002_posts.sql']);

  // A database created by hand, whose project names its own ledger table (migrations_table).
  const otherName = `db-${Math.random().toString(36).slice(2, 10)}`;
  const other = { uuid: emulator.createDatabase(otherName), cwd: '' };
  other.cwd = makeProject({ 'wrangler.toml': `name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${otherName}"\ndatabase_id = "${other.uuid}"\nmigrations_table = "schema_history"\n`, ...FILES });
  emulator.select(other.uuid, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL); CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id))");
  const baseline = await runAction({ ...inputs(other.cwd), phases: 'baseline', to: '0002_posts.sql' }, { env: env('402') });
  expect(baseline.code).toBe(0);
  expect(baseline.outputs.status).toBe('applied');
  expect(emulator.ledger(other.uuid, 'schema_history')).toEqual(['0001_users.sql', '0002_posts.sql']);
  expect(emulator.select(other.uuid, "SELECT sql FROM sqlite_schema WHERE name = 'schema_history'")[0]!.sql).toMatch(/^CREATE TABLE "schema_history"\(\n\t\tid +INTEGER PRIMARY KEY AUTOINCREMENT,\n\t\tname +TEXT UNIQUE,\n\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n\)$/);
  expect(emulator.select(other.uuid, "SELECT name FROM d1_migrate_state WHERE kind = 'checksum' ORDER BY name").map((r) => r.name)).toEqual(['0001_users.sql', '0002_posts.sql']);
  expect(lockRows(other.uuid)).toEqual([]);
  const rest = await runAction(inputs(other.cwd), { env: env('403') });
  expect(JSON.parse(rest.outputs.applied!)).toEqual(['0003_index.sql']);
});

describe('D1 API requests over a bare wrangler d1 migrations apply --remote', () => {
  function bareApply(cwd: string): Promise<void> {
    return new Promise((resolve, reject) =>
      execFile(process.execPath, [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--remote'], { cwd, env: { PATH: PATH_SYSTEM, HOME: process.env.HOME, CI: 'true', WRANGLER_SEND_METRICS: 'false', ...emulator.env() } }, (error, stdout, stderr) =>
        error ? reject(new Error(`bare wrangler d1 migrations apply failed (${String(error.code)}):\n${stdout}\n${stderr}`, { cause: error })) : resolve(),
      ),
    );
  }
  const d1Requests = (from: number) => emulator.requests(from).filter((r) => r.kind !== 'auth');
  const signature = (r: LoggedRequest) => `${r.kind} ${r.method} ${(r.sql ?? '').slice(0, 40)}`;
  /** Ours minus bare, by signature: the requests the run adds. */
  const extra = (ours: LoggedRequest[], bare: LoggedRequest[]) => {
    const pool = bare.map(signature);
    return ours.map(signature).filter((s) => {
      const i = pool.indexOf(s);
      if (i < 0) return true;
      pool.splice(i, 1);
      return false;
    });
  };

  test('+4 with the lock and checksums, on a fresh database and on one with history; +0 when nothing is pending', async () => {
    const bare = project();
    const ours = project();
    const measure = async () => {
      let from = emulator.log.length;
      await bareApply(bare.cwd);
      const b = d1Requests(from);
      from = emulator.log.length;
      const r = await runAction(inputs(ours.cwd), { env: env('301') });
      expect(r.code).toBe(0);
      return { bare: b, ours: d1Requests(from), run: r };
    };

    const fresh = await measure();
    expect(JSON.parse(fresh.run.outputs.applied!)).toHaveLength(3);
    expect(fresh.ours.length - fresh.bare.length).toBe(4);
    expect(extra(fresh.ours, fresh.bare)).toEqual([
      expect.stringMatching(/^query POST SELECT type, name, tbl_name, sql FROM sq/), // preview: schema, ledger, state, lock
      'info GET ',
      'bookmark GET ',
      expect.stringMatching(/^query POST SELECT \* FROM "d1_migrations" ORDER BY i/), // read back, checksums, release
    ]);

    for (const p of [bare, ours]) writeMigration(p.cwd, 'migrations/0004_tags.sql', 'CREATE TABLE tags (id INTEGER PRIMARY KEY);\n');
    const later = await measure();
    expect(JSON.parse(later.run.outputs.applied!)).toEqual(['0004_tags.sql']);
    expect(later.ours.length - later.bare.length).toBe(4);

    const idle = await measure();
    expect(idle.run.outputs.status).toBe('up-to-date');
    expect(idle.ours.length - idle.bare.length).toBe(0);
    expect(emulator.ledger(ours.uuid)).toEqual(emulator.ledger(bare.uuid));
  });
});

function writeMigration(cwd: string, rel: string, sql: string): void {
  writeFileSync(join(cwd, rel), sql);
}
