/**
 * The production preflight's questions, asked of an in-process D1-like SQLite that holds rows, exactly as
 * the request sends them — each kind on rows that trigger it and on rows that do not, and compared with
 * what applying the migration to the same rows really does. (Real wrangler and local D1: local.int.test.ts.)
 */
import { checkReadOnly, prepareRequest } from '../../src/preflight/request.js';
import { readSchema } from '../../src/replay/schema.js';
import { loadSqlite, openD1Like, schemaDb } from '../../src/replay/sqlite.js';
import { applied, preflight, summary } from './helpers.js';

const SCHEMA = `
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE CASCADE, title TEXT);
CREATE TABLE likes (id INTEGER PRIMARY KEY, post_id INTEGER REFERENCES posts(id) ON DELETE CASCADE);
`;
const ROWS = `
INSERT INTO users VALUES (1,'a@x',NULL),(2,'A@x','b'),(3,NULL,'c'),(4,'a@x','d');
INSERT INTO posts VALUES (1,1,'t'),(2,1,'u'),(3,2,'v'),(4,NULL,'w');
INSERT INTO likes VALUES (1,1),(2,1),(3,3),(4,4);
`;

/** The drizzle rebuild of users (a column becomes NOT NULL), as drizzle-kit writes it. */
const REBUILD = `PRAGMA foreign_keys=OFF;
CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
INSERT INTO __new_users("id", "email", "name") SELECT "id", "email", "name" FROM users;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
PRAGMA foreign_keys=ON;
`;

