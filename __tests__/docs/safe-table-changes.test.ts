/**
 * docs/safe-table-changes.md: every example block gets from validate the outcome its marker states
 * (`<!-- example: rows-lost -->` / `fails-with-data`: that rule is reported; `passes`: no error finding at all),
 * and the examples do to rows on a D1-like SQLite holding rows what the page says they do.
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateDatabase } from '../../src/phases/validate.js';
import { cleanupProjects, makeProject, targetFor } from '../migrations/fixtures.js';
import { runLikeD1, type D1LikeRun } from '../support/d1-like.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const page = fs.readFileSync(path.join(root, 'docs/safe-table-changes.md'), 'utf8');

type Kind = 'rows-lost' | 'fails-with-data' | 'passes';
interface Example {
  line: number;
  kind: Kind;
  files: Record<string, string>;
}

/** SQL blocks preceded by `<!-- example: kind -->`; each `-- file: path` line starts a file (as in docs/rules.md). */
function examples(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = /<!-- example: ([\w-]+) -->/.exec(lines[i]!);
    if (!marker) continue;
    const kind = marker[1] as Kind;
    if (!['rows-lost', 'fails-with-data', 'passes'].includes(kind)) throw new Error(`line ${i + 1}: unknown example kind "${kind}"`);
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() === '') j++;
    if (!/^```sql\s*$/.test(lines[j] ?? '')) throw new Error(`line ${i + 1}: the example marker is not followed by a sql block`);
    const files: Record<string, string> = {};
    let current: string | undefined;
    for (j++; j < lines.length && !/^```\s*$/.test(lines[j]!); j++) {
      const header = /^-- file: (\S+)\s*$/.exec(lines[j]!);
      if (header) files[(current = header[1]!)] = '';
      else if (current !== undefined) files[current] += `${lines[j]}\n`;
      else throw new Error(`line ${j + 1}: SQL before the first "-- file:" line`);
    }
    out.push({ line: i + 1, kind, files });
  }
  return out;
}

async function findings(files: Record<string, string>) {
  const project = makeProject({ 'wrangler.toml': 'name = "docs"\n', ...files });
  const result = await validateDatabase(targetFor(project), { cwd: project, numbering: 'sequential', disabled: new Set() });
  return result.findings;
}

/** The one example of `kind` that has a file named like `fileName`. */
function exampleWith(kind: Kind, fileName: string): Example {
  const found = all.filter((e) => e.kind === kind && Object.keys(e.files).some((f) => f.endsWith(fileName)));
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** The example with the children's `ON DELETE CASCADE` replaced (SET NULL needs a nullable user_id). */
function withOnDelete(files: Record<string, string>, action: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, sql] of Object.entries(files)) {
    let s = sql.replaceAll(' ON DELETE CASCADE', action ? ` ON DELETE ${action}` : '');
    if (action === 'SET NULL') s = s.replaceAll('user_id INTEGER NOT NULL', 'user_id INTEGER');
    out[name] = s;
  }
  return out;
}

/**
 * Runs the example's first file, then `seed` (rows that stand for a production database; not a migration), then
 * the remaining files, each as D1 runs a migration (see support/d1-like.ts). Stops at the first failing file.
 */
async function onD1LikeWithRows(files: Record<string, string>, seed: string): Promise<D1LikeRun> {
  const [first, ...rest] = Object.values(files);
  const run = await runLikeD1([`${first}; ${seed}`, ...rest]);
  if (run.failedAt === 0) throw new Error(`setup failed: ${run.error}`);
  return run;
}

const all = examples(page);

afterEach(cleanupProjects);

describe('docs/safe-table-changes.md examples through validate', () => {
  test('the page has an unsafe and a safe example for rebuilds, INSERT OR REPLACE and triggers', () => {
    expect(all.filter((e) => e.kind === 'rows-lost').length).toBeGreaterThanOrEqual(3);
    expect(all.filter((e) => e.kind === 'passes').length).toBeGreaterThanOrEqual(4);
  });

  test('the drizzle-style rebuild of users (sessions ON DELETE CASCADE) is reported as rows-lost', async () => {
    const rules = (await findings(exampleWith('rows-lost', '0002_users_name_required.sql').files)).map((f) => f.rule);
    expect(rules).toContain('rows-lost');
    expect(rules).toContain('drop-referenced-table');
  });

  test('the rebuild of users and sessions together produces no error finding at all', async () => {
    const found = await findings(exampleWith('passes', '0002_users_name_required.sql').files);
    expect(found.filter((f) => f.severity === 'error')).toEqual([]);
  });

  test('with NO ACTION, the drizzle-style rebuild is reported as fails-with-data and the children-too rebuild still passes', async () => {
    const unsafe = withOnDelete(exampleWith('rows-lost', '0002_users_name_required.sql').files, '');
    expect((await findings(unsafe)).map((f) => f.rule)).toContain('fails-with-data');
    const safe = withOnDelete(exampleWith('passes', '0002_users_name_required.sql').files, '');
    expect((await findings(safe)).filter((f) => f.severity === 'error')).toEqual([]);
  });

  test.each(all.map((e) => [e.line, e.kind, e] as const))('the example at line %i (%s) gets that outcome', async (_line, kind, example) => {
    const found = await findings(example.files);
    if (kind === 'passes') expect(found.filter((f) => f.severity === 'error')).toEqual([]);
    else expect(found.map((f) => f.rule)).toContain(kind);
  });
});

