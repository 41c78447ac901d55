import { schemaOf } from '../../src/replay/index.js';
import { columnsOf, diffSchemas, renderSchemaDiffLines, type SchemaChange } from '../../src/report/schema-diff.js';
import type { SchemaObject } from '../../src/types.js';
import { mfiles } from '../replay/files.js';

const table = (name: string, sql: string): SchemaObject => ({ type: 'table', name, tableName: name, sql });
const summary = (changes: SchemaChange[]) => changes.map((c) => `${c.kind} ${c.object} ${c.table}.${c.name}`);

describe('columnsOf', () => {
  it('splits the column list at top-level commas only', () => {
    const sql = `CREATE TABLE "odd, name" (
      id INTEGER PRIMARY KEY, -- the id, auto
      price DECIMAL(10, 2) CHECK (price >= 0),
      note TEXT DEFAULT 'a, (b)',
      /* block, comment */ tag TEXT,
      UNIQUE (price, note)
    ) STRICT`;
    expect(columnsOf(sql)).toEqual(['id INTEGER PRIMARY KEY', 'price DECIMAL(10, 2) CHECK (price >= 0)', "note TEXT DEFAULT 'a, (b)'", 'tag TEXT']);
  });

  it('has no columns for virtual tables and CREATE TABLE AS', () => {
    expect(columnsOf('CREATE VIRTUAL TABLE docs USING fts5(title, body)')).toBeUndefined();
    expect(columnsOf('CREATE TABLE t AS SELECT 1 AS x')).toBeUndefined();
  });
});

describe('diffSchemas', () => {
  it('reports nothing when only formatting, comments or keyword case differ', () => {
    const a = [table('users', 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)')];
    const b = [table('users', 'create table users (\n  id integer primary key, -- pk\n  email TEXT\n)')];
    expect(diffSchemas(a, b)).toEqual([]);
  });

  it('reports a column added, changed and dropped with its declaration', () => {
    const a = [table('users', 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, age INT)')];
    const b = [table('users', 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)')];
    const changes = diffSchemas(a, b);
    expect(summary(changes)).toEqual(['dropped column users.age', 'added column users.email', 'changed column users.name']);
    expect(changes.find((c) => c.name === 'email')?.definition).toBe('email TEXT NOT NULL');
    expect(changes.find((c) => c.name === 'name')?.before).toBe('name TEXT');
  });

  it('detects a table rename instead of drop + add', () => {
    const a = [table('old', 'CREATE TABLE old (id INTEGER)')];
    const b = [table('new', 'CREATE TABLE "new" (id INTEGER)')];
    expect(diffSchemas(a, b)).toEqual([{ kind: 'renamed', object: 'table', name: 'new', table: 'new', before: 'old' }]);
  });

  it('computes column changes from real replays, including ALTER TABLE ADD COLUMN', async () => {
    const files = mfiles(
      ['0001_init.sql', 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\nCREATE TABLE logs (id INTEGER);\nCREATE VIEW v AS SELECT 1;'],
      ['0002_email.sql', "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';\nCREATE INDEX users_email ON users(email);"],
      ['0003_more.sql', 'CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\nDROP TABLE logs;\nDROP VIEW v;\nCREATE VIEW v AS SELECT 2;\nCREATE TRIGGER t AFTER INSERT ON posts BEGIN SELECT 1; END;'],
    );
    const before = await schemaOf(files.slice(0, 1), 'd1_migrations');
    const after = await schemaOf(files, 'd1_migrations');
    const changes = diffSchemas(before, after);
    expect(summary(changes)).toEqual([
      'dropped table logs.logs',
      'added table posts.posts',
      'added trigger posts.t',
      'added column users.email',
      'added index users.users_email',
      'changed view v.v',
    ]);
    const md = renderSchemaDiffLines(changes).join('\n');
    expect(md).toContain("`users.email TEXT NOT NULL DEFAULT ''` added");
    expect(md).toContain('`posts.user_id INTEGER REFERENCES users(id)`');
  });

  it('escapes hostile names and declarations in the markdown', () => {
    const evil = 'x`<img src=x onerror=alert(1)>|@octocat';
    const changes = diffSchemas([], [table(evil, `CREATE TABLE "${evil}" ("${evil}" TEXT)`)]);
    const md = renderSchemaDiffLines(changes).join('\n');
    expect(md).not.toContain('\n\n');
    // Every hostile part is inside a code span whose fence is longer than the backtick in the name.
    for (const line of md.split('\n')) expect(line).toMatch(/``/);
  });

  it('renders no lines when nothing changed', () => {
    expect(renderSchemaDiffLines([])).toEqual([]);
  });
});
