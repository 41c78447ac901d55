/**
 * Questions about DROP TABLE, DELETE, UPDATE, ALTER TABLE and CREATE [UNIQUE] INDEX, and what each leaves in
 * the relations (see relations.ts). INSERT has its own file (insert.ts).
 */
import { columnProblem } from '../rules/unsafe-add-column.js';
import type { Token } from '../sql/types.js';
import { askCascade, cause } from './cascade.js';
import { fmt, short, type WalkContext } from './context.js';
import { inheritsKey } from './origin.js';
import { duplicatesQuery } from './predicates.js';
import { emptySelect } from './relations.js';
import { addedColumn, insertable, readShape } from './shape.js';
import { emit, isPunct, isWord, nameOf, q, splitTopLevel } from './sql.js';

/** DROP TABLE: the implicit DELETE of every row and what the foreign keys do with it. Returns the tables touched. */
export function askDrop(ctx: WalkContext, table: string): Set<string> {
  const shape = readShape(ctx.db, table);
  const rel = shape && ctx.rels.get(shape.name);
  if (!shape || !rel || rel.kind === 'empty') return new Set();
  const rows = ctx.rels.select(shape.name);
  const why = rows.ok ? undefined : rows.why;
  return askCascade(ctx, { parent: shape.name, rows: rows.ok ? rows.sql : emptySelect(['_']), reads: rows.ok ? rows.reads : true, cause: cause(ctx.at.head, ctx.at.line), ...(why && { unknown: why }) });
}

/** Index of the first depth-0 word among `words` at or after `from`. */
function findTop(tokens: readonly Token[], from: number, ...words: string[]): number {
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (isPunct(t, '(')) depth++;
    else if (isPunct(t, ')')) depth--;
    else if (depth === 0 && isWord(t, ...words)) return k;
  }
  return -1;
}

/** `[schema.]name [AS alias]` at `i`. */
function target(tokens: readonly Token[], i: number): { name: string; alias?: string; next: number } | undefined {
  if (isPunct(tokens[i + 1], '.')) i += 2;
  const name = nameOf(tokens[i]);
  if (name === undefined) return undefined;
  let next = i + 1;
  let alias: string | undefined;
  if (isWord(tokens[next], 'AS')) {
    alias = nameOf(tokens[next + 1]);
    next += 2;
  }
  return { name, ...(alias !== undefined && { alias }), next };
}

/** DELETE FROM t [WHERE w]: how many rows (on purpose), the cascades, and t afterwards. Returns the tables touched. */
export function askDelete(ctx: WalkContext, tokens: readonly Token[], verb: number): Set<string> {
  const t = target(tokens, isWord(tokens[verb + 1], 'FROM') ? verb + 2 : verb + 1);
  const shape = t && readShape(ctx.db, t.name);
  if (!t || !shape) return new Set();
  const x = shape.name;
  const alias = t.alias ?? x;
  const whereAt = findTop(tokens, t.next, 'WHERE');
  const endAt = findTop(tokens, t.next, 'RETURNING', 'ORDER', 'LIMIT');
  const unsupported = endAt >= 0 && !isWord(tokens[endAt], 'RETURNING');
  const where = whereAt < 0 ? undefined : tokens.slice(whereAt + 1, endAt < 0 ? tokens.length : endAt);
  const w = where && emit(where);
  const from = ctx.rels.from(x, alias);
  const c = cause(ctx.at.head, ctx.at.line);
  if (!from.ok || unsupported || (where && w === undefined)) {
    const why = !from.ok ? from.why : 'the DELETE has ORDER BY/LIMIT or a WHERE that cannot be embedded';
    if (ctx.rels.reads(x)) ctx.cannot(x, `rows of ${x} that ${c} deletes`, why, 'info');
    ctx.rels.forget([x], `rows deleted by ${c}`);
    return new Set([x]);
  }
  const deleted = where ? ctx.rels.close(`SELECT * FROM ${from.sql} WHERE (${w})`, [where], from.reads) : ctx.rels.close(`SELECT * FROM ${from.sql}`, [], from.reads);
  if (!deleted.ok) {
    ctx.cannot(x, `rows of ${x} that ${c} deletes`, deleted.why, 'info');
    ctx.rels.forget([x], `rows deleted by ${c}`);
    return new Set([x]);
  }
  if (deleted.reads) ctx.ask({ table: x, question: `rows of ${x} that ${c} deletes (on purpose)`, effect: 'info', scalar: `SELECT count(*) FROM (${deleted.sql})` });
  const touched = ctx.rels.get(x)?.kind === 'empty' ? new Set<string>() : askCascade(ctx, { parent: x, rows: deleted.sql, reads: deleted.reads, cause: c });
  if (!where) {
    ctx.rels.set(x, { kind: 'empty', columns: insertable(shape).map((col) => col.name) });
  } else {
    const kept = ctx.rels.close(`SELECT * FROM ${from.sql} WHERE NOT coalesce((${w}), 0)`, [where], from.reads);
    if (kept.ok) ctx.rels.set(x, { kind: 'derived', sql: kept.sql, reads: kept.reads });
    else ctx.rels.forget([x], kept.why);
  }
  return touched;
}

