/**
 * The data check on its own: each mechanism that loses rows or fails only with data, what the findings say
 * (table, line, statement, mechanism), their safe counterparts, the filler's handling of constraints, and
 * that the replay's own verdict, schema and applied list are untouched. The same mechanisms are checked
 * against real wrangler with real rows in __tests__/data-check/wrangler-truth.int.test.ts.
 */
import { afterAll } from '@jest/globals';
import { validateDatabase } from '../../src/phases/validate.js';
import { replayMigrations } from '../../src/replay/index.js';
import { cleanupProjects, makeProject, targetFor } from '../migrations/fixtures.js';
import { mfiles } from './files.js';

afterAll(() => cleanupProjects());

async function check(...pairs: [string, string][]) {
  return replayMigrations({ files: mfiles(...pairs), migrationsTable: 'd1_migrations', dataCheck: true });
}

const data = <T extends { rule: string }>(r: { findings: T[] }) => r.findings.filter((f) => f.rule === 'rows-lost' || f.rule === 'fails-with-data');
const lostTables = (r: Awaited<ReturnType<typeof check>>) =>
  r.findings
    .filter((f) => f.rule === 'rows-lost')
    .map((f) => f.table)
    .sort();

const USERS = `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, expires_at INTEGER NOT NULL);`;

const REBUILD_USERS = `PRAGMA foreign_keys=OFF;
CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, role TEXT DEFAULT 'user');
INSERT INTO __new_users (id, email, name, created_at) SELECT id, email, name, created_at FROM users;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
PRAGMA foreign_keys=ON;`;

