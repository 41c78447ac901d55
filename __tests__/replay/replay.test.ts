import { replayMigrations, schemaOf } from '../../src/replay/index.js';
import type { Finding } from '../../src/types.js';
import { mfile, mfiles } from './files.js';

const TABLE = 'd1_migrations';

function rules(findings: Finding[]): string[] {
  return findings.map((f) => f.rule);
}

function only(findings: Finding[], rule: string): Finding {
  const hits = findings.filter((f) => f.rule === rule);
  expect(hits).toHaveLength(1);
  return hits[0]!;
}

describe('replayMigrations: a set that applies', () => {
  test('replays every file, records the bookkeeping rows and returns the user schema only', async () => {
    const files = mfiles(
      ['0001_users.sql', 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\nCREATE UNIQUE INDEX users_email ON users(email);\n'],
      // Passes only if wrangler's bookkeeping INSERT for 0001 ran: the table holds exactly one row now.
      ['0002_check.sql', 'CREATE TABLE chk (n INTEGER CHECK (n = 1));\nINSERT INTO chk SELECT count(*) FROM d1_migrations;\n'],
    );
    const r = await replayMigrations({ files, migrationsTable: TABLE });
    expect(r.findings).toEqual([]);
    expect(r.replayed).toEqual(['0001_users.sql', '0002_check.sql']);
    expect(r.failedAt).toBeUndefined();
    expect(r.notReplayed).toEqual([]);
    expect(r.schema.map((o) => `${o.type}:${o.name}`)).toEqual(['table:chk', 'table:users', 'index:users_email']);
  });

  test('uses the configured migrations table name', async () => {
    const files = mfiles(['0001_a.sql', 'CREATE TABLE a (x);\nINSERT INTO a SELECT count(*) FROM custom_migrations;\n']);
    const r = await replayMigrations({ files, migrationsTable: 'custom_migrations' });
    expect(r.findings).toEqual([]);
    expect(r.schema.map((o) => o.name)).toEqual(['a']);
  });

  test('FTS5 virtual tables and triggers with BEGIN ... END bodies work', async () => {
    const sql = `CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
CREATE VIRTUAL TABLE notes_fts USING fts5(body, content='notes', content_rowid='id');
CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN
  INSERT INTO notes_fts(rowid, body) VALUES (new.id, new.body);
END;
INSERT INTO notes (body) VALUES ('hello world');
`;
    const r = await replayMigrations({ files: mfiles(['0001_fts.sql', sql]), migrationsTable: TABLE });
    expect(r.findings).toEqual([]);
    expect(r.schema.some((o) => o.name === 'notes_fts' && o.type === 'table')).toBe(true);
    expect(r.schema.some((o) => o.name === 'notes_ai' && o.type === 'trigger')).toBe(true);
  });

  test('JSON functions and the ->> operator work', async () => {
    const sql = `CREATE TABLE j (data TEXT, name TEXT GENERATED ALWAYS AS (data ->> '$.name') VIRTUAL);
INSERT INTO j (data) VALUES (json_object('name', 'x'));
CREATE TABLE chk (v TEXT CHECK (v = 'x'));
INSERT INTO chk SELECT name FROM j;
INSERT INTO chk SELECT json_extract(data, '$.name') FROM j;
`;
    const r = await replayMigrations({ files: mfiles(['0001_json.sql', sql]), migrationsTable: TABLE });
    expect(r.findings).toEqual([]);
  });

  test('a UTF-8 BOM at the start of a file is accepted, as wrangler trims it away', async () => {
    const r = await replayMigrations({ files: mfiles(['0001_bom.sql', '\uFEFFCREATE TABLE a (x);\nCREATE TABLE b (y);\n']), migrationsTable: TABLE });
    expect(r.findings).toEqual([]);
    expect(r.schema.map((o) => o.name)).toEqual(['a', 'b']);
  });

  test('a BEGIN TRANSACTION; ... COMMIT; file applies (local wrangler strips it; the static rule reports it)', async () => {
    const sql = 'BEGIN TRANSACTION;\nCREATE TABLE a (x);\nINSERT INTO a VALUES (1);\nCOMMIT;\n';
    const r = await replayMigrations({ files: mfiles(['0001_tx.sql', sql], ['0002_b.sql', 'CREATE TABLE b (y);\n']), migrationsTable: TABLE });
    expect(r.findings).toEqual([]);
    expect(r.replayed).toEqual(['0001_tx.sql', '0002_b.sql']);
  });

  test('PRAGMA foreign_keys is not executed (D1 ignores it), and causes no finding', async () => {
    const sql = 'PRAGMA foreign_keys = OFF;\nCREATE TABLE a (x);\nPRAGMA foreign_keys;\nPRAGMA foreign_keys = ON;\n';
    const r = await replayMigrations({ files: mfiles(['0001_a.sql', sql], ['0002_b.sql', 'CREATE TABLE b (y);\n']), migrationsTable: TABLE });
    expect(r.findings).toEqual([]);
    expect(r.schema.map((o) => o.name)).toEqual(['a', 'b']);
  });

  test.each([
    ['begin;\nCREATE TABLE a (x);\ncommit;\n', 1, 'transaction-statement'],
    ['CREATE TABLE a (x);\nCOMMIT;\n', 2, 'transaction-statement'],
    ['CREATE TABLE a (x);\nSAVEPOINT s;\nRELEASE s;\n', 2, 'transaction-statement'],
    ["CREATE TABLE a (x);\nATTACH 'x.db' AS x;\n", 2, 'unsupported-statement'],
    ['CREATE TABLE a (x);\nVACUUM;\n', 2, 'unsupported-statement'],
  ])('a statement D1 rejects (%j) stops the replay as local wrangler does, with a note and no finding', async (sql, line, rule) => {
    const r = await replayMigrations({ files: mfiles(['0001_a.sql', sql], ['0002_b.sql', 'CREATE TABLE b (y);\n']), migrationsTable: TABLE });
    expect(r.findings).toEqual([]);
    expect(r.failedAt).toBe('0001_a.sql');
    expect(r.notReplayed).toEqual(['0002_b.sql']);
    expect(r.schema).toEqual([]);
    expect(r.notes[0]).toContain(`0001_a.sql fails under local wrangler at line ${line}`);
    expect(r.notes[0]).toContain(`reported as ${rule}`);
  });
});

describe('replayMigrations: the first failing file', () => {
  test('is atomic: statements before the failure leave no trace', async () => {
    const files = mfiles(
      ['0001_a.sql', 'CREATE TABLE a (x);\n'],
      ['0002_b.sql', 'CREATE TABLE b (y);\nCREATE INDEX b_y ON b(y);\nINSERT INTO missing VALUES (1);\n'],
    );
    const r = await replayMigrations({ files, migrationsTable: TABLE });
    const f = only(r.findings, 'replay-error');
    expect(f).toMatchObject({ file: 'migrations/0002_b.sql', line: 3, severity: 'error' });
    expect(f.message).toContain('no such table: missing');
    expect(f.message).toContain('INSERT INTO missing VALUES (1)');
    expect(r.replayed).toEqual(['0001_a.sql']);
    expect(r.failedAt).toBe('0002_b.sql');
    expect(r.schema.map((o) => o.name)).toEqual(['a']);
  });

  test('later files are not blamed, but recorded as not replayed with a note', async () => {
    const files = mfiles(
      ['0001_a.sql', 'CREATE TABLE a (x);\n'],
      ['0002_b.sql', 'CREATE TABLE b (y);\nALTER TABLE nope ADD COLUMN z;\n'],
      ['0003_c.sql', 'CREATE INDEX b_y ON b(y);\n'],
      ['0004_d.sql', 'INSERT INTO b VALUES (1);\n'],
    );
    const r = await replayMigrations({ files, migrationsTable: TABLE });
    expect(rules(r.findings)).toEqual(['replay-error']);
    expect(r.findings[0]!.file).toBe('migrations/0002_b.sql');
    expect(r.notReplayed).toEqual(['0003_c.sql', '0004_d.sql']);
    expect(r.notes).toEqual([expect.stringContaining('2 later migrations were not replayed because 0002_b.sql failed')]);
  });

  test('syntax errors in later files, and later in the failing file, are still found', async () => {
    const files = mfiles(
      ['0001_a.sql', 'CREATE TABLE a (x);\nINSERT INTO nope VALUES (1);\nCREAT TABLE oops (x);\n'],
      ['0002_b.sql', '-- fine\nCREATE INDEX i ON missing(x);\n\nSELEC 1;\nCREATE TABLE ok (x);\nCREATE TABLE bad (x,);\n'],
    );
    const r = await replayMigrations({ files, migrationsTable: TABLE });
    expect(r.findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['replay-error', 'migrations/0001_a.sql', 2],
      ['sql-syntax', 'migrations/0001_a.sql', 3],
      ['sql-syntax', 'migrations/0002_b.sql', 4],
      ['sql-syntax', 'migrations/0002_b.sql', 6],
    ]);
    expect(r.findings[1]!.message).toMatch(/near "CREAT": syntax error in `CREAT TABLE oops \(x\)`/);
  });

  test('a syntax error is sql-syntax, with the line of the statement in a CRLF file with non-ASCII text', async () => {
    const sql = '-- Schéma 🚀 initial\r\nCREATE TABLE a (x TEXT DEFAULT \'é\');\r\n\r\nCREATE TABLE b (\r\n  y INTEGER,\r\n  z INTEGER NOT NUL\r\n);\r\n';
    const r = await replayMigrations({ files: mfiles(['0001_a.sql', sql]), migrationsTable: TABLE });
    const f = only(r.findings, 'sql-syntax');
    expect(f.line).toBe(4);
    expect(f.message).toContain('near "NUL": syntax error');
    expect(f.message).toContain('`CREATE TABLE b (`');
    expect(f.message).toContain('(at line 6)');
    expect(r.failedAt).toBe('0001_a.sql');
  });

  test('a last statement without ";" runs into the bookkeeping INSERT, as in wrangler', async () => {
    const r = await replayMigrations({ files: mfiles(['0001_a.sql', 'CREATE TABLE a (x);\nCREATE TABLE b (y)']), migrationsTable: TABLE });
    const f = only(r.findings, 'sql-syntax');
    expect(f.line).toBe(2);
    expect(f.message).toContain('not terminated by');
  });

  test("a ' in the file name breaks wrangler 4.86's unescaped bookkeeping INSERT", async () => {
    const r = await replayMigrations({ files: mfiles(["0001_it's.sql", 'CREATE TABLE a (x);\n']), migrationsTable: TABLE });
    const f = only(r.findings, 'replay-error');
    expect(f.message).toContain('bookkeeping row');
    expect(f.message).toContain('rename the file');
    expect(r.schema).toEqual([]);
  });

  test('a file with two BEGIN TRANSACTION is refused as local wrangler refuses it', async () => {
    const sql = 'BEGIN TRANSACTION;\nCREATE TABLE a (x);\nCOMMIT;\nBEGIN TRANSACTION;\nCREATE TABLE b (x);\nCOMMIT;\n';
    const r = await replayMigrations({ files: mfiles(['0001_a.sql', sql]), migrationsTable: TABLE });
    const f = only(r.findings, 'replay-error');
    expect(f.line).toBe(4);
    expect(f.message).toContain('several transactions');
    expect(r.failedAt).toBe('0001_a.sql');
  });
});