/** UPDATE t SET … [WHERE w]: how many rows (on purpose), and t afterwards. Returns the tables touched. */
export function askUpdate(ctx: WalkContext, tokens: readonly Token[], verb: number): Set<string> {
  let i = verb + 1;
  const conflict = isWord(tokens[i], 'OR');
  if (conflict) i += 2;
  const t = target(tokens, i);
  const shape = t && readShape(ctx.db, t.name);
  if (!t || !shape) return new Set();
  const x = shape.name;
  const touched = new Set<string>([x]);
  // ON UPDATE actions change the children.
  for (const r of ctx.db.selectArrays(`SELECT DISTINCT m.name FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f WHERE m.type = 'table' AND f."table" = ?1 COLLATE NOCASE AND upper(f.on_update) IN ('CASCADE', 'SET NULL', 'SET DEFAULT')`, [x])) {
    touched.add(String(r[0]));
  }
  const c = cause(ctx.at.head, ctx.at.line);
  const set = findTop(tokens, t.next, 'SET');
  const whereAt = findTop(tokens, set, 'WHERE');
  const end = findTop(tokens, set, 'FROM', 'RETURNING', 'ORDER', 'LIMIT');
  const stop = [whereAt, end].filter((k) => k >= 0);
  const assignments = splitTopLevel(tokens.slice(set + 1, stop.length ? Math.min(...stop) : tokens.length));
  const whereEnd = end >= 0 && end > whereAt ? end : tokens.length;
  const where = whereAt < 0 ? undefined : tokens.slice(whereAt + 1, whereEnd);
  const alias = t.alias ?? x;
  const from = ctx.rels.from(x, alias);
  const w = where && emit(where);
  const simple = set >= 0 && !conflict && (end < 0 || isWord(tokens[end], 'RETURNING')) && (!where || w !== undefined);
  const assigned = new Map<string, { text: string; tokens: Token[] }>();
  for (const a of simple ? assignments : []) {
    const col = nameOf(a[0]);
    const text = isPunct(a[1], '=') ? emit(a.slice(2)) : undefined;
    if (col === undefined || text === undefined) return forgetAll(ctx, touched, `${c} (an assignment the preflight does not read)`);
    assigned.set(col.toLowerCase(), { text, tokens: a.slice(2) });
  }
  if (!from.ok || !simple || shape.columns.some((col) => col.hidden !== 0)) {
    if (from.ok && (where === undefined || w !== undefined)) countMatched(ctx, x, from, where, w, c);
    return forgetAll(ctx, touched, `rows changed by ${c}`);
  }
  countMatched(ctx, x, from, where, w, c);
  const fragments = [...[...assigned.values()].map((a) => a.tokens), ...(where ? [where] : [])];
  const projection = insertable(shape)
    .map((col) => {
      const a = assigned.get(col.name.toLowerCase());
      if (!a) return `${q(alias)}.${q(col.name)} AS ${q(col.name)}`;
      return `${w !== undefined ? `iif(${w}, (${a.text}), ${q(alias)}.${q(col.name)})` : `(${a.text})`} AS ${q(col.name)}`;
    })
    .join(', ');
  const after = ctx.rels.close(`SELECT ${projection} FROM ${from.sql}`, fragments, from.reads);
  if (after.ok) ctx.rels.set(x, { kind: 'derived', sql: after.sql, reads: after.reads });
  else ctx.rels.forget([x], after.why);
  touched.delete(x);
  ctx.rels.forget(touched, `changed through ON UPDATE by ${c}`);
  return touched;
}

function countMatched(ctx: WalkContext, x: string, from: { sql: string; reads: boolean }, where: Token[] | undefined, w: string | undefined, c: string): void {
  const matched = ctx.rels.close(`SELECT count(*) FROM ${from.sql}${w !== undefined ? ` WHERE (${w})` : ''}`, where ? [where] : [], from.reads);
  if (matched.ok && matched.reads) ctx.ask({ table: x, question: `rows of ${x} that ${c} changes (on purpose)`, effect: 'info', scalar: matched.sql });
}

