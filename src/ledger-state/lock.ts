/**
 * The lock against concurrent applies. D1 has none, and a workflow `concurrency:` group covers neither two
 * workflows nor a laptop: an apply takes a row in the state table with ONE atomic statement (an upsert that
 * only replaces an expired row), reads back who holds it in the same request, and releases it when done —
 * also after a failure or a cancellation. A holder killed outright leaves the row until its TTL passes; the
 * next run then takes it over with a warning, and `d1-migrate unlock` removes it at once.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { RunContext } from '../types.js';
import type { StatementPart } from '../wrangler/parts.js';
import { NOW_ISO, NOW_SECONDS, sqlString } from './sql.js';
import { CREATE_STATE_TABLE, isoSeconds, STATE_TABLE, toLockRow, type LockRow } from './table.js';

/** Who asks for the lock, with the random token that tells this run's row from any other. */
export interface LockRequest {
  token: string;
  holder: string;
  ttlSeconds: number;
}

export type LockOutcome =
  | { taken: true; lock: LockRow; tookOver?: LockRow }
  | { taken: false; heldBy: LockRow };

/**
 * How long a lock lives when its holder never releases it: three wrangler calls at the `timeout` input
 * (bookmark, apply, rollback) plus ten minutes — 40 minutes at the default timeout of 600 s. A run that is
 * still alive never gets near it; a run that was killed blocks the database for at most that long.
 */
export function lockTtlSeconds(timeoutMs: number): number {
  return 3 * Math.ceil(timeoutMs / 1000) + 600;
}

/** The workflow run (its URL) or user@host, plus the process: enough to find who holds the database. */
export function lockHolder(run: RunContext, env: NodeJS.ProcessEnv): string {
  const actor = run.actor ?? env.GITHUB_ACTOR;
  const url =
    run.runUrl ??
    (env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined);
  const text = url ? `${url}${actor ? ` (${actor})` : ''}` : `${userName(env)}@${os.hostname()} (pid ${process.pid})`;
  // The holder is shown in logs and comments and sent as SQL: a small alphabet keeps it inert everywhere.
  return text.replace(/[^\w@.:/#()+, -]/g, '?').slice(0, 200);
}

function userName(env: NodeJS.ProcessEnv): string {
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

export function newLockRequest(run: RunContext, env: NodeJS.ProcessEnv, timeoutMs: number): LockRequest {
  return { token: randomUUID(), holder: lockHolder(run, env), ttlSeconds: lockTtlSeconds(timeoutMs) };
}

const LOCK_WHERE = (ledger: string) => `ledger = ${sqlString(ledger)} AND kind = 'lock' AND name = ''`;

function selectLock(ledger: string): string {
  return `SELECT value, detail, at, expires_at FROM ${STATE_TABLE} WHERE ${LOCK_WHERE(ledger)}`;
}

/**
 * Takes the lock of `ledger` (creating the state table when missing). The upsert is the one statement that
 * decides: it inserts, or replaces a row whose time is up, or does nothing; the SELECT after it says who
 * holds the lock now, the one before it whose expired lock was taken over.
 */
export function acquireLockPart(ledger: string, request: LockRequest): StatementPart<LockOutcome> {
  return {
    statements: [
      CREATE_STATE_TABLE,
      selectLock(ledger),
      `INSERT INTO ${STATE_TABLE} (ledger, kind, name, value, detail, at, expires_at) ` +
        `VALUES (${sqlString(ledger)}, 'lock', '', ${sqlString(request.token)}, ${sqlString(request.holder)}, ${NOW_ISO}, ${NOW_SECONDS} + ${Math.floor(request.ttlSeconds)}) ` +
        `ON CONFLICT (ledger, kind, name) DO UPDATE SET value = excluded.value, detail = excluded.detail, at = excluded.at, expires_at = excluded.expires_at ` +
        `WHERE ${STATE_TABLE}.expires_at < ${NOW_SECONDS}`,
      selectLock(ledger),
    ],
    parse(results) {
      const before = results[1]?.results[0];
      const after = results[3]?.results[0];
      if (!after) return { taken: false, heldBy: { token: '', holder: 'unknown (the lock row could not be read back)', at: '', expiresAt: 0 } };
      const now = toLockRow(after);
      if (now.token !== request.token) return { taken: false, heldBy: now };
      const previous = before ? toLockRow(before) : undefined;
      return { taken: true, lock: now, ...(previous && previous.token !== request.token ? { tookOver: previous } : {}) };
    },
  };
}

/** Releases this run's lock, and only this run's: a lock taken over meanwhile stays with its new holder. */
export function releaseLockPart(ledger: string, token: string): StatementPart<void> {
  return {
    statements: [`DELETE FROM ${STATE_TABLE} WHERE ${LOCK_WHERE(ledger)} AND value = ${sqlString(token)}`],
    parse: () => undefined,
  };
}

/** `d1-migrate unlock`: removes whatever lock the ledger has, returning the row it removed. */
export function unlockPart(ledger: string): StatementPart<LockRow | undefined> {
  return {
    statements: [selectLock(ledger), `DELETE FROM ${STATE_TABLE} WHERE ${LOCK_WHERE(ledger)}`],
    parse(results) {
      const row = results[0]?.results[0];
      return row ? toLockRow(row) : undefined;
    },
  };
}

/** "<holder>, taken at <at>, expires at <iso>" for messages. */
export function describeLock(lock: LockRow): string {
  return `${lock.holder}${lock.at ? `, taken at ${lock.at}` : ''}${lock.expiresAt ? `, expires at ${isoSeconds(lock.expiresAt)}` : ''}`;
}