describe('replayMigrations: D1 semantics', () => {
  test('foreign keys are enforced', async () => {
    const sql = 'CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id));\nINSERT INTO c VALUES (1, 42);\n';
    const r = await replayMigrations({ files: mfiles(['0001_a.sql', sql]), migrationsTable: TABLE });
    const f = only(r.findings, 'replay-error');
    expect(f.message).toContain('FOREIGN KEY constraint failed');
    expect(f.line).toBe(3);
  });

  test('PRAGMA foreign_keys = OFF has no effect, as on D1', async () => {
    const sql =
      'PRAGMA foreign_keys = OFF;\nCREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (id INTEGER PRIMARY KEY, p_id INTEGER REFERENCES p(id));\nINSERT INTO c VALUES (1, 42);\nPRAGMA foreign_keys = ON;\n';
    const r = await replayMigrations({ files: mfiles(['0001_a.sql', sql]), migrationsTable: TABLE });
    expect(only(r.findings, 'replay-error').message).toContain('FOREIGN KEY constraint failed');
  });

  test('PRAGMA defer_foreign_keys defers the check to the end of the file', async () => {
    const ok = 'PRAGMA defer_foreign_keys = on;\nCREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (p_id INTEGER REFERENCES p(id));\nINSERT INTO c VALUES (1);\nINSERT INTO p VALUES (1);\n';
    expect((await replayMigrations({ files: mfiles(['0001_a.sql', ok]), migrationsTable: TABLE })).findings).toEqual([]);
    const bad = 'PRAGMA defer_foreign_keys = on;\nCREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (p_id INTEGER REFERENCES p(id));\nINSERT INTO c VALUES (1);\n';
    const r = await replayMigrations({ files: mfiles(['0001_a.sql', bad], ['0002_b.sql', 'CREATE TABLE z (x);\n']), migrationsTable: TABLE });
    const f = only(r.findings, 'replay-error');
    expect(f.message).toContain('FOREIGN KEY constraint failed');
    expect(f.message).toContain('commits');
    expect(r.schema).toEqual([]);
    expect(r.notReplayed).toEqual(['0002_b.sql']);
  });

  test('double-quoted strings are accepted, and one that is not a column is reported', async () => {
    const files = mfiles(
      ['0000_init.sql', 'CREATE TABLE "emails" ("id" text PRIMARY KEY, "from_address" text);\nINSERT INTO emails VALUES (\'1\', \'a@b.c\');\n'],
      [
        '0001_rebuild.sql',
        'CREATE TABLE `__new_emails` (`id` text PRIMARY KEY, `from_address` text, `to_address` text);\n' +
          '--> statement-breakpoint\n' +
          'INSERT INTO `__new_emails`("id", "from_address", "to_address") SELECT "id", "from_address", "to_address" FROM `emails`;\n' +
          'DROP TABLE `emails`;\nALTER TABLE `__new_emails` RENAME TO `emails`;\n' +
          // Passes only because DQS made every row's to_address the text 'to_address'.
          "CREATE TABLE chk (v TEXT CHECK (v = 'to_address'));\nINSERT INTO chk SELECT to_address FROM emails;\n",
      ],
    );
    const r = await replayMigrations({ files, migrationsTable: TABLE });
    const f = only(r.findings, 'double-quoted-string');
    // Written into every copied row: an error (see double-quoted.test.ts for the other contexts).
    expect(f).toMatchObject({ severity: 'error', file: 'migrations/0001_rebuild.sql', line: 3 });
    expect(f.column).toBe('INSERT INTO `__new_emails`("id", "from_address", "to_address") SELECT "id", "from_address", '.length + 1);
    expect(f.message).toContain(`"to_address" is not a column of the tables this statement reads`);
    expect(f.message).toContain(`write that text into every row this INSERT … SELECT copies: "to_address" into __new_emails.to_address`);
    expect(rules(r.findings)).toEqual(['double-quoted-string']);
  });

  test('double-quoted names that are columns or tables get no warning', async () => {
    const sql = 'CREATE TABLE "t" ("a" TEXT, "b" TEXT);\nCREATE INDEX "t_a" ON "t" ("a");\nINSERT INTO "t" ("a", "b") SELECT "a", "b" FROM "t";\nCREATE TABLE u (x TEXT DEFAULT "n/a");\n';
    const r = await replayMigrations({ files: mfiles(['0001_a.sql', sql]), migrationsTable: TABLE });
    expect(r.findings).toEqual([]);
  });
});

