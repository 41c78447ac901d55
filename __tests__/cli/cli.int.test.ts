import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/action-runner.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { makeProject, seedProject, TOML_DB } from '../support/project.js';
import { FIXTURES_DIR } from '../support/sets.js';
import { RULES } from '../../src/rule-catalog.js';
import type { JsonDoc } from '../support/json-report.js';

describe('the d1-migrate CLI (bundled dist/cli/index.js)', () => {
  test('prints exactly one JSON document of the documented shape and exits 1 on error findings', async () => {
    const cwd = seedProject();
    const r = await runCli(['validate', '--cwd', cwd, '--env', 'production', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as JsonDoc;
    expect(Object.keys(doc)).toEqual(['status', 'errors', 'warnings', 'informational', 'databases']);
    expect(doc.status).toBe('invalid');
    const db = doc.databases[0]!;
    expect(Object.keys(db)).toEqual(['environment', 'binding', 'databaseName', 'migrationsDir', 'migrations', 'errors', 'warnings', 'informational', 'scope', 'findings']);
    expect(db.scope).toBeNull();
    expect(db).toMatchObject({ environment: 'production', binding: 'DB', databaseName: 'jobmatch-prod', migrationsDir: 'migrations' });
    // wrangler's order: equal numbers keep name order, so create_tracked_applications runs first.
    expect(db.migrations).toEqual(['0001_create_tracked_applications.sql', '0001_initial_schema.sql']);
    for (const f of db.findings) {
      expect(['error', 'warning']).toContain(f.severity);
      expect(f.file === null || /^migrations\/[^\\]+$/.test(f.file ?? '')).toBe(true);
      expect(typeof f.message).toBe('string');
      expect(f.informational).toBe(false);
    }
    expect(doc.errors).toBe(db.findings.filter((f) => f.severity === 'error').length);
  });

  test('--since REF judges only the migrations changed since the ref; the rest are informational', async () => {
    const cwd = makeProject({
      'wrangler.toml': TOML_DB,
      'migrations/0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n',
      // An error that is already on the base branch: it ran long ago.
      'migrations/0002_tx.sql': 'BEGIN TRANSACTION;\nCREATE TABLE tags (id INTEGER);\nCOMMIT;\n',
    });
    const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    // A new, untracked migration.
    writeFileSync(join(cwd, 'migrations', '0003_jobs.sql'), 'CREATE TABLE jobs (id INTEGER PRIMARY KEY);\n');
    const clean = await runCli(['validate', '--cwd', cwd, '--since', 'main', '--format', 'json']);
    expect(clean.stderr).toBe('');
    const doc = JSON.parse(clean.stdout) as JsonDoc;
    expect(doc.databases[0]!.scope).toEqual({ basis: 'since', judged: ['0003_jobs.sql'], base: 'main' });
    expect([clean.code, doc.status, doc.errors, doc.informational]).toEqual([0, 'valid', 0, 2]);
    // Without --since every file is judged, as before.
    expect((await runCli(['validate', '--cwd', cwd])).code).toBe(1);

    writeFileSync(join(cwd, 'migrations/0001_users.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n');
    const edited = await runCli(['validate', '--cwd', cwd, '--since', 'main']);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(/migrations\/0001_users\.sql: error \[modified-migration\]/);
    expect(edited.stdout).toMatch(/2 finding\(s\) in migrations unchanged since main — informational, not blocking: transaction-statement ×2/);

    // git is read with -z: a new file whose name holds a newline is judged under its real name.
    writeFileSync(join(cwd, 'migrations', '0004_odd\nname.sql'), 'CREATE TABLE odd (id INTEGER PRIMARY KEY);\n');
    const odd = JSON.parse((await runCli(['validate', '--cwd', cwd, '--since', 'main', '--format', 'json'])).stdout) as JsonDoc;
    expect(odd.databases[0]!.scope?.judged).toEqual(['0001_users.sql', '0003_jobs.sql', '0004_odd\nname.sql']);

    const unknown = await runCli(['validate', '--cwd', cwd, '--since', 'no-such-branch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Invalid --since: "no-such-branch" is not a commit in this repository');
    const option = await runCli(['validate', '--cwd', cwd, '--since=--output=/tmp/x']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('Invalid --since: "--output=/tmp/x"');
  });

  test('exits 0 with status valid on a clean set', async () => {
    const r = await runCli(['validate', '--cwd', join(FIXTURES_DIR, 'json-config'), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'valid', errors: 0, warnings: 0 });
  });

  test('exits 2 with the message on stderr on a usage error', async () => {
    const r = await runCli(['validate', '--numbering', 'weird', '--cwd', seedProject()]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Invalid --numbering: "weird". Allowed values: sequential, unique, off.');
  });

  test('exits 2 on a config error such as a missing config file', async () => {
    const r = await runCli(['validate', '--cwd', makeProject({ 'migrations/0001_a.sql': 'SELECT 1;' })]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/wrangler\.(toml|json)/);
  });

  test('--no-data-check skips the data check that validate runs by default', async () => {
    const cwd = makeProject({
      'wrangler.toml': TOML_DB,
      'migrations/0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n',
      'migrations/0002_slug.sql': "ALTER TABLE users ADD COLUMN slug TEXT NOT NULL DEFAULT '';\nCREATE UNIQUE INDEX users_slug ON users (slug);\n",
    });
    const on = await runCli(['validate', '--cwd', cwd]);
    expect(on.code).toBe(1);
    expect(on.stdout).toMatch(/^migrations\/0002_slug\.sql:2(:\d+)?: error \[fails-with-data\] .*UNIQUE constraint failed: users\.slug/m);
    const off = await runCli(['validate', '--cwd', cwd, '--no-data-check']);
    expect(off.code).toBe(0);
    expect(off.stdout).not.toContain('fails-with-data');
  });

  test('prints one compiler-style line per finding in text format', async () => {
    const r = await runCli(['validate', '--cwd', seedProject(), '--env', 'production']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^migrations\/0001_initial_schema\.sql:1(:\d+)?: error \[duplicate-number\] /m);
    expect(r.stdout).not.toContain('\u001b['); // not a TTY: no colour codes
  });

  test('prints GitHub workflow commands with --format github', async () => {
    const r = await runCli(['validate', '--cwd', seedProject(), '--env', 'production', '--format', 'github']);
    expect(r.stdout).toMatch(/^::error file=migrations\/0001_initial_schema\.sql,line=1(,col=\d+)?,title=duplicate-number::/m);
  });

  test('lists every rule with its severity', async () => {
    const r = await runCli(['rules', '--format', 'json']);
    expect(r.code).toBe(0);
    const rules = JSON.parse(r.stdout) as { id: string; docs: string }[];
    expect(rules.map((x) => x.id)).toEqual(RULES.map((x) => x.id));
    expect(rules.every((x) => x.docs.endsWith(`#${x.id}`))).toBe(true);
  });

  test('creates the next migration named as wrangler names it, and refuses a collision', async () => {
    const cwd = makeProject({ 'wrangler.toml': TOML_DB, 'migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER);\n' });
    const r = await runCli(['new', 'add jobs table', '--cwd', cwd]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('created migrations/0002_add_jobs_table.sql');
    expect(readdirSync(join(cwd, 'migrations')).sort()).toEqual(['0001_init.sql', '0002_add_jobs_table.sql']);
    const text = readFileSync(join(cwd, 'migrations', '0002_add_jobs_table.sql'), 'utf8');
    expect(text).toMatch(/^-- Migration number: 0002/);
    expect(text).not.toMatch(/^\s*BEGIN/im);
  });

  test('creates the migrations folder the config names when it does not exist yet, as wrangler d1 migrations create does', async () => {
    const cwd = makeProject({ 'wrangler.toml': TOML_DB.replace('database_id', 'migrations_dir = "db/migrations"\ndatabase_id') });
    const r = await runCli(['new', 'init', '--cwd', cwd]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('created db/migrations/0001_init.sql');
    expect(readdirSync(join(cwd, 'db', 'migrations'))).toEqual(['0001_init.sql']);
  });

  test('refuses to create a migration outside the working directory', async () => {
    const cwd = makeProject({ 'wrangler.toml': TOML_DB });
    const r = await runCli(['new', 'x', '--cwd', cwd, '--migrations-dir', '../elsewhere']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/outside the working directory/);
  });

  test('keeps the timestamp style of a folder that uses it', async () => {
    const cwd = makeProject({ 'wrangler.toml': TOML_DB, 'migrations/20240101120000_init.sql': 'SELECT 1;\n' });
    const r = await runCli(['new', 'add index', '--cwd', cwd, '--format', 'json']);
    expect(r.code).toBe(0);
    const created = JSON.parse(r.stdout) as { number: string };
    expect(created.number).toMatch(/^\d{14}$/);
    expect(BigInt(created.number) > 20240101120000n).toBe(true);
  });
});

describeCorpus('the d1-migrate CLI on a real-world set', () => {
  test('exits 0 with status valid on a clean set', async () => {
    const r = await runCli(['validate', '--cwd', corpusPath('cloudflare__templates__d1-template'), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'valid', errors: 0 });
  });
});