describe('DROP TABLE of a referenced table (a rebuild)', () => {
  test('cascades into children and grandchildren: the counts are the rows the apply really deletes', async () => {
    const files = { '0002_users.sql': REBUILD.replace('email TEXT NOT NULL', 'email TEXT') };
    const r = await preflight(SCHEMA + ROWS, files);
    expect(summary(r.asked)).toEqual(['lost posts @4: 3', 'lost likes @4: 3']);
    const truth = await applied(SCHEMA + ROWS, files);
    expect(truth.failed).toBeUndefined();
    // posts 4 → 1 (the row with a NULL user_id stays), likes 4 → 1 (the like of that post stays).
    expect(truth.counts).toMatchObject({ posts: 1, likes: 1 });
    // One scan per table: users (the copy's size), posts, likes.
    expect(r.statements).toBe(3);
  });

  test('children whose keys are all NULL lose nothing: asked, answered 0', async () => {
    const rows = `INSERT INTO users VALUES (1,'a',NULL); INSERT INTO posts VALUES (1,NULL,'t'); INSERT INTO likes VALUES (1,1);`;
    const files = { '0002_users.sql': REBUILD.replace('email TEXT NOT NULL', 'email TEXT') };
    const r = await preflight(SCHEMA + rows, files);
    expect(r.asked.filter((a) => a.effect === 'lost').map((a) => `${a.table}: ${a.rows}`)).toEqual(['posts: 0', 'likes: 0']);
    expect((await applied(SCHEMA + rows, files)).counts).toMatchObject({ posts: 1, likes: 1 });
  });

  test('SET NULL changes rows; NO ACTION and RESTRICT make the migration fail', async () => {
    const schema = `
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
CREATE TABLE notes (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE SET NULL);
CREATE TABLE audits (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
CREATE TABLE grants (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ON DELETE RESTRICT);
INSERT INTO users VALUES (1,'a'),(2,'b');
INSERT INTO notes VALUES (1,1),(2,2),(3,NULL);
INSERT INTO audits VALUES (1,2);
INSERT INTO grants VALUES (1,1),(2,1);`;
    const files = { '0002_drop.sql': 'DROP TABLE users;\n' };
    const r = await preflight(schema, files);
    expect(summary(r.asked).sort()).toEqual(['fails audits @1: 1', 'fails grants @1: 2', 'lost notes @1: 2']);
    expect((await applied(schema, files)).failed).toMatch(/FOREIGN KEY constraint failed/);
    const safe = schema.replace("INSERT INTO audits VALUES (1,2);", '').replace("INSERT INTO grants VALUES (1,1),(2,1);", '');
    expect(summary((await preflight(safe, files)).asked).sort()).toEqual(['fails audits @1: 0', 'fails grants @1: 0', 'lost notes @1: 2']);
    expect((await applied(safe, files)).failed).toBeUndefined();
  });

  test('NO ACTION children under PRAGMA defer_foreign_keys: fail at the commit, unless it is turned off again', async () => {
    const schema = `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
CREATE TABLE audits (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));
INSERT INTO users VALUES (1,'a'); INSERT INTO audits VALUES (1,1);`;
    const body = `CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
INSERT INTO __new_users SELECT id, email FROM users;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
`;
    const on = { '0002.sql': `PRAGMA defer_foreign_keys = on;\n${body}` };
    expect(summary((await preflight(schema, on)).asked)).toEqual(['fails __new_users @3: 0', 'fails audits @4: 1']);
    expect((await applied(schema, on)).failed).toMatch(/FOREIGN KEY constraint failed/);
    const onOff = { '0002.sql': `PRAGMA defer_foreign_keys = on;\n${body}PRAGMA defer_foreign_keys = off;\n` };
    expect(summary((await preflight(schema, onOff)).asked)).toEqual(['fails __new_users @3: 0']);
    expect((await applied(schema, onOff)).failed).toBeUndefined();
    // Under the pragma SQLite performs no RESTRICT action either: counted like NO ACTION, discarded by off.
    const restrict = schema.replace('REFERENCES users(id))', 'REFERENCES users(id) ON DELETE RESTRICT)');
    expect(summary((await preflight(restrict, onOff)).asked)).toEqual(['fails __new_users @3: 0']);
    expect((await applied(restrict, onOff)).failed).toBeUndefined();
    expect(summary((await preflight(restrict, { '0002.sql': body })).asked)).toEqual(['fails __new_users @2: 0', 'fails audits @3: 1']);
    expect((await applied(restrict, { '0002.sql': body })).failed).toMatch(/FOREIGN KEY constraint failed/);
  });

  test('a table created by an earlier pending migration is empty: nothing is asked about it', async () => {
    const files = {
      '0002_tags.sql': 'CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\nCREATE TABLE post_tags (tag_id INTEGER REFERENCES tags(id) ON DELETE CASCADE);\n',
      '0003_tags.sql': 'DROP TABLE tags;\nCREATE UNIQUE INDEX post_tags_tag ON post_tags (tag_id);\n',
    };
    const r = await preflight(SCHEMA + ROWS, files);
    expect(r.derived.probes).toEqual([]);
    expect(r.statements).toBe(0);
  });
});

test('the safe rebuild (docs/safe-table-changes.md): nothing lost or failing, and what the sources enforce is not asked again', async () => {
  const schema = `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
CREATE UNIQUE INDEX users_email_unique ON users (email);
CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, expires_at INTEGER NOT NULL);
INSERT INTO users VALUES (1, 'a@x', NULL), (2, 'b@x', 'B');
INSERT INTO sessions VALUES ('s1', 1, 0), ('s2', 2, 0), ('s3', 2, 0);`;
  const files = {
    '0002.sql': `CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL DEFAULT '');
CREATE TABLE __new_sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES __new_users(id) ON DELETE CASCADE, expires_at INTEGER NOT NULL);
INSERT INTO __new_users (id, email, name) SELECT id, email, coalesce(name, '') FROM users;
INSERT INTO __new_sessions (id, user_id, expires_at) SELECT id, user_id, expires_at FROM sessions;
DROP TABLE sessions;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
ALTER TABLE __new_sessions RENAME TO sessions;
CREATE UNIQUE INDEX users_email_unique ON users (email);
`,
  };
  const r = await preflight(schema, files);
  // Only the NOT NULL of name is asked (coalesce() is not a plain column); the ids, emails, the session's
  // NOT NULLs, its foreign key onto the copied parent and the UNIQUE index again are the sources' own.
  expect(summary(r.asked)).toEqual(['fails __new_users @3: 0']);
  expect((await applied(schema, files)).counts).toMatchObject({ users: 2, sessions: 3 });
});