describe('replayMigrations: drop-referenced-table', () => {
  const parentAndChildren = (onDelete: string) =>
    'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n' +
    `CREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE ${onDelete});\n`;
  const drizzleRebuild =
    'PRAGMA foreign_keys=OFF;\n' +
    'CREATE TABLE `__new_users` (`id` integer PRIMARY KEY, `name` text, `email` text);\n' +
    'INSERT INTO `__new_users`("id", "name") SELECT "id", "name" FROM `users`;\n' +
    'DROP TABLE `users`;\n' +
    'ALTER TABLE `__new_users` RENAME TO `users`;\n' +
    'PRAGMA foreign_keys=ON;\n';

  test('a rebuild of a table referenced with ON DELETE CASCADE: warns that D1 deletes the child rows', async () => {
    const files = mfiles(['0001_init.sql', parentAndChildren('CASCADE')], ['0002_rebuild.sql', drizzleRebuild]);
    const r = await replayMigrations({ files, migrationsTable: TABLE });
    const f = only(r.findings, 'drop-referenced-table');
    expect(f).toMatchObject({ severity: 'error', file: 'migrations/0002_rebuild.sql', line: 4 });
    expect(f.message).toContain('sessions(user_id) ON DELETE CASCADE');
    expect(f.message).toContain('deletes every row of sessions');
    expect(f.message).toContain('PRAGMA foreign_keys = OFF has no effect');
    expect(r.replayed).toEqual(['0001_init.sql', '0002_rebuild.sql']);
  });

  test('with rows and ON DELETE CASCADE the replay applies (the child rows are silently gone)', async () => {
    const seed = "INSERT INTO users VALUES (1, 'a');\nINSERT INTO sessions VALUES (1, 1);\n";
    const check = 'CREATE TABLE chk (n INTEGER CHECK (n = 0));\nINSERT INTO chk SELECT count(*) FROM sessions;\n';
    const files = mfiles(['0001_init.sql', parentAndChildren('CASCADE') + seed], ['0002_rebuild.sql', drizzleRebuild], ['0003_check.sql', check]);
    const r = await replayMigrations({ files, migrationsTable: TABLE });
    expect(rules(r.findings)).toEqual(['drop-referenced-table']);
  });

  test('NO ACTION: warns that it fails on a non-empty database; with rows the replay fails at the commit', async () => {
    const empty = await replayMigrations({
      files: mfiles(['0001_init.sql', parentAndChildren('NO ACTION')], ['0002_rebuild.sql', 'PRAGMA defer_foreign_keys = on;\n' + drizzleRebuild]),
      migrationsTable: TABLE,
    });
    const f = only(empty.findings, 'drop-referenced-table');
    expect(f.message).toContain('fails with "FOREIGN KEY constraint failed" because of sessions');
    expect(f.message).toContain('defer_foreign_keys');
    expect(empty.failedAt).toBeUndefined();

    const seed = "INSERT INTO users VALUES (1, 'a');\nINSERT INTO sessions VALUES (1, 1);\n";
    const withRows = await replayMigrations({
      files: mfiles(['0001_init.sql', parentAndChildren('NO ACTION') + seed], ['0002_rebuild.sql', 'PRAGMA defer_foreign_keys = on;\n' + drizzleRebuild]),
      migrationsTable: TABLE,
    });
    expect(rules(withRows.findings).sort()).toEqual(['drop-referenced-table', 'replay-error']);
    expect(withRows.findings.find((x) => x.rule === 'replay-error')?.message).toContain('FOREIGN KEY constraint failed');
    expect(withRows.failedAt).toBe('0002_rebuild.sql');
  });

  test('SET NULL and several children are all named', async () => {
    const sql =
      parentAndChildren('SET NULL') +
      'CREATE TABLE posts (id INTEGER PRIMARY KEY, author INTEGER, editor INTEGER, FOREIGN KEY (author) REFERENCES users(id) ON DELETE CASCADE, FOREIGN KEY (editor) REFERENCES users(id));\n';
    const r = await replayMigrations({ files: mfiles(['0001_init.sql', sql], ['0002_drop.sql', 'DROP TABLE users;\n']), migrationsTable: TABLE });
    const f = only(r.findings, 'drop-referenced-table');
    expect(f.message).toContain('posts(author) ON DELETE CASCADE, posts(editor) ON DELETE NO ACTION, sessions(user_id) ON DELETE SET NULL');
    expect(f.message).toContain('resets sessions.user_id to NULL');
  });

  test('ALTER TABLE t RENAME TO t_old re-points the children, so DROP TABLE t_old is the one reported', async () => {
    const rebuild =
      'ALTER TABLE users RENAME TO users_old;\n' +
      'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, email TEXT);\n' +
      'INSERT INTO users (id, name) SELECT id, name FROM users_old;\n' +
      'DROP TABLE users_old;\n';
    const r = await replayMigrations({ files: mfiles(['0001_init.sql', parentAndChildren('CASCADE')], ['0002_rebuild.sql', rebuild]), migrationsTable: TABLE });
    const f = only(r.findings, 'drop-referenced-table');
    expect(f.line).toBe(4);
    expect(f.message).toContain('DROP TABLE users_old');
    expect(f.message).toContain('sessions points at users_old because ALTER TABLE users RENAME TO users_old re-pointed its key');
    // The children now point at the dropped name: that is what a later foreign key check would trip on.
    const sessions = r.schema.find((o) => o.name === 'sessions');
    expect(sessions?.sql).toContain('"users_old"');
  });

  test('renaming a new table into place (prisma/drizzle rebuild) is not called a re-pointing', async () => {
    const prisma =
      'CREATE TABLE new_users (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO new_users SELECT id, name FROM users;\nDROP TABLE users;\nALTER TABLE new_users RENAME TO users;\n';
    const files = mfiles(['0001_init.sql', parentAndChildren('CASCADE')], ['0002_a.sql', prisma], ['0003_b.sql', prisma]);
    const r = await replayMigrations({ files, migrationsTable: TABLE });
    expect(r.findings.map((f) => [f.rule, f.file])).toEqual([
      ['drop-referenced-table', 'migrations/0002_a.sql'],
      ['drop-referenced-table', 'migrations/0003_b.sql'],
    ]);
    expect(r.findings[1]!.message).not.toContain('re-pointed');
  });

  test('self references and unreferenced tables are not reported', async () => {
    const sql = 'CREATE TABLE n (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES n(id));\nCREATE TABLE lone (x);\nDROP TABLE n;\nDROP TABLE lone;\nDROP TABLE IF EXISTS ghost;\n';
    const r = await replayMigrations({ files: mfiles(['0001_a.sql', sql]), migrationsTable: TABLE });
    expect(r.findings).toEqual([]);
  });
});