describe('rows-lost', () => {
  test('a drizzle-style rebuild of a referenced table deletes the child rows through ON DELETE CASCADE', async () => {
    const r = await check(['0001_init.sql', USERS], ['0002_rebuild.sql', REBUILD_USERS]);
    const lost = r.findings.filter((f) => f.rule === 'rows-lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ severity: 'error', file: 'migrations/0002_rebuild.sql', line: 4, table: 'sessions' });
    expect(lost[0]!.message).toContain('2 rows were deleted (the table is left empty)');
    expect(lost[0]!.message).toContain('`DROP TABLE users`');
    expect(lost[0]!.message).toContain('sessions.user_id REFERENCES users ON DELETE CASCADE');
    expect(lost[0]!.message).toContain('PRAGMA foreign_keys = OFF has no effect');
    // The static rule still explains the shape; the data check confirms the effect.
    expect(r.findings.map((f) => f.rule)).toContain('drop-referenced-table');
    expect(r.failedAt).toBeUndefined();
  });

  test('ALTER TABLE ADD COLUMN instead of the rebuild loses nothing', async () => {
    const r = await check(['0001_init.sql', USERS], ['0002_role.sql', `ALTER TABLE users ADD COLUMN role TEXT DEFAULT 'user';`]);
    expect(data(r)).toEqual([]);
  });

  test('ON DELETE SET NULL: the child rows stay but lose their reference (rows changed)', async () => {
    const r = await check(
      ['0001_init.sql', `CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\nCREATE TABLE posts (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors(id) ON DELETE SET NULL, title TEXT NOT NULL);`],
      [
        '0002_rebuild_authors.sql',
        `CREATE TABLE __new_authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL, bio TEXT);\nINSERT INTO __new_authors (id, name) SELECT id, name FROM authors;\nDROP TABLE authors;\nALTER TABLE __new_authors RENAME TO authors;`,
      ],
    );
    const lost = r.findings.filter((f) => f.rule === 'rows-lost');
    expect(lost.map((f) => [f.table, f.line])).toEqual([['posts', 3]]);
    expect(lost[0]!.message).toContain('2 rows were changed');
    expect(lost[0]!.message).toContain('ON DELETE SET NULL');
  });

  test('INSERT OR REPLACE deletes the conflicting rows (and cascades); an upsert keeps them', async () => {
    const replace = await check(['0001_init.sql', USERS], ['0002_lower.sql', `INSERT OR REPLACE INTO users (id, email) SELECT id, lower(email) FROM users;`]);
    expect(lostTables(replace)).toEqual(['sessions', 'users']);
    const users = replace.findings.find((f) => f.rule === 'rows-lost' && f.table === 'users')!;
    expect(users.line).toBe(1);
    expect(users.message).toContain('REPLACE conflict');
    expect(users.message).toContain('ON CONFLICT');
    const sessions = replace.findings.find((f) => f.rule === 'rows-lost' && f.table === 'sessions')!;
    expect(sessions.message).toContain('sessions.user_id REFERENCES users ON DELETE CASCADE');

    const upsert = await check(
      ['0001_init.sql', USERS],
      ['0002_lower.sql', `INSERT INTO users (id, email) SELECT id, lower(email) FROM users WHERE true ON CONFLICT (id) DO UPDATE SET email = excluded.email;`],
    );
    expect(data(upsert)).toEqual([]);
    const update = await check(['0001_init.sql', USERS], ['0002_lower.sql', `UPDATE users SET email = lower(email);`]);
    expect(data(update)).toEqual([]);
  });

  test('a row deleted and put back with the same values is not a change; FTS5 shadow tables are not compared', async () => {
    const same = await check(['0001_init.sql', USERS], ['0002_same.sql', `INSERT OR REPLACE INTO users SELECT * FROM users;`]);
    // users keeps identical rows; the sessions still go through the cascade of the REPLACE's delete.
    expect(lostTables(same)).toEqual(['sessions']);

    const fts = await check(
      [
        '0001_init.sql',
        `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE VIRTUAL TABLE notes_fts USING fts5(body, content='notes', content_rowid='id');
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body); END;
CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN
  INSERT INTO notes_fts(notes_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
END;`,
      ],
      ['0002_trim.sql', `UPDATE notes SET body = trim(body);\nINSERT INTO notes (body) VALUES ('hello');`],
    );
    expect(data(fts)).toEqual([]);
    expect(fts.notes.join('\n')).toContain('notes_fts (a virtual table');
  });

  test('a trigger that deletes rows of another table is named', async () => {
    const setup = `CREATE TABLE orders (id INTEGER PRIMARY KEY, status TEXT NOT NULL DEFAULT 'new', total INTEGER NOT NULL DEFAULT 0);
CREATE TABLE order_cache (order_id INTEGER PRIMARY KEY REFERENCES orders(id), summary TEXT);
CREATE TRIGGER orders_status AFTER UPDATE OF status ON orders BEGIN DELETE FROM order_cache WHERE order_id = NEW.id; END;`;
    const r = await check(['0001_init.sql', setup], ['0002_upper.sql', `UPDATE orders SET status = upper(status);`]);
    const lost = r.findings.filter((f) => f.rule === 'rows-lost');
    expect(lost.map((f) => f.table)).toEqual(['order_cache']);
    expect(lost[0]!.message).toContain('trigger orders_status on orders');
    expect(lost[0]!.message).not.toContain('NO ACTION');
    // The same UPDATE of a column the trigger does not watch loses nothing.
    const safe = await check(['0001_init.sql', setup], ['0002_total.sql', `UPDATE orders SET total = total + 1;`]);
    expect(data(safe)).toEqual([]);
  });

  test('rename to _old then drop: the children were re-pointed at the old table by the rename', async () => {
    const r = await check(
      ['0001_init.sql', USERS],
      [
        '0002_rebuild.sql',
        `ALTER TABLE users RENAME TO users_old;
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
INSERT INTO users SELECT * FROM users_old;
DROP TABLE users_old;`,
      ],
    );
    const lost = r.findings.filter((f) => f.rule === 'rows-lost');
    expect(lost.map((f) => [f.table, f.line])).toEqual([['sessions', 4]]);
    expect(lost[0]!.message).toContain('`ALTER TABLE users RENAME TO users_old` re-pointed it');
  });

  test('children rebuilt after the parent was dropped: the copy made after the cascade is empty', async () => {
    // Each table rebuilt in its own block, parent first (drizzle's shape for two changed tables).
    const r = await check(
      ['0001_init.sql', USERS],
      [
        '0002_rebuild_both.sql',
        `${REBUILD_USERS}
CREATE TABLE __new_sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, expires_at INTEGER NOT NULL, ip TEXT);
INSERT INTO __new_sessions (id, user_id, expires_at) SELECT id, user_id, expires_at FROM sessions;
DROP TABLE sessions;
ALTER TABLE __new_sessions RENAME TO sessions;`,
      ],
    );
    const lost = r.findings.filter((f) => f.rule === 'rows-lost');
    expect(lost.map((f) => [f.table, f.line])).toEqual([['sessions', 4]]);
    expect(lost[0]!.message).toContain('it had 2 rows before and 0 after being rebuilt');
  });

  test('children rebuilt first, pointing at the new parent, in one file: nothing is lost', async () => {
    const r = await check(
      ['0001_init.sql', USERS],
      [
        '0002_rebuild_both.sql',
        `CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, role TEXT DEFAULT 'user');
INSERT INTO __new_users (id, email, name, created_at) SELECT id, email, name, created_at FROM users;
CREATE TABLE __new_sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES __new_users(id) ON DELETE CASCADE, expires_at INTEGER NOT NULL);
INSERT INTO __new_sessions SELECT id, user_id, expires_at FROM sessions;
DROP TABLE sessions;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
ALTER TABLE __new_sessions RENAME TO sessions;`,
      ],
    );
    expect(data(r)).toEqual([]);
  });

  test('a table dropped and created again without copying its rows is a deliberate reset, not a loss', async () => {
    const r = await check(['0001_init.sql', USERS], ['0002_reset.sql', `DROP TABLE sessions;\nCREATE TABLE sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), token TEXT NOT NULL);`]);
    expect(data(r)).toEqual([]);
  });

  test('when the data check ran the file and nothing was lost, the static drop-referenced-table is not reported', async () => {
    // The parent is dropped first (cascading into the child), then the child is dropped too: no row survives
    // that should have, so the prediction "deletes every row of sessions" is beside the point.
    const files: [string, string][] = [['0001_init.sql', USERS], ['0002_drop_both.sql', `DROP TABLE users;\nDROP TABLE sessions;`]];
    const on = await check(...files);
    expect(on.findings.filter((f) => f.rule === 'drop-referenced-table' || f.rule === 'rows-lost')).toEqual([]);
    expect(on.notes.join('\n')).toContain('0002_drop_both.sql line 1: DROP TABLE users while sessions references it — the data check ran the file');
    const off = await replayMigrations({ files: mfiles(...files), migrationsTable: 'd1_migrations' });
    expect(off.findings.map((f) => [f.rule, f.line])).toEqual([['drop-referenced-table', 1]]);
  });

  test('a DELETE that cascades is reported against the child and can be suppressed above the statement', async () => {
    const setup = { 'migrations/0001_init.sql': USERS };
    const plain = makeProject({ ...setup, 'migrations/0002_purge.sql': `DELETE FROM users;\n` });
    const r1 = await validateDatabase(targetFor(plain), { cwd: plain, numbering: 'sequential', disabled: new Set() });
    expect(r1.findings.filter((f) => f.rule === 'rows-lost').map((f) => [f.table, f.line])).toEqual([['sessions', 1]]);
    const ignored = makeProject({ ...setup, 'migrations/0002_purge.sql': `-- d1-migrate-ignore: rows-lost -- sessions go with their users\nDELETE FROM users;\n` });
    const r2 = await validateDatabase(targetFor(ignored), { cwd: ignored, numbering: 'sequential', disabled: new Set() });
    expect(r2.findings.filter((f) => f.rule === 'rows-lost')).toEqual([]);
  });
});

describe('fails-with-data', () => {
  test('NO ACTION children and a rebuild: fails when the file ends, even with defer_foreign_keys', async () => {
    const r = await check(
      ['0001_init.sql', `CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\nCREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES teams(id));`],
      [
        '0002_rebuild.sql',
        `PRAGMA defer_foreign_keys = on;\nCREATE TABLE __new_teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL, slug TEXT);\nINSERT INTO __new_teams (id, name) SELECT id, name FROM teams;\nDROP TABLE teams;\nALTER TABLE __new_teams RENAME TO teams;`,
      ],
    );
    const f = data(r);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: 'fails-with-data', severity: 'error', file: 'migrations/0002_rebuild.sql', line: 4 });
    expect(f[0]!.message).toContain('FOREIGN KEY constraint failed');
    expect(f[0]!.message).toContain('defer_foreign_keys = on does not help');
  });

  test('defer_foreign_keys turned off before the end discards the violations (as D1 does); a copy that drops parent rows is still caught', async () => {
    const init: [string, string] = ['0001_init.sql', `CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL);\nCREATE TABLE members (id INTEGER PRIMARY KEY, team_id INTEGER NOT NULL REFERENCES teams(id));`];
    const rebuild = (where: string) =>
      `PRAGMA defer_foreign_keys = on;\nCREATE TABLE __new_teams (id INTEGER PRIMARY KEY, name TEXT NOT NULL, slug TEXT);\nINSERT INTO __new_teams (id, name) SELECT id, name FROM teams${where};\nDROP TABLE teams;\nALTER TABLE __new_teams RENAME TO teams;\nPRAGMA defer_foreign_keys = off;`;
    // Every team copied: the members point at rows that exist again, the file commits, nothing is lost.
    expect(data(await check(init, ['0002_rebuild.sql', rebuild('')]))).toEqual([]);
    // Only some copied: it still commits (the pragma discarded the count), and teams has fewer rows.
    const partial = await check(init, ['0002_rebuild.sql', rebuild(' WHERE id = (SELECT min(id) FROM teams)')]);
    expect(partial.findings.filter((f) => f.rule === 'rows-lost').map((f) => [f.table, f.line, f.message.includes('1 after being rebuilt')])).toEqual([['teams', 3, true]]);
    expect(partial.findings.find((f) => f.rule === 'rows-lost')!.message).toContain('the copy does not take every row');
  });

  test('ADD COLUMN NOT NULL without a default, and a UNIQUE index over a defaulted column', async () => {
    const init: [string, string] = ['0001_init.sql', `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);`];
    const notNull = await check(init, ['0002_slug.sql', `ALTER TABLE users ADD COLUMN slug TEXT NOT NULL;`]);
    expect(data(notNull).map((f) => [f.rule, f.line])).toEqual([['fails-with-data', 1]]);
    expect(notNull.findings.find((f) => f.rule === 'fails-with-data')!.message).toContain('Cannot add a NOT NULL column with default value NULL');

    const unique = await check(init, ['0002_slug.sql', `ALTER TABLE users ADD COLUMN slug TEXT NOT NULL DEFAULT '';\nCREATE UNIQUE INDEX users_slug ON users (slug);`]);
    const u = unique.findings.filter((f) => f.rule === 'fails-with-data');
    expect(u.map((f) => f.line)).toEqual([2]);
    expect(u[0]!.message).toContain('UNIQUE constraint failed: users.slug');
    expect(u[0]!.message).toContain('duplicate values');

    const safe = await check(init, ['0002_slug.sql', `ALTER TABLE users ADD COLUMN slug TEXT;\nCREATE UNIQUE INDEX users_slug ON users (slug);`]);
    expect(data(safe)).toEqual([]);
  });

  test('a file that fails on the empty replay is reported as failing there, not as a data finding', async () => {
    const r = await check(['0001_init.sql', USERS], ['0002_bad.sql', `DROP TABLE users;\nINSERT INTO nope VALUES (1);`]);
    expect(r.failedAt).toBe('0002_bad.sql');
    expect(data(r)).toEqual([]);
    expect(r.findings.map((f) => f.rule)).toContain('replay-error');
  });

  test('a CHECK that synthetic rows break is a note, not a finding (real rows may satisfy it)', async () => {
    const r = await check(
      ['0001_init.sql', `CREATE TABLE items (id INTEGER PRIMARY KEY, code TEXT NOT NULL);`],
      ['0002_check.sql', `CREATE TABLE __new_items (id INTEGER PRIMARY KEY, code TEXT NOT NULL CHECK (code GLOB '[A-Z][A-Z][0-9]'));\nINSERT INTO __new_items SELECT * FROM items;\nDROP TABLE items;\nALTER TABLE __new_items RENAME TO items;`],
    );
    expect(data(r)).toEqual([]);
    expect(r.notes.join('\n')).toMatch(/0002_check\.sql: with synthetic rows .*CHECK constraint failed/);
  });

  test('after a fails-with-data the check goes on with the next files', async () => {
    const r = await check(
      ['0001_init.sql', `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n${USERS.split('\n')[1]}`],
      ['0002_slug.sql', `ALTER TABLE users ADD COLUMN slug TEXT NOT NULL;`],
      ['0003_rebuild.sql', REBUILD_USERS.replace('role TEXT', 'slug TEXT NOT NULL DEFAULT "", role TEXT').replace('name TEXT, created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP', 'name TEXT')
        .replace('(id, email, name, created_at) SELECT id, email, name, created_at', '(id, email) SELECT id, email')],
    );
    expect(data(r).map((f) => [f.rule, f.file])).toEqual([
      ['fails-with-data', 'migrations/0002_slug.sql'],
      // The copy into the new UNIQUE email fails where two users share an email (boundary.ts: '' in both).
      ['fails-with-data', 'migrations/0003_rebuild.sql'],
      ['rows-lost', 'migrations/0003_rebuild.sql'],
    ]);
    expect(data(r)[1]!.message).toContain("Fails once rows hold '' in users.email");
  });
});

