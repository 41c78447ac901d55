/**
 * The production preflight through the bundled action against the D1 API emulator (real wrangler 4.86,
 * remote): the questions go to D1 in ONE /query request, holding SELECTs that SQLite itself calls read-only;
 * nothing is asked when no pending statement needs it; the `preflight` output, the JSON report and the job
 * summary carry the counts, never a value of a row.
 */
import type { JsonReport } from '../support/json-report.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSqlite, openD1Like, prepareOn } from '../../src/replay/sqlite.js';
import { SqlText } from '../../src/replay/statements.js';
import { D1Emulator, type LoggedRequest } from '../support/d1-emulator.js';
import { runAction } from '../support/action-runner.js';
import { makeProject } from '../support/project.js';
import { PATH_SYSTEM, REPO_ROOT } from '../support/temp-project.js';

const WRANGLER = join(REPO_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const SCHEMA = `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE);
`;
/** A value no report may ever show: the preflight returns counts only. */
const SECRET_EMAIL = 'ceo-private-7f3a@example.com';

let emulator: D1Emulator;
beforeAll(async () => {
  emulator = await D1Emulator.start();
});
afterAll(async () => {
  await emulator.close();
});

function project(files: Record<string, string>): { cwd: string; uuid: string } {
  const name = `db-${Math.random().toString(36).slice(2, 10)}`;
  const uuid = emulator.createDatabase(name);
  const toml = `name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${name}"\ndatabase_id = "${uuid}"\n`;
  return { cwd: makeProject({ 'wrangler.toml': toml, ...files }), uuid };
}

const inputs = (cwd: string, extra: Record<string, string> = {}) => ({
  'working-directory': cwd,
  'cloudflare-api-token': emulator.token,
  'cloudflare-account-id': emulator.accountId,
  wrangler: `${process.execPath} ${WRANGLER}`,
  comment: 'off',
  ...extra,
});
const env = () => ({ PATH: PATH_SYSTEM, CLOUDFLARE_API_BASE_URL: emulator.url });

/** The requests of the run that carry preflight questions (everything else is wrangler's or preview's). */
const preflightQueries = (log: LoggedRequest[]) => log.filter((r) => r.kind === 'query' && /^SELECT (coalesce\(sum\(iif|\()/.test(r.fullSql ?? ''));

/** Each statement of `sql`, prepared on a database with `schema`: all must be read-only by SQLite's verdict. */
async function readOnlyStatements(schema: string, sql: string): Promise<{ count: number; readOnly: boolean[] }> {
  const sqlite3 = await loadSqlite();
  const db = openD1Like(sqlite3);
  const text = new SqlText(sql);
  try {
    db.exec(schema);
    const readOnly: boolean[] = [];
    for (let offset = 0; ; ) {
      const p = prepareOn(sqlite3, db, text, offset);
      if (!p.ok) throw new Error(p.message);
      if (!p.stmt) break;
      readOnly.push((sqlite3.capi as unknown as { sqlite3_stmt_readonly(s: number): number }).sqlite3_stmt_readonly(p.stmt) === 1);
      sqlite3.capi.sqlite3_finalize(p.stmt);
      offset = p.end;
    }
    return { count: readOnly.length, readOnly };
  } finally {
    text.free();
    db.close();
  }
}

test('a rebuild that would delete sessions: one read-only request, apply blocked, counts in the output and summary', async () => {
  const { cwd, uuid } = project({ 'migrations/0001_schema.sql': SCHEMA });
  expect((await runAction(inputs(cwd), { env: env() })).code).toBe(0);
  emulator.select(uuid, `INSERT INTO users VALUES (1, '${SECRET_EMAIL}'), (2, 'b@x'), (3, 'c@x')`);
  emulator.select(uuid, `INSERT INTO sessions VALUES ('s1', 1), ('s2', 1), ('s3', 2)`);
  const rebuild = `PRAGMA foreign_keys=OFF;
CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE);
INSERT INTO __new_users (id, email) SELECT id, email FROM users;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
PRAGMA foreign_keys=ON;
`;
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(cwd, 'migrations/0002_users_email.sql'), rebuild);

  const from = emulator.log.length;
  const run = await runAction(inputs(cwd), { env: env() });
  expect(run.code).toBe(1);
  expect(run.outputs.status).toBe('invalid');
  const log = emulator.requests(from);
  // preview (ledger + schema + the apply lock), the preflight, and the lock's release: three queries, and the
  // third does nothing but release (a held-back run records no checksums).
  const queries = log.filter((r) => r.kind === 'query');
  expect(queries).toHaveLength(3);
  expect(queries[2]!.fullSql).toMatch(/^DELETE FROM d1_migrate_state WHERE ledger = 'd1_migrations' AND kind = 'lock' AND name = '' AND value = '[0-9a-f-]{36}'$/);
  const asked = preflightQueries(log);
  expect(asked).toHaveLength(1);
  const check = await readOnlyStatements(SCHEMA, asked[0]!.fullSql!);
  expect(check.count).toBeGreaterThan(0);
  expect(check.readOnly.every(Boolean)).toBe(true);
  expect(log.some((r) => r.kind === 'bookmark')).toBe(false);
  expect(emulator.ledger(uuid)).toEqual(['0001_schema.sql']);
  expect(emulator.select(uuid, 'SELECT count(*) AS n FROM sessions')).toEqual([{ n: 3 }]);

  const preflight = JSON.parse(run.outputs.preflight!) as { database: string; migration: string; line: number; question: string; table: string; effect: string; rows: number | null }[];
  expect(preflight.filter((e) => e.rows !== 0).map((e) => [e.migration, e.line, e.table, e.effect, e.rows])).toEqual([
    ['0002_users_email.sql', 3, 'users', 'size', 3],
    ['0002_users_email.sql', 4, 'sessions', 'lost', 3],
  ]);
  // Asked and answered 0: NULL emails, duplicated emails.
  expect(preflight.filter((e) => e.rows === 0).map((e) => e.question)).toEqual(['rows copied into __new_users with NULL in email (NOT NULL)', 'rows copied into __new_users that duplicate the key (email) of another row']);
  expect(preflight.every((e) => e.database === 'DB')).toBe(true);
  const report = JSON.parse(readFileSync(run.outputs.report!, 'utf8')) as JsonReport;
  const findings = report.databases[0]!.findings.filter((f) => f.rule.startsWith('preflight-'));
  expect(findings.map((f) => [f.rule, f.table, f.rows, f.line])).toEqual([['preflight-rows-lost', 'sessions', 3, 4]]);
  expect(report.databases[0]!.preflight?.requests).toBe(1);
  expect(run.summary).toContain('#### Production preflight');
  expect(run.summary).toMatch(/\| `0002_users_email.sql` \| 4 \| `sessions` \| .* \| 3 \(rows lost\) \|/);
  // Counts only: no value of a row reaches the outputs, the report or the summary.
  for (const text of [run.outputs.preflight!, readFileSync(run.outputs.report!, 'utf8'), run.summary, run.stdout]) expect(text).not.toContain(SECRET_EMAIL);
});

test('nothing to ask: a pending migration that only creates tables costs no request', async () => {
  const { cwd, uuid } = project({ 'migrations/0001_schema.sql': SCHEMA });
  expect((await runAction(inputs(cwd), { env: env() })).code).toBe(0);
  emulator.select(uuid, `INSERT INTO users VALUES (1, 'a@x')`);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(cwd, 'migrations/0002_tags.sql'), 'CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\nCREATE INDEX tags_name ON tags (name);\n');
  const from = emulator.log.length;
  const run = await runAction(inputs(cwd), { env: env() });
  expect(run.code).toBe(0);
  expect(run.outputs.status).toBe('applied');
  expect(preflightQueries(emulator.requests(from))).toEqual([]);
  expect(JSON.parse(run.outputs.preflight!)).toEqual([]);
  expect(run.summary).toContain('Nothing to ask: no pending statement can lose rows or fail on the rows the database holds');
});
