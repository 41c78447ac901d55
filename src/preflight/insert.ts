/**
 * Questions about an INSERT (a rebuild's copy, a backfill, a seed): the new rows that break a NOT NULL, CHECK,
 * foreign key or UNIQUE of the table (the statement fails, or OR IGNORE leaves them out), the rows a copy
 * leaves behind or resets when its source is then dropped, and the rows INSERT OR REPLACE deletes. Then the
 * relation of the table afterwards.
 */
import { skipWith } from '../replay/data/analyse.js';
import type { Token } from '../sql/types.js';
import { askCascade, cause } from './cascade.js';
import { fmt, short, sideEffect, type WalkContext } from './context.js';
import { collides, duplicatesQuery, orphaned, referencedColumns } from './predicates.js';
import { copyOrigin, inheritsCheck, inheritsForeignKey, inheritsKey, inheritsNotNull, type Origin } from './origin.js';
import { insertable, readShape, type TableShape } from './shape.js';
import { emit, isPunct, isWord, nameOf, q, skipGroup, splitTopLevel } from './sql.js';

type Mode = 'abort' | 'ignore' | 'replace' | 'upsert';

interface InsertParts {
  table: string;
  mode: Mode;
  columns?: string[];
  /** The rows inserted as one SELECT (VALUES, SELECT, with the statement's own WITH); undefined: DEFAULT VALUES. */
  source?: Token[];
}

/** Reads `[WITH …] INSERT [OR x] INTO t [AS a] [(cols)] <rows> [upsert] [RETURNING …]`. */
export function parseInsert(tokens: readonly Token[]): InsertParts | undefined {
  const v = skipWith(tokens as Token[]);
  let i = v + 1;
  let mode: Mode = isWord(tokens[v], 'REPLACE') ? 'replace' : 'abort';
  if (isWord(tokens[i], 'OR')) {
    const how = tokens[i + 1]?.value;
    mode = how === 'REPLACE' ? 'replace' : how === 'IGNORE' ? 'ignore' : 'abort';
    i += 2;
  }
  if (!isWord(tokens[i], 'INTO')) return undefined;
  i++;
  if (isPunct(tokens[i + 1], '.')) i += 2;
  const table = nameOf(tokens[i]);
  if (table === undefined) return undefined;
  i++;
  if (isWord(tokens[i], 'AS')) i += 2;
  let columns: string[] | undefined;
  if (isPunct(tokens[i], '(')) {
    const end = skipGroup(tokens, i);
    columns = splitTopLevel(tokens.slice(i + 1, end - 1)).map((p) => nameOf(p[0]) ?? '');
    i = end;
  }
  if (isWord(tokens[i], 'DEFAULT') && isWord(tokens[i + 1], 'VALUES')) return { table, mode, ...(columns && { columns }) };
  let end = tokens.length;
  let depth = 0;
  for (let k = i; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && ((isWord(t, 'ON') && isWord(tokens[k + 1], 'CONFLICT')) || isWord(t, 'RETURNING'))) {
      end = k;
      break;
    }
  }
  const upsert = tokens.slice(end);
  if (upsert.some((t, k) => isWord(t, 'DO') && isWord(upsert[k + 1], 'UPDATE'))) mode = 'upsert';
  else if (upsert.some((t, k) => isWord(t, 'DO') && isWord(upsert[k + 1], 'NOTHING'))) mode = 'ignore';
  return { table, mode, ...(columns && { columns }), source: [...tokens.slice(0, v), ...tokens.slice(i, end)] };
}

/** What askInsert learnt, for afterInsert: the inserted rows, their origin, the tables a REPLACE's deletes reached. */
interface Asked {
  rows?: string;
  reads: boolean;
  origin?: Origin;
  touched?: Set<string>;
}

const FILTERS = ['WHERE', 'JOIN', 'LIMIT', 'GROUP', 'HAVING', 'DISTINCT', 'INTERSECT', 'EXCEPT', 'OFFSET'];