describe('replayMigrations: duplicate numbers (the seed case)', () => {
  test('wrangler applies 0001_create_tracked_applications.sql first, so it fails, and the message says why', async () => {
    // The caller passes wrangler's order: equal numbers in name order.
    const files = [
      mfile(
        '0001_create_tracked_applications.sql',
        'CREATE TABLE tracked_applications (\n  id INTEGER PRIMARY KEY,\n  user_id INTEGER NOT NULL REFERENCES users(id)\n);\nCREATE INDEX idx_tracked_user ON tracked_applications(user_id);\nINSERT INTO tracked_applications (user_id) SELECT id FROM users;\n',
      ),
      mfile('0001_initial_schema.sql', 'CREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  email TEXT NOT NULL UNIQUE\n);\n'),
    ];
    const r = await replayMigrations({ files, migrationsTable: TABLE });
    const f = only(r.findings, 'replay-error');
    expect(f.file).toBe('migrations/0001_create_tracked_applications.sql');
    expect(f.line).toBe(6);
    expect(f.message).toContain('no such table: users');
    expect(f.message).toContain('wrangler applies 0001_create_tracked_applications.sql before 0001_initial_schema.sql (name order for equal numbers)');
    expect(r.failedAt).toBe('0001_create_tracked_applications.sql');
    expect(r.notReplayed).toEqual(['0001_initial_schema.sql']);
  });

  test('date_time names of one day share the number; the note comes only where their order is in doubt', async () => {
    const failing = 'CREATE TABLE b (x);\nINSERT INTO nope VALUES (1);\n';
    const timed = await replayMigrations({ files: [mfile('20250420_120404_a.sql', 'CREATE TABLE a (x);\n'), mfile('20250420_172315_b.sql', failing)], migrationsTable: TABLE });
    expect(only(timed.findings, 'replay-error').message).not.toContain('share the number');
    // 20250420_10 sorts before 20250420_9 by name: the note explains the order.
    const mixed = await replayMigrations({ files: [mfile('20250420_10_b.sql', failing), mfile('20250420_9_a.sql', 'CREATE TABLE a (x);\n')], migrationsTable: TABLE });
    expect(only(mixed.findings, 'replay-error').message).toContain('2 files share the number 20250420: wrangler applies 20250420_10_b.sql before 20250420_9_a.sql');
  });
});

