/**
 * The production preflight against REAL wrangler and its local D1 (workerd) holding rows: the questions go
 * through `wrangler d1 execute --local --json --command` exactly as they go to D1, with wrangler 4.86 and
 * the newest 4.x. The counts must be the rows that applying the migration really deletes; a preflight error
 * blocks apply with the ledger unchanged; preview leaves every row and the ledger as they were.
 */
import type { JsonReport } from '../support/json-report.js';
import { runCli } from '../support/action-runner.js';
import { STATE_TABLE } from '../../src/ledger-state/table.js';
import { answers, LocalD1, WRANGLERS, type Version } from './local-d1.js';

const SCHEMA = `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE CASCADE, title TEXT);
CREATE TABLE likes (id INTEGER PRIMARY KEY, post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE);
CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE SET NULL, body TEXT);
CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE);
CREATE TABLE items (id INTEGER PRIMARY KEY, sku TEXT);
CREATE TABLE drafts (id INTEGER PRIMARY KEY, body TEXT);
`;
const ROWS = `INSERT INTO users VALUES (1,'a@x','Ann'),(2,'b@x',NULL),(3,NULL,'Cy'),(4,'d@x','Di');
INSERT INTO posts VALUES (1,1,'p1'),(2,1,'p2'),(3,2,'p3'),(4,NULL,'p4'),(5,4,'p5');
INSERT INTO likes VALUES (1,1),(2,2),(3,2),(4,4),(5,5);
INSERT INTO notes VALUES (1,1,'n1'),(2,3,'n2'),(3,NULL,'n3');
INSERT INTO tags VALUES (1,'red'),(2,'RED'),(3,'blue'),(4,'Red'),(5,NULL),(6,NULL);
INSERT INTO items VALUES (1,'a'),(2,'b'),(3,'c');
`;

/** Adding `name` the drizzle way: a rebuild of users, which users' children pay for. */
const REBUILD = `PRAGMA foreign_keys=OFF;
CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT, name TEXT, plan TEXT DEFAULT 'free');
INSERT INTO __new_users("id", "email", "name") SELECT "id", "email", "name" FROM users;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
PRAGMA foreign_keys=ON;
`;

function project(version: Version = '4.86'): LocalD1 {
  const d = new LocalD1({ 'migrations/0001_schema.sql': SCHEMA }, version);
  d.applyAll();
  d.execute(ROWS);
  return d;
}

test('a rebuild: preview counts the rows it would delete, leaves the database as it was, and apply is blocked', async () => {
  const d = project();
  d.write('migrations/0002_users_plan.sql', REBUILD);
  const before = d.content();

  const preview = await d.run({ phases: 'validate,preview' });
  // Children in name order, each followed by its own children (likes through posts).
  expect(answers(preview.db)).toEqual(['lost notes @4: 2', 'lost posts @4: 4', 'lost likes @4: 4']);
  expect(preview.db.preflight?.requests).toBe(1);
  expect(preview.db.findings.filter((f) => f.rule.startsWith('preflight-')).map((f) => [f.rule, f.table, f.rows])).toEqual([
    ['preflight-rows-lost', 'notes', 2],
    ['preflight-rows-lost', 'posts', 4],
    ['preflight-rows-lost', 'likes', 4],
  ]);
  // The static finding about the same DROP is confirmed with the total, the data check's with its table's.
  const drop = preview.db.findings.find((f) => f.rule === 'drop-referenced-table')!;
  expect(drop.rows).toBe(10);
  expect(drop.message).toMatch(/Production preflight on top level · DB \(app-db\): 10 row\(s\) affected/);
  expect(preview.db.findings.filter((f) => f.rule === 'rows-lost').map((f) => [f.table, f.rows])).toEqual(
    expect.arrayContaining([
      ['posts', 4],
      ['likes', 4],
    ]),
  );
  expect(d.content()).toBe(before);

  const strict = await d.run({ phases: 'validate,preview,apply' });
  expect(strict.report.exitCode).toBe(1);
  expect(strict.db.status).toBe('invalid');
  expect(strict.db.applied).toBeUndefined();
  expect(strict.db.notes.join('\n')).toMatch(/Nothing was applied: \d+ error\(s\) in the migrations that would run \(fail-mode strict\)/);
  expect(d.ledger()).toEqual(['0001_schema.sql']);
  // The run took the apply lock before it knew it would be held back; it released it and wrote nothing else
  // (no checksums of files seen for the first time: a held-back run's only write is the release).
  expect(Number(d.query(`SELECT count(*) AS n FROM ${STATE_TABLE}`)[0]!.n)).toBe(0);
  expect(d.content({ withoutToolState: true })).toBe(before);

  // Under warn it is applied as reported — and the rows the preflight counted are the rows that are gone.
  const warn = await d.run({ phases: 'validate,preview,apply', 'fail-mode': 'warn' });
  expect(warn.db.applied).toEqual(['0002_users_plan.sql']);
  expect({ posts: d.count('posts'), likes: d.count('likes'), nulled: Number(d.query('SELECT count(*) AS n FROM notes WHERE user_id IS NULL')[0]!.n) }).toEqual({
    posts: 5 - 4,
    likes: 5 - 4,
    nulled: 1 + 2,
  });
}, 240_000);