function forgetAll(ctx: WalkContext, tables: Set<string>, why: string): Set<string> {
  ctx.rels.forget(tables, why);
  return tables;
}

/** ALTER TABLE t ADD/RENAME/DROP COLUMN, RENAME TO: questions before, the relation after (call around the run). */
export function alterTable(ctx: WalkContext, tokens: readonly Token[], verb: number): { after(): void } {
  const t = target(tokens, verb + 2);
  const shape = t && readShape(ctx.db, t.name);
  const none = { after() {} };
  if (!t || !shape) return none;
  const x = shape.name;
  const action = tokens[t.next];
  const c = cause(ctx.at.head, ctx.at.line);
  const cols = insertable(shape).map((col) => col.name);
  const generated = shape.columns.some((col) => col.hidden !== 0);
  const project = (list: string[], why: string) => {
    const from = ctx.rels.from(x);
    if (!from.ok || generated) ctx.rels.forget([x], from.ok ? why : from.why);
    else ctx.rels.set(x, { kind: 'derived', sql: `SELECT ${list.join(', ')} FROM ${from.sql}`, reads: from.reads });
  };
  if (isWord(action, 'RENAME') && isWord(tokens[t.next + 1], 'TO')) {
    const to = nameOf(tokens[t.next + 2]);
    return { after: () => to !== undefined && ctx.rels.rename(x, to) };
  }
  if (isWord(action, 'RENAME')) {
    const k = isWord(tokens[t.next + 1], 'COLUMN') ? t.next + 2 : t.next + 1;
    const from = nameOf(tokens[k]);
    const to = isWord(tokens[k + 1], 'TO') ? nameOf(tokens[k + 2]) : undefined;
    if (from === undefined || to === undefined || ctx.rels.get(x)?.kind === 'empty') return none;
    return { after: () => project(cols.map((col) => (col.toLowerCase() === from.toLowerCase() ? `${q(col)} AS ${q(to)}` : q(col))), `${c} renamed a column`) };
  }
  if (isWord(action, 'DROP')) {
    const k = isWord(tokens[t.next + 1], 'COLUMN') ? t.next + 2 : t.next + 1;
    const gone = nameOf(tokens[k])?.toLowerCase();
    if (gone === undefined || ctx.rels.get(x)?.kind === 'empty') return none;
    return { after: () => project(cols.filter((col) => col.toLowerCase() !== gone).map(q), `${c} dropped a column`) };
  }
  if (!isWord(action, 'ADD')) return none;
  const added = addedColumn(tokens.slice(t.next));
  if (!added) return none;
  const from = ctx.rels.from(x);
  if (from.ok && from.reads) {
    const at = tokens.findIndex((tok, k) => k > t.next && nameOf(tok)?.toLowerCase() === added.name.toLowerCase());
    const problem = at >= 0 ? columnProblem(tokens.slice(at + 1)) : undefined;
    if (problem) {
      ctx.ask({
        table: x,
        question: `rows of ${x}: with any, ADD COLUMN ${added.name} fails`,
        effect: 'fails',
        scan: { from: from.sql, predicate: '1' },
        message: (n, where) => `On ${where}, ${x} has ${fmt(n)} row(s), so ${c} fails: the new column ${problem}`,
      });
    }
  } else if (!from.ok) {
    ctx.cannot(x, `rows of ${x} the new column ${added.name} must accept`, from.why);
  }
  return {
    after() {
      const now = readShape(ctx.db, x);
      const col = now?.columns.find((cc) => cc.name.toLowerCase() === added.name.toLowerCase());
      const before = ctx.rels.from(x);
      if (!now || !col || col.hidden !== 0 || !before.ok || generated) {
        ctx.rels.forget([x], before.ok ? `${c} added a generated column` : before.why);
        return;
      }
      const sql = `SELECT ${cols.map(q).join(', ')}, ${col.dflt !== null ? `(${col.dflt})` : 'NULL'} AS ${q(col.name)} FROM ${before.sql}`;
      if (before.reads) {
        for (const check of added.checks) {
          if (check === undefined) continue;
          ctx.ask({
            table: x,
            question: `rows of ${x} that fail the new column's CHECK (${short(check)}) with its default`,
            effect: 'fails',
            scan: { from: `(${sql}) AS ${q(x)}`, predicate: `NOT (${check})` },
            message: (n, where) => `On ${where}, ${fmt(n)} row(s) of ${x} fail CHECK (${short(check)}) once ${col.name} holds its default, so ${c} fails ("CHECK constraint failed"). Choose a default the CHECK accepts, or add the column without the CHECK and backfill first.`,
          });
        }
      }
      ctx.rels.set(x, { kind: 'derived', sql, reads: before.reads });
    },
  };
}

