import { UsageError } from '../../src/errors.js';
import { parseOptions, type RawInputs } from '../../src/options.js';
import { rulePolicy } from '../../src/rules/policy.js';

const base = { baseDir: '/work/project', source: 'action' as const, env: {} };

describe('parseOptions', () => {
  test('applies the documented defaults when nothing is set', () => {
    const o = parseOptions({}, base);
    expect(o.cwd).toBe('/work/project');
    expect(o.phases).toEqual(['validate', 'preview', 'apply', 'history']);
    expect(o.target).toBe('remote');
    expect(o.failMode).toBe('strict');
    // numbering and data-check not given: .d1-migrate.toml (none here) or the default decides.
    expect(o.numbering).toBeUndefined();
    expect(rulePolicy(o, null).numbering).toBe('sequential');
    expect(o.comment).toBe('auto');
    expect(o.environments).toEqual([null]);
    expect(o.rollbackOnFailure).toBe(false);
    expect(o.dataCheck).toBeUndefined();
    expect(rulePolicy(o, null).dataCheck).toBe(true);
    expect(o.projectConfig).toBeUndefined();
    expect(o.timeoutMs).toBe(600_000);
  });

  test('splits lists on commas and newlines and keeps environment order', () => {
    const o = parseOptions({ environment: 'staging,\n production ', phases: 'validate\npreview', 'disable-rules': 'number-gap, destructive-change' }, base);
    expect(o.environments).toEqual(['staging', 'production']);
    expect(o.phases).toEqual(['validate', 'preview']);
    expect(o.disableRules).toEqual(['number-gap', 'destructive-change']);
  });

  test('cache-dir: absolute, and never inside the working directory or the checkout', () => {
    expect(parseOptions({}, base).cacheDir).toBeUndefined();
    expect(parseOptions({ 'cache-dir': '/tmp/d1-cache' }, base).cacheDir).toBe('/tmp/d1-cache');
    expect(parseOptions({ 'cache-dir': '../cache' }, base).cacheDir).toBe('/work/cache');
    for (const inside of ['.cache', '/work/project/sub', '/work/project', '..cache', '/work/project/..cache/sub']) {
      expect(() => parseOptions({ 'cache-dir': inside }, base)).toThrow(UsageError);
      expect(() => parseOptions({ 'cache-dir': inside }, base)).toThrow(/input 'cache-dir': .* is inside the working directory, where a pull request could put files/);
    }
    const workspace = { ...base, env: { GITHUB_WORKSPACE: '/work' } };
    expect(() => parseOptions({ 'working-directory': 'project', 'cache-dir': '/work/other' }, { ...workspace, baseDir: '/work' })).toThrow(/inside the checkout \(GITHUB_WORKSPACE\)/);
    expect(() => parseOptions({ 'cache-dir': '.cache' }, { ...base, source: 'cli' })).toThrow(/--cache-dir/);
  });

  test('data-check is on unless set to false', () => {
    expect(parseOptions({ 'data-check': 'false' }, base).dataCheck).toBe(false);
    expect(parseOptions({ 'data-check': 'OFF' }, base).dataCheck).toBe(false);
    expect(parseOptions({ 'data-check': 'true' }, base).dataCheck).toBe(true);
    expect(rulePolicy(parseOptions({ 'data-check': ' ' }, base), null).dataCheck).toBe(true);
  });

  test('resolves working-directory against the workspace', () => {
    expect(parseOptions({ 'working-directory': 'workers' }, base).cwd).toBe('/work/project/workers');
  });

  const bad: [string, RawInputs, RegExp][] = [
    ['an unknown phase', { phases: 'validate,deploy' }, /input 'phases'.*"deploy".*Allowed phases: validate, preview, apply, history, test, restore, drift/],
    ['an unknown fail-mode', { 'fail-mode': 'strcit' }, /input 'fail-mode': "strcit"\. Allowed values: strict, skip-unavailable, warn/],
    ['an unknown numbering', { numbering: 'timestamp' }, /input 'numbering': "timestamp"\. Allowed values: sequential, unique, off/],
    ['an unknown target', { target: 'production' }, /input 'target': "production"\. Allowed values: remote, local/],
    ['an unknown comment mode', { comment: 'always' }, /input 'comment': "always"\. Allowed values: auto, off/],
    ['an unknown rule in disable-rules', { 'disable-rules': 'number-gap,no-such-rule' }, /input 'disable-rules': unknown rule "no-such-rule"\. Known rules: duplicate-number/],
    ['a non-boolean rollback-on-failure', { 'rollback-on-failure': 'maybe' }, /input 'rollback-on-failure': "maybe"\. Allowed values: true, false/],
    ['a non-boolean data-check', { 'data-check': 'sometimes' }, /input 'data-check': "sometimes"\. Allowed values: true, false/],
    ['restore without a bookmark', { phases: 'restore' }, /restore phase needs input 'bookmark'/],
    ['restore combined with other phases', { phases: 'restore,apply', bookmark: 'abc' }, /"restore" runs alone/],
    ['a bookmark with shell characters', { phases: 'restore', bookmark: 'abc;rm -rf /' }, /input 'bookmark': "abc;rm -rf \/"/],
    ['an environment name with spaces or shell characters', { environment: 'prod$(id)' }, /input 'environment': "prod\$\(id\)"/],
    ['persist-to with target remote', { 'persist-to': '.state' }, /input 'persist-to' is only used with target local/],
    ['a non-numeric timeout', { timeout: 'ten' }, /input 'timeout': "ten"\. Allowed: a number of seconds/],
    ['a zero timeout', { timeout: '0' }, /input 'timeout': "0"/],
  ];
  test.each(bad)('rejects %s with a message naming the input, the value and what is allowed', (_name, raw, message) => {
    expect(() => parseOptions(raw, base)).toThrow(UsageError);
    expect(() => parseOptions(raw, base)).toThrow(message);
  });

  test('names CLI flags instead of inputs when called from the CLI', () => {
    expect(() => parseOptions({ 'fail-mode': 'x' }, { ...base, source: 'cli' })).toThrow(/Invalid --fail-mode: "x"/);
  });

  test('accepts values case-insensitively as GitHub users type them', () => {
    const o = parseOptions({ target: 'LOCAL', 'fail-mode': 'Skip-Unavailable', 'rollback-on-failure': 'TRUE' }, base);
    expect(o.target).toBe('local');
    expect(o.failMode).toBe('skip-unavailable');
    expect(o.rollbackOnFailure).toBe(true);
  });

  test('puts the action report file in RUNNER_TEMP', () => {
    const o = parseOptions({}, { ...base, env: { RUNNER_TEMP: '/runner/tmp', GITHUB_RUN_ID: '42' } });
    expect(o.reportPath).toMatch(/^\/runner\/tmp\/d1-migrate-report-42-/);
  });
});
