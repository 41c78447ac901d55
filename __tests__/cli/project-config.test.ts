/**
 * .d1-migrate.toml through the bundled CLI and the bundled action: the same file changes both the same way,
 * flags and inputs win over it, and its mistakes stop the run with file:line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT, runAction, runCli } from '../support/action-runner.js';
import { makeProject, TOML_DB } from '../support/project.js';
import type { JsonDoc } from '../support/json-report.js';

/** One destructive-change (warning by default) and one gap (0001, 0003), in a legacy folder and at the top. */
const FILES = {
  'wrangler.toml': `${TOML_DB}\n[env.production]\n[[env.production.d1_databases]]\nbinding = "DB"\ndatabase_name = "prod-db"\ndatabase_id = "22222222-2222-4222-8222-222222222222"\n`,
  'migrations/0001_users.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\nCREATE TABLE old_stuff (id INTEGER);\n',
  'migrations/0003_drop.sql': 'DROP TABLE old_stuff;\n',
};

const rulesOf = (doc: JsonDoc) =>
  doc.databases.flatMap((d) => d.findings.map((f) => `${f.severity} ${f.rule} ${f.file ?? ''}`.trim())).sort();

describe('.d1-migrate.toml through the bundled CLI', () => {
  test('without a config file: destructive-change and number-gap are warnings, validate exits 0', async () => {
    const r = await runCli(['validate', '--cwd', makeProject(FILES), '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(rulesOf(JSON.parse(r.stdout) as JsonDoc)).toEqual(['warning destructive-change migrations/0003_drop.sql', 'warning number-gap migrations/0003_drop.sql']);
  });

  test('[rules] makes destructive-change an error and turns number-gap off; the flags still win', async () => {
    const cwd = makeProject({ ...FILES, '.d1-migrate.toml': '[rules]\ndestructive-change = "error"\nnumber-gap = "off"\n' });
    const r = await runCli(['validate', '--cwd', cwd, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(rulesOf(JSON.parse(r.stdout) as JsonDoc)).toEqual(['error destructive-change migrations/0003_drop.sql']);

    const flags = await runCli(['validate', '--cwd', cwd, '--format', 'json', '--disable-rules', 'destructive-change', '--numbering', 'sequential']);
    expect(flags.code).toBe(0);
    // numbering from the flag does not turn number-gap back on: the config turned the rule off.
    expect(rulesOf(JSON.parse(flags.stdout) as JsonDoc)).toEqual([]);
  });

  test('numbering and exclude: findings in excluded files go, the replay still runs them', async () => {
    const cwd = makeProject({
      ...FILES,
      '.d1-migrate.toml': 'numbering = "off"\nexclude = ["migrations/0003_*.sql"]\n',
      // A file that needs 0003's effect: if 0003 were not replayed, this would be a replay-error.
      'migrations/0004_after.sql': 'CREATE TABLE old_stuff (id INTEGER, note TEXT);\n',
    });
    const r = await runCli(['validate', '--cwd', cwd, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(rulesOf(JSON.parse(r.stdout) as JsonDoc)).toEqual([]);
    const numbered = await runCli(['validate', '--cwd', cwd, '--format', 'json', '--numbering', 'sequential']);
    // The gap is reported at 0003 (excluded): the flag changes numbering, the exclude still applies.
    expect(rulesOf(JSON.parse(numbered.stdout) as JsonDoc)).toEqual([]);
  });

  test('an [env.<name>] section applies to that environment only', async () => {
    const cwd = makeProject({ ...FILES, '.d1-migrate.toml': '[env.production.rules]\ndestructive-change = "error"\n' });
    const top = await runCli(['validate', '--cwd', cwd, '--format', 'json']);
    expect(top.code).toBe(0);
    const prod = await runCli(['validate', '--cwd', cwd, '--env', 'production', '--format', 'json']);
    expect(prod.code).toBe(1);
    expect(rulesOf(JSON.parse(prod.stdout) as JsonDoc)).toContain('error destructive-change migrations/0003_drop.sql');
  });

  test('rules shows the effective severity and where it comes from', async () => {
    const cwd = makeProject({ ...FILES, '.d1-migrate.toml': '[rules]\ndestructive-change = "error"\nnumber-gap = "off"\n[env.production.rules]\ndestructive-change = "warning"\n' });
    const json = await runCli(['rules', '--cwd', cwd, '--format', 'json']);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as { id: string; severity: string; defaultSeverity: string; source: string }[];
    expect(rows.find((r) => r.id === 'destructive-change')).toMatchObject({ severity: 'error', defaultSeverity: 'warning', source: '.d1-migrate.toml [rules]' });
    expect(rows.find((r) => r.id === 'number-gap')).toMatchObject({ severity: 'off', source: '.d1-migrate.toml [rules]' });
    expect(rows.find((r) => r.id === 'duplicate-number')).toMatchObject({ severity: 'error', source: 'default' });

    const prod = await runCli(['rules', '--cwd', cwd, '--env', 'production', '--disable-rules', 'rows-lost']);
    expect(prod.code).toBe(0);
    expect(prod.stdout).toMatch(/^Rules for environment production \(\.d1-migrate\.toml applied\); numbering sequential, data check on\./);
    expect(prod.stdout).toMatch(/^destructive-change +warning +DROP TABLE/m);
    expect(prod.stdout).toMatch(/^ +set by \.d1-migrate\.toml \[env\.production\.rules\] \(default: warning\)$/m);
    expect(prod.stdout).toMatch(/^rows-lost +off +/m);
    expect(prod.stdout).toMatch(/^ +set by disable-rules \(default: error\)$/m);
  });

  test('a mistake in the file exits 2 with file:line, the key and what is allowed', async () => {
    const cwd = makeProject({ ...FILES, '.d1-migrate.toml': '[rules]\ndestructive-change = "error"\nnumber-gap = "of"\n' });
    const r = await runCli(['validate', '--cwd', cwd]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('d1-migrate: .d1-migrate.toml:3: number-gap = "of" in [rules]: allowed values are "error", "warning" and "off".\n');
  });
});

describe('.d1-migrate.toml through the bundled action', () => {
  // Annotations with a title are findings; the step's own failure message has none.
  const findingsOf = (r: { annotations: { level: string; props: Record<string, string> }[] }) =>
    r.annotations.filter((a) => a.props.title).map((a) => `${a.level} ${a.props.title}`);

  test('the action reads the same file: severities, numbering, and inputs that override it', async () => {
    const cwd = makeProject({ ...FILES, '.d1-migrate.toml': 'numbering = "off"\n[rules]\ndestructive-change = "error"\n' });
    const r = await runAction({ 'working-directory': cwd, phases: 'validate', comment: 'off' });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('invalid');
    expect(findingsOf(r)).toEqual(['error destructive-change']);

    // numbering given as an input wins over the file; an empty input (the action.yml default) does not.
    const input = await runAction({ 'working-directory': cwd, phases: 'validate', comment: 'off', numbering: 'sequential', 'disable-rules': 'destructive-change' });
    expect(input.code).toBe(0);
    expect(findingsOf(input)).toEqual(['warning number-gap']);
  });

  test('action.yml gives numbering and data-check no default: the runner passes defaults as inputs, which would override the file', () => {
    const inputs = (parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }> }).inputs;
    expect(inputs.numbering!.default).toBe('');
    expect(inputs['data-check']!.default).toBe('');
  });

  test('a bad value fails the step before anything runs, with file:line', async () => {
    const cwd = makeProject({ ...FILES, '.d1-migrate.toml': 'data-check = "no"\n' });
    const r = await runAction({ 'working-directory': cwd, phases: 'validate', comment: 'off' });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.stdout).toContain('::error::.d1-migrate.toml:1: data-check = "no" at the top level: allowed values are true and false');
  });
});