/** CREATE [UNIQUE] INDEX (after it ran on the replay): duplicates for a UNIQUE one, the size for any. */
export function askIndex(ctx: WalkContext, index: string): void {
  const row = ctx.db.selectArrays(`SELECT tbl_name FROM sqlite_schema WHERE type = 'index' AND name = ?1 COLLATE NOCASE`, [index])[0];
  const shape = row && readShape(ctx.db, String(row[0]));
  if (!shape) return;
  const x = shape.name;
  const rows = ctx.rels.select(x);
  const c = cause(ctx.at.head, ctx.at.line);
  const key = shape.keys.find((k) => k.name.toLowerCase() === index.toLowerCase());
  if (!rows.ok) {
    if (key) ctx.cannot(x, `rows of ${x} that duplicate another row's key of ${index}`, rows.why);
    return;
  }
  if (!rows.reads) return;
  const from = ctx.rels.from(x);
  // The size of a table rebuilt in the pending migrations was asked at its copy already.
  if (from.ok && ctx.rels.get(x)?.kind === 'target') {
    ctx.ask({ table: x, question: `rows of ${x} that ${c} indexes (a large index risks D1's 30 s limit per query)`, effect: 'size', scan: { from: from.sql, predicate: '1' } });
  }
  if (!key) return;
  // The same key exists already, on the table or on the table its rows were copied from (drizzle-kit creates
  // every index again after a rebuild): nothing can collide.
  const rel = ctx.rels.get(x);
  const same = (k: typeof key) => k.where === undefined && k.terms.length === key.terms.length && k.terms.every((t, i) => t === key.terms[i]);
  if (key.where === undefined && (shape.keys.some((k) => k !== key && same(k)) || (rel?.kind === 'derived' && inheritsKey(rel.origin, key)))) return;
  if (key.unusable) {
    ctx.cannot(x, `rows of ${x} that duplicate another row's key of ${index}`, 'a term of the index cannot be embedded in a query');
    return;
  }
  ctx.ask({
    table: x,
    question: `rows of ${x} that duplicate another row's (${short(key.terms.join(', '), 60)}) of UNIQUE index ${index}`,
    effect: 'fails',
    scalar: duplicatesQuery(rows.sql, x, key),
    message: (n, where) =>
      `On ${where}, ${c} fails: ${fmt(n)} row(s) of ${x} duplicate the key of another row ("UNIQUE constraint failed"). Remove or merge the duplicates first (or make the index partial, or the column nullable: NULLs never collide).`,
  });
}

/** CREATE TABLE (after it ran): empty, or a copy for CREATE TABLE … AS SELECT, or unknown for a virtual table. */
export function afterCreateTable(ctx: WalkContext, tokens: readonly Token[], name: string, virtual: boolean, existed: boolean): void {
  if (existed) return;
  const shape = readShape(ctx.db, name);
  if (!shape) return;
  if (virtual) {
    ctx.rels.forget([shape.name], 'a virtual table');
    ctx.rels.set(shape.name, { kind: 'unknown', why: 'a virtual table (its module keeps its rows)' });
    return;
  }
  const cols = insertable(shape).map((c) => c.name);
  const as = tokens.findIndex((t, i) => isWord(t, 'AS') && i > 2 && (isWord(tokens[i + 1], 'SELECT', 'WITH', 'VALUES')));
  if (as < 0) {
    ctx.rels.set(shape.name, { kind: 'empty', columns: cols });
    return;
  }
  const select = tokens.slice(as + 1);
  const text = emit(select);
  const src = text === undefined ? undefined : ctx.rels.close(`SELECT * FROM (${text})`, [select]);
  if (!src?.ok) {
    ctx.rels.set(shape.name, { kind: 'unknown', why: src?.why ?? 'CREATE TABLE … AS SELECT that cannot be embedded' });
    return;
  }
  const list = cols.map((c) => q(c)).join(', ');
  ctx.rels.set(shape.name, { kind: 'derived', sql: `WITH ${q('d1m_src')}(${list}) AS (${src.sql}) SELECT ${list} FROM ${q('d1m_src')}`, reads: src.reads });
}
