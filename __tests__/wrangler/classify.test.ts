import { expect } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { classifyFailure } from '../../src/wrangler/classify.js';
import { parseJsonOutput } from '../../src/wrangler/output.js';
import { REPO_ROOT } from '../support/temp-project.js';

/** Output of real wrangler runs against the D1 emulator (see fixtures/README.md for how they were captured). */
interface Fixture {
  args: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  requests: string[];
}

const FIXTURES = path.join(REPO_ROOT, '__tests__/wrangler/fixtures');
function load(version: string, name: string): Fixture {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, version, `${name}.json`), 'utf8')) as Fixture;
}
function classify(f: Fixture) {
  return classifyFailure({ exitCode: f.exitCode, signal: null, stdout: f.stdout, stderr: f.stderr, timedOut: false, cancelled: false });
}

const VERSIONS = ['4.86', '4.164'];

const CASES: { name: string; kind: string; sqlite?: string; migration486?: string }[] = [
  { name: 'apply-sql-error', kind: 'sql-error', sqlite: 'no such table: nope', migration486: '0002_b.sql' },
  { name: 'apply-local-sql-error', kind: 'sql-error', sqlite: 'no such table: nope', migration486: '0002_b.sql' },
  { name: 'apply-fk', kind: 'sql-error', sqlite: 'FOREIGN KEY constraint failed', migration486: '0001_p.sql' },
  { name: 'apply-begin', kind: 'sql-error', migration486: '0001_tx.sql' },
  { name: 'apply-toobig', kind: 'too-large', sqlite: 'statement too long', migration486: '0001_big.sql' },
  { name: 'apply-10000', kind: 'not-authorized' },
  { name: 'apply-7403', kind: 'not-authorized' },
  { name: 'apply-no-credentials', kind: 'missing-credentials' },
  { name: 'apply-7404', kind: 'database-not-found' },
  { name: 'apply-500', kind: 'network' },
  { name: 'apply-502', kind: 'network', migration486: '0001_a.sql' },
  { name: 'apply-reset', kind: 'network', migration486: '0001_a.sql' },
  { name: 'execute-10000', kind: 'not-authorized' },
  { name: 'execute-7403', kind: 'not-authorized' },
  { name: 'execute-7404', kind: 'database-not-found' },
  { name: 'execute-500', kind: 'network' },
  { name: 'execute-refused', kind: 'network' },
  { name: 'execute-no-table', kind: 'sql-error', sqlite: 'no such table: d1_migrations' },
  { name: 'execute-local-no-table', kind: 'sql-error', sqlite: 'no such table: d1_migrations' },
  { name: 'time-travel-info-10000', kind: 'not-authorized' },
];

describe.each(VERSIONS)('classifying real wrangler %s output', (version) => {
  test.each(CASES)('$name → $kind', ({ name, kind, sqlite, migration486 }) => {
    const f = load(version, name);
    expect(f.exitCode).toBe(1);
    const c = classify(f);
    expect(c.kind).toBe(kind);
    expect(c.message).not.toContain('\u001b[');
    expect(c.message).not.toMatch(/If you think this is a bug/);
    if (sqlite) expect(c.sqliteMessage).toBe(sqlite);
    // Only 4.86 names the failing migration (and newer versions print no ❌ table for API errors).
    if (migration486 && version === '4.86') expect(c.migration).toBe(migration486);
  });

  test('the BEGIN/COMMIT refusal keeps D1\'s message', () => {
    const c = classify(load(version, 'apply-begin'));
    expect(c.sqliteMessage).toMatch(/^To execute a transaction, please use the state\.storage\.transaction\(\)/);
  });

  test('the --json ledger read parses', () => {
    const json = parseJsonOutput(load(version, 'execute-ledger').stdout);
    expect(json).toEqual({ kind: 'results', results: [{ results: [expect.objectContaining({ id: 1, name: '0001_a.sql' })], success: true }] });
  });

  test('time-travel info/restore --json parse', () => {
    const info = parseJsonOutput(load(version, 'time-travel-info').stdout);
    expect(info?.kind === 'object' && typeof info.value.bookmark).toBe('string');
    const restore = parseJsonOutput(load(version, 'time-travel-restore').stdout);
    expect(restore?.kind === 'object' && typeof restore.value.previous_bookmark).toBe('string');
  });
});

describe('classifying how the process ended', () => {
  const base = { exitCode: null, signal: null, stdout: '', stderr: '', timedOut: false, cancelled: false };
  test('spawn ENOENT is wrangler-missing', () => {
    expect(classifyFailure({ ...base, spawnError: { code: 'ENOENT', message: 'spawn /nope ENOENT' } }).kind).toBe('wrangler-missing');
  });
  test('exit 127 / command not found is wrangler-missing', () => {
    expect(classifyFailure({ ...base, exitCode: 127, stderr: 'sh: wrangler: command not found' }).kind).toBe('wrangler-missing');
  });
  test('timeout wins over whatever was printed', () => {
    expect(classifyFailure({ ...base, timedOut: true, stderr: 'SQLITE_ERROR', timeoutMs: 5000 })).toMatchObject({ kind: 'timeout', message: expect.stringContaining('5 s') });
  });
  test('cancelled', () => {
    expect(classifyFailure({ ...base, cancelled: true, signal: 'SIGTERM' }).kind).toBe('cancelled');
  });
  test('killed by a signal with no output is unknown and says so', () => {
    expect(classifyFailure({ ...base, signal: 'SIGKILL' })).toMatchObject({ kind: 'unknown', message: 'wrangler was killed by SIGKILL' });
  });
  test('9106 and "Authentication error" are not-authorized; SQLITE_AUTH is not', () => {
    expect(classifyFailure({ ...base, exitCode: 1, stderr: '✘ [ERROR] Some failure [code: 9106]' }).kind).toBe('not-authorized');
    expect(classifyFailure({ ...base, exitCode: 1, stderr: '✘ [ERROR] not authorized: SQLITE_AUTH [code: 7500]' }).kind).toBe('sql-error');
  });
  test('Couldn\'t find DB is database-not-found', () => {
    expect(classifyFailure({ ...base, exitCode: 1, stderr: "✘ [ERROR] Couldn't find DB with name 'x'" }).kind).toBe('database-not-found');
  });
  test('ECONNREFUSED / ENOTFOUND are network', () => {
    expect(classifyFailure({ ...base, exitCode: 1, stderr: '✘ [ERROR] connect ECONNREFUSED 127.0.0.1:9' }).kind).toBe('network');
    expect(classifyFailure({ ...base, exitCode: 1, stderr: '✘ [ERROR] getaddrinfo ENOTFOUND api.cloudflare.com' }).kind).toBe('network');
  });
});