describe('UNIQUE: a new index, a key of a rebuilt table, a seed row', () => {
  test('duplicates counted with the column collation and the partial WHERE', async () => {
    const schema = `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT COLLATE NOCASE, deleted INTEGER NOT NULL DEFAULT 0);
INSERT INTO users (id, email, deleted) VALUES (1,'a@x',0),(2,'A@X',0),(3,'a@x',1),(4,'b@x',0),(5,NULL,0),(6,NULL,0);`;
    const plain = { '0002.sql': 'CREATE UNIQUE INDEX users_email ON users (email);\n' };
    expect(summary((await preflight(schema, plain)).asked)).toEqual(['fails users @1: 2']);
    expect((await applied(schema, plain)).failed).toMatch(/UNIQUE constraint failed/);
    const binary = { '0002.sql': 'CREATE UNIQUE INDEX users_email ON users (email COLLATE BINARY);\n' };
    expect(summary((await preflight(schema, binary)).asked)).toEqual(['fails users @1: 1']);
    const partial = { '0002.sql': 'CREATE UNIQUE INDEX users_email ON users (email) WHERE deleted = 0;\n' };
    expect(summary((await preflight(schema, partial)).asked)).toEqual(['fails users @1: 1']);
    const none = { '0002.sql': 'CREATE UNIQUE INDEX users_email ON users (email) WHERE id IN (1, 4);\n' };
    expect(summary((await preflight(schema, none)).asked)).toEqual(['fails users @1: 0']);
    expect((await applied(schema, none)).failed).toBeUndefined();
  });

  test('an index created after a rebuild is asked of the rebuilt rows (after a backfill in the same file)', async () => {
    const files = {
      '0002_users.sql': `UPDATE users SET email = 'user' || id || '@x' WHERE id IN (2, 4);\n${REBUILD.replace('email TEXT NOT NULL', 'email TEXT')}CREATE UNIQUE INDEX users_email ON users (email);\n`,
    };
    const rows = `INSERT INTO users VALUES (1,'a@x',NULL),(2,'a@x','b'),(3,NULL,'c'),(4,'a@x','d');`;
    const r = await preflight(SCHEMA + rows, files);
    // posts and likes are empty here: the cascade of the DROP is asked and answered 0.
    expect(summary(r.asked)).toEqual(['lost posts @5: 0', 'lost likes @5: 0', 'fails users @8: 0']);
    expect((await applied(SCHEMA + rows, files)).failed).toBeUndefined();
    const r2 = await preflight(SCHEMA + rows, { '0002_users.sql': files['0002_users.sql'].replace('IN (2, 4)', 'IN (2)') });
    expect(summary(r2.asked)).toContain('fails users @8: 1');
  });

  test('a seed row that exists already fails; INSERT OR IGNORE of it is on purpose', async () => {
    const schema = `CREATE TABLE roles (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE); INSERT INTO roles VALUES (1, 'admin');`;
    expect(summary((await preflight(schema, { '0002.sql': "INSERT INTO roles (name) VALUES ('admin'), ('editor');\n" })).asked)).toEqual(['fails roles @1: 1']);
    expect(summary((await preflight(schema, { '0002.sql': "INSERT INTO roles (name) VALUES ('editor');\n" })).asked)).toEqual(['fails roles @1: 0']);
    // The key's collation decides: 'ADMIN' is 'admin' under NOCASE.
    const nocase = schema.replace('name TEXT NOT NULL UNIQUE', 'name TEXT COLLATE NOCASE NOT NULL UNIQUE');
    expect(summary((await preflight(nocase, { '0002.sql': "INSERT INTO roles (name) VALUES ('ADMIN');\n" })).asked)).toEqual(['fails roles @1: 1']);
    expect(summary((await preflight(schema, { '0002.sql': "INSERT INTO roles (name) VALUES ('ADMIN');\n" })).asked)).toEqual(['fails roles @1: 0']);
    expect((await applied(nocase, { '0002.sql': "INSERT INTO roles (name) VALUES ('ADMIN');\n" })).failed).toMatch(/UNIQUE constraint failed/);
    const ignore = await preflight(schema, { '0002.sql': "INSERT OR IGNORE INTO roles (name) VALUES ('admin');\n" });
    expect(summary(ignore.asked)).toEqual([]);
    expect(summary(ignore.asked, ['info'])).toEqual(['info roles @1: 1']);
  });
});

