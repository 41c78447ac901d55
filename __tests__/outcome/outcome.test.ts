/**
 * The outcome decision (src/outcome.ts) as a table: every combination of the facts a run can meet — an
 * error in a migration that will run, a ledger finding, a finding in a migration that already ran, a
 * classified failure of each kind, something applied or not — under each fail mode, to a status and an exit
 * code. The README's fail-mode table is read and checked row by row, so it states exactly what is tested.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyGate, decideDatabase, decideRun, type DatabaseFacts } from '../../src/outcome.js';
import type { FailMode, FailureKind, Finding, Phase, RuleId } from '../../src/types.js';
import { REPO_ROOT } from '../support/temp-project.js';

const MODES: FailMode[] = ['strict', 'skip-unavailable', 'warn'];
const VALIDATE: Phase[] = ['validate'];
const DEPLOY: Phase[] = ['validate', 'preview', 'apply', 'history'];

const SETTLED = ['migrations/0001_old.sql'];
const scope = { basis: 'ledger' as const, settled: SETTLED, judged: ['0002_new.sql'] };
const error = (file: string, rule: RuleId = 'transaction-statement'): Finding => ({ rule, severity: 'error', file, line: 1, message: 'x' });
const pendingError = error('migrations/0002_new.sql');
const historyError = error('migrations/0001_old.sql', 'unsafe-add-column');
const ledgerError = error('migrations/0002_new.sql', 'applied-file-missing');
const preflightError: Finding = { ...error('migrations/0002_new.sql', 'preflight-rows-lost'), table: 'posts', rows: 48_211 };
const failure = (kind: FailureKind, phase: Phase = 'preview') => ({ phase, kind, message: `${kind} happened` });

interface Row {
  phases: Phase[];
  facts: DatabaseFacts;
}

/** The README rows, by their first cell. */
const ROWS: Record<string, Row> = {
  'validate only, nothing found': { phases: VALIDATE, facts: { findings: [] } },
  'an error in a migration that will run': { phases: DEPLOY, facts: { findings: [pendingError], scope, pending: ['0002_new.sql'], applied: [] } },
  'an error only in migrations that already ran (informational), the new one applied': {
    phases: DEPLOY,
    facts: { findings: [historyError], scope, pending: ['0002_new.sql'], applied: ['0002_new.sql'] },
  },
  'a ledger finding (`applied-file-missing`: an applied migration was renamed)': {
    phases: DEPLOY,
    facts: { findings: [ledgerError], scope, pending: ['0002_new.sql'], applied: [] },
  },
  'a preflight error (`preflight-rows-lost`: the target holds rows a pending migration would delete)': {
    phases: DEPLOY,
    facts: { findings: [preflightError], scope, pending: ['0002_new.sql'], applied: [] },
  },
  'token not authorized or D1 not enabled (`not-authorized`)': { phases: DEPLOY, facts: { findings: [], failure: failure('not-authorized') } },
  'no credentials (`missing-credentials`)': { phases: DEPLOY, facts: { findings: [], failure: failure('missing-credentials') } },
  'no credentials, and an error in a migration': { phases: DEPLOY, facts: { findings: [pendingError], failure: failure('missing-credentials') } },
  'a migration fails (`sql-error`) after others applied': {
    phases: DEPLOY,
    facts: { findings: [], scope, pending: ['0002_new.sql', '0003_x.sql'], applied: ['0002_new.sql'], failure: failure('sql-error', 'apply') },
  },
  'database not found (`database-not-found`)': { phases: DEPLOY, facts: { findings: [], failure: failure('database-not-found') } },
  'network error (`network`)': { phases: DEPLOY, facts: { findings: [], failure: failure('network') } },
  'wrangler timed out (`timeout`)': { phases: DEPLOY, facts: { findings: [], scope, pending: ['0002_new.sql'], applied: [], failure: failure('timeout', 'apply') } },
  'wrangler exits 0 but the ledger lacks a pending migration (`not-applied`)': {
    phases: DEPLOY,
    facts: { findings: [], scope, pending: ['0002_new.sql'], applied: [], failure: failure('not-applied', 'apply') },
  },
  "an applied migration's file was edited (`applied-file-changed`)": {
    phases: DEPLOY,
    // The edited file already ran (settled), yet the finding counts: it is about what the ledger says.
    facts: { findings: [error('migrations/0001_old.sql', 'applied-file-changed')], scope, pending: ['0002_new.sql'], applied: [] },
  },
  "another run holds the database's apply lock (`locked`)": {
    phases: DEPLOY,
    facts: { findings: [], scope, pending: ['0002_new.sql'], applied: [], failure: failure('locked', 'apply') },
  },
  '`to` names no pending migration (`usage`; the CLI exits 2)': {
    phases: DEPLOY,
    facts: { findings: [], scope, pending: ['0002_new.sql'], failure: failure('usage', 'apply') },
  },
  'a ledger operation refuses to write (`refused`: the live schema or the ledger disagrees)': {
    phases: ['baseline'],
    facts: { findings: [], failure: failure('refused', 'baseline') },
  },
  'baseline recorded the migrations as applied': { phases: ['baseline'], facts: { findings: [], recorded: ['0001_old.sql'] } },
  'applied, confirmed by the ledger': { phases: DEPLOY, facts: { findings: [], scope, pending: ['0002_new.sql'], applied: ['0002_new.sql'] } },
  'nothing pending': { phases: DEPLOY, facts: { findings: [], scope: { ...scope, judged: [] }, pending: [], applied: [] } },
};

