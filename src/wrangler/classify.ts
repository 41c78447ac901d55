import type { FailureKind } from '../types.js';
import { errorBlocks, parseJsonOutput, stripAnsi } from './output.js';
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

export interface ClassifyContext {
  /**
   * wrangler had begun sending migrations (known to the caller from the streamed output). From then on a
   * failure is never "not authorized" or "no credentials": a token that was good enough to read the ledger
   * and start applying is not the problem, and the text is the migration's own (a trigger's RAISE message
   * can say anything).
   */
  migrationsStarted?: boolean;
}

/** API error codes that mean "this token/account may not use D1" (fail-mode skip-unavailable skips them). */
const AUTH_CODES: ReadonlySet<number> = new Set([10000, 9106, 9109, 7403, 10001]);
const NOT_FOUND_CODE = 7404;

/**
 * wrangler's own words when it has no credentials; they must START the first error it printed, so text
 * quoted from elsewhere (a database name, a file name, a SQL message) cannot pass for them.
 */
const NO_CREDENTIALS: RegExp[] = [
  /^In a non-interactive environment, it's necessary to set a CLOUDFLARE_API_TOKEN environment variable/,
  /^Could not authenticate because no credentials were found/,
];
const NOT_FOUND_HEAD: RegExp[] = [/^Couldn't find (a )?D1 DB/i, /^Couldn't find DB/i];

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

/** Lines wrangler prints once it has read the ledger and is about to send (or is sending) migrations. */
const MIGRATIONS_STARTED = /^(Migrations to be applied:|\?? ?About to apply \d+ migration|🌀 Executing on (remote|local) database)/m;

/**
 * Sorts a failed wrangler run into the closed set of FailureKind, from both wrangler 4.86's and 4.1xx's
 * output. The kinds a fail mode may skip (`not-authorized`, `missing-credentials`) are decided from
 * structure only — the Cloudflare API's error codes and wrangler's own first error line, before any
 * migration ran — never from words inside a message, which a migration can choose. Every other kind fails
 * the step under strict and skip-unavailable, so its text patterns only pick the most helpful label.
 */
export function classifyFailure(outcome: Outcome, context: ClassifyContext = {}): Classified {
  if (outcome.spawnError) {
    const missing = outcome.spawnError.code === 'ENOENT' || outcome.spawnError.code === 'EACCES';
    return {
      kind: missing ? 'wrangler-missing' : 'unknown',
      message: missing ? `wrangler could not be started: ${outcome.spawnError.message}` : outcome.spawnError.message,
    };
  }
  const error = collectError(outcome);
  const text = error.text;
  const stdout = stripAnsi(outcome.stdout);
  const migration = failedMigration(stdout, stripAnsi(outcome.stderr));
  const sqliteMessage = sqliteMessageOf(text);
  const code = error.codes.at(-1);
  const base = { migration, sqliteMessage, code };

  if (outcome.cancelled) return { ...base, kind: 'cancelled', message: 'wrangler was stopped because the run was cancelled' };
  if (outcome.timedOut) {
    const after = outcome.timeoutMs ? ` after ${Math.round(outcome.timeoutMs / 1000)} s` : '';
    return { ...base, kind: 'timeout', message: `wrangler did not finish${after} and was stopped` };
  }
  if (outcome.exitCode === 127 || MISSING.some((re) => re.test(stripAnsi(outcome.stderr)))) {
    return { ...base, kind: 'wrangler-missing', message: text || 'wrangler was not found' };
  }
  const message = text || (outcome.signal ? `wrangler was killed by ${outcome.signal}` : `wrangler exited with code ${outcome.exitCode}`);
  const started = context.migrationsStarted === true || migration !== undefined || MIGRATIONS_STARTED.test(stdout);

  if (!started) {
    if (error.codes.length > 0 && error.codes.every((c) => AUTH_CODES.has(c))) return { ...base, kind: 'not-authorized', message };
    if (error.codes.length === 0 && error.firstHead !== undefined && NO_CREDENTIALS.some((re) => re.test(error.firstHead!))) {
      return { ...base, kind: 'missing-credentials', message };
    }
    if (error.codes.length > 0 ? error.codes.every((c) => c === NOT_FOUND_CODE) : NOT_FOUND_HEAD.some((re) => re.test(error.firstHead ?? ''))) {
      return { ...base, kind: 'database-not-found', message };
    }
  }
  const test = (res: RegExp[]) => res.some((re) => re.test(text));
  if (test(TOO_LARGE)) return { ...base, kind: 'too-large', message };
  // D1 answers a 500 with code 7500 too: the transient cause wins over the code.
  if (test(NETWORK)) return { ...base, kind: 'network', message };
  if (error.codes.includes(7500) || test(SQL)) return { ...base, kind: 'sql-error', message };
  if (!started && test(NOT_FOUND)) return { ...base, kind: 'database-not-found', message };
  return { ...base, kind: 'unknown', message };
}