describe('replayMigrations: options', () => {
  test('disabled rules produce no findings', async () => {
    const files = mfiles(
      ['0001_a.sql', 'CREATE TABLE p (id INTEGER PRIMARY KEY);\nCREATE TABLE c (p INTEGER REFERENCES p(id) ON DELETE CASCADE);\n'],
      ['0002_b.sql', 'CREATE TABLE q (x);\nINSERT INTO q SELECT "nope" FROM p;\nDROP TABLE p;\nSELEC;\n'],
    );
    const all = await replayMigrations({ files, migrationsTable: TABLE });
    expect(rules(all.findings)).toEqual(['double-quoted-string', 'drop-referenced-table', 'sql-syntax']);
    const none = await replayMigrations({
      files,
      migrationsTable: TABLE,
      disabled: new Set(['double-quoted-string', 'drop-referenced-table', 'sql-syntax']),
    });
    expect(none.findings).toEqual([]);
    expect(none.failedAt).toBe('0002_b.sql');
  });

  test('schemaOf returns the schema after a prefix of the files', async () => {
    const files = mfiles(['0001_a.sql', 'CREATE TABLE a (x);\n'], ['0002_b.sql', 'CREATE TABLE b (y);\nCREATE INDEX b_y ON b(y);\n']);
    const s1 = await schemaOf(files.slice(0, 1), TABLE);
    const s2 = await schemaOf(files, TABLE);
    expect(s1.map((o) => o.name)).toEqual(['a']);
    expect(s2.map((o) => o.name)).toEqual(['a', 'b', 'b_y']);
    expect(s2[2]).toEqual({ type: 'index', name: 'b_y', tableName: 'b', sql: 'CREATE INDEX b_y ON b(y)' });
  });

  test('the schema keeps names and SQL text exactly (quotes, tabs, non-ASCII) and leaves out internal objects', async () => {
    const sql =
      'CREATE TABLE "wé ""q"" \u{1F600}" (x TEXT DEFAULT \'a\\b"c\', "y\ty" INTEGER UNIQUE);\n' +
      'CREATE TABLE _cf_kv (k);\nCREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT);\nCREATE VIEW v AS SELECT 1;\n';
    const schema = await schemaOf(mfiles(['0001_a.sql', sql]), TABLE);
    expect(schema).toEqual([
      { type: 'table', name: 't', tableName: 't', sql: 'CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT)' },
      { type: 'view', name: 'v', tableName: 'v', sql: 'CREATE VIEW v AS SELECT 1' },
      { type: 'table', name: 'wé "q" \u{1F600}', tableName: 'wé "q" \u{1F600}', sql: 'CREATE TABLE "wé ""q"" \u{1F600}" (x TEXT DEFAULT \'a\\b"c\', "y\ty" INTEGER UNIQUE)' },
      { type: 'index', name: 'sqlite_autoindex_wé "q" \u{1F600}_1', tableName: 'wé "q" \u{1F600}', sql: null },
    ].filter((o) => !o.name.startsWith('sqlite_')));
  });
});