function readmeTable(): Map<string, Record<FailMode, string>> {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const block = /<!-- outcome:start[^>]*-->\n([\s\S]*?)<!-- outcome:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no <!-- outcome:start --> table');
  const rows = new Map<string, Record<FailMode, string>>();
  for (const line of block[1]!.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replace(/\\\|/g, '|'));
    if (cells.length !== 4 || cells[0] === 'what happened' || /^-+$/.test(cells[0]!.replace(/ /g, ''))) continue;
    rows.set(cells[0]!, { strict: cells[1]!, 'skip-unavailable': cells[2]!, warn: cells[3]! });
  }
  return rows;
}

const cell = (r: { status: string; failsStep: boolean }) => `${r.status}, exit ${r.failsStep ? 1 : 0}`;

describe('the README fail-mode table is what the outcome decision does', () => {
  const table = readmeTable();

  test('it has exactly the rows this test checks', () => {
    expect([...table.keys()].sort()).toEqual(Object.keys(ROWS).sort());
  });

  test.each(Object.keys(ROWS).flatMap((name) => MODES.map((mode) => [name, mode] as const)))('%s, under %s', (name, mode) => {
    const row = ROWS[name]!;
    const decided = decideDatabase(row.facts, { phases: row.phases, failMode: mode });
    expect(cell(decided)).toBe(table.get(name)?.[mode]);
  });
});

