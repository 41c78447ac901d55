/**
 * Folding (src/rules/fold.ts) through validate: foreign-keys-pragma once per file; a rebuild the data check
 * proves harmless is one short warning with the rest in `details`; nothing the data check or the replay
 * finds is folded away. Whether a rebuild is "kept" is checked against real wrangler in
 * __tests__/data-check/wrangler-truth.test.ts.
 */
import { validateDatabase } from '../../src/phases/validate.js';
import type { Finding } from '../../src/types.js';
import { cleanupProjects, makeProject, targetFor } from '../migrations/fixtures.js';

afterEach(cleanupProjects);

async function validate(files: Record<string, string>, dataCheck = true): Promise<Finding[]> {
  const project = makeProject({ 'wrangler.toml': 'name = "fold"\n', ...Object.fromEntries(Object.entries(files).map(([n, s]) => [`migrations/${n}`, s])) });
  return (await validateDatabase(targetFor(project), { cwd: project, numbering: 'sequential', disabled: new Set(), dataCheck })).findings;
}
const summary = (fs: Finding[]) => fs.map((f) => `${f.rule} ${f.severity} ${f.file?.replace('migrations/', '')}:${f.line}`);

const INIT = `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE);`;
/** drizzle's rebuild of sessions (no table references it). */
const REBUILD_SESSIONS = `PRAGMA foreign_keys=OFF;
CREATE TABLE __new_sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE, expires_at INTEGER);
INSERT INTO __new_sessions (id, user_id) SELECT id, user_id FROM sessions;
DROP TABLE sessions;
ALTER TABLE __new_sessions RENAME TO sessions;
PRAGMA foreign_keys=ON;`;
/** drizzle's rebuild of users, which sessions references ON DELETE CASCADE: the sessions go. */
const REBUILD_USERS = `PRAGMA foreign_keys=OFF;
CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);
INSERT INTO __new_users (id, email, name) SELECT id, email, name FROM users;
DROP TABLE users;
ALTER TABLE __new_users RENAME TO users;
PRAGMA foreign_keys=ON;`;

describe('folding findings', () => {
  test('a rebuild the data check proves harmless is one warning; the pragmas and the long explanation are its details', async () => {
    const found = await validate({ '0001_init.sql': INIT, '0002_sessions.sql': REBUILD_SESSIONS });
    expect(summary(found)).toEqual(['destructive-change warning 0002_sessions.sql:4']);
    const [f] = found;
    expect(f!.message).toContain('Table rebuild of `sessions` (copy into a new table, drop, rename): the data check ran it with 2 rows in sessions: every row was kept and nothing failed.');
    expect(f!.details).toHaveLength(3);
    expect(f!.details![0]).toMatch(/^destructive-change, line 4: Table rebuild of `sessions` \(copy into a new table, `DROP TABLE sessions`, rename\)/);
    expect(f!.details![1]).toMatch(/^foreign-keys-pragma, line 1: `PRAGMA foreign_keys = OFF` has no effect on D1/);
    expect(f!.details![2]).toMatch(/^foreign-keys-pragma, line 6: `PRAGMA foreign_keys = ON` has no effect on D1/);
  });

  test('a column the new table lacks is named: its values are gone', async () => {
    const dropName = REBUILD_USERS.replace('email TEXT NOT NULL, name TEXT)', 'email TEXT NOT NULL)').replace('(id, email, name) SELECT id, email, name', '(id, email) SELECT id, email');
    const found = await validate({ '0001_init.sql': INIT.replace(' ON DELETE CASCADE', ''), '0002_users.sql': `PRAGMA defer_foreign_keys = on;\n${dropName}\nPRAGMA defer_foreign_keys = off;` });
    const rebuild = found.find((f) => f.rule === 'destructive-change');
    expect(rebuild?.message).toContain('rows in sessions, which references it: every row was kept');
    expect(rebuild?.message).toContain("The new table has no `name`: that column's values are gone.");
  });

  test('a rebuild that loses rows keeps every finding as it was, with foreign-keys-pragma once', async () => {
    const found = await validate({ '0001_init.sql': INIT, '0002_users.sql': REBUILD_USERS });
    expect(summary(found)).toEqual([
      'foreign-keys-pragma warning 0002_users.sql:1',
      'drop-referenced-table error 0002_users.sql:4',
      'rows-lost error 0002_users.sql:4',
      'destructive-change warning 0002_users.sql:4',
    ]);
    const pragma = found[0];
    expect(pragma!.message).toContain('The file sets it again at line 6, with no effect either.');
    expect(pragma!.details).toEqual([expect.stringMatching(/^foreign-keys-pragma, line 6: `PRAGMA foreign_keys = ON`/)]);
    expect(found[3]!.message).toMatch(/^Table rebuild of `users` \(copy into a new table, `DROP TABLE users`, rename\): rows survive only/);
    expect(found[3]!.details).toBeUndefined();
  });

  test('without the data check nothing is proven: the rebuild keeps its full warning', async () => {
    const found = await validate({ '0001_init.sql': INIT, '0002_sessions.sql': REBUILD_SESSIONS }, false);
    expect(summary(found)).toEqual(['foreign-keys-pragma warning 0002_sessions.sql:1', 'destructive-change warning 0002_sessions.sql:4']);
  });

  test('a suppression above one pragma still removes only that one; disabling destructive-change leaves the pragma', async () => {
    const suppressed = REBUILD_SESSIONS.replace('PRAGMA foreign_keys=OFF;', '-- d1-migrate-ignore: foreign-keys-pragma\nPRAGMA foreign_keys=OFF;');
    const found = await validate({ '0001_init.sql': INIT, '0002_sessions.sql': suppressed }, false);
    expect(summary(found)).toEqual(['destructive-change warning 0002_sessions.sql:5', 'foreign-keys-pragma warning 0002_sessions.sql:7']);
    expect(found[1]!.details).toBeUndefined();

    const project = makeProject({ 'wrangler.toml': 'name = "fold"\n', 'migrations/0001_init.sql': INIT, 'migrations/0002_sessions.sql': REBUILD_SESSIONS });
    const r = await validateDatabase(targetFor(project), { cwd: project, numbering: 'sequential', disabled: new Set(['destructive-change']) });
    expect(summary(r.findings)).toEqual(['foreign-keys-pragma warning 0002_sessions.sql:1']);
  });

  test('a rebuild copy that writes double-quoted names into rows is not folded', async () => {
    const dqs = REBUILD_SESSIONS.replace('expires_at INTEGER', 'expires_at TEXT').replace('(id, user_id) SELECT id, user_id', '(id, user_id, expires_at) SELECT id, user_id, "expires_at"');
    const found = await validate({ '0001_init.sql': INIT, '0002_sessions.sql': dqs });
    expect(summary(found)).toEqual(['foreign-keys-pragma warning 0002_sessions.sql:1', 'double-quoted-string error 0002_sessions.sql:3', 'destructive-change warning 0002_sessions.sql:4']);
  });
});
