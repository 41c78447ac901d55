/**
 * The data check's findings and their messages: rows-lost (which table, how many rows, which statement and
 * by what mechanism) and fails-with-data (the failing statement and a hint for the usual causes).
 */
import type { Finding, MigrationFile } from '../../types.js';
import type { SqlText } from '../statements.js';
import { analyseStatement, type StatementFacts } from './analyse.js';
import { firstDrop, type FileFacts } from './file-facts.js';

export type DataFinding = Omit<Finding, 'severity'>;

export interface Executed {
  start: number;
  end: number;
  line: number;
  facts: StatementFacts;
}

export interface Failure {
  message: string;
  /** The failing statement; undefined when the file failed as its transaction ended (deferred keys). */
  at?: Executed;
}

export interface Loss {
  /** The table as it was before the file (lower-cased), and as named in messages. */
  table: string;
  name: string;
  vanished: number;
  changed: number;
  /** Rows of the table after the file (for "now empty"). */
  left?: number;
  /** For a rebuilt table, compared by count: how many rows it had before. */
  before?: number;
  culprit?: Culprit;
}

export interface Culprit {
  executed: Executed;
  /** The table whose rows went at that moment (the lost table itself, or one renamed to it later). */
  victim: string;
  mechanism: string;
}

/** A statement the twin ran, with its line and what it does (read only when a finding needs it). */
export function describe(text: SqlText, e: { start: number; end: number }): Executed {
  return { start: e.start, end: e.end, line: text.lineAt(e.start), facts: analyseStatement(text.slice(e.start, e.end)) };
}

export function lossFinding(file: MigrationFile, loss: Loss): DataFinding {
  const { name, culprit } = loss;
  const counts: string[] = [];
  if (loss.before !== undefined) counts.push(`it had ${loss.before} row${loss.before === 1 ? '' : 's'} before and ${loss.left ?? 0} after being rebuilt`);
  else {
    if (loss.vanished > 0) counts.push(`${loss.vanished} row${loss.vanished === 1 ? ' was' : 's were'} deleted${loss.left === 0 ? ' (the table is left empty)' : ''}`);
    if (loss.changed > 0) counts.push(`${loss.changed} row${loss.changed === 1 ? ' was' : 's were'} changed`);
  }
  const via = culprit && culprit.victim.toLowerCase() !== name.toLowerCase() ? ` (while the rows were in ${culprit.victim}, which the file renames to ${name})` : '';
  const where = culprit ? ` by \`${culprit.executed.facts.head}\`${via}: ${culprit.mechanism}.` : '.';
  return {
    rule: 'rows-lost',
    file: file.relPath,
    ...(culprit && { line: culprit.executed.line }),
    table: name,
    message:
      `Rows of ${name} are lost: run on tables holding rows, ${counts.join(' and ')}${where} ` +
      `The file never deletes from or updates ${name} itself, and on an empty database (local tests) nothing shows. ${adviceFor(culprit)}`,
  };
}

function adviceFor(culprit: Culprit | undefined): string {
  if (culprit?.executed.facts.replace) return 'Use an upsert (INSERT … ON CONFLICT (…) DO UPDATE SET …) or an UPDATE, which keep the existing rows; see docs/safe-table-changes.md.';
  if (culprit?.executed.facts.targets.some((t) => t.how === 'drop')) {
    return 'Avoid the rebuild (ALTER TABLE … ADD/RENAME/DROP COLUMN), or rebuild the referencing tables in the same file, in dependency order; see docs/safe-table-changes.md.';
  }
  return 'If the file means to remove these rows, say so with a DELETE or UPDATE of the table, or suppress with `-- d1-migrate-ignore: rows-lost` above the statement; see docs/safe-table-changes.md.';
}

/** No row went missing on the way: the copy into the rebuilt table left rows out. */
export function copyOf(ff: FileFacts, lineage: Set<string>): Culprit | undefined {
  const copy = ff.facts.find((f) => f.writes && lineage.has(f.writes.toLowerCase()) && !f.targets.length);
  if (!copy) return undefined;
  return {
    executed: { start: 0, end: 0, line: copy.line ?? 0, facts: copy },
    victim: [...lineage][0] ?? '',
    mechanism: 'the copy does not take every row of the old table (a WHERE, a JOIN or a conflict clause leaves rows out), and the old table is dropped with them',
  };
}

export function failureFinding(file: MigrationFile, ff: FileFacts, failure: Failure): DataFinding | { note: string } {
  const head = failure.at?.facts.head;
  const msg = failure.message;
  if (/^CHECK constraint failed/.test(msg)) {
    return {
      note: `${file.name}: with synthetic rows \`${head ?? 'the file'}\` fails with "${msg}"; real rows may satisfy that CHECK, so it is not reported as fails-with-data. Make sure existing rows meet the constraint before deploying.`,
    };
  }
  let line = failure.at?.line;
  let hint = '';
  if (!failure.at) {
    // Deferred keys fail when the file's transaction ends: point at the DROP that left the children dangling.
    const drop = firstDrop(ff);
    line = drop?.line;
    hint =
      ` The check runs when the file's transaction ends${drop ? `: \`${drop.head}\` deleted rows that other tables' rows (ON DELETE NO ACTION or RESTRICT) still point at` : ''}.` +
      ' PRAGMA defer_foreign_keys = on does not help: re-creating and renaming the table does not undo the violations counted at the DROP (turning it off again before the end discards them unchecked, which hides real orphans as well). Rebuild the referencing tables in the same file, or avoid the rebuild (ALTER TABLE … ADD/RENAME/DROP COLUMN); see docs/safe-table-changes.md.';
  } else if (/^UNIQUE constraint failed/.test(msg) && /^CREATE\s+UNIQUE\s+INDEX/i.test(head ?? '')) {
    hint = ' Existing rows hold duplicate values in the indexed columns (a column just added gives every existing row the same default). Deduplicate or backfill distinct values first, or make the index non-unique.';
  } else if (/Cannot add a NOT NULL column with default value NULL/.test(msg)) {
    hint = ' SQLite accepts ADD COLUMN … NOT NULL without a DEFAULT only while the table is empty: give the column a DEFAULT.';
  } else if (/NOT NULL constraint failed/.test(msg)) {
    hint = ' Existing rows have no value for a column that must have one (a copy that leaves a new NOT NULL column out, or copies NULLs into it): give it a DEFAULT or fill it in the copy.';
  } else if (/FOREIGN KEY constraint failed/.test(msg)) {
    hint = ' Rows already in the tables violate a foreign key this statement checks (D1 always enforces foreign keys).';
  }
  return {
    rule: 'fails-with-data',
    file: file.relPath,
    ...(line !== undefined && { line }),
    message: `Fails once the tables hold rows: ${msg}${head ? ` at \`${head}\`` : ' when the file ends'}. On an empty database (local tests) the file applies; on D1 with data wrangler stops at this file and rolls it back.${hint}`,
  };
}
