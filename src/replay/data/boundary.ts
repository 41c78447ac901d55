/**
 * The data check's second way to fill rows: the tables a copy reads (INSERT … SELECT, the heart of every
 * table rebuild) are given the boundary values their schema allows — NULL in every nullable column, '' and 0
 * in NOT NULL text and number columns that are neither UNIQUE nor a foreign key — and the file runs again.
 *
 * The first way fills every column with a plausible value, so a copy of a long-nullable column into a NOT
 * NULL one (no COALESCE, no IFNULL) passes there and fails on the first real database where one row holds
 * NULL. The same goes for a copy into a new UNIQUE column (every row's '' collides) or a new CHECK (0 where
 * the old table took it). Only files with such a copy run a second time, and only a failure the first way
 * did not show is reported, with the value that broke it.
 */
import type { MigrationFile } from '../../types.js';
import { affinity, strictAffinity } from './fill.js';
import type { DataFinding, Failure } from './findings.js';
import { q, type TableMeta } from './tables.js';

export interface BoundaryFill {
  /** The table and column as SQLite spells them. */
  table: string;
  column: string;
  /** The literal every row gets. */
  value: 'NULL' | "''" | '0';
}

/** The boundary values a table's schema allows, NULLs first (the case the issue is about). */
export function boundaryFills(m: TableMeta): BoundaryFill[] {
  const unique = new Set(m.uniques.flat().map((c) => c.toLowerCase()));
  const keyed = new Set(m.fks.flatMap((fk) => fk.from.map((c) => c.toLowerCase())));
  const nulls: BoundaryFill[] = [];
  const others: BoundaryFill[] = [];
  for (const c of m.columns) {
    const lower = c.name.toLowerCase();
    if (c.pk > 0 || c.name === m.rowidAlias) continue;
    if (!c.notNull) {
      nulls.push({ table: m.name, column: c.name, value: 'NULL' });
      continue;
    }
    // The same value in every row would break a UNIQUE column, and '' or 0 points at no parent row.
    if (unique.has(lower) || keyed.has(lower)) continue;
    const aff = m.strict ? strictAffinity(c.type) : affinity(c.type);
    if (aff === 'TEXT') others.push({ table: m.name, column: c.name, value: "''" });
    else if (aff === 'INTEGER' || aff === 'REAL' || aff === 'NUMERIC') others.push({ table: m.name, column: c.name, value: '0' });
  }
  return [...nulls, ...others];
}

/**
 * The order to try single values in, to name the one that broke a file: those whose column (and table) the
 * error names first (`NOT NULL constraint failed: __new_t.grade` names grade of t), then NULLs.
 */
export function suspects(fills: BoundaryFill[], message: string): BoundaryFill[] {
  const words = new Set((message.match(/[A-Za-z_][A-Za-z0-9_$]*/g) ?? []).map((w) => w.toLowerCase()));
  const text = message.toLowerCase();
  const score = (f: BoundaryFill) =>
    (words.has(f.column.toLowerCase()) ? 4 : 0) + (text.includes(f.table.toLowerCase()) ? 2 : 0) + (f.value === 'NULL' ? 1 : 0);
  return fills.map((f, i) => ({ f, i, s: score(f) })).sort((a, b) => b.s - a.s || a.i - b.i).map((x) => x.f);
}

/** The fills as SQL, one UPDATE per value (to put them into a real database's rows). */
export function fillSql(fills: BoundaryFill[]): string {
  return fills.map((f) => `UPDATE ${q(f.table)} SET ${q(f.column)} = ${f.value};`).join('\n');
}

/** `NULL in submissions.grade`, `'' in users.name`. */
export function describeFill(f: BoundaryFill): string {
  return `${f.value} in ${f.table}.${f.column}`;
}

/** fails-with-data for a file that applies with every column filled but not with `fills` in every row. */
export function boundaryFinding(file: MigrationFile, failure: Failure, fills: BoundaryFill[]): DataFinding {
  const msg = failure.message;
  const head = failure.at?.facts.head;
  const shown = fills.slice(0, 6).map(describeFill).join(', ');
  const what = fills.length === 1 ? shown : `${shown}${fills.length > 6 ? ` and ${fills.length - 6} more` : ''} (together)`;
  const only = fills.length === 1 ? fills[0] : undefined;
  const allows = only ? `which ${only.table} allows today` : 'values the tables allow today';
  // A UNIQUE column fails on the second row holding the value; everything else on the first.
  const [once, asSoon] = /^UNIQUE constraint failed/.test(msg) ? ['rows hold', 'two rows hold'] : ['a row holds', 'one row holds'];
  let hint = '';
  if (/^NOT NULL constraint failed/.test(msg)) {
    const nulled = fills.find((f) => f.value === 'NULL');
    const col = nulled ? nulled.column : 'the column';
    hint =
      ` The copy carries NULL into a column that no longer allows it (a DEFAULT does not apply to an explicit NULL): copy COALESCE(${col}, <value>) instead` +
      `${nulled ? `, or first UPDATE ${nulled.table} SET ${nulled.column} = <value> WHERE ${nulled.column} IS NULL` : ''}.`;
  } else if (/^UNIQUE constraint failed/.test(msg)) {
    hint = ' Rows holding that same value collide in a UNIQUE column of the copy: make the values distinct first (or copy NULL, which UNIQUE allows any number of times), or keep the column non-unique.';
  } else if (/^CHECK constraint failed/.test(msg)) {
    hint = ' A CHECK of the copy rejects a value the current table accepts: fix such rows first (UPDATE … WHERE …), or convert the value in the copy.';
  } else if (/FOREIGN KEY constraint failed/.test(msg)) {
    hint = ' The copied value points at no parent row (e.g. a COALESCE to 0 or \'\'): copy NULL or a value that exists.';
  }
  return {
    rule: 'fails-with-data',
    file: file.relPath,
    ...(failure.at && { line: failure.at.line }),
    message:
      `Fails once ${once} ${what}, ${allows}: ${msg}${head ? ` at \`${head}\`` : ' when the file ends'}. ` +
      `With a value in every column the file applies, and so it does on an empty database (local tests); on D1, wrangler stops at this file and rolls it back as soon as ${asSoon} that value.${hint}`,
  };
}
