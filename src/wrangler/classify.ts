import type { FailureKind } from '../types.js';
import { errorLines, parseJsonOutput, stripAnsi } from './output.js';
import type { RunResult } from './run.js';
import { lastStatusTable } from './status-table.js';

export interface Classified {
  kind: FailureKind;
  /** One or two lines: what went wrong, as wrangler/D1 said it. */
  message: string;
  /** The migration wrangler was running when it failed, when its output says so. */
  migration?: string;
  /** SQLite's own message (`no such table: x`), without D1's code suffix. */
  sqliteMessage?: string;
  /** Cloudflare API error code, when one was printed. */
  code?: number;
}

type Outcome = Pick<RunResult, 'exitCode' | 'signal' | 'stdout' | 'stderr' | 'timedOut' | 'cancelled'> & {
  spawnError?: RunResult['spawnError'];
  timeoutMs?: number;
};

const AUTH: RegExp[] = [
  /\[code: (10000|9106|9109|7403|10001)\]/,
  /no credentials were found/i,
  /necessary to set a CLOUDFLARE_API_TOKEN/i,
  /Authentication error/i,
  /not authorized to access this service/i,
  /\bnot authorized\b(?!: SQLITE)/i,
  /Unable to authenticate request/i,
  /Invalid (API|access) token/i,
];
const NOT_FOUND: RegExp[] = [/\[code: 7404\]/, /Couldn't find (a )?D1 DB/i, /Couldn't find DB/i, /database .* could not be found/i, /could not be found/i];
const TOO_LARGE: RegExp[] = [/SQLITE_TOOBIG/, /statement too long/i, /string or blob too big/i];
const NETWORK: RegExp[] = [
  /\bECONNREFUSED\b/,
  /\bECONNRESET\b/,
  /\bENOTFOUND\b/,
  /\bEAI_AGAIN\b/,
  /\bETIMEDOUT\b/,
  /\bUND_ERR_[A-Z_]+/,
  /fetch failed/i,
  /other side closed/i,
  /socket hang up/i,
  /Network connection lost/i,
  /-> 5\d\d\b/,
  /Internal server error/i,
  /\binternal error\b/i,
  /\boverloaded\b/i,
  /Service Unavailable|Bad Gateway|Gateway Time-?out/i,
];
const SQL: RegExp[] = [
  /SQLITE_[A-Z_]+/,
  /\[code: 7500\]/,
  /no such (table|column|index|trigger|view)/i,
  /syntax error/i,
  /FOREIGN KEY constraint failed/i,
  /(UNIQUE|NOT NULL|CHECK|PRIMARY KEY) constraint failed/i,
  /already exists/i,
  /BEGIN TRANSACTION or SAVEPOINT/,
  /duplicate column name/i,
];
const MISSING: RegExp[] = [/command not found/i, /Cannot find module .*wrangler/i, /is not recognized as an internal or external command/i];

/** Sorts a failed wrangler run into the closed set of FailureKind, from both wrangler 4.86's and 4.1xx's output. */
export function classifyFailure(outcome: Outcome): Classified {
  if (outcome.spawnError) {
    const missing = outcome.spawnError.code === 'ENOENT' || outcome.spawnError.code === 'EACCES';
    return {
      kind: missing ? 'wrangler-missing' : 'unknown',
      message: missing ? `wrangler could not be started: ${outcome.spawnError.message}` : outcome.spawnError.message,
    };
  }
  const text = collectMessage(outcome);
  const all = stripAnsi(`${outcome.stdout}\n${outcome.stderr}`);
  const migration = failedMigration(all);
  const sqliteMessage = sqliteMessageOf(text);
  const code = Number(/\[code: (\d+)\]/.exec(text)?.[1] ?? NaN);
  const base = { migration, sqliteMessage, code: Number.isNaN(code) ? undefined : code };

  if (outcome.cancelled) return { ...base, kind: 'cancelled', message: 'wrangler was stopped because the run was cancelled' };
  if (outcome.timedOut) {
    const after = outcome.timeoutMs ? ` after ${Math.round(outcome.timeoutMs / 1000)} s` : '';
    return { ...base, kind: 'timeout', message: `wrangler did not finish${after} and was stopped` };
  }
  if (outcome.exitCode === 127 || MISSING.some((re) => re.test(all))) {
    return { ...base, kind: 'wrangler-missing', message: text || 'wrangler was not found' };
  }
  const message = text || (outcome.signal ? `wrangler was killed by ${outcome.signal}` : `wrangler exited with code ${outcome.exitCode}`);
  const test = (res: RegExp[]) => res.some((re) => re.test(text));
  if (test(AUTH)) return { ...base, kind: 'not-authorized', message };
  if (test(NOT_FOUND)) return { ...base, kind: 'database-not-found', message };
  if (test(TOO_LARGE)) return { ...base, kind: 'too-large', message };
  if (test(NETWORK)) return { ...base, kind: 'network', message };
  if (test(SQL)) return { ...base, kind: 'sql-error', message };
  return { ...base, kind: 'unknown', message };
}

/** The error text wrangler printed: the `--json` error document, else its `✘ [ERROR]` blocks, else the tail of stderr. */
function collectMessage(outcome: Outcome): string {
  const json = parseJsonOutput(outcome.stdout);
  if (json?.kind === 'error') return [json.text, ...json.notes].filter(Boolean).join('\n');
  const lines = errorLines(outcome.stderr).concat(errorLines(outcome.stdout));
  const useful = lines.filter((l) => !/^Migration .+ failed with the following errors:$/.test(l));
  if (useful.length) return useful.join('\n');
  const tail = stripAnsi(outcome.stderr).trim().split(/\r?\n/).slice(-5).join('\n');
  return tail;
}

/** wrangler 4.86 names the failing migration; newer versions only leave it in the status table, if at all. */
function failedMigration(all: string): string | undefined {
  const named = /Migration (.+?) failed with the following errors:/.exec(all);
  if (named) return named[1];
  return lastStatusTable(all).find((r) => r.status === 'failed')?.name;
}

function sqliteMessageOf(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = /^(.*?:\s*SQLITE_[A-Z_]+)(?:\s*\[code: \d+\])?\s*$/.exec(line.trim());
    if (m) return m[1]!.replace(/:\s*SQLITE_[A-Z_]+$/, '');
  }
  return undefined;
}