describe('docs/safe-table-changes.md examples on a D1-like database with rows', () => {
  const USERS_SEED = `INSERT INTO users (id, email, name) VALUES (1, 'alice@example.com', 'Alice'), (2, 'bob@example.com', NULL);
    INSERT INTO sessions (id, user_id, expires_at) VALUES ('s1', 1, 1720000000), ('s2', 1, 1720003600), ('s3', 2, 1720007200);`;

  test.each([
    ['ON DELETE CASCADE deletes every session', 'CASCADE', undefined, 0, 0],
    ['ON DELETE SET NULL nulls every session', 'SET NULL', undefined, 3, 3],
    ['NO ACTION (no ON DELETE) fails', '', /FOREIGN KEY constraint failed/, 3, 0],
    ['ON DELETE RESTRICT fails', 'RESTRICT', /FOREIGN KEY constraint failed/, 3, 0],
  ])('the drizzle-style rebuild with %s', async (_what, action, error, sessions, orphaned) => {
    const run = await onD1LikeWithRows(withOnDelete(exampleWith('rows-lost', '0002_users_name_required.sql').files, action), USERS_SEED);
    if (error) expect(run.error).toMatch(error);
    else expect(run.error).toBeUndefined();
    expect(run.count('sessions')).toBe(sessions);
    expect(run.count('sessions WHERE user_id IS NULL')).toBe(orphaned);
  });

  test.each([
    ['ON DELETE CASCADE', 'CASCADE'],
    ['ON DELETE SET NULL', 'SET NULL'],
    ['NO ACTION', ''],
    ['ON DELETE RESTRICT', 'RESTRICT'],
  ])('the children-too rebuild keeps every row with %s', async (_label, action) => {
    const run = await onD1LikeWithRows(withOnDelete(exampleWith('passes', '0002_users_name_required.sql').files, action), USERS_SEED);
    expect(run.error).toBeUndefined();
    expect(run.rows('SELECT id, name FROM users ORDER BY id')).toEqual([
      { id: 1, name: 'Alice' },
      { id: 2, name: '' },
    ]);
    expect(run.rows('SELECT id, user_id FROM sessions ORDER BY id')).toEqual([
      { id: 's1', user_id: 1 },
      { id: 's2', user_id: 1 },
      { id: 's3', user_id: 2 },
    ]);
    expect(run.rows('PRAGMA foreign_key_check')).toEqual([]);
    // The rename re-pointed the new child at the new parent under its final name; the indexes are back.
    expect(String(run.rows("SELECT sql FROM sqlite_schema WHERE name = 'sessions'")[0]!.sql)).toMatch(/REFERENCES "users"\(id\)/);
    expect(run.rows("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")).toEqual([
      { name: 'sessions_user_id_idx' },
      { name: 'users_email_unique' },
    ]);
  });

  test('the ALTER TABLE example keeps every session', async () => {
    const run = await onD1LikeWithRows(exampleWith('passes', '0002_users_profile.sql').files, USERS_SEED);
    expect(run.error).toBeUndefined();
    expect(run.count('sessions')).toBe(3);
    expect(run.rows('SELECT id, display_name, plan FROM users ORDER BY id')).toEqual([
      { id: 1, display_name: 'Alice', plan: 'free' },
      { id: 2, display_name: null, plan: 'free' },
    ]);
  });

  const PLANS_SEED = "INSERT INTO subscriptions (id, plan_id, customer_id) VALUES (1, 2, 'cus_a'), (2, 2, 'cus_b'), (3, 1, 'cus_c');";

  test('INSERT OR REPLACE gives team a new id without its stripe_price_id and deletes its subscriptions', async () => {
    const run = await onD1LikeWithRows(exampleWith('rows-lost', '0002_team_price.sql').files, PLANS_SEED);
    expect(run.error).toBeUndefined();
    expect(run.rows("SELECT id, price_cents, stripe_price_id FROM plans WHERE name = 'team'")).toEqual([{ id: 3, price_cents: 5900, stripe_price_id: null }]);
    expect(run.rows('SELECT id FROM subscriptions ORDER BY id')).toEqual([{ id: 3 }]);
  });

  test('the UPSERT updates team in place and keeps its subscriptions', async () => {
    const run = await onD1LikeWithRows(exampleWith('passes', '0002_team_price.sql').files, PLANS_SEED);
    expect(run.error).toBeUndefined();
    expect(run.rows("SELECT id, price_cents, stripe_price_id FROM plans WHERE name = 'team'")).toEqual([{ id: 2, price_cents: 5900, stripe_price_id: 'price_team_2024' }]);
    expect(run.count('subscriptions')).toBe(3);
  });

  const ORDERS_SEED = `INSERT INTO orders (id, customer, status) VALUES (100, 'ACME', 'new'), (101, 'Globex', 'shipped');
    INSERT INTO order_cache (order_id, summary) VALUES (100, '1 item'), (101, '3 items');`;

  test('the status backfill empties order_cache through the trigger', async () => {
    const run = await onD1LikeWithRows(exampleWith('rows-lost', '0002_status_upper.sql').files, ORDERS_SEED);
    expect(run.error).toBeUndefined();
    expect(run.count('order_cache')).toBe(0);
  });

  test('dropping and recreating the trigger around the backfill keeps order_cache, and the trigger', async () => {
    const run = await onD1LikeWithRows(exampleWith('passes', '0002_status_upper.sql').files, ORDERS_SEED);
    expect(run.error).toBeUndefined();
    expect(run.rows('SELECT status FROM orders ORDER BY id')).toEqual([{ status: 'NEW' }, { status: 'SHIPPED' }]);
    expect(run.count('order_cache')).toBe(2);
    expect(run.count("sqlite_schema WHERE type = 'trigger' AND name = 'orders_invalidate_cache'")).toBe(1);
  });
});