/** Asks the questions of one INSERT (before it runs); then `afterInsert` updates the relations. */
export function askInsert(ctx: WalkContext, parts: InsertParts, copy: boolean): Asked | undefined {
  const shape = readShape(ctx.db, parts.table);
  if (!shape || !parts.source) return undefined;
  const x = shape.name;
  const wasEmpty = ctx.rels.get(x)?.kind === 'empty';
  const cols = insertable(shape);
  const listed = (parts.columns ?? cols.map((c) => c.name)).map((c) => c.toLowerCase());
  const text = emit(parts.source);
  const src = text === undefined ? undefined : ctx.rels.close(`SELECT * FROM (${text})`, [parts.source]);
  if (!src || !src.ok) {
    if (ctx.rels.reads(x) || copy) ctx.cannot(x, `rows ${cause(ctx.at.head, ctx.at.line)} inserts into ${x}`, src?.why ?? 'the statement cannot be embedded in a query (a bound parameter?)');
    return undefined;
  }
  const srcCols = listed.map((_, i) => q(`c${i + 1}`)).join(', ');
  const projection = cols
    .map((c) => {
      const at = listed.indexOf(c.name.toLowerCase());
      if (at >= 0) return `${q(`c${at + 1}`)} AS ${q(c.name)}`;
      return `${c.dflt !== null ? `(${c.dflt})` : 'NULL'} AS ${q(c.name)}`;
    })
    .join(', ');
  const rows = `WITH ${q('d1m_src')}(${srcCols}) AS (${src.sql}) SELECT ${projection} FROM ${q('d1m_src')}`;
  const newFrom = `(${rows}) AS ${q(x)}`;
  const what = copy ? `rows copied into ${x}` : `rows ${cause(ctx.at.head, ctx.at.line)} inserts into ${x}`;
  // Rows the migration wrote itself (VALUES) were already checked by the replay; only target rows are news.
  const rebuild = copy && wasEmpty;
  const origin = copy ? copyOrigin(ctx, parts.source, listed) : undefined;
  const rejected = (kind: string): { effect: 'fails' | 'lost' | 'info'; verb: string } =>
    parts.mode === 'ignore' ? { effect: rebuild ? 'lost' : 'info', verb: `are left out by ${kind === 'unique' ? 'OR IGNORE / DO NOTHING' : 'OR IGNORE'}` } : { effect: 'fails', verb: 'make it fail' };

  if (src.reads) {
    for (const c of cols) {
      if (!c.notNull || c.name === shape.rowidAlias || inheritsNotNull(origin, c.name)) continue;
      if (parts.mode === 'replace' && c.dflt !== null) continue;
      const r = rejected('not-null');
      ctx.ask({
        table: x,
        question: `${what} with NULL in ${c.name} (NOT NULL)`,
        effect: r.effect,
        scan: { from: newFrom, predicate: `${q(c.name)} IS NULL` },
        message: (n, where) =>
          `On ${where}, ${fmt(n)} ${what} hold NULL in ${c.name}, which is NOT NULL: they ${r.verb} ("NOT NULL constraint failed: ${x}.${c.name}") at ${cause(ctx.at.head, ctx.at.line)}. Fill them first (\`UPDATE … SET ${c.name} = … WHERE ${c.name} IS NULL\`) or copy \`coalesce(${c.name}, …)\`.`,
      });
    }
    for (const check of shape.checks) {
      if (check === undefined || inheritsCheck(origin, check)) continue;
      const r = rejected('check');
      ctx.ask({
        table: x,
        question: `${what} that fail CHECK (${short(check)})`,
        effect: parts.mode === 'replace' ? 'fails' : r.effect,
        scan: { from: newFrom, predicate: `NOT (${check})` },
        message: (n, where) =>
          `On ${where}, ${fmt(n)} ${what} fail CHECK (${short(check)}): they ${parts.mode === 'replace' ? 'make it fail' : r.verb} ("CHECK constraint failed") at ${cause(ctx.at.head, ctx.at.line)}. Fix those rows first, or relax the CHECK.`,
      });
    }
  }
  askForeignKeys(ctx, shape, newFrom, src.reads, what, origin);
  askUnique(ctx, shape, { rows, from: newFrom, reads: src.reads }, parts.mode, rebuild, what, listed, origin);
  if (rebuild) askLeftBehind(ctx, shape, parts, rows, listed);
  const touched = parts.mode === 'replace' && !wasEmpty ? askReplaced(ctx, shape, rows, src.reads) : undefined;
  return { rows, reads: src.reads, ...(origin && { origin }), ...(touched && { touched }) };
}