interface CollectedError {
  /** The message: the `--json` error document, else the `✘ [ERROR]` blocks of stderr, else its tail. */
  text: string;
  /** The first line of the first error wrangler printed (for its own, fixed sentences). */
  firstHead?: string;
  /**
   * Cloudflare API error codes, in order: the `code` of the `--json` error document and the `[code: N]`
   * wrangler appends at the END of each API error it prints (`<message> [code: N]`). A code inside a message
   * never ends a note, since wrangler appends the real one after it.
   */
  codes: number[];
}

function collectError(outcome: Outcome): CollectedError {
  const json = parseJsonOutput(outcome.stdout);
  if (json?.kind === 'error') {
    const codes: number[] = [];
    if (json.code !== undefined) codes.push(json.code);
    for (const note of json.notes) {
      const c = trailingCode(note);
      if (c !== undefined && !codes.includes(c)) codes.push(c);
    }
    return { text: [json.text, ...json.notes].filter(Boolean).join('\n'), firstHead: json.text.split('\n', 1)[0]?.trim(), codes };
  }
  // wrangler writes its error blocks to stderr; stdout carries tables that echo file names, so it is not read.
  const blocks = errorBlocksWithCodes(outcome.stderr);
  const useful = blocks.flatMap((b) => b.lines).filter((l) => !/^Migration .+ failed with the following errors:$/.test(l));
  const codes = blocks.flatMap((b) => b.codes);
  if (useful.length) return { text: useful.join('\n'), firstHead: blocks[0]?.lines[0], codes };
  const tail = stripAnsi(outcome.stderr).trim().split(/\r?\n/).slice(-5).join('\n');
  return { text: tail, codes };
}

/** The `✘ [ERROR]` blocks of `output`, each with its lines and the API code that ends it, if any. */
function errorBlocksWithCodes(output: string): { lines: string[]; codes: number[] }[] {
  return errorBlocks(output).map((lines) => {
    // The code of an API error is the one wrangler appended to the end of the block's last line.
    const c = trailingCode(lines.at(-1) ?? '');
    return { lines, codes: c === undefined ? [] : [c] };
  });
}

function trailingCode(text: string): number | undefined {
  const m = /\[code: (\d+)\]\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * wrangler 4.86 names the failing migration in its error head; newer versions only leave it in the status
 * table, if at all. A name is only trusted when it is a row of the last status table, so a file name that
 * contains the sentence cannot name another migration.
 */
function failedMigration(stdout: string, stderr: string): string | undefined {
  const table = lastStatusTable(stdout);
  const named = /^(?:✘ \[ERROR\] )?Migration (.+?) failed with the following errors:$/m.exec(stderr.replace(/^✘\s*\[ERROR\]\s*/gm, ''));
  if (named && (table.length === 0 || table.some((r) => r.name === named[1]))) return named[1];
  return table.find((r) => r.status === 'failed')?.name;
}

function sqliteMessageOf(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = /^(.*?:\s*SQLITE_[A-Z_]+)(?:\s*\[code: \d+\])?\s*$/.exec(line.trim());
    if (m) return m[1]!.replace(/:\s*SQLITE_[A-Z_]+$/, '');
  }
  return undefined;
}