describe('a column that must hold a value: NOT NULL, CHECK, a foreign key', () => {
  test('NULLs copied into NOT NULL fail; a backfill first makes it 0', async () => {
    const files = { '0002_users.sql': REBUILD };
    const r = await preflight(SCHEMA + ROWS, files);
    expect(summary(r.asked)).toContain('fails __new_users @3: 1');
    expect((await applied(SCHEMA + ROWS, files)).failed).toMatch(/NOT NULL constraint failed: __new_users.email/);
    const fixed = { '0002_users.sql': `UPDATE users SET email = '' WHERE email IS NULL;\n${REBUILD}` };
    expect(summary((await preflight(SCHEMA + ROWS, fixed)).asked)).toContain('fails __new_users @4: 0');
  });

  test('ADD COLUMN NOT NULL without a default fails on a table with rows, not on an empty one', async () => {
    const files = { '0002.sql': 'ALTER TABLE posts ADD COLUMN slug TEXT NOT NULL;\n' };
    expect(summary((await preflight(SCHEMA + ROWS, files)).asked)).toEqual(['fails posts @1: 4']);
    expect((await applied(SCHEMA + ROWS, files)).failed).toMatch(/Cannot add a NOT NULL column with default value NULL/);
    expect(summary((await preflight(SCHEMA, files)).asked)).toEqual(['fails posts @1: 0']);
  });

  test('a new CHECK: rows of the copy that fail it, and an added column whose default fails it', async () => {
    const rebuild = REBUILD.replace('email TEXT NOT NULL', "email TEXT CHECK (email LIKE '%@%')");
    expect(summary((await preflight(SCHEMA + ROWS.replace("'A@x'", "'nope'"), { '0002.sql': rebuild })).asked)).toContain('fails __new_users @3: 1');
    expect(summary((await preflight(SCHEMA + ROWS, { '0002.sql': rebuild })).asked)).toContain('fails __new_users @3: 0');
    const add = { '0002.sql': "ALTER TABLE users ADD COLUMN plan TEXT DEFAULT 'free' CHECK (plan <> 'free' OR id < 3);\n" };
    expect(summary((await preflight(SCHEMA + ROWS, add)).asked)).toEqual(['fails users @1: 2']);
    expect((await applied(SCHEMA + ROWS, add)).failed).toMatch(/CHECK constraint failed/);
  });

  test('a new foreign key in a rebuild: rows pointing at no parent', async () => {
    const schema = `CREATE TABLE teams (id INTEGER PRIMARY KEY); CREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER);
INSERT INTO teams VALUES (1); INSERT INTO members VALUES (1,1),(2,7),(3,NULL),(4,8);`;
    const files = {
      '0002.sql': `CREATE TABLE __new_members (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES teams(id));
INSERT INTO __new_members SELECT id, team_id FROM members;
DROP TABLE members;
ALTER TABLE __new_members RENAME TO members;
`,
    };
    expect(summary((await preflight(schema, files)).asked)).toEqual(['fails __new_members @2: 2']);
    expect((await applied(schema, files)).failed).toMatch(/FOREIGN KEY constraint failed/);
    expect(summary((await preflight(schema.replace('(2,7)', '(2,1)').replace('(4,8)', '(4,NULL)'), files)).asked)).toEqual(['fails __new_members @2: 0']);
  });
});