function askForeignKeys(ctx: WalkContext, shape: TableShape, newFrom: string, newReads: boolean, what: string, origin?: Origin): void {
  for (const fk of shape.fks) {
    if (inheritsForeignKey(ctx, origin, fk)) continue;
    if (ctx.deferOn || fk.deferred) {
      if (newReads || ctx.rels.reads(fk.parent)) ctx.insertedDeferred(shape.name);
      continue;
    }
    const self = fk.parent.toLowerCase() === shape.name.toLowerCase();
    const parentShape = readShape(ctx.db, fk.parent);
    const parent = self ? undefined : parentShape ? ctx.rels.select(parentShape.name) : undefined;
    if (parent && !parent.ok) {
      if (newReads) ctx.cannot(shape.name, `${what} whose ${fk.from.join('/')} has no row in ${fk.parent}`, parent.why);
      continue;
    }
    // A table's reference to itself is checked against the rows the statement inserts as well; left out.
    if (self || (!newReads && !(parent?.reads ?? false))) continue;
    const to = parentShape ? referencedColumns(fk, parentShape.pk) : undefined;
    ctx.ask({
      table: shape.name,
      question: `${what} whose ${fk.from.join('/')} has no row in ${fk.parent}`,
      effect: 'fails',
      scan: { from: newFrom, predicate: orphaned(shape.name, fk, to, parent?.sql) },
      message: (n, where) =>
        `On ${where}, ${fmt(n)} ${what} reference a ${fk.parent} row that does not exist (${fk.from.join('/')}): "FOREIGN KEY constraint failed" at ${cause(ctx.at.head, ctx.at.line)}. Delete or fix those rows first, or copy only rows whose parent exists.`,
    });
  }
}

function askUnique(ctx: WalkContext, shape: TableShape, incoming: { rows: string; from: string; reads: boolean }, mode: Mode, rebuild: boolean, what: string, listed: string[], origin?: Origin): void {
  const { rows, reads: newReads } = incoming;
  if (mode === 'upsert') return;
  // Literal rows (VALUES) colliding with literal rows of earlier statements fail on the replay already: only
  // the target's own rows are news for them.
  const existing = newReads ? ctx.rels.select(shape.name) : ctx.rels.targetPart(shape.name);
  const names = insertable(shape).map((c) => q(c.name)).join(', ');
  const both = existing.ok && existing.reads ? `SELECT ${names} FROM (${existing.sql}) UNION ALL SELECT ${names} FROM (${rows})` : rows;
  if (!newReads && !(existing.ok && existing.reads)) return;
  for (const key of shape.keys) {
    // Inherited from the source only when nothing else is in the table the rows go into.
    if (key.unusable || (rebuild && inheritsKey(origin, key))) continue;
    // A rowid the statement does not give is a new one, never a duplicate.
    if (key.columns.length === 1 && shape.rowidAlias !== undefined && key.columns[0] === shape.rowidAlias && !listed.includes(shape.rowidAlias.toLowerCase())) continue;
    // REPLACE onto existing rows is asked by askReplaced; among the new rows, a later one replaces an earlier one.
    if (mode === 'replace' && !rebuild) continue;
    const label = `${key.name === 'PRIMARY KEY' || /^sqlite_autoindex_/.test(key.name) ? 'key' : `index ${key.name}`} (${key.columns.length === key.terms.length ? key.columns.join(', ') : short(key.terms.join(', '), 60)})`;
    if (!existing.ok && !rebuild) {
      ctx.cannot(shape.name, `${what} that duplicate the ${label} of another row`, existing.why);
      continue;
    }
    const effect = mode === 'abort' ? 'fails' : rebuild ? 'lost' : 'info';
    // Literal rows against the target's: one lookup per new row through the key's own index, not a GROUP BY.
    const plain = !newReads && existing.ok && key.where === undefined && key.columns.length === key.terms.length;
    const lookup = plain
      ? `EXISTS (SELECT 1 FROM (${existing.sql}) AS ${q('d1m_t')} WHERE ${key.columns.map((c, i) => `${q('d1m_t')}.${q(c)} = ${q(shape.name)}.${q(c)}${/ COLLATE "(?:[^"]|"")*"$/.exec(key.terms[i]!)?.[0] ?? ''}`).join(' AND ')})`
      : undefined;
    ctx.ask({
      table: shape.name,
      question: `${what} that duplicate the ${label} of another row`,
      effect,
      ...(lookup !== undefined ? { scan: { from: incoming.from, predicate: lookup } } : { scalar: duplicatesQuery(both, shape.name, key) }),
      message: (n, where) =>
        effect === 'fails'
          ? `On ${where}, ${fmt(n)} ${what} duplicate the ${label} of another row: "UNIQUE constraint failed" at ${cause(ctx.at.head, ctx.at.line)}. Remove or merge the duplicates first.`
          : `On ${where}, ${fmt(n)} ${what} duplicate the ${label} of another row and are ${mode === 'replace' ? 'replaced by a later one' : 'left out'} at ${cause(ctx.at.head, ctx.at.line)}: those rows are gone once the old table is dropped. Merge the duplicates first, or copy without OR IGNORE/OR REPLACE to see them fail.`,
    });
  }
}

