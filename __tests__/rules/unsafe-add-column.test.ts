import { unsafeAddColumn } from '../../src/rules/unsafe-add-column.js';
import { loadSqliteWasm } from '../support/sqlite-wasm.js';
import { check } from './helpers.js';

const base = 'CREATE TABLE users (id INTEGER PRIMARY KEY);';

describe('unsafe-add-column', () => {
  test.each([
    ['NOT NULL without a default', 'ALTER TABLE users ADD COLUMN email TEXT NOT NULL;', /NOT NULL without a non-NULL default/],
    ['NOT NULL with DEFAULT NULL', 'ALTER TABLE users ADD email TEXT NOT NULL DEFAULT NULL;', /NOT NULL without a non-NULL default/],
    ['a CURRENT_TIMESTAMP default', 'ALTER TABLE users ADD COLUMN created_at TEXT DEFAULT CURRENT_TIMESTAMP;', /non-constant default \(CURRENT_TIMESTAMP\)/],
    ['a function-call default', "ALTER TABLE users ADD COLUMN slug TEXT DEFAULT (lower(hex(randomblob(4))));", /non-constant default/],
    ['REFERENCES with a non-NULL default', 'ALTER TABLE users ADD COLUMN org_id INTEGER REFERENCES orgs(id) DEFAULT 0;', /REFERENCES and a non-NULL default/],
  ])('reports %s on a table from an earlier migration', (_name, sql, message) => {
    const findings = check(unsafeAddColumn, base, sql);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'unsafe-add-column', severity: 'error', file: 'migrations/0002_m.sql', line: 1 });
    expect(findings[0]!.message).toMatch(message);
  });

  test.each([
    ['a nullable column', 'ALTER TABLE users ADD COLUMN nickname TEXT;'],
    ['NOT NULL with a constant default', "ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'member';"],
    ['a negative constant default', 'ALTER TABLE users ADD COLUMN score INTEGER NOT NULL DEFAULT -1;'],
    ['a parenthesised constant default', 'ALTER TABLE users ADD COLUMN n INTEGER NOT NULL DEFAULT (1 + 2);'],
    ['REFERENCES with no default', 'ALTER TABLE users ADD COLUMN org_id INTEGER REFERENCES orgs(id);'],
    ['the words inside a comment or string', "-- ALTER TABLE users ADD COLUMN x TEXT NOT NULL;\nSELECT 'ALTER TABLE users ADD COLUMN x TEXT NOT NULL';"],
  ])('accepts %s', (_name, sql) => {
    expect(check(unsafeAddColumn, base, sql)).toEqual([]);
  });

  test('accepts it on a table created earlier in the same file, which is certainly empty', () => {
    expect(check(unsafeAddColumn, `${base}\nALTER TABLE users ADD COLUMN email TEXT NOT NULL;`)).toEqual([]);
  });

  test('matches what SQLite does: the same ALTER passes on an empty table and fails once it has a row', async () => {
    // The WASM build prints every failed statement; these failures are the point of the test.
    const sqlite3 = await loadSqliteWasm({ quiet: true });
    for (const [alter, error] of [
      ['ALTER TABLE users ADD COLUMN email TEXT NOT NULL', /NOT NULL column with default value NULL/],
      ['ALTER TABLE users ADD COLUMN created_at TEXT DEFAULT CURRENT_TIMESTAMP', /non-constant default/],
      ['ALTER TABLE users ADD COLUMN org_id INTEGER REFERENCES orgs(id) DEFAULT 0', /REFERENCES column with non-NULL default/],
    ] as const) {
      const empty = new sqlite3.oo1.DB(':memory:');
      empty.exec('PRAGMA foreign_keys = ON; CREATE TABLE orgs (id INTEGER PRIMARY KEY); ' + base);
      expect(() => empty.exec(alter)).not.toThrow();
      const full = new sqlite3.oo1.DB(':memory:');
      full.exec('PRAGMA foreign_keys = ON; CREATE TABLE orgs (id INTEGER PRIMARY KEY); ' + base + ' INSERT INTO users VALUES (1);');
      expect(() => full.exec(alter)).toThrow(error);
      expect(check(unsafeAddColumn, base, alter + ';')).toHaveLength(1);
    }
  });
});