describe('rows a statement changes without meaning to, or on purpose', () => {
  test('a copy that leaves rows behind and a column it does not copy', async () => {
    const files = {
      '0002.sql': `CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
INSERT INTO __new_users (id, email) SELECT id, email FROM users WHERE email IS NOT NULL;
DROP TABLE posts; DROP TABLE likes;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
`,
    };
    const r = await preflight(SCHEMA + ROWS, files);
    expect(summary(r.asked)).toEqual(['lost users @2: 1', 'lost users @2: 3']);
    expect(r.asked.filter((a) => a.effect === 'lost').map((a) => a.question)).toEqual([
      'rows of users the copy into __new_users leaves behind (WHERE, JOIN, LIMIT, DISTINCT …)',
      'rows of users whose name the copy into __new_users does not copy (it gets its default)',
    ]);
    expect((await applied(SCHEMA + ROWS, files)).counts.users).toBe(3);
  });

  test('DELETE without WHERE: the rows it deletes on purpose, and the cascade it starts', async () => {
    const files = { '0002.sql': 'DELETE FROM posts;\n' };
    const r = await preflight(SCHEMA + ROWS, files);
    expect(summary(r.asked, ['info', 'lost', 'fails'])).toEqual(['info posts @1: 4', 'lost likes @1: 4']);
    expect((await applied(SCHEMA + ROWS, files)).counts).toMatchObject({ posts: 0, likes: 0 });
    const where = await preflight(SCHEMA + ROWS, { '0002.sql': 'DELETE FROM posts WHERE user_id = 2;\n' });
    expect(summary(where.asked, ['info', 'lost'])).toEqual(['info posts @1: 1', 'lost likes @1: 1']);
  });

  test('INSERT OR REPLACE into a table with rows: rows replaced with other values, and their children', async () => {
    const files = { '0002.sql': 'INSERT OR REPLACE INTO users (id, email) SELECT id, lower(email) FROM users;\n' };
    const r = await preflight(SCHEMA + ROWS, files);
    // Every user row is replaced (name falls back to NULL where it was set, email changes for 'A@x'), and
    // every post of a replaced user goes with it, and every like of those posts.
    expect(summary(r.asked)).toEqual(['lost users @1: 3', 'lost posts @1: 3', 'lost likes @1: 3']);
    expect((await applied(SCHEMA + ROWS, files)).counts).toMatchObject({ users: 4, posts: 1, likes: 1 });
  });
});