/** A rebuild's copy out of a table the file then drops: rows it filters out, columns it does not copy. */
function askLeftBehind(ctx: WalkContext, shape: TableShape, parts: InsertParts, rows: string, listed: string[]): void {
  const source = parts.source ?? [];
  const names = new Set(source.map((t) => nameOf(t)?.toLowerCase()).filter((n): n is string => !!n));
  const filtered = source.some((t) => isWord(t, ...FILTERS));
  const newCols = new Map(insertable(shape).map((c) => [c.name.toLowerCase(), c]));
  for (const lower of names) {
    if (!ctx.ff.rebuilt.has(lower) || !ctx.rels.has(lower)) continue;
    const s = readShape(ctx.db, lower);
    const from = ctx.rels.from(lower);
    if (!s) continue;
    if (!from.ok) {
      ctx.cannot(s.name, `rows of ${s.name} the copy into ${shape.name} leaves behind`, from.why, 'lost');
      continue;
    }
    if (!from.reads) continue;
    ctx.ask({ table: s.name, question: `rows of ${s.name} the copy into ${shape.name} reads (a large copy risks D1's 30 s limit per query)`, effect: 'size', scan: { from: from.sql, predicate: '1' } });
    if (filtered || parts.mode === 'ignore') {
      ctx.ask({
        table: s.name,
        question: `rows of ${s.name} the copy into ${shape.name} leaves behind (WHERE, JOIN, LIMIT, DISTINCT …)`,
        effect: 'lost',
        scalar: `SELECT max(0, (SELECT count(*) FROM ${from.sql}) - (SELECT count(*) FROM (${rows})))`,
        message: (n, where) =>
          `On ${where}, the copy into ${shape.name} at ${cause(ctx.at.head, ctx.at.line)} leaves ${fmt(n)} row(s) of ${s.name} behind, and the migration then drops ${s.name}: those rows are gone. Copy every row (no WHERE or inner JOIN that drops rows), or delete them on purpose in a statement of their own.`,
      });
    }
    if (!parts.columns) continue;
    for (const c of insertable(s)) {
      const lowerCol = c.name.toLowerCase();
      const target = newCols.get(lowerCol);
      if (target && !listed.includes(lowerCol)) {
        const predicate = `${q(c.name)} IS NOT NULL${target.dflt !== null ? ` AND ${q(c.name)} IS NOT (${target.dflt})` : ''}`;
        ctx.ask({
          table: s.name,
          question: `rows of ${s.name} whose ${c.name} the copy into ${shape.name} does not copy (it gets its default)`,
          effect: 'lost',
          scan: { from: from.sql, predicate },
          message: (n, where) =>
            `On ${where}, ${fmt(n)} row(s) of ${s.name} lose their value of ${c.name}: the copy into ${shape.name} at ${cause(ctx.at.head, ctx.at.line)} does not list ${c.name}, so it falls back to its default, and ${s.name} is dropped afterwards. Add ${c.name} to the copy's column and SELECT lists.`,
        });
      } else if (!target) {
        ctx.ask({ table: s.name, question: `rows of ${s.name} holding a value in ${c.name}, which ${shape.name} does not have (dropped on purpose?)`, effect: 'info', scan: { from: from.sql, predicate: `${q(c.name)} IS NOT NULL` } });
      }
    }
  }
}

