/**
 * double-quoted-string by context (src/replay/double-quoted.ts): a name SQLite reads as text is an error where
 * the statement writes it into rows (INSERT … SELECT result columns, UPDATE … SET values) and a warning
 * elsewhere; with the data check, a column whose every row now holds that text is named. Checked against real
 * wrangler with rows in __tests__/data-check/double-quoted-truth.test.ts.
 */
import { writtenValues } from '../../src/replay/data/written-values.js';
import { significant } from '../../src/replay/data/analyse.js';
import { replayMigrations } from '../../src/replay/index.js';
import { mfiles } from './files.js';

const MESSAGE = `CREATE TABLE message (id TEXT PRIMARY KEY, email_id TEXT NOT NULL, from_address TEXT NOT NULL, subject TEXT NOT NULL);`;
/** drizzle's rebuild copy as moemail 0013 has it: three new columns named as if the old table had them. */
const DRIZZLE_COPY = `CREATE TABLE \`__new_message\` (\`id\` text PRIMARY KEY NOT NULL, \`email_id\` text NOT NULL, \`from_address\` text, \`to_address\` text, \`subject\` text NOT NULL, \`type\` text, \`sent_at\` integer);
--> statement-breakpoint
INSERT INTO \`__new_message\`("id", "email_id", "from_address", "to_address", "subject", "type", "sent_at") SELECT "id", "email_id", "from_address", "to_address", "subject", "type", "sent_at" FROM \`message\`;--> statement-breakpoint
DROP TABLE \`message\`;--> statement-breakpoint
ALTER TABLE \`__new_message\` RENAME TO \`message\`;`;

async function dqs(dataCheck: boolean, ...pairs: [string, string][]) {
  const r = await replayMigrations({ files: mfiles(...pairs), migrationsTable: 'd1_migrations', dataCheck });
  return r.findings.filter((f) => f.rule === 'double-quoted-string');
}

describe('double-quoted-string by context', () => {
  test('a rebuild copy writing names as text: one error listing every literal, with what the data check saw', async () => {
    const [f, ...more] = await dqs(true, ['0001_init.sql', MESSAGE], ['0002_rebuild.sql', DRIZZLE_COPY]);
    expect(more).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', file: 'migrations/0002_rebuild.sql', line: 3 });
    expect(f!.column).toBe('INSERT INTO `__new_message`("id", "email_id", "from_address", "to_address", "subject", "type", "sent_at") SELECT "id", "email_id", "from_address", '.length + 1);
    expect(f!.message).toContain('"to_address", "type", "sent_at" are not columns of the tables this statement reads');
    expect(f!.message).toContain('"to_address" into __new_message.to_address, "type" into __new_message.type, "sent_at" into __new_message.sent_at');
    expect(f!.message).toContain("The data check ran the file on rows: afterwards all 2 rows of message hold 'to_address' in to_address, 'type' in type, 'sent_at' in sent_at.");
    expect(f!.message).toContain('This corrupts data without any error');
  });

  test('without the data check the error stands, without the rows sentence', async () => {
    const [f] = await dqs(false, ['0001_init.sql', MESSAGE], ['0002_rebuild.sql', DRIZZLE_COPY]);
    expect(f!.severity).toBe('error');
    expect(f!.message).not.toContain('The data check ran');
  });

  test('an INSERT … SELECT without a column list: the position names the column', async () => {
    const [f] = await dqs(
      true,
      ['0001_init.sql', 'CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);'],
      ['0002_copy.sql', 'CREATE TABLE b (id INTEGER PRIMARY KEY, x TEXT, y TEXT);\nINSERT INTO b SELECT id, x, "y" FROM a;'],
    );
    expect(f!.severity).toBe('error');
    expect(f!.message).toContain('"y" into b.y');
    expect(f!.message).toContain("all 2 rows of b hold 'y' in y");
  });

  test('UPDATE … SET col = "name": an error; the same name in its WHERE: a warning', async () => {
    const init: [string, string] = ['0001_init.sql', "CREATE TABLE t (id INTEGER PRIMARY KEY, status TEXT, label TEXT);"];
    const [set] = await dqs(true, init, ['0002_set.sql', 'UPDATE t SET label = "archived";']);
    expect(set!.severity).toBe('error');
    expect(set!.message).toContain('write that text into every row this UPDATE changes: "archived" into t.label');
    expect(set!.message).toContain("all 2 rows of t hold 'archived' in label");
    const [where] = await dqs(true, init, ['0002_where.sql', `UPDATE t SET label = 'old' WHERE status = "archived";`]);
    expect(where!.severity).toBe('warning');
    expect(where!.message).toContain(`"archived" is not a column here`);
  });

  test('INSERT … VALUES and a SELECT\'s WHERE stay warnings', async () => {
    const init: [string, string] = ['0001_init.sql', 'CREATE TABLE t (id INTEGER PRIMARY KEY, status TEXT);\nCREATE TABLE u (id INTEGER PRIMARY KEY, status TEXT);'];
    for (const sql of ['INSERT INTO t (status) VALUES ("active");', 'INSERT INTO u (id, status) SELECT id, status FROM t WHERE status = "active";']) {
      const found = await dqs(true, init, ['0002_x.sql', sql]);
      expect(found.map((f) => f.severity)).toEqual(['warning']);
    }
  });

  test('a literal inside a written expression is an error, but its rows are not claimed to equal it', async () => {
    const [f] = await dqs(
      true,
      ['0001_init.sql', 'CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);'],
      ['0002_copy.sql', 'CREATE TABLE b (id INTEGER PRIMARY KEY, x TEXT NOT NULL);\nINSERT INTO b (id, x) SELECT id, coalesce(x, "none") FROM a;'],
    );
    expect(f!.severity).toBe('error');
    expect(f!.message).toContain('"none" into b.x');
    expect(f!.message).not.toContain('The data check ran');
  });
});

describe('writtenValues', () => {
  const cols = (sql: string) => {
    const w = writtenValues(significant(sql));
    return w && { table: w.table, kind: w.kind, columns: w.values.map((v) => v.column) };
  };
  test('reads INSERT … SELECT result columns and UPDATE … SET assignments, nothing else', () => {
    expect(cols('INSERT INTO t (a, "b") SELECT x, y AS z FROM u WHERE p = 1')).toEqual({ table: 't', kind: 'copy', columns: ['a', 'b'] });
    expect(cols('INSERT OR REPLACE INTO main.t SELECT DISTINCT f(x, y), (SELECT 1 FROM v) FROM u')).toEqual({ table: 't', kind: 'copy', columns: [0, 1] });
    expect(cols('UPDATE OR IGNORE t SET a = 1, (b, c) = (2, 3), d = f(x, y) WHERE e = 1')).toEqual({ table: 't', kind: 'update', columns: ['a', 'd'] });
    expect(cols('INSERT INTO t (a) VALUES (1)')).toBeUndefined();
    expect(cols('DELETE FROM t WHERE a = "x"')).toBeUndefined();
  });
});