/** Every combination of the facts, and what must hold whatever the table says. */
describe('every combination of facts under every fail mode', () => {
  const KINDS: (FailureKind | undefined)[] = [
    undefined,
    'not-authorized',
    'missing-credentials',
    'sql-error',
    'network',
    'timeout',
    'not-applied',
    'database-not-found',
    'too-large',
    'cancelled',
    'wrangler-missing',
    'locked',
    'usage',
    'unknown',
  ];
  const cases: { pending: boolean; ledger: boolean; history: boolean; kind?: FailureKind; applied: boolean; mode: FailMode }[] = [];
  for (const pending of [false, true])
    for (const ledger of [false, true])
      for (const history of [false, true])
        for (const kind of KINDS)
          for (const applied of [false, true])
            for (const mode of MODES) cases.push({ pending, ledger, history, ...(kind ? { kind } : {}), applied, mode });

  function facts(c: (typeof cases)[number]): DatabaseFacts {
    const findings = [...(c.pending ? [pendingError] : []), ...(c.ledger ? [ledgerError] : []), ...(c.history ? [historyError] : [])];
    return {
      findings,
      scope,
      pending: ['0002_new.sql'],
      applied: c.applied ? ['0002_new.sql'] : [],
      ...(c.kind ? { failure: failure(c.kind, c.applied ? 'apply' : 'preview') } : {}),
    };
  }

  test(`${cases.length} cases`, () => {
    for (const c of cases) {
      const d = decideDatabase(facts(c), { phases: DEPLOY, failMode: c.mode });
      const at = JSON.stringify(c);
      const blocking = c.pending || c.ledger;
      const unavailable = c.kind === 'not-authorized' || c.kind === 'missing-credentials';
      // warn never fails the step; it still tells the truth in the status.
      if (c.mode === 'warn') expect([at, d.failsStep]).toEqual([at, false]);
      // strict fails on any error that counts and on any failure at all.
      if (c.mode === 'strict') expect([at, d.failsStep]).toEqual([at, blocking || c.kind !== undefined]);
      // skip-unavailable forgives only "D1 is not available", never what validate found, never after applying.
      if (c.mode === 'skip-unavailable') expect([at, d.failsStep]).toEqual([at, blocking || (c.kind !== undefined && !(unavailable && !c.applied))]);
      // skipped: only that, and only when nothing else is wrong.
      expect([at, d.status === 'skipped']).toEqual([at, c.mode === 'skip-unavailable' && unavailable && !c.applied && !blocking]);
      // A green status is never written over a failure or an error that counts.
      if (['valid', 'applied', 'up-to-date'].includes(d.status)) expect([at, blocking || c.kind !== undefined]).toEqual([at, false]);
      // Findings in migrations that already ran never change the outcome.
      const without = decideDatabase(facts({ ...c, history: false }), { phases: DEPLOY, failMode: c.mode });
      expect([at, d]).toEqual([at, without]);
    }
  });

  test('apply never starts with an error that counts, unless warn; nor after a failed preview', () => {
    for (const c of cases.filter((x) => !x.applied)) {
      const f = { ...facts(c), applied: undefined };
      const gate = applyGate(f, c.mode);
      const shouldGo = c.kind === undefined && (c.mode === 'warn' || !(c.pending || c.ledger));
      expect([JSON.stringify(c), gate.go]).toEqual([JSON.stringify(c), shouldGo]);
    }
  });
});

test('a preflight error blocks apply before anything runs, except under warn', () => {
  const f: DatabaseFacts = { findings: [preflightError], scope, pending: ['0002_new.sql'] };
  expect(applyGate(f, 'strict')).toEqual({ go: false, reason: 'Nothing was applied: 1 error(s) in the migrations that would run (fail-mode strict).' });
  expect(applyGate(f, 'skip-unavailable').go).toBe(false);
  expect(applyGate(f, 'warn')).toEqual({ go: true });
});

describe('the run', () => {
  const db = (over: Partial<DatabaseFacts>, binding = 'DB', environment: string | null = 'production') => ({ findings: [], environment, binding, ...over });

  test('takes the worst status and fails when one database fails, naming it', () => {
    const run = decideRun([db({ pending: [], applied: [] }, 'A'), db({ findings: [pendingError] }, 'B'), db({ failure: failure('network') }, 'C')], { phases: DEPLOY, failMode: 'strict' });
    expect(run).toMatchObject({ status: 'failed', failed: true, exitCode: 1, errors: 1 });
    expect(run.failureMessage).toBe('production · B: 1 migration error(s) found by validate (and 1 more database(s))');
  });

  test('counts informational findings apart and passes on them', () => {
    const run = decideRun([db({ findings: [historyError, historyError], scope, pending: ['0002_new.sql'], applied: ['0002_new.sql'] })], { phases: DEPLOY, failMode: 'strict' });
    expect(run).toEqual({ status: 'applied', failed: false, exitCode: 0, errors: 0, warnings: 0, informational: 2 });
  });

  test('skipped under skip-unavailable is exit 0 but never hides another database\'s error', () => {
    const rules = { phases: DEPLOY, failMode: 'skip-unavailable' as const };
    expect(decideRun([db({ failure: failure('not-authorized') })], rules)).toMatchObject({ status: 'skipped', exitCode: 0 });
    expect(decideRun([db({ failure: failure('not-authorized') }, 'A'), db({ findings: [pendingError] }, 'B')], rules)).toMatchObject({
      status: 'invalid',
      exitCode: 1,
    });
  });
});
