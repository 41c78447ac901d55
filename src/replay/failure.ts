/**
 * How the replay words a file that fails: `sql-syntax` for text SQLite cannot parse, `replay-error` for a
 * statement that fails (with the statement, the line SQLite points at and what wrangler does then),
 * `replay-unverified` when the schema it ran on is incomplete, and notes where a static rule already says it.
 */
import { checkDuplicateNumbers } from '../rules/duplicate-number.js';
import { tokenize } from '../sql/tokenize.js';
import type { Finding, MigrationFile } from '../types.js';
import { firstLine, type SqlText } from './statements.js';

/** Where and why a file failed; `resumeAt` is where syntax checking of the rest of the file continues. */
export interface Failure {
  message: string;
  /** Byte offset of the failing statement, or undefined for a failure of the file as a whole. */
  start?: number;
  errorOffset?: number;
  /** True when SQLite could not parse the statement. */
  parse: boolean;
  resumeAt?: number;
  /** The message is complete (wrangler-specific failures); no statement context is added. */
  final?: boolean;
  line?: number;
  /**
   * The statement fails under local wrangler only because D1 rejects its kind, which the named static rule
   * already reports: stop here as wrangler does, with a note instead of a second finding.
   */
  reportedBy?: string;
}

export interface FailureContext {
  /** Every file of the run, in order (for files sharing a number). */
  files: MigrationFile[];
  migrationsTable: string;
  /** The first settled file that failed (the schema later files run on is incomplete), if any. */
  brokenHistory?: string;
  settled?: ReadonlySet<string>;
}

export type Reported = { finding: Omit<Finding, 'severity'> } | { note: string };

/** What to report for `f`; `bookStart` is where wrangler's bookkeeping INSERT begins in `text`. */
export function describeFailure(ctx: FailureContext, file: MigrationFile, text: SqlText | undefined, bookStart: number, f: Failure): Reported {
  const shared = sharedNumberNote(ctx.files, file);
  if (f.reportedBy && text && f.start !== undefined) {
    const first = firstLine(text.slice(f.start, f.resumeAt ?? text.statementEnd(f.start)));
    return {
      note: `${file.name} fails under local wrangler at line ${text.lineAt(f.start)} (\`${first}\`: ${sentence(f.message)}) — reported as ${f.reportedBy}; the replay stops there as wrangler does.`,
    };
  }
  if (f.final || !text || f.start === undefined) {
    return { finding: { rule: 'replay-error', file: file.relPath, line: f.line, message: `${sentence(f.message)}${shared}` } };
  }
  const lastLine = text.lineAt(Math.max(0, bookStart - 1));
  if (f.start >= bookStart) {
    const quoteNote = file.name.includes("'")
      ? ` The file name contains a ' and wrangler (before 4.106) puts the name into that INSERT unescaped, so the INSERT is broken: rename the file.`
      : '';
    return {
      finding: {
        rule: 'replay-error',
        file: file.relPath,
        line: lastLine,
        message: `The bookkeeping row wrangler appends (INSERT INTO ${ctx.migrationsTable} (name) values ('${file.name}')) fails: ${f.message}.${quoteNote}${shared}`,
      },
    };
  }
  const end = f.resumeAt ?? text.statementEnd(f.start);
  const first = firstLine(text.slice(f.start, Math.min(end, bookStart)));
  const line = text.lineAt(f.start);
  const errLine = f.errorOffset !== undefined && f.errorOffset >= 0 ? text.lineAt(Math.min(f.errorOffset, text.length)) : line;
  const where = errLine !== line && (f.errorOffset ?? -1) < bookStart ? ` (at line ${errLine})` : '';
  if (f.parse) {
    const runsIntoBookkeeping = (f.errorOffset ?? -1) >= bookStart || end > bookStart;
    const semicolon = runsIntoBookkeeping
      ? ` The file's last statement is not terminated by ';', so the INSERT that wrangler appends to record the migration runs into it: end the statement with ';'.`
      : '';
    return { finding: { rule: 'sql-syntax', file: file.relPath, line, message: `${f.message} in \`${first}\`${where}.${semicolon}${shared}` } };
  }
  const why = trailingCommentNote(f.message, text.slice(f.start, Math.min(end, bookStart)));
  if (ctx.brokenHistory !== undefined && !ctx.settled?.has(file.name)) {
    return {
      finding: {
        rule: 'replay-unverified',
        file: file.relPath,
        line,
        message: `${f.message} at \`${first}\`${where} — but the migrations before it do not replay (${ctx.brokenHistory} fails), so the schema it ran on is incomplete and the replay cannot tell whether the real database has what it needs. Preview with credentials checks it against the live schema.${why}${shared}`,
      },
    };
  }
  return {
    finding: {
      rule: 'replay-error',
      file: file.relPath,
      line,
      message: `${f.message} — replaying the migrations in wrangler's order on a fresh D1-like database fails at \`${first}\`${where}; wrangler stops here and rolls this file back.${why}${shared}`,
    },
  };
}