test('the same rebuild on rows it cannot harm: every count 0, the static finding marked harmless', async () => {
  const d = new LocalD1({ 'migrations/0001_schema.sql': SCHEMA });
  d.applyAll();
  d.execute(`INSERT INTO users VALUES (1,'a@x','Ann'); INSERT INTO posts VALUES (1,NULL,'p'); INSERT INTO notes VALUES (1,NULL,'n');`);
  d.write('migrations/0002_users_plan.sql', REBUILD);
  const { db } = await d.run({ phases: 'validate,preview' });
  expect(answers(db)).toEqual([]);
  expect(db.preflight?.entries.filter((e) => e.effect === 'lost').map((e) => `${e.table}: ${e.rows}`)).toEqual(['notes: 0', 'posts: 0', 'likes: 0']);
  expect(db.findings.filter((f) => f.rule.startsWith('preflight-'))).toEqual([]);
  const drop = db.findings.find((f) => f.rule === 'drop-referenced-table')!;
  expect(drop.rows).toBe(0);
  expect(drop.message).toMatch(/0 rows affected — harmless on that data today/);
}, 240_000);

describe.each<Version>(['4.86', 'latest'])('each kind of question on rows that trigger it and rows that do not (wrangler %s)', (version) => {
  test('counts are exact; the database is left as it was', async () => {
    const d = project(version);
    d.write('migrations/0002_unique.sql', 'CREATE UNIQUE INDEX tags_name ON tags (name);\nCREATE UNIQUE INDEX items_sku ON items (sku);\n');
    d.write('migrations/0003_add.sql', 'ALTER TABLE items ADD COLUMN price INTEGER NOT NULL;\nALTER TABLE drafts ADD COLUMN price INTEGER NOT NULL;\n');
    d.write(
      'migrations/0004_users.sql',
      `CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT CHECK (length(name) > 2));
INSERT INTO __new_users (id, email, name) SELECT id, email, name FROM users;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
`,
    );
    d.write('migrations/0005_replace.sql', "INSERT OR REPLACE INTO items (id, sku, price) VALUES (1, 'a', 0), (2, 'bb', 0), (9, 'z', 0);\nDELETE FROM drafts;\n");
    d.write(
      'migrations/0006_tags.sql',
      'CREATE TABLE __new_tags (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO __new_tags (id) SELECT id FROM tags WHERE id > 2;\nDROP TABLE tags;\nALTER TABLE __new_tags RENAME TO tags;\n',
    );
    d.write(
      'migrations/0007_members.sql',
      'CREATE TABLE __new_members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams(id));\nINSERT INTO __new_members SELECT id, team_id FROM members;\nDROP TABLE members;\nALTER TABLE __new_members RENAME TO members;\n',
    );
    // Tables only this test has (created outside the migrations, as happens): a NO ACTION and a RESTRICT
    // child of users, and members without a team.
    d.execute(`CREATE TABLE audits (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
CREATE TABLE grants (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE RESTRICT);
CREATE TABLE teams (id INTEGER PRIMARY KEY);
CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER);
INSERT INTO audits VALUES (1, 2), (2, NULL); INSERT INTO grants VALUES (1, 4); INSERT INTO teams VALUES (1); INSERT INTO members VALUES (1, 1), (2, 9), (3, NULL), (4, 8);`);
    const before = d.content();
    const { db } = await d.run({ phases: 'validate,preview' });
    const all = (db.preflight?.entries ?? []).map((e) => `${e.effect} ${e.table} @${e.migration}:${e.line}: ${e.rows ?? e.why}`);
    expect(all).toEqual(
      expect.arrayContaining([
        // Duplicates under NOCASE: 'red', 'RED', 'Red' are one value; the NULLs never collide.
        'fails tags @0002_unique.sql:1: 2',
        'fails items @0002_unique.sql:2: 0',
        // NOT NULL without a default: fails on a table with rows, not on an empty one.
        'fails items @0003_add.sql:1: 3',
        'fails drafts @0003_add.sql:2: 0',
        // The rebuild: one NULL email, one name of 2 letters ('Cy', 'Di'; NULL passes a CHECK).
        'fails __new_users @0004_users.sql:2: 1',
        'fails __new_users @0004_users.sql:2: 2',
        'lost posts @0004_users.sql:3: 4',
        'lost likes @0004_users.sql:3: 4',
        'lost notes @0004_users.sql:3: 2',
        // NO ACTION and RESTRICT children of the dropped users: the migration fails.
        'fails audits @0004_users.sql:3: 1',
        'fails grants @0004_users.sql:3: 1',
        // A copy that leaves 2 tags behind (WHERE id > 2) and does not copy name (4 rows hold one).
        'lost tags @0006_tags.sql:2: 2',
        'lost tags @0006_tags.sql:2: 4',
        // A new foreign key: members 2 and 4 point at no team.
        'fails __new_members @0007_members.sql:2: 2',
      ]),
    );
    // INSERT OR REPLACE: items 1 and 2 exist and are replaced with other values (2 gets another sku; both had
    // no price, the column 0003 adds without a default), item 9 is new. DELETE FROM drafts: on purpose, 0 rows.
    expect(all.filter((e) => e.includes('0005_replace'))).toEqual(['lost items @0005_replace.sql:1: 2', 'info drafts @0005_replace.sql:2: 0']);
    expect(db.preflight?.requests).toBe(1);
    expect(d.content()).toBe(before);
  }, 240_000);
});

