/**
 * The SQL of the counts: row predicates over a FROM item, and the few counts that need a query of their own
 * (duplicated keys). Counts only: nothing here ever selects a value of a row.
 */
import { q } from './sql.js';
import type { ForeignKeyShape, KeyShape } from './shape.js';

/** Alias of the parent rows in foreign key predicates. */
const PARENT = q('d1m_parent');

/** The columns a foreign key refers to: its own list, or the parent's primary key. */
export function referencedColumns(fk: ForeignKeyShape, parentPk: readonly string[]): string[] | undefined {
  if (fk.to.every((c) => c !== null)) return fk.to;
  if (parentPk.length !== fk.from.length) return undefined;
  return [...parentPk];
}

/** Every column of the key holds a value (a key with a NULL is never checked). */
function keyPresent(alias: string, columns: readonly string[]): string {
  return columns.map((c) => `${q(alias)}.${q(c)} IS NOT NULL`).join(' AND ');
}

/**
 * Rows of `alias` whose foreign key matches a row of `parents` (a closed SELECT of the parent rows in
 * question, e.g. the rows a DELETE removes). The parent's column is the left operand, so its collation
 * decides, as SQLite's foreign key check does.
 */
export function referencesAny(alias: string, fk: ForeignKeyShape, to: readonly string[], parents: string): string {
  const pairs = fk.from.map((c, i) => `${PARENT}.${q(to[i]!)} = ${q(alias)}.${q(c)}`).join(' AND ');
  return `(${keyPresent(alias, fk.from)} AND EXISTS (SELECT 1 FROM (${parents}) AS ${PARENT} WHERE ${pairs}))`;
}

/** Rows of `alias` whose foreign key points at no row of `parents` (undefined: the parent table is gone). */
export function orphaned(alias: string, fk: ForeignKeyShape, to: readonly string[] | undefined, parents: string | undefined): string {
  if (parents === undefined || to === undefined) return `(${keyPresent(alias, fk.from)})`;
  const pairs = fk.from.map((c, i) => `${PARENT}.${q(to[i]!)} = ${q(alias)}.${q(c)}`).join(' AND ');
  return `(${keyPresent(alias, fk.from)} AND NOT EXISTS (SELECT 1 FROM (${parents}) AS ${PARENT} WHERE ${pairs}))`;
}

/**
 * Rows beyond the first of each group of rows of `rows` (a closed SELECT) that share a value of `key`:
 * the rows a UNIQUE index or constraint rejects. Keys with a NULL in them never collide.
 */
export function duplicatesQuery(rows: string, alias: string, key: KeyShape): string {
  const present = key.terms.map((t) => `(${t}) IS NOT NULL`);
  const where = [...present, ...(key.where !== undefined ? [`(${key.where})`] : [])].join(' AND ');
  return `SELECT coalesce(sum(n) - count(*), 0) FROM (SELECT count(*) AS n FROM (${rows}) AS ${q(alias)} WHERE ${where} GROUP BY ${key.terms.join(', ')} HAVING count(*) > 1)`;
}

/**
 * Rows of `alias` that collide on `key` with a row of `incoming` (a closed SELECT of new rows): what
 * INSERT OR REPLACE deletes. Only keys over plain columns (no expression, not partial) are compared.
 */
export function collides(alias: string, key: KeyShape, incoming: string): string | undefined {
  if (key.unusable || key.where !== undefined || key.columns.length !== key.terms.length) return undefined;
  const NEW = q('d1m_new');
  const pairs = key.columns.map((c) => `${q(alias)}.${q(c)} = ${NEW}.${q(c)}`).join(' AND ');
  return `EXISTS (SELECT 1 FROM (${incoming}) AS ${NEW} WHERE ${pairs})`;
}