describe('synthetic rows', () => {
  test('seed data with explicit small ids does not collide with synthetic rows', async () => {
    const r = await check(
      ['0001_roles.sql', `CREATE TABLE roles (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);`],
      ['0002_seed.sql', `INSERT INTO roles (id, name) VALUES (1, 'admin'), (2, 'member');`],
      ['0003_more.sql', `INSERT INTO roles (name) VALUES ('guest');\nCREATE TABLE grants (role_id INTEGER NOT NULL REFERENCES roles(id), what TEXT NOT NULL);\nINSERT INTO grants VALUES (3, 'read');`],
    );
    expect(data(r)).toEqual([]);
    expect(r.failedAt).toBeUndefined();
  });

  test('CHECK lists, UNIQUE, self-references and composite WITHOUT ROWID keys are filled', async () => {
    const r = await check(
      [
        '0001_init.sql',
        `CREATE TABLE categories (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE, kind TEXT NOT NULL UNIQUE CHECK (kind IN ('a', 'b', 'c')));
CREATE TABLE tags (post INTEGER NOT NULL, tag TEXT NOT NULL, weight REAL NOT NULL CHECK (weight BETWEEN 0 AND 1), PRIMARY KEY (post, tag)) WITHOUT ROWID;
CREATE TABLE strict_t (id INTEGER PRIMARY KEY, n INT NOT NULL, b BLOB NOT NULL) STRICT;`,
      ],
      // Rebuilding categories drops the self-referencing rows' parent: the table itself is the one rebuilt.
      ['0002_touch.sql', `UPDATE tags SET weight = weight;\nUPDATE strict_t SET n = n;\nDELETE FROM categories WHERE 0;`],
    );
    expect(r.notes.filter((n) => /could not be given synthetic rows/.test(n))).toEqual([]);
    expect(data(r)).toEqual([]);
  });

  test('plain indexes (which the twin leaves out) can be dropped, recreated and named in INDEXED BY', async () => {
    const r = await check(
      ['0001_init.sql', `CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INTEGER NOT NULL DEFAULT 0);\nCREATE INDEX t_a ON t (a);\nCREATE INDEX IF NOT EXISTS t_b ON t (b);`],
      ['0002_rework.sql', `DROP INDEX t_a;\nCREATE INDEX t_a ON t (a, b);\nUPDATE t INDEXED BY t_a SET b = b + 1 WHERE a > '';\nDROP INDEX IF EXISTS t_b;`],
      ['0003_unique.sql', `CREATE UNIQUE INDEX t_a_unique ON t (a);\nDROP INDEX t_a_unique;`],
    );
    expect(r.failedAt).toBeUndefined();
    expect(data(r)).toEqual([]);
    expect(r.notes.filter((n) => /Data check/.test(n))).toEqual([]);
  });

  test('a table dropped and created again under the newest schema row still gets rows', async () => {
    // Dropping the newest object frees its sqlite_schema rowid, which the next CREATE reuses.
    const r = await check(
      ['0001_init.sql', `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\nCREATE TABLE tmp (id INTEGER PRIMARY KEY);`],
      ['0002_swap.sql', `DROP TABLE tmp;\nCREATE TABLE sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE);`],
      ['0003_purge.sql', `DELETE FROM users;`],
    );
    expect(lostTables(r)).toEqual(['sessions']);
  });

  test('tables that cannot be filled are listed once in a note', async () => {
    const r = await check(
      ['0001_init.sql', `CREATE TABLE never (id INTEGER PRIMARY KEY, x INTEGER NOT NULL CHECK (x <> x));\nCREATE VIRTUAL TABLE docs USING fts5(body);`],
      ['0002_a.sql', `UPDATE never SET x = 1;`],
      ['0003_b.sql', `UPDATE never SET x = 2;`],
    );
    const notes = r.notes.filter((n) => /could not be given synthetic rows/.test(n));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain('2 tables');
    expect(notes[0]).toMatch(/never \(.*CHECK constraint failed/);
    expect(notes[0]).toContain('docs (a virtual table');
  });

  test('the replay verdict, schema and applied list are the same with and without the data check', async () => {
    const files = mfiles(['0001_init.sql', USERS], ['0002_rebuild.sql', REBUILD_USERS], ['0003_more.sql', `INSERT INTO users (email) VALUES ('a@b.c');\nALTER TABLE sessions ADD COLUMN ip TEXT;`]);
    const on = await replayMigrations({ files, migrationsTable: 'd1_migrations', dataCheck: true });
    const off = await replayMigrations({ files, migrationsTable: 'd1_migrations' });
    expect(on.replayed).toEqual(off.replayed);
    expect(on.schema).toEqual(off.schema);
    expect(on.findings.filter((f) => f.rule !== 'rows-lost')).toEqual(off.findings);
    expect(off.findings.filter((f) => f.rule === 'rows-lost')).toEqual([]);
  });

  test('disabling both rules turns the check off', async () => {
    const r = await replayMigrations({
      files: mfiles(['0001_init.sql', USERS], ['0002_rebuild.sql', REBUILD_USERS]),
      migrationsTable: 'd1_migrations',
      dataCheck: true,
      disabled: new Set(['rows-lost', 'fails-with-data']),
    });
    expect(data(r)).toEqual([]);
  });
});
