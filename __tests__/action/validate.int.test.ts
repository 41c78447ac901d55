import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE24, runAction } from '../support/action-runner.js';
import type { JsonDoc } from '../support/json-report.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { makeProject, seedProject, TOML_DB } from '../support/project.js';
import { FIXTURES_DIR } from '../support/sets.js';

describe('the bundled action, validate phase (run as the Actions runner runs it)', () => {
  test('fails the seed project with duplicate-number on both files and replay-error where wrangler really fails', async () => {
    const cwd = seedProject();
    const r = await runAction({ 'working-directory': cwd, environment: 'production', phases: 'validate', comment: 'off' });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('invalid');
    const dup = r.annotations.filter((a) => a.props.title === 'duplicate-number');
    expect(dup.map((a) => a.props.file).sort()).toEqual(['migrations/0001_create_tracked_applications.sql', 'migrations/0001_initial_schema.sql']);
    expect(dup.every((a) => a.level === 'error')).toBe(true);
    const replay = r.annotations.filter((a) => a.props.title === 'replay-error');
    expect(replay).toHaveLength(1);
    expect(replay[0]!.props.file).toBe('migrations/0001_create_tracked_applications.sql');
    expect(replay[0]!.message).toMatch(/no such table: users|users/);
    expect(Number(r.outputs.errors)).toBeGreaterThanOrEqual(3);
    expect(r.summary).toContain('duplicate-number');
    expect(r.summary).toContain('production');
    expect(r.stdout).toMatch(/::error::production · DB: \d+ migration error|::error::/);
  });

  test('passes a clean set (warnings only) and writes outputs, summary and the JSON report', async () => {
    const r = await runAction({ 'working-directory': join(FIXTURES_DIR, 'jsonc-config'), phases: 'validate', comment: 'off' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.outputs.status).toBe('valid');
    expect(r.outputs.errors).toBe('0');
    expect(r.outputs.warnings).toBe('3');
    expect(r.summary).toMatch(/D1 migrations: valid/);
    expect(existsSync(r.outputs.report!)).toBe(true);
    const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as JsonDoc;
    expect(report.databases[0]!.migrations).toEqual(['0001_create_customers.sql', '0002_create_plans.sql', '0003_create_customer_plans.sql']);
  });

  test('data check: rows-lost at the DROP of a rebuild, listed first in the summary; data-check false turns it off', async () => {
    const files = {
      'wrangler.toml': TOML_DB,
      'migrations/0001_init.sql':
        'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\nCREATE TABLE sessions (id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE);\n',
      'migrations/0002_rebuild.sql':
        'CREATE TABLE __new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT);\nINSERT INTO __new_users (id, email) SELECT id, email FROM users;\nDROP TABLE users;\nALTER TABLE __new_users RENAME TO users;\n',
    };
    const r = await runAction({ 'working-directory': makeProject(files), phases: 'validate', comment: 'off' });
    expect(r.code).toBe(1);
    const lost = r.annotations.filter((a) => a.props.title === 'rows-lost');
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ level: 'error', props: { file: 'migrations/0002_rebuild.sql', line: '3' } });
    expect(lost[0]!.message).toContain('sessions');
    // Data-loss findings come before the others (drop-referenced-table and destructive-change at the same line).
    expect(r.summary).toContain('[!CAUTION]');
    const table = r.summary.slice(r.summary.indexOf('| | rule |'));
    expect(table.indexOf('rows-lost')).toBeGreaterThan(-1);
    expect(table.indexOf('rows-lost')).toBeLessThan(table.indexOf('drop-referenced-table'));
    expect(table.indexOf('rows-lost')).toBeLessThan(table.indexOf('destructive-change'));

    const off = await runAction({ 'working-directory': makeProject(files), phases: 'validate', comment: 'off', 'data-check': 'false' });
    expect(off.annotations.filter((a) => a.props.title === 'rows-lost')).toEqual([]);
    expect(off.annotations.some((a) => a.props.title === 'drop-referenced-table')).toBe(true);
    expect(off.summary).not.toContain('[!CAUTION]');
  });

  test('reports errors as warnings and passes under fail-mode warn', async () => {
    const cwd = seedProject();
    const r = await runAction({ 'working-directory': cwd, environment: 'development', phases: 'validate', 'fail-mode': 'warn', comment: 'off' });
    expect(r.code).toBe(0);
    expect(r.outputs.status).toBe('invalid');
    expect(r.annotations.some((a) => a.level === 'error')).toBe(false);
    expect(r.annotations.some((a) => a.level === 'warning' && a.props.title === 'duplicate-number')).toBe(true);
  });

  test('fails with a message naming the input, the value and the allowed values on a bad input', async () => {
    const r = await runAction({ 'working-directory': makeProject({ 'wrangler.toml': TOML_DB, 'migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER);\n' }), 'fail-mode': 'loud' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`::error::Invalid input 'fail-mode': "loud". Allowed values: strict, skip-unavailable, warn.`);
    expect(r.outputs.status).toBe('failed');
  });

  test('names the environments that exist when the environment is not in the config', async () => {
    const r = await runAction({ 'working-directory': seedProject(), environment: 'staging', phases: 'validate' });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/::error::.*staging.*(development|production)/);
  });

  test('runs the same way under Node 24, as GitHub-hosted runners now run node20 actions', async () => {
    const r = await runAction({ 'working-directory': seedProject(), environment: 'production', phases: 'validate', comment: 'off' }, { node: NODE24 });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('invalid');
    expect(r.annotations.filter((a) => a.props.title === 'duplicate-number')).toHaveLength(2);
  });
});

describeCorpus('the bundled action on a real-world set', () => {
  test('passes a clean real-world set and writes outputs, summary and the JSON report', async () => {
    const r = await runAction({ 'working-directory': corpusPath('cloudflare__templates__saas-admin-template'), phases: 'validate', comment: 'off' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.outputs.status).toBe('valid');
    expect(r.outputs.errors).toBe('0');
    expect(r.summary).toMatch(/D1 migrations: valid/);
    expect(existsSync(r.outputs.report!)).toBe(true);
    const report = JSON.parse(readFileSync(r.outputs.report!, 'utf8')) as JsonDoc;
    expect(report.databases[0]!.migrations).toEqual(['0001_create_customers.sql', '0002_create_subscriptions.sql', '0003_create_user_subscriptions.sql']);
  });
});
