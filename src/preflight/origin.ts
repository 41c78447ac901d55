/**
 * Where the rows of a copy come from. A rebuild copies plain columns out of one table (`INSERT INTO __new_t
 * (a, b) SELECT a, b FROM t`); what that table already enforces on those columns — NOT NULL, a key, a foreign
 * key, the same CHECK — holds for the copy, so it is not asked: each question would scan a possibly large
 * table for an answer known to be 0. The origin travels with the copied relation (relations.ts), so the
 * UNIQUE indexes drizzle-kit creates again after every rebuild, and the foreign keys of children copied
 * onto the new parent, are recognised too.
 */
import type { Token } from '../sql/types.js';
import type { WalkContext } from './context.js';
import type { ForeignKeyShape, KeyShape } from './shape.js';
import { readShape } from './shape.js';
import { isPunct, isWord, nameOf, splitTopLevel } from './sql.js';

export interface Origin {
  /** The source table (lower-cased, its name at the copy). */
  table: string;
  /** Lower-cased column of the copy → the lower-cased source column it holds. */
  columns: Map<string, string>;
  /** Every row of the source was copied (no WHERE, LIMIT, GROUP BY, DISTINCT). */
  complete: boolean;
  /** Source columns that are never NULL (NOT NULL, or the rowid). */
  notNull: Set<string>;
  /** The source's keys over plain columns: columns and their collations. */
  keys: { columns: string[]; colls: string[] }[];
  /** The source's foreign keys: columns, parent (lower-cased) and the parent's columns (resolved). */
  fks: { from: string[]; parent: string; to: string[] }[];
  checks: string[];
}

const coll = (term: string) => /COLLATE ("(?:[^"]|"")*")$/.exec(term)?.[1]?.toUpperCase() ?? '"BINARY"';

/** The origin of `INSERT INTO x (listed) <source>` when the source is a copy of plain columns of one table. */
export function copyOrigin(ctx: WalkContext, source: readonly Token[], listed: string[]): Origin | undefined {
  if (!isWord(source[0], 'SELECT') || isWord(source[1], 'DISTINCT')) return undefined;
  const from = source.findIndex((t) => isWord(t, 'FROM'));
  if (from < 0) return undefined;
  const tableName = nameOf(source[from + 1]);
  let k = from + 2;
  let alias: string | undefined;
  if (isWord(source[k], 'AS')) k++;
  if (source[k] && nameOf(source[k]) !== undefined && !isWord(source[k], 'WHERE', 'GROUP', 'ORDER', 'LIMIT')) alias = nameOf(source[k++]);
  // After the one table only WHERE / GROUP BY / ORDER BY / LIMIT: every copied row is a row of it.
  if (tableName === undefined || (source[k] && !isWord(source[k], 'WHERE', 'GROUP', 'ORDER', 'LIMIT'))) return undefined;
  const rest = source.slice(k);
  if (rest.some((t) => isWord(t, 'UNION', 'INTERSECT', 'EXCEPT'))) return undefined;
  if (!ctx.rels.has(tableName)) return undefined;
  const shape = readShape(ctx.db, tableName);
  if (!shape) return undefined;
  const items = splitTopLevel(source.slice(1, from));
  if (items.length !== listed.length) return undefined;
  const columns = new Map<string, string>();
  items.forEach((item, i) => {
    let col: string | undefined;
    if (item.length === 1 || (item.length === 3 && isWord(item[1], 'AS'))) col = nameOf(item[0]);
    else if ((item.length === 3 || (item.length === 5 && isWord(item[3], 'AS'))) && isPunct(item[1], '.')) {
      const q0 = nameOf(item[0])?.toLowerCase();
      if (q0 === tableName.toLowerCase() || q0 === alias?.toLowerCase()) col = nameOf(item[2]);
    }
    const real = col && shape.columns.find((c) => c.name.toLowerCase() === col.toLowerCase() && c.hidden === 0);
    if (real) columns.set(listed[i]!, real.name.toLowerCase());
  });
  const fks = shape.fks.flatMap((fk) => {
    const to = resolveTo(ctx, fk);
    return to ? [{ from: fk.from.map((c) => c.toLowerCase()), parent: fk.parent.toLowerCase(), to }] : [];
  });
  return {
    table: shape.name.toLowerCase(),
    columns,
    complete: rest.length === 0 || rest.every((t) => !isWord(t, 'WHERE', 'GROUP', 'HAVING', 'LIMIT')),
    notNull: new Set(shape.columns.filter((c) => c.notNull || c.name === shape.rowidAlias).map((c) => c.name.toLowerCase())),
    keys: shape.keys.filter((key) => !key.unusable && key.where === undefined && key.columns.length === key.terms.length).map((key) => ({ columns: key.columns.map((c) => c.toLowerCase()), colls: key.terms.map(coll) })),
    fks,
    checks: shape.checks.filter((c): c is string => c !== undefined),
  };
}

/** The parent columns of a foreign key (its own list, or the parent's primary key), lower-cased. */
function resolveTo(ctx: WalkContext, fk: ForeignKeyShape): string[] | undefined {
  if (fk.to.every((c) => c !== null)) return (fk.to).map((c) => c.toLowerCase());
  const pk = readShape(ctx.db, fk.parent)?.pk;
  return pk && pk.length === fk.from.length ? pk.map((c) => c.toLowerCase()) : undefined;
}

export function inheritsNotNull(o: Origin | undefined, col: string): boolean {
  const s = o?.columns.get(col.toLowerCase());
  return s !== undefined && o!.notNull.has(s);
}

export function inheritsCheck(o: Origin | undefined, check: string): boolean {
  // The same text over columns of the same names (a copy that renames columns is asked).
  return !!o && o.checks.includes(check) && [...o.columns].every(([to, from]) => to === from);
}

/** A key over plain columns that a key of the source (same columns, same collations) keeps unique already. */
export function inheritsKey(o: Origin | undefined, key: KeyShape): boolean {
  if (!o || key.unusable || key.where !== undefined || key.columns.length !== key.terms.length) return false;
  const mapped = key.columns.map((c, i) => ({ col: o.columns.get(c.toLowerCase()), coll: coll(key.terms[i]!) }));
  if (mapped.some((m) => m.col === undefined)) return false;
  return o.keys.some((sk) => sk.columns.every((sc, i) => mapped.some((m) => m.col === sc && m.coll === sk.colls[i])));
}

/**
 * A foreign key the source has too: the same columns, to the same parent columns — the parent itself, or a
 * complete copy of it (a parent rebuilt in the same migration, before its children).
 */
export function inheritsForeignKey(ctx: WalkContext, o: Origin | undefined, fk: ForeignKeyShape): boolean {
  if (!o) return false;
  const from = fk.from.map((c) => o.columns.get(c.toLowerCase()));
  const to = resolveTo(ctx, fk);
  if (!to || from.some((c) => c === undefined)) return false;
  const parentRel = ctx.rels.get(fk.parent);
  const parentOrigin = parentRel?.kind === 'derived' ? parentRel.origin : undefined;
  return o.fks.some((sf) => {
    if (sf.from.length !== from.length || !sf.from.every((c, i) => c === from[i])) return false;
    if (sf.parent === fk.parent.toLowerCase()) return sf.to.every((c, i) => c === to[i]);
    return !!parentOrigin && parentOrigin.complete && parentOrigin.table === sf.parent && to.every((c, i) => parentOrigin.columns.get(c) === sf.to[i]);
  });
}