test('the CLI: `d1-migrate preview` on a local D1 asks the same questions and exits 1 on a preflight error', async () => {
  const d = project();
  d.write('migrations/0002_users_plan.sql', REBUILD);
  const w = WRANGLERS['4.86'];
  const args = ['preview', '--cwd', d.cwd, '--target', 'local', '--persist-to', d.state, '--wrangler', `${w.node} ${w.script}`];
  const json = await runCli([...args, '--format', 'json']);
  expect(json.code).toBe(1);
  const db = (JSON.parse(json.stdout) as JsonReport).databases[0]!;
  expect(db.findings.filter((f) => f.rule.startsWith('preflight-')).map((f) => `${f.table}: ${f.rows}`)).toEqual(['notes: 2', 'posts: 4', 'likes: 4']);
  expect(db.preflight?.requests).toBe(1);
  const text = await runCli([...args, '--format', 'text']);
  expect(text.stdout).toMatch(/preflight: \d+ question\(s\) answered in 1 read-only request\(s\), 3 with rows lost or a failure/);
  expect(text.stdout).toContain('error [preflight-rows-lost] On top level · DB (app-db), `DROP TABLE users` (line 4) deletes 4 row(s) of posts');
  expect(d.ledger()).toEqual(['0001_schema.sql']);
}, 240_000);

test('a question D1 refuses (a CHECK that raises on a real row) costs its own answer, not the others', async () => {
  const d = project();
  d.execute(`CREATE TABLE events (id INTEGER PRIMARY KEY, meta TEXT); INSERT INTO events VALUES (1, '{"a":1}'), (2, 'not json');`);
  d.write(
    'migrations/0002_events.sql',
    `CREATE TABLE __new_events (id INTEGER PRIMARY KEY, meta TEXT CHECK (json_extract(meta, '$.a') IS NOT NULL));
INSERT INTO __new_events SELECT id, meta FROM events;
DROP TABLE events;
ALTER TABLE __new_events RENAME TO events;
ALTER TABLE items ADD COLUMN price INTEGER NOT NULL;
`,
  );
  const { db, lines } = await d.run({ phases: 'validate,preview' });
  const entries = db.preflight?.entries ?? [];
  const check = entries.find((e) => e.question.startsWith('rows copied into __new_events that fail CHECK'))!;
  expect(check.rows).toBeNull();
  expect(check.why).toMatch(/^D1 did not answer: .*malformed JSON/);
  expect(entries.find((e) => e.table === 'items' && e.effect === 'fails')?.rows).toBe(3);
  // The request, then each of its 3 statements alone (the CHECK's scan, the copy's size, items) to keep
  // the answers D1 does give: a failure path only.
  expect(db.preflight?.requests).toBe(4);
  expect(db.notes.join('\n')).toMatch(/Production preflight: 1 question\(s\) were not answered by top level · DB \(app-db\)/);
  expect(lines.some((l) => l.startsWith('warning: Production preflight: 1 question(s) were not answered'))).toBe(true);
}, 240_000);
