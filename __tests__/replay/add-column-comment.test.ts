import { replayMigrations } from '../../src/replay/index.js';
import { trailingCommentNote } from '../../src/replay/failure.js';
import { mfiles } from './files.js';

const TABLE = 'd1_migrations';
const INIT = "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);\nINSERT INTO parent (name) VALUES ('a');\n";
const NOTE = 'ends with a `--` comment before its `;`';

/** The stored CREATE statement of `parent` after replaying `alter` on it, or the replay's findings. */
async function replayAlter(alter: string, dataCheck: boolean) {
  const files = mfiles(['0001_init.sql', INIT], ['0002_alter.sql', alter], ['0003_next.sql', 'CREATE TABLE next (x);\n']);
  const r = await replayMigrations({ files, migrationsTable: TABLE, dataCheck });
  return { r, parent: r.schema.find((o) => o.name === 'parent')?.sql };
}

describe.each([false, true])('ADD COLUMN ended by a -- comment (data check %s)', (dataCheck) => {
  // SQLite copies the column's text up to the `;` into the CREATE statement; a `--` comment there hides its `)`.
  test.each([
    ['a comment on the same line', 'ALTER TABLE parent ADD COLUMN note TEXT -- why we add it\n;\n'],
    ['comment lines before the ;', 'ALTER TABLE parent\n  ADD COLUMN note TEXT\n  -- first\n  -- second\n;\n'],
    ['a block comment, then a -- comment', "ALTER TABLE parent ADD COLUMN note TEXT DEFAULT 'x' /* a */ -- b\n;\n"],
  ])('fails, as on D1, with the reason and the fix: %s', async (_label, alter) => {
    const { r } = await replayAlter(alter, dataCheck);
    expect(r.findings.map((f) => f.rule)).toEqual(['replay-error']);
    const f = r.findings[0]!;
    expect(f).toMatchObject({ file: 'migrations/0002_alter.sql', line: 1, severity: 'error' });
    expect(f.message).toMatch(/^error in table parent after add column: incomplete input — /);
    expect(f.message).toContain(NOTE);
    expect(f.message).toContain("wrangler 4.86's local apply strips comments");
    expect(r.failedAt).toBe('0002_alter.sql');
    expect(r.notReplayed).toEqual(['0003_next.sql']);
  });

  // What SQLite stores is what D1 stores: the comment stays where SQLite can still parse the statement.
  test.each([
    ['a comment after the ;', 'ALTER TABLE parent ADD COLUMN note TEXT; -- why\n', 'CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT, note TEXT)'],
    ['a block comment at the end', 'ALTER TABLE parent ADD COLUMN note TEXT /* why */;\n', 'CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT, note TEXT /* why */)'],
    ['a -- comment inside the definition', 'ALTER TABLE parent ADD COLUMN note -- the type follows\n  TEXT;\n', 'CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT, note -- the type follows\n  TEXT)'],
    ['a -- comment, then a block comment', 'ALTER TABLE parent ADD COLUMN note TEXT -- a\n /* b */;\n', 'CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT, note TEXT -- a\n /* b */)'],
    ["'--' in a string at the end", "ALTER TABLE parent ADD COLUMN note TEXT DEFAULT '-- x';\n", "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT, note TEXT DEFAULT '-- x')"],
  ])('applies: %s', async (_label, alter, stored) => {
    const { r, parent } = await replayAlter(alter, dataCheck);
    expect(r.findings).toEqual([]);
    expect(r.replayed).toEqual(['0001_init.sql', '0002_alter.sql', '0003_next.sql']);
    expect(parent).toBe(stored);
  });
});

describe('trailingCommentNote', () => {
  const alter = 'ALTER TABLE parent ADD COLUMN note TEXT -- c\n;';
  test('explains only that error on a statement ended by a -- comment', () => {
    expect(trailingCommentNote('error in table parent after add column: incomplete input', alter)).toContain(NOTE);
    expect(trailingCommentNote('error in table "we;ird" after add column: incomplete input', alter)).toContain(NOTE);
    expect(trailingCommentNote('no such table: parent', alter)).toBe('');
    expect(trailingCommentNote('incomplete input', alter)).toBe('');
    expect(trailingCommentNote('error in table parent after add column: incomplete input', "ALTER TABLE parent ADD COLUMN note TEXT DEFAULT '-- c';")).toBe('');
    expect(trailingCommentNote('error in table parent after add column: incomplete input', 'ALTER TABLE parent ADD COLUMN note TEXT /* c */;')).toBe('');
  });

  test('repeats nothing of the statement: a hostile comment stays out of the message', () => {
    const note = trailingCommentNote('error in table parent after add column: incomplete input', 'ALTER TABLE parent ADD COLUMN note TEXT -- ](https://evil) @team <script>\n;');
    expect(note).toContain(NOTE);
    expect(note).not.toMatch(/evil|@team|<script>/);
  });
});
