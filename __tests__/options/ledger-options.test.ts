/** The inputs and flags of the ledger operations: each bad combination fails before anything runs, naming it. */
import { parseCli } from '../../src/cli/args.js';
import { UsageError } from '../../src/errors.js';
import { parseOptions, type RawInputs } from '../../src/options.js';
import { nameList, resolveMigration } from '../../src/phases/migration-arg.js';
import type { MigrationFile } from '../../src/types.js';

const action = { baseDir: '/work/project', source: 'action' as const, env: {} };
const cli = (args: string[] = []) => ({ baseDir: '/work/project', source: 'cli' as const, env: {}, ledgerArgs: args });

test('defaults: the state table is on, nothing forced, no to', () => {
  const o = parseOptions({}, action);
  expect(o.ledgerState).toBe(true);
  expect(o.force).toBe(false);
  expect(o.to).toBeUndefined();
  expect(parseOptions({ 'ledger-state': 'false' }, action).ledgerState).toBe(false);
});

test('to goes with apply and baseline', () => {
  expect(parseOptions({ to: '0003_x.sql' }, action).to).toBe('0003_x.sql');
  expect(parseOptions({ phases: 'baseline', to: '3' }, action)).toMatchObject({ phases: ['baseline'], to: '3' });
});

test.each<[string, RawInputs, RegExp]>([
  ['to without apply', { phases: 'validate,preview', to: '0003_x.sql' }, /input 'to' is for apply .* and baseline; phases are "validate,preview"/],
  ['baseline without to', { phases: 'baseline' }, /baseline needs input 'to': the last migration the database already has/],
  ['baseline with other phases', { phases: 'baseline,apply', to: '1' }, /Invalid input 'phases': "baseline" runs alone/],
  ['unlock with other phases', { phases: 'unlock,history' }, /"unlock" runs alone/],
  ['force without a ledger operation', { force: 'true' }, /input 'force' is only for baseline, mark-applied and rename-applied/],
  ['a bad force value', { phases: 'baseline', to: '1', force: 'maybe' }, /Invalid input 'force': "maybe". Allowed values: true, false/],
  ['a bad ledger-state value', { 'ledger-state': 'nope' }, /Invalid input 'ledger-state': "nope"/],
  ['unlock with the state off', { phases: 'unlock', 'ledger-state': 'false' }, /unlock removes the apply lock, which lives in the state table that input 'ledger-state' false turns off/],
  ['a to with a newline', { to: '1\n2' }, /Invalid input 'to'/],
  ['mark-applied in the action', { phases: 'mark-applied' }, /unknown phase "mark-applied"/],
])('%s is refused', (_what, raw, message) => {
  expect(() => parseOptions(raw, action)).toThrow(UsageError);
  expect(() => parseOptions(raw, action)).toThrow(message);
});

test('the CLI commands take their arguments, and say how many when wrong', () => {
  expect(parseOptions({ phases: 'mark-applied' }, cli(['0003_x.sql']))).toMatchObject({ phases: ['mark-applied'], ledgerArgs: ['0003_x.sql'] });
  expect(parseOptions({ phases: 'rename-applied', force: 'true' }, cli(['a.sql', 'b.sql']))).toMatchObject({ ledgerArgs: ['a.sql', 'b.sql'], force: true });
  expect(() => parseOptions({ phases: 'rename-applied' }, cli(['a.sql']))).toThrow(/rename-applied takes 2 argument\(s\), got 1\. Usage: d1-migrate rename-applied <old name> <new file>/);
  expect(() => parseOptions({ phases: 'unlock' }, cli(['x']))).toThrow(/unlock takes no argument\(s\), got 1/);
  expect(() => parseOptions({ phases: 'baseline' }, cli())).toThrow(/baseline needs --to/);
});

test('CLI flags map to the inputs', () => {
  const a = parseCli(['baseline', '--to', '0003', '--force', '--no-ledger-state']);
  expect(a).toMatchObject({ command: 'baseline', raw: { to: '0003', force: 'true', 'ledger-state': 'false' } });
  expect(parseCli(['rename-applied', 'old.sql', 'new.sql']).positionals).toEqual(['old.sql', 'new.sql']);
});

describe('naming a migration', () => {
  const m = (name: string): MigrationFile => {
    const digits = /^\d+/.exec(name)?.[0] ?? null;
    return { name, path: `/p/migrations/${name}`, relPath: `migrations/${name}`, number: digits === null ? null : Number(digits), numberText: digits, sql: '', bytes: 0 };
  };
  const files = [m('0001_users.sql'), m('0002_a.sql'), m('0002_b.sql'), m('0010_jobs.sql')];
  test.each([
    ['0001_users.sql', '0001_users.sql'],
    ['0001_users', '0001_users.sql'],
    ['migrations/0010_jobs.sql', '0010_jobs.sql'],
    ['1', '0001_users.sql'],
    ['0010', '0010_jobs.sql'],
    ['10', '0010_jobs.sql'],
  ])('%s is %s', (arg, name) => {
    const r = resolveMigration(arg, files);
    expect(r.ok && r.file.name).toBe(name);
  });
  test('an ambiguous number or an unknown name is refused, saying why', () => {
    expect(resolveMigration('2', files)).toEqual({ ok: false, reason: '"2" is ambiguous: 0002_a.sql, 0002_b.sql share that number; name the file' });
    expect(resolveMigration('0003_nope.sql', files)).toEqual({ ok: false, reason: 'there is no migration "0003_nope.sql"' });
    expect(nameList(Array.from({ length: 25 }, (_, i) => `f${i}`))).toMatch(/f19, … 5 more$/);
  });
});
