/**
 * The data check's second way (src/replay/data/boundary.ts): a file that copies rows out of existing tables
 * runs again with NULL / '' / 0 in the columns that allow them, and a failure only those values cause is a
 * fails-with-data naming the value. The same cases run against real wrangler with real rows in
 * __tests__/data-check/wrangler-truth.test.ts (boundary-fixtures.ts).
 */
import { boundaryFills } from '../../src/replay/data/boundary.js';
import type { TableMeta } from '../../src/replay/data/tables.js';
import { replayMigrations } from '../../src/replay/index.js';
import { mfiles } from './files.js';

async function check(...pairs: [string, string][]) {
  return replayMigrations({ files: mfiles(...pairs), migrationsTable: 'd1_migrations', dataCheck: true });
}
const failsWithData = (r: Awaited<ReturnType<typeof check>>) => r.findings.filter((f) => f.rule === 'fails-with-data');

const SUBMISSIONS = `CREATE TABLE submissions (id INTEGER PRIMARY KEY, body TEXT NOT NULL, grade INTEGER, note TEXT);`;
const rebuild = (columns: string, copy: string) => `CREATE TABLE __new_submissions (id INTEGER PRIMARY KEY, ${columns});
INSERT INTO __new_submissions SELECT ${copy} FROM submissions;
DROP TABLE submissions;
ALTER TABLE __new_submissions RENAME TO submissions;`;

