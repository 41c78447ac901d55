/**
 * The guides' SQL examples replay cleanly on the validator's D1-like SQLite, and every relative link between
 * the documents (file and #anchor) resolves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateDatabase } from '../../src/phases/validate.js';
import { cleanupProjects, makeProject, targetFor } from '../migrations/fixtures.js';
import { runLikeD1 } from '../support/d1-like.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const read = (rel: string): string => fs.readFileSync(path.join(root, rel), 'utf8');

/** SQL blocks preceded by `<!-- example: replays -->` (fences may be indented inside list items). */
function replayExamples(markdown: string): { line: number; files: Record<string, string> }[] {
  const lines = markdown.split('\n');
  const out: { line: number; files: Record<string, string> }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.includes('<!-- example: replays -->')) continue;
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    const fence = /^(\s*)```sql\s*$/.exec(lines[j] ?? '');
    if (!fence) throw new Error(`line ${i + 1}: the example marker is not followed by a sql block`);
    const indent = fence[1]!.length;
    const files: Record<string, string> = {};
    let current: string | undefined;
    for (j++; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) {
      const text = lines[j]!.slice(indent);
      const header = /^-- file: (\S+)\s*$/.exec(text);
      if (header) files[(current = header[1]!)] = '';
      else if (current !== undefined) files[current] += `${text}\n`;
      else throw new Error(`line ${j + 1}: SQL before the first "-- file:" line`);
    }
    out.push({ line: i + 1, files });
  }
  return out;
}

/** GitHub's heading anchors of a markdown document (duplicates get -1, -2, ...). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced;
    const m = !fenced && /^#{1,6} (.+?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .replace(/`/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

const guide = read('docs/migration-guide.md');
const examples = replayExamples(guide);

afterEach(cleanupProjects);

describe('docs/migration-guide.md', () => {
  test('has SQL examples that the suite replays', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  test.each(examples.map((e) => [e.line, e] as const))('the example at line %i replays without an error finding', async (_line, example) => {
    const project = makeProject({ 'wrangler.toml': 'name = "guide"\n', ...example.files });
    const result = await validateDatabase(targetFor(project), { cwd: project, numbering: 'sequential', disabled: new Set() });
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('the save-and-restore rebuild keeps the child rows on a D1-like database with rows', async () => {
    const example = examples.find((e) => Object.keys(e.files).some((f) => f.includes('users_email_not_null')));
    expect(example).toBeDefined();
    const run = await runLikeD1(Object.values(example!.files));
    expect(run.error).toBeUndefined();
    expect(run.count('posts')).toBe(1);
  });

  const parentChild = (onDelete: string) =>
    `CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
     CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id) ${onDelete});
     INSERT INTO users VALUES (1, 'a'); INSERT INTO posts VALUES (1, 1);`;
  const rebuild = `PRAGMA foreign_keys = OFF; PRAGMA defer_foreign_keys = on;
     CREATE TABLE users_new (id INTEGER PRIMARY KEY, email TEXT, name TEXT);
     INSERT INTO users_new (id, email) SELECT id, email FROM users;
     DROP TABLE users; ALTER TABLE users_new RENAME TO users;`;

  test('a plain rebuild of a parent table deletes the child rows with ON DELETE CASCADE, as the guide says', async () => {
    const run = await runLikeD1([parentChild('ON DELETE CASCADE'), rebuild]);
    expect(run.error).toBeUndefined();
    expect(run.count('posts')).toBe(0);
  });

  test('a plain rebuild of a parent table nulls the references with ON DELETE SET NULL, as the guide says', async () => {
    const run = await runLikeD1([parentChild('ON DELETE SET NULL'), rebuild]);
    expect(run.error).toBeUndefined();
    expect(run.count('posts WHERE user_id IS NULL')).toBe(1);
  });

  test('a plain rebuild of a parent table fails with NO ACTION even with defer_foreign_keys, as the guide says', async () => {
    const run = await runLikeD1([parentChild(''), rebuild]);
    expect(run.error).toMatch(/FOREIGN KEY constraint failed/);
    expect(run.count('posts')).toBe(1);
  });

  test.each([
    ['ALTER TABLE users ADD COLUMN plan TEXT NOT NULL', /Cannot add a NOT NULL column with default value NULL/],
    ['ALTER TABLE users ADD COLUMN created_at TEXT DEFAULT CURRENT_TIMESTAMP', /Cannot add a column with non-constant default/],
    ['ALTER TABLE users ADD COLUMN owner_id INTEGER REFERENCES users(id) DEFAULT 0', /Cannot add a REFERENCES column with non-NULL default value/],
  ])('"%s" passes on an empty table and fails on one with rows, as the guide says', async (statement, message) => {
    const create = 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);';
    expect((await runLikeD1([create, statement])).error).toBeUndefined();
    expect((await runLikeD1([`${create} INSERT INTO users VALUES (1, 'a');`, statement])).error).toMatch(message);
  });
});

describe('links between the documents', () => {
  const docs = [
    ...fs.readdirSync(path.join(root, 'docs')).filter((n) => n.endsWith('.md')).map((n) => `docs/${n}`),
    ...['SECURITY.md', 'CONTRIBUTING.md', 'CHANGELOG.md'].filter((n) => fs.existsSync(path.join(root, n))),
  ];

  test.each(docs)('every relative link in %s points at an existing file and heading', (doc) => {
    const text = read(doc).replace(/```[\s\S]*?```/g, '');
    const broken: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue;
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const resolved = file === '' ? doc : path.posix.normalize(path.posix.join(path.posix.dirname(doc), file));
      if (!fs.existsSync(path.join(root, resolved))) {
        broken.push(`${target} (no file ${resolved})`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith('.md') && !anchors(read(resolved)).has(anchor)) broken.push(`${target} (no heading #${anchor} in ${resolved})`);
    }
    expect(broken).toEqual([]);
  });
});