/** INSERT OR REPLACE into a table with rows: the rows it deletes and re-inserts differently, and their children (returned). */
function askReplaced(ctx: WalkContext, shape: TableShape, rows: string, newReads: boolean): Set<string> | undefined {
  const x = shape.name;
  const from = ctx.rels.from(x);
  if (!from.ok) {
    ctx.cannot(x, `rows of ${x} that INSERT OR REPLACE deletes`, from.why, 'lost');
    return undefined;
  }
  if (!from.reads && !newReads) return undefined;
  const hits = shape.keys.map((k) => collides(x, k, rows)).filter((p): p is string => p !== undefined);
  if (hits.length === 0) {
    ctx.cannot(x, `rows of ${x} that INSERT OR REPLACE deletes`, 'its keys are expressions or partial indexes', 'lost');
    return undefined;
  }
  const hit = `(${hits.join(' OR ')})`;
  const cols = insertable(shape);
  const NEW = q('d1m_new');
  const pairs = shape.keys.filter((k) => collides(x, k, rows) !== undefined).map((k) => k.columns.map((c) => `${NEW}.${q(c)} = ${q(x)}.${q(c)}`).join(' AND '));
  const differs = `EXISTS (SELECT 1 FROM (${rows}) AS ${NEW} WHERE (${pairs.map((p) => `(${p})`).join(' OR ')}) AND (${cols.map((c) => `${NEW}.${q(c.name)} IS NOT ${q(x)}.${q(c.name)}`).join(' OR ')}))`;
  const side = sideEffect(ctx, x);
  ctx.ask({
    table: x,
    question: `rows of ${x} that INSERT OR REPLACE deletes and inserts again with other values`,
    effect: side.effect,
    scan: { from: from.sql, predicate: differs },
    message: (n, where) =>
      `On ${where}, ${cause(ctx.at.head, ctx.at.line)} deletes ${fmt(n)} existing row(s) of ${x} that collide on a key and inserts them again with other values (columns it does not set fall back to their defaults). Use an UPSERT (INSERT … ON CONFLICT (…) DO UPDATE) or UPDATE instead.`,
  });
  return askCascade(ctx, { parent: x, rows: `SELECT * FROM ${from.sql} WHERE ${hit}`, reads: from.reads || newReads, cause: cause(ctx.at.head, ctx.at.line) });
}

/** The relation of the table after the INSERT (see relations.ts). */
export function afterInsert(ctx: WalkContext, parts: InsertParts, asked: Asked | undefined): void {
  const shape = readShape(ctx.db, parts.table);
  if (!shape) return;
  if (asked?.touched) ctx.rels.forget(asked.touched, `rows deleted through foreign keys by ${cause(ctx.at.head, ctx.at.line)}`);
  const x = shape.name;
  const before = ctx.rels.get(x);
  const generated = shape.columns.some((c) => c.hidden !== 0);
  if (before?.kind === 'unknown' && before.target !== undefined && asked && !asked.reads && parts.mode === 'abort') return; // still the target's rows plus literals
  if (!asked?.rows || parts.mode !== 'abort' || generated || !before || before.kind === 'unknown') {
    if (ctx.rels.reads(x) || asked?.reads !== false) ctx.rels.forget([x], `rows inserted by ${cause(ctx.at.head, ctx.at.line)}`);
    return;
  }
  if (before.kind === 'empty') {
    ctx.rels.set(x, { kind: 'derived', sql: asked.rows, reads: asked.reads, ...(asked.origin && { origin: asked.origin }) });
    return;
  }
  const existing = ctx.rels.select(x);
  if (!existing.ok) return;
  const names = insertable(shape).map((c) => q(c.name)).join(', ');
  const targetPart = asked.reads ? undefined : ctx.rels.targetPart(x);
  ctx.rels.set(x, {
    kind: 'derived',
    sql: `SELECT ${names} FROM (${existing.sql}) UNION ALL SELECT ${names} FROM (${asked.rows})`,
    reads: existing.reads || asked.reads,
    ...(targetPart?.ok && targetPart.reads && { target: targetPart.sql }),
  });
}