describe('the request', () => {
  test('nothing data-dependent pending (new tables, an index on a new table): no question at all', async () => {
    const r = await preflight(SCHEMA + ROWS, { '0002.sql': 'CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT);\nCREATE INDEX tags_name ON tags (name);\n' });
    expect(r.derived.probes).toEqual([]);
  });

  test('hostile names: quoted, counted right, still one read-only statement each', async () => {
    const t = 'a"b; DROP TABLE x; --';
    const qt = `"${t.replace(/"/g, '""')}"`;
    const schema = `CREATE TABLE ${qt} (id INTEGER PRIMARY KEY, [c d] TEXT, "CASE" TEXT, "$x$" TEXT);
CREATE TABLE "child 'q'" (id INTEGER PRIMARY KEY, p INTEGER REFERENCES ${qt}(id) ON DELETE CASCADE);
INSERT INTO ${qt} VALUES (1,'x','y',NULL),(2,'x',NULL,'z');
INSERT INTO "child 'q'" VALUES (1,1),(2,2),(3,NULL);`;
    const files = {
      '0002.sql': `CREATE TABLE "new;t" (id INTEGER PRIMARY KEY, [c d] TEXT NOT NULL, "CASE" TEXT NOT NULL, "$x$" TEXT UNIQUE);
INSERT INTO "new;t" (id, [c d], "CASE", "$x$") SELECT id, [c d], CASE WHEN "CASE" IS NULL THEN 'n' END, "$x$" FROM ${qt};
DROP TABLE ${qt};
`,
    };
    const r = await preflight(schema, files);
    // NOT NULL of [c d] (0), NOT NULL of "CASE" (1: the CASE gives NULL for the first row), UNIQUE "$x$" (0),
    // and the cascade into "child 'q'" (2).
    expect(summary(r.asked)).toEqual(['fails new;t @2: 0', 'fails new;t @2: 1', 'fails new;t @2: 0', "lost child 'q' @3: 2"]);
    expect(r.prepared.dropped.size).toBe(0);
    // Every statement survives wrangler's own splitter as one statement (CASE would otherwise start a block).
    const { unstable_splitSqlQuery: split } = (await import('wrangler')) as unknown as { unstable_splitSqlQuery: (sql: string) => string[] };
    const statements = r.prepared.parts.flatMap((p) => p.statements);
    expect(split(statements.join(';\n'))).toHaveLength(statements.length);
  });
});

test('only single read-only statements are sent: a write throws, a second statement is refused', async () => {
  const sqlite3 = await loadSqlite();
  const db = openD1Like(sqlite3);
  try {
    db.exec(SCHEMA);
    expect(() => checkReadOnly(sqlite3, db, 'DELETE FROM users')).toThrow(/preflight bug: a probe is not read-only/);
    expect(checkReadOnly(sqlite3, db, 'SELECT count(*) FROM users; DELETE FROM users')).toBe('it is more than one statement');
    expect(checkReadOnly(sqlite3, db, 'SELECT count(*) FROM nope')).toMatch(/does not compile on the live schema \(no such table: nope\)/);
    expect(checkReadOnly(sqlite3, db, 'SELECT count(*) FROM users')).toBeUndefined();
    // A question whose text was bent into two statements is dropped, the others are still sent.
    const live = readSchema(schemaDb(sqlite3, db), 'd1_migrations');
    const base = { migration: 'm', file: 'f', line: 1, table: 'users', effect: 'fails' as const };
    const prepared = prepareRequest(sqlite3, live, [
      { ...base, question: 'a', scalar: '1) AS x; DELETE FROM users; SELECT (1' },
      { ...base, question: 'b', scan: { from: 'main."users" AS "users"', predicate: '"email" IS NULL' } },
    ]);
    expect([...prepared.dropped]).toEqual([[0, 'it is more than one statement']]);
    expect(prepared.parts.flatMap((p) => p.statements)).toEqual(['SELECT coalesce(sum(iif("email" IS NULL, 1, 0)), 0) AS "q1" FROM main."users" AS "users"']);
  } finally {
    db.close();
  }
});

test('a seed file of 2,000 INSERTs into a table with rows: bounded questions in one request, the rest said not asked', async () => {
  const schema = `CREATE TABLE settings (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, value TEXT); INSERT INTO settings (key, value) VALUES ('k7', 'old');`;
  const seed = Array.from({ length: 2000 }, (_, i) => `INSERT INTO settings (key, value) VALUES ('k${i}', 'v');`).join('\n');
  const r = await preflight(schema, { '0002_seed.sql': seed });
  const statements = r.prepared.parts.flatMap((p) => p.statements);
  expect(r.prepared.parts.length).toBe(1);
  expect(Buffer.byteLength(statements.join(';\n'))).toBeLessThan(90_000);
  // The 8th INSERT collides with the row the database has: asked and counted.
  expect(summary(r.asked).filter((s) => !s.endsWith(': 0'))).toEqual(['fails settings @8: 1']);
  expect(r.derived.notes.join('\n')).toMatch(/more question\(s\) (were not asked|could not be put into SQL)/);
}, 60_000);
