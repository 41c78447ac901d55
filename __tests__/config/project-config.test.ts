/**
 * .d1-migrate.toml: where it is found, what it accepts, how its errors point at the line, and how its settings
 * combine with inputs into one policy per environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findProjectConfig, readProjectConfig } from '../../src/config/project-config.js';
import { repositoryRoot } from '../../src/config/repo-root.js';
import { UsageError } from '../../src/errors.js';
import { parseOptions } from '../../src/options.js';
import { applyRulePolicy, rulePolicy } from '../../src/rules/policy.js';
import type { Finding, RuleId } from '../../src/types.js';

const TOML_DB = `name = "t"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "test-db"\ndatabase_id = "x"\n`;
const made: string[] = [];
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-pc-'));
  made.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function configError(text: string): string {
  const dir = tree({ '.d1-migrate.toml': text });
  try {
    readProjectConfig(path.join(dir, '.d1-migrate.toml'), dir);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('reading .d1-migrate.toml', () => {
  test('reads rules, numbering, data-check, exclude and per-environment sections', () => {
    const dir = tree({
      '.d1-migrate.toml': [
        '#:schema ./schema/d1-migrate.schema.json',
        'numbering = "unique"',
        'data-check = false',
        'exclude = ["migrations/legacy/**"]',
        '[rules]',
        'destructive-change = "error"',
        'number-gap = "off"',
        '[env.production]',
        'data-check = true',
        'rules = { destructive-change = "warning" }',
        '[env.staging.rules]',
        'out-of-order = "error"',
      ].join('\n'),
    });
    const config = readProjectConfig(path.join(dir, '.d1-migrate.toml'), dir);
    expect(config.top).toEqual({
      rules: new Map([['destructive-change', 'error'], ['number-gap', 'off']]),
      numbering: 'unique',
      dataCheck: false,
      exclude: ['migrations/legacy/**'],
    });
    expect([...config.environments.keys()]).toEqual(['production', 'staging']);
    expect(config.environments.get('production')).toEqual({ rules: new Map([['destructive-change', 'warning']]), dataCheck: true, exclude: [] });
    expect(config.environments.get('staging')!.rules).toEqual(new Map([['out-of-order', 'error']]));
  });

  test.each([
    ['an unknown top-level key', 'numbering = "unique"\n\nnumbring = "off"\n', /^\.d1-migrate\.toml:3: unknown key "numbring" at the top level\. Allowed keys: rules, numbering, data-check, exclude, env\.$/],
    ['an unknown rule id', '[rules]\ndestructive-change = "error"\ndestructive-changes = "off"\n', /^\.d1-migrate\.toml:3: unknown rule "destructive-changes" in \[rules\]\. Known rules: duplicate-number, /],
    ['a bad severity', '[rules]\n\nnumber-gap = "fatal"\n', /^\.d1-migrate\.toml:3: number-gap = "fatal" in \[rules\]: allowed values are "error", "warning" and "off"\.$/],
    ['a severity that is not a string', '[rules]\nnumber-gap = false\n', /^\.d1-migrate\.toml:2: number-gap = false in \[rules\]/],
    ['a bad numbering', '\n\nnumbering = "timestamp"\n', /^\.d1-migrate\.toml:3: numbering = "timestamp" at the top level: allowed values are "sequential", "unique" and "off"\.$/],
    ['a quoted data-check', 'data-check = "false"\n', /^\.d1-migrate\.toml:1: data-check = "false" at the top level: allowed values are true and false \(TOML booleans, without quotes\)\.$/],
    ['exclude that is not an array', '\nexclude = "migrations/legacy/**"\n', /^\.d1-migrate\.toml:2: exclude at the top level must be an array of glob patterns/],
    ['an absolute exclude pattern', 'exclude = [\n  "ok/**",\n  "/etc/**",\n]\n', /^\.d1-migrate\.toml:3: exclude at the top level: "\/etc\/\*\*" is absolute/],
    ['an exclude pattern that leaves the directory', 'exclude = ["migrations/../../x"]\n', /^\.d1-migrate\.toml:1: .*leaves the directory of \.d1-migrate\.toml/],
    ['an unknown key in an environment', '[env.production]\nnumbering = "off"\ndisable = ["x"]\n', /^\.d1-migrate\.toml:3: unknown key "disable" in \[env\.production\]\. Allowed keys: rules, numbering, data-check, exclude\.$/],
    ['env inside an environment', '[env.production.env.x]\nnumbering = "off"\n', /^\.d1-migrate\.toml:1: unknown key "env" in \[env\.production\]/],
    ['a bad value in an environment, as a dotted key', '[env.staging]\nrules.number-gap = "loud"\n', /^\.d1-migrate\.toml:2: number-gap = "loud" in \[env\.staging\.rules\]/],
    ['a bad value in an inline table on a later line', 'env = { production = { numbering = "off" }, staging = { numbering = "x" } }\n', /^\.d1-migrate\.toml:1: numbering = "x" in \[env\.staging\]/],
    ['an environment that is not a table', 'env = { production = "strict" }\n', /^\.d1-migrate\.toml:1: \[env\.production\] must be a table \(found string "strict"\)\.$/],
    ['an environment name wrangler cannot have', '[env."prod uction"]\nnumbering = "off"\n', /^\.d1-migrate\.toml:1: environment name "prod uction"/],
    ['an array of tables', '[[rules]]\nnumber-gap = "off"\n', /^\.d1-migrate\.toml:1: "rules" at the top level must be a table of rule = severity: \[rules\] \(found an array\)\.$/],
    ['a __proto__ key', '[rules]\n__proto__ = "off"\n', /^\.d1-migrate\.toml:2: key "__proto__" is not allowed here/],
    ['invalid TOML, with line and column', 'numbering = "unique"\nx = = 1\n', /^\.d1-migrate\.toml:2:\d+: invalid TOML: /],
    ['a key defined twice', '[rules]\nnumber-gap = "off"\nnumber-gap = "error"\n', /^\.d1-migrate\.toml:3:\d+: invalid TOML: /],
  ])('%s is an error naming file:line, the key and what is allowed', (_name, text, expected) => {
    expect(configError(text)).toMatch(expected);
  });

  test('a hostile key cannot forge a second line of the message', () => {
    const message = configError('"a\\nb.d1-migrate.toml:9: fine" = 1\n');
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^\.d1-migrate\.toml:1: unknown key "a\\nb/);
  });
});

describe('finding .d1-migrate.toml', () => {
  test('beside the wrangler config, before the working directory', () => {
    const dir = tree({ 'worker/wrangler.toml': TOML_DB, 'worker/.d1-migrate.toml': '', 'app/.d1-migrate.toml': '', 'app/x': '' });
    expect(findProjectConfig({ cwd: path.join(dir, 'app'), wranglerConfig: '../worker/wrangler.toml' })).toBe(path.join(dir, 'worker', '.d1-migrate.toml'));
  });

  test('at the repository root when the project is in a subfolder, and never above the repository', () => {
    const dir = tree({ '.d1-migrate.toml': 'numbering = "off"\n', 'repo/.git/HEAD': '', 'repo/.d1-migrate.toml': '', 'repo/apps/api/wrangler.toml': TOML_DB });
    const cwd = path.join(dir, 'repo', 'apps', 'api');
    expect(repositoryRoot(cwd)).toBe(path.join(dir, 'repo'));
    expect(findProjectConfig({ cwd })).toBe(path.join(dir, 'repo', '.d1-migrate.toml'));
    fs.rmSync(path.join(dir, 'repo', '.d1-migrate.toml'));
    // The file above the repository belongs to something else.
    expect(findProjectConfig({ cwd })).toBeUndefined();
  });

  test('GITHUB_WORKSPACE is the repository root on a runner', () => {
    const dir = tree({ 'ws/.d1-migrate.toml': '', 'ws/apps/api/wrangler.toml': TOML_DB });
    const cwd = path.join(dir, 'ws', 'apps', 'api');
    expect(findProjectConfig({ cwd })).toBeUndefined();
    expect(findProjectConfig({ cwd, env: { GITHUB_WORKSPACE: path.join(dir, 'ws') } })).toBe(path.join(dir, 'ws', '.d1-migrate.toml'));
  });

  test('parseOptions reads it, so a bad file fails like a bad input', () => {
    const dir = tree({ 'wrangler.toml': TOML_DB, '.d1-migrate.toml': '[rules]\nnumber-gap = "of"\n' });
    expect(() => parseOptions({}, { baseDir: dir, source: 'cli', env: {} })).toThrow(/^\.d1-migrate\.toml:2: number-gap = "of"/);
  });
});

describe('rulePolicy: input > [env.<name>] > top level > catalog', () => {
  const dir = tree({
    'wrangler.toml': TOML_DB,
    '.d1-migrate.toml': [
      'numbering = "unique"',
      'exclude = ["migrations/legacy"]',
      '[rules]',
      'destructive-change = "error"',
      'number-gap = "off"',
      'out-of-order = "error"',
      '[env.production]',
      'numbering = "off"',
      'data-check = false',
      'exclude = ["migrations/0009_*.sql"]',
      '[env.production.rules]',
      'destructive-change = "warning"',
      'number-gap = "warning"',
    ].join('\n'),
  });
  const options = (raw = {}) => parseOptions(raw, { baseDir: dir, source: 'action', env: {} });

  test('the top level applies where no environment section says otherwise', () => {
    const p = rulePolicy(options(), 'staging');
    expect(p).toMatchObject({ numbering: 'unique', dataCheck: true });
    expect(p.rules.get('destructive-change')).toBe('error');
    expect(p.sources.get('destructive-change')).toBe('config');
    expect(p.rules.get('duplicate-number')).toBe('error');
    expect(p.sources.get('duplicate-number')).toBe('default');
    expect([...p.off]).toEqual(['number-gap']);
    expect(p.exclude!.patterns).toEqual(['migrations/legacy']);
  });

  test('an environment section overrides the top level; its excludes add to the top level ones', () => {
    const p = rulePolicy(options(), 'production');
    expect(p).toMatchObject({ numbering: 'off', dataCheck: false });
    expect(p.rules.get('destructive-change')).toBe('warning');
    expect(p.sources.get('destructive-change')).toBe('env.production');
    expect(p.rules.get('number-gap')).toBe('warning');
    expect(p.rules.get('out-of-order')).toBe('error');
    expect(p.off.size).toBe(0);
    expect(p.exclude!.patterns).toEqual(['migrations/0009_*.sql', 'migrations/legacy']);
  });

  test('inputs win over both; disable-rules turns a rule off whatever the file says', () => {
    const p = rulePolicy(options({ numbering: 'sequential', 'data-check': 'true', 'disable-rules': 'destructive-change' }), 'production');
    expect(p).toMatchObject({ numbering: 'sequential', dataCheck: true });
    expect(p.rules.get('destructive-change')).toBe('off');
    expect(p.sources.get('destructive-change')).toBe('disable-rules');
  });

  test('without a config file the catalog decides', () => {
    const p = rulePolicy(parseOptions({}, { baseDir: tree({ 'wrangler.toml': TOML_DB }), source: 'cli', env: {} }), null);
    expect(p).toMatchObject({ numbering: 'sequential', dataCheck: true, exclude: undefined });
    expect(p.severity.size).toBe(0);
    expect(p.off.size).toBe(0);
  });
});

describe('applyRulePolicy', () => {
  const f = (rule: RuleId, file?: string, severity: 'error' | 'warning' = 'warning'): Finding => ({ rule, severity, file, line: 1, message: 'm' });

  test('drops rules that are off and findings in excluded files, and sets configured severities', () => {
    const dir = tree({ 'wrangler.toml': TOML_DB, '.d1-migrate.toml': 'exclude = ["migrations/legacy", "migrations/*_seed.sql"]\n[rules]\ndestructive-change = "error"\nnumber-gap = "off"\n' });
    const policy = rulePolicy(parseOptions({}, { baseDir: dir, source: 'cli', env: {} }), null);
    const out = applyRulePolicy(
      [
        f('destructive-change', 'migrations/0002_drop.sql'),
        f('number-gap', 'migrations/0003_x.sql'),
        f('destructive-change', 'migrations/legacy/0001_old.sql'),
        f('replay-error', 'migrations/legacy/deeper/0001_old.sql', 'error'),
        f('destructive-change', 'migrations/0004_seed.sql'),
        f('schema-drift', undefined, 'error'),
        f('duplicate-number', 'migrations/0005_legacy.sql', 'error'),
      ],
      policy,
    );
    expect(out.map((x) => [x.rule, x.file, x.severity])).toEqual([
      ['destructive-change', 'migrations/0002_drop.sql', 'error'],
      ['schema-drift', undefined, 'error'],
      ['duplicate-number', 'migrations/0005_legacy.sql', 'error'],
    ]);
  });

  test('exclude patterns are relative to the config file, which may sit above the working directory', () => {
    const dir = tree({ '.git/HEAD': '', '.d1-migrate.toml': 'exclude = ["apps/api/migrations/legacy/**"]\n', 'apps/api/wrangler.toml': TOML_DB });
    const policy = rulePolicy(parseOptions({ 'working-directory': 'apps/api' }, { baseDir: dir, source: 'cli', env: {} }), null);
    const out = applyRulePolicy([f('number-gap', 'migrations/legacy/0001_a.sql'), f('number-gap', 'migrations/0002_b.sql')], policy);
    expect(out.map((x) => x.file)).toEqual(['migrations/0002_b.sql']);
  });

  test('a bare { off } set is the disable-rules input alone, and findings are not mutated', () => {
    const input = [f('number-gap', 'a.sql'), f('destructive-change', 'b.sql')];
    const out = applyRulePolicy(input, { off: new Set(['number-gap']) });
    expect(out).toEqual([input[1]]);
    expect(out[0]).toBe(input[1]);
  });
});