/**
 * Why `ALTER TABLE … ADD COLUMN …` fails with "error in table T after add column: incomplete input" when a
 * `--` comment ends it (before its `;`): SQLite copies the column's text up to the `;` (trailing spaces and `;`
 * trimmed) into the table's CREATE statement, so the comment runs to the end of that statement and hides its
 * closing parenthesis. Every SQLite does this (3.40, 3.53, 3.54 checked), and so do D1, which gets the file as
 * written, and wrangler 4.164's local apply; wrangler 4.86's local apply strips comments before it runs a file
 * (its statement splitter) and passes. Empty unless `message` is that error and `statement` ends that way.
 */
export function trailingCommentNote(message: string, statement: string): string {
  if (!/^error in table .* after add column: incomplete input$/s.test(message)) return '';
  const tokens = tokenize(statement).filter((t) => t.kind !== 'space');
  while (tokens.length > 0 && tokens[tokens.length - 1]!.kind === 'punct' && tokens[tokens.length - 1]!.text === ';') tokens.pop();
  const last = tokens[tokens.length - 1];
  if (last?.kind !== 'comment' || !last.text.startsWith('--')) return '';
  return (
    ` The statement ends with a \`--\` comment before its \`;\`: SQLite copies the new column's text` +
    ` up to the \`;\`, that comment included, into the table's CREATE statement, where the comment hides the closing` +
    ` parenthesis. Put the comment after the \`;\`, or write it as /* … */. wrangler 4.86's local apply strips comments` +
    ` before it runs a file and so passes; D1 receives the file unchanged and fails there, as does newer wrangler's local apply.`
  );
}

/**
 * The failure of a text with no statement at all, not even wrangler's bookkeeping INSERT: a `/*` comment left
 * open swallowed it (rules/unclosed-comment.ts reports it). wrangler (4.86 and 4.164, local) and D1 refuse such a
 * text with "SQL code did not contain a statement."; `start` is the open comment's byte offset.
 */
export function noStatementFailure(text: SqlText, bookStart: number): Failure {
  const body = text.slice(0, bookStart);
  const open = tokenize(body).findLast((t) => t.kind === 'comment' && t.text.startsWith('/*'));
  const start = open ? Buffer.byteLength(body.slice(0, open.start), 'utf8') : 0;
  return { message: 'SQL code did not contain a statement.', start, parse: false, resumeAt: bookStart, reportedBy: 'unclosed-comment' };
}

/** Files sharing the failing file's number: wrangler runs them all, in name order. */
function sharedNumberNote(files: MigrationFile[], file: MigrationFile): string {
  if (file.number === null) return '';
  const same = files.filter((f) => f.number === file.number);
  if (same.length < 2) return '';
  // Date_time names of one day share the number yet run in their time order: a note only where duplicate-number
  // finds a collision or a contradicted order among them.
  if (checkDuplicateNumbers(same).length === 0) return '';
  const names = same.map((f) => f.name);
  const before = names.slice(0, names.indexOf(file.name));
  const after = names.slice(names.indexOf(file.name) + 1);
  const order = names.join(' before ');
  const consequence = after.length
    ? ` ${file.name} runs before ${after.join(', ')}, so anything it needs from ${after.length === 1 ? 'that file' : 'those files'} does not exist yet: give it a higher number.`
    : before.length
      ? ` ${file.name} runs after ${before.join(', ')}.`
      : '';
  return ` ${same.length} files share the number ${file.numberText ?? file.number}: wrangler applies ${order} (name order for equal numbers).${consequence}`;
}

export function sentence(s: string): string {
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