describe('boundary values', () => {
  test('a nullable column copied into NOT NULL: the finding names the NULL, the copy and the fix', async () => {
    const r = await check(['0001_init.sql', SUBMISSIONS], ['0002_grade.sql', rebuild('body TEXT NOT NULL, grade INTEGER NOT NULL DEFAULT 0, note TEXT', 'id, body, grade, note')]);
    const f = failsWithData(r);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'error', file: 'migrations/0002_grade.sql', line: 2 });
    expect(f[0]!.message).toContain('Fails once a row holds NULL in submissions.grade, which submissions allows today: NOT NULL constraint failed: __new_submissions.grade');
    expect(f[0]!.message).toContain('at `INSERT INTO __new_submissions SELECT id, body, grade, note FROM submissions`');
    expect(f[0]!.message).toContain('copy COALESCE(grade, <value>)');
    expect(f[0]!.message).toContain('a DEFAULT does not apply to an explicit NULL');
    expect(r.failedAt).toBeUndefined();
  });

  test('COALESCE/IFNULL in the copy, or leaving the column to its DEFAULT, passes', async () => {
    for (const [columns, copy] of [
      ['body TEXT NOT NULL, grade INTEGER NOT NULL DEFAULT 0, note TEXT', 'id, body, coalesce(grade, 0), note'],
      ['body TEXT NOT NULL, grade INTEGER NOT NULL DEFAULT 0, note TEXT', 'id, body, ifnull(grade, 0), note'],
    ]) {
      expect(failsWithData(await check(['0001_init.sql', SUBMISSIONS], ['0002_grade.sql', rebuild(columns!, copy!)]))).toEqual([]);
    }
    const omitted = `CREATE TABLE __new_submissions (id INTEGER PRIMARY KEY, body TEXT NOT NULL, grade INTEGER NOT NULL DEFAULT 0, note TEXT);
INSERT INTO __new_submissions (id, body, note) SELECT id, body, note FROM submissions;
DROP TABLE submissions;
ALTER TABLE __new_submissions RENAME TO submissions;`;
    expect(failsWithData(await check(['0001_init.sql', SUBMISSIONS], ['0002_grade.sql', omitted]))).toEqual([]);
  });

  test("'' in a NOT NULL text column breaks a new CHECK; the single value is named although several were tried", async () => {
    const r = await check(['0001_init.sql', SUBMISSIONS], ['0002_body.sql', rebuild('body TEXT NOT NULL CHECK (length(body) > 0), grade INTEGER, note TEXT', 'id, body, grade, note')]);
    const f = failsWithData(r);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain("Fails once a row holds '' in submissions.body, which submissions allows today: CHECK constraint failed");
    expect(f[0]!.message).not.toContain('(together)');
  });

  test('the same UNIQUE value in two rows: the message says rows, not a row', async () => {
    const r = await check(['0001_init.sql', SUBMISSIONS], ['0002_note.sql', rebuild("body TEXT NOT NULL, grade INTEGER, note TEXT NOT NULL UNIQUE", "id, body, grade, coalesce(note, '')")]);
    const f = failsWithData(r);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('Fails once rows hold NULL in submissions.note');
    expect(f[0]!.message).toContain('as soon as two rows hold that value');
  });

  test('a failure with values in every column is reported as before, not as a boundary failure', async () => {
    // note is left out of a NOT NULL column without a default: fails with every column filled already.
    const r = await check(['0001_init.sql', SUBMISSIONS], ['0002_x.sql', rebuild('body TEXT NOT NULL, grade INTEGER, note TEXT NOT NULL', 'id, body, grade, NULL')]);
    const f = failsWithData(r);
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toMatch(/^Fails once the tables hold rows: NOT NULL constraint failed: __new_submissions\.note/);
  });

  test('a copy of a table into itself or an INSERT ... VALUES does not run a second time', async () => {
    // With NULL in name every copy would fail NOT NULL; the second way does not look at these statements.
    const r = await check(
      ['0001_init.sql', 'CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, label TEXT NOT NULL);'],
      ['0002_copy.sql', "INSERT INTO t (name, label) SELECT name, name || ' (copy)' FROM t WHERE id < 0;\nINSERT INTO t (name, label) VALUES (NULL, 'x');"],
    );
    expect(failsWithData(r)).toEqual([]);
  });

  test('running the file twice does not disturb the twin: plain indexes dropped and created, later files checked', async () => {
    const r = await check(
      ['0001_init.sql', `${SUBMISSIONS}\nCREATE INDEX submissions_grade ON submissions (grade);`],
      ['0002_rebuild.sql', `DROP INDEX submissions_grade;\n${rebuild('body TEXT NOT NULL, grade INTEGER, note TEXT', 'id, body, grade, note')}\nCREATE INDEX submissions_grade ON submissions (grade);`],
      ['0003_again.sql', `DROP INDEX submissions_grade;\n${rebuild('body TEXT NOT NULL, grade INTEGER NOT NULL, note TEXT', 'id, body, grade, note')}`],
    );
    expect(r.notes.filter((n) => /Data check skipped/.test(n))).toEqual([]);
    const f = failsWithData(r);
    expect(f.map((x) => x.file)).toEqual(['migrations/0003_again.sql']);
    expect(f[0]!.message).toContain('NULL in submissions.grade');
  });

  test('the rename-to-old pattern copies the rows of the table it renamed', async () => {
    const r = await check(
      ['0001_init.sql', SUBMISSIONS],
      ['0002_old.sql', 'ALTER TABLE submissions RENAME TO submissions_old;\nCREATE TABLE submissions (id INTEGER PRIMARY KEY, body TEXT NOT NULL, grade INTEGER NOT NULL, note TEXT);\nINSERT INTO submissions SELECT * FROM submissions_old;\nDROP TABLE submissions_old;'],
    );
    expect(failsWithData(r).map((f) => f.message)).toEqual([expect.stringContaining('NULL in submissions.grade')]);
  });
});

describe('boundaryFills', () => {
  test('NULL where nullable, then 0 and \'\' where NOT NULL allows them; keys, UNIQUE and foreign key columns keep their values', () => {
    const meta: TableMeta = {
      name: 't',
      sql: '',
      withoutRowid: false,
      strict: false,
      columns: [
        { name: 'id', type: 'INTEGER', notNull: false, dflt: null, pk: 1 },
        { name: 'title', type: 'TEXT', notNull: true, dflt: null, pk: 0 },
        { name: 'qty', type: 'INTEGER', notNull: true, dflt: null, pk: 0 },
        { name: 'email', type: 'TEXT', notNull: true, dflt: null, pk: 0 },
        { name: 'owner', type: 'INTEGER', notNull: true, dflt: null, pk: 0 },
        { name: 'note', type: 'TEXT', notNull: false, dflt: null, pk: 0 },
        { name: 'data', type: 'BLOB', notNull: true, dflt: null, pk: 0 },
      ],
      fks: [{ id: 0, parent: 'users', from: ['owner'], to: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' }],
      uniques: [['email'], ['id']],
      rowidAlias: 'id',
    };
    expect(boundaryFills(meta).map((f) => `${f.value} ${f.column}`)).toEqual(['NULL note', "'' title", '0 qty']);
  });
});
