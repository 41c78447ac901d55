/**
 * The apply lock's statements on real SQLite: one atomic upsert decides, the holder is read back in the same
 * request, an expired lock is taken over (and says whose it was), a release removes only the releasing run's
 * row, unlock removes whatever is there.
 */
import { acquireLockPart, describeLock, lockHolder, lockTtlSeconds, releaseLockPart, unlockPart, type LockRequest } from '../../src/ledger-state/lock.js';
import { STATE_TABLE } from '../../src/ledger-state/table.js';
import { database, type Database } from './sql-harness.js';

let d: Database;
beforeEach(async () => {
  d = await database();
});
afterEach(() => d.close());

const request = (token: string, holder = `run ${token}`, ttlSeconds = 2400): LockRequest => ({ token, holder, ttlSeconds });
const acquire = (r: LockRequest, ledger = 'd1_migrations') => {
  const part = acquireLockPart(ledger, r);
  return part.parse(d.request(part.statements));
};

test('the first run takes the lock; a second one is told who holds it, and when it expires', () => {
  const first = acquire(request('a', 'https://github.com/o/r/actions/runs/1 (octocat)'));
  expect(first).toMatchObject({ taken: true, lock: { token: 'a', holder: 'https://github.com/o/r/actions/runs/1 (octocat)' } });
  expect(first.taken && first.tookOver).toBeUndefined();
  const second = acquire(request('b'));
  expect(second).toMatchObject({ taken: false, heldBy: { token: 'a', holder: 'https://github.com/o/r/actions/runs/1 (octocat)' } });
  const row = d.rows(`SELECT value, expires_at - CAST(strftime('%s', at) AS INTEGER) AS ttl FROM ${STATE_TABLE} WHERE kind = 'lock'`);
  expect(row).toEqual([{ value: 'a', ttl: 2400 }]);
});

test('an expired lock is taken over, naming its holder; a live one is not', () => {
  acquire(request('a', 'killed run'));
  d.request([`UPDATE ${STATE_TABLE} SET expires_at = CAST(strftime('%s','now') AS INTEGER) - 1 WHERE kind = 'lock'`]);
  const next = acquire(request('b'));
  expect(next).toMatchObject({ taken: true, lock: { token: 'b' }, tookOver: { token: 'a', holder: 'killed run' } });
  expect(acquire(request('c'))).toMatchObject({ taken: false, heldBy: { token: 'b' } });
});

test('locks of different ledgers (migrations_table) on one database are independent', () => {
  expect(acquire(request('a'), 'd1_migrations')).toMatchObject({ taken: true });
  expect(acquire(request('b'), 'other_migrations')).toMatchObject({ taken: true });
});

test("release removes this run's lock only; unlock removes any, returning it", () => {
  acquire(request('a'));
  d.request(releaseLockPart('d1_migrations', 'someone-else').statements);
  expect(d.rows(`SELECT value FROM ${STATE_TABLE}`)).toEqual([{ value: 'a' }]);
  d.request(releaseLockPart('d1_migrations', 'a').statements);
  expect(d.rows(`SELECT value FROM ${STATE_TABLE}`)).toEqual([]);

  acquire(request('z', 'stuck run'));
  const part = unlockPart('d1_migrations');
  expect(part.parse(d.request(part.statements))).toMatchObject({ token: 'z', holder: 'stuck run' });
  expect(part.parse(d.request(part.statements))).toBeUndefined();
});

test('a hostile holder or ledger name stays data', () => {
  const evil = "x'); DROP TABLE d1_migrate_state; --";
  expect(acquire(request('a', evil), evil)).toMatchObject({ taken: true, lock: { holder: evil } });
  expect(d.rows(`SELECT ledger FROM ${STATE_TABLE}`)).toEqual([{ ledger: evil }]);
});

test('a lock row whose expires_at no Date can hold is described, not thrown on (it is a value of the target database)', () => {
  // Written by anyone with SQL on the database (a migration included): the lock holds (or is expired), and the
  // message about it must still be written instead of the run crashing with "Invalid time value".
  acquire(request('a', 'planted'));
  d.request([`UPDATE ${STATE_TABLE} SET expires_at = 1e20 WHERE kind = 'lock'`]);
  const held = acquire(request('b'));
  expect(held).toMatchObject({ taken: false, heldBy: { token: 'a', holder: 'planted' } });
  expect(!held.taken && describeLock(held.heldBy)).toMatch(/^planted, taken at \S+, expires at unknown$/);
  d.request([`UPDATE ${STATE_TABLE} SET expires_at = -1e20 WHERE kind = 'lock'`]);
  const over = acquire(request('c'));
  expect(over).toMatchObject({ taken: true, tookOver: { token: 'a' } });
  expect(over.taken && over.tookOver && describeLock(over.tookOver)).toMatch(/expires at unknown$/);
  const part = unlockPart('d1_migrations');
  d.request([`UPDATE ${STATE_TABLE} SET expires_at = 1e300 WHERE kind = 'lock'`]);
  const removed = part.parse(d.request(part.statements));
  expect(removed && describeLock(removed)).toMatch(/^run c, taken at \S+, expires at unknown$/);
});

test('the holder names the workflow run, or user@host; only inert characters', () => {
  expect(lockHolder({ runUrl: 'https://github.com/o/r/actions/runs/7', actor: 'octo`cat' }, {})).toBe('https://github.com/o/r/actions/runs/7 (octo?cat)');
  expect(lockHolder({}, { GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9' })).toBe('https://github.com/o/r/actions/runs/9');
  expect(lockHolder({}, {})).toMatch(/^\S+@\S+ \(pid \d+\)$/);
});

test('the TTL outlives three wrangler calls at the timeout: 40 minutes at the default 600 s', () => {
  expect(lockTtlSeconds(600_000)).toBe(2400);
  expect(lockTtlSeconds(3_600_000)).toBe(3 * 3600 + 600);
});
