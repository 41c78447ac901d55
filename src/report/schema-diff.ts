/**
 * What a pull request changes in the schema, from two replayed schemas (base branch's migrations vs the
 * PR's), at the level a reviewer reads: tables, columns, indexes, triggers and views added, changed or
 * dropped. Pure: the replays happen elsewhere (src/replay `schemaOf`).
 *
 * Columns come from the CREATE TABLE text SQLite keeps in sqlite_schema. SQLite rewrites that text on
 * ALTER TABLE ADD/RENAME/DROP COLUMN, so parsing it gives the current columns without another replay.
 */
import { tokenize as sqlTokenize } from '../sql/tokenize.js';
import type { TokenKind } from '../sql/types.js';
import type { SchemaChange, SchemaChangeKind, SchemaChangeObject, SchemaObject } from '../types.js';
import { inlineCode } from './escape.js';

export type { SchemaChange, SchemaChangeKind, SchemaChangeObject } from '../types.js';

interface TableShape {
  /** Lower-cased column name → declaration (as written, and comparable), in declaration order. */
  columns: Map<string, { name: string; definition: string; key: string }>;
  constraints: { definition: string; key: string }[];
}

const TYPE_ORDER: SchemaChangeObject[] = ['table', 'column', 'constraint', 'index', 'trigger', 'view'];

/** Changes that turn `before` into `after`, tables first, each table followed by its columns and indexes. */
export function diffSchemas(before: SchemaObject[], after: SchemaObject[]): SchemaChange[] {
  const key = (o: SchemaObject) => `${o.type}:${o.name.toLowerCase()}`;
  const old = new Map(before.map((o) => [key(o), o]));
  const now = new Map(after.map((o) => [key(o), o]));
  const changes: SchemaChange[] = [];

  const droppedTables = before.filter((o) => o.type === 'table' && !now.has(key(o)));
  const addedTables = after.filter((o) => o.type === 'table' && !old.has(key(o)));
  const renamedTo = new Map<SchemaObject, SchemaObject>();
  // ALTER TABLE ... RENAME TO shows up as drop + add with the same body; saying "renamed" is what happened.
  for (const d of droppedTables) {
    const body = tableBody(d.sql);
    if (body === null) continue;
    const match = addedTables.find((a) => !renamedTo.has(a) && tableBody(a.sql) === body);
    if (match) renamedTo.set(match, d);
  }
  const renamedFrom = new Set(renamedTo.values());

  for (const o of after) {
    const prev = old.get(key(o));
    if (o.type === 'table') {
      const was = prev ?? renamedTo.get(o);
      if (!was) {
        changes.push({ kind: 'added', object: 'table', name: o.name, table: o.name, definition: o.sql ?? undefined, columns: columnsOf(o.sql) });
        continue;
      }
      // A rename was matched on an identical column list, so there is nothing else to compare.
      if (!prev) changes.push({ kind: 'renamed', object: 'table', name: o.name, table: o.name, before: was.name });
      else if (canonical(was.sql) !== canonical(o.sql)) changes.push(...diffTable(was, o));
    } else if (!prev) {
      changes.push({ kind: 'added', object: o.type, name: o.name, table: o.tableName, definition: o.sql ?? undefined });
    } else if (canonical(prev.sql) !== canonical(o.sql)) {
      changes.push({ kind: 'changed', object: o.type, name: o.name, table: o.tableName, definition: o.sql ?? undefined, before: prev.sql ?? undefined });
    }
  }
  for (const o of before) {
    if (now.has(key(o)) || renamedFrom.has(o)) continue;
    changes.push({ kind: 'dropped', object: o.type, name: o.name, table: o.tableName, definition: o.sql ?? undefined });
  }

  const lower = (s: string) => s.toLowerCase();
  return changes.sort(
    (a, b) =>
      cmp(lower(a.table), lower(b.table)) ||
      TYPE_ORDER.indexOf(a.object) - TYPE_ORDER.indexOf(b.object) ||
      cmp(lower(a.name), lower(b.name)),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function diffTable(before: SchemaObject, after: SchemaObject): SchemaChange[] {
  const a = tableShape(before.sql);
  const b = tableShape(after.sql);
  const table = after.name;
  // Virtual tables and CREATE TABLE ... AS have no column list to compare: report the statement.
  if (!a || !b) return [{ kind: 'changed', object: 'table', name: table, table, definition: after.sql ?? undefined, before: before.sql ?? undefined }];
  const out: SchemaChange[] = [];
  for (const [k, col] of b.columns) {
    const prev = a.columns.get(k);
    if (!prev) out.push({ kind: 'added', object: 'column', name: col.name, table, definition: col.definition });
    else if (prev.key !== col.key) out.push({ kind: 'changed', object: 'column', name: col.name, table, definition: col.definition, before: prev.definition });
  }
  for (const [k, col] of a.columns) {
    if (!b.columns.has(k)) out.push({ kind: 'dropped', object: 'column', name: col.name, table, definition: col.definition });
  }
  const has = (list: { key: string }[], key: string) => list.some((c) => c.key === key);
  for (const c of b.constraints) if (!has(a.constraints, c.key)) out.push({ kind: 'added', object: 'constraint', name: c.definition, table, definition: c.definition });
  for (const c of a.constraints) if (!has(b.constraints, c.key)) out.push({ kind: 'dropped', object: 'constraint', name: c.definition, table, definition: c.definition });
  // Options after the column list (STRICT, WITHOUT ROWID) changed, or only the name's spelling did.
  if (out.length === 0) out.push({ kind: 'changed', object: 'table', name: table, table, definition: after.sql ?? undefined, before: before.sql ?? undefined });
  return out;
}

/** Column declarations of a CREATE TABLE statement, or undefined when it has no column list. */
export function columnsOf(sql: string | null): string[] | undefined {
  const shape = tableShape(sql);
  return shape ? [...shape.columns.values()].map((c) => c.definition) : undefined;
}

interface Token {
  text: string;
  kind: 'word' | 'quoted' | 'punct';
  start: number;
  end: number;
}

const QUOTED_KINDS: ReadonlySet<TokenKind> = new Set(['string', 'dquoted', 'bracketed', 'backticked']);

/** The project's SQLite tokenizer, comments dropped, reduced to the three kinds this diff distinguishes. */
function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  for (const t of sqlTokenize(sql)) {
    if (t.kind === 'comment') continue;
    const kind = t.kind === 'word' || t.kind === 'number' ? 'word' : QUOTED_KINDS.has(t.kind) ? 'quoted' : 'punct';
    out.push({ text: t.text, kind, start: t.start, end: t.end });
  }
  return out;
}

/** Tokens as written, comments dropped and whitespace runs collapsed to one space: for display. */
function joinTokens(tokens: Token[]): string {
  let s = '';
  let prevEnd = -1;
  for (const t of tokens) {
    s += (s === '' || t.start === prevEnd ? '' : ' ') + t.text;
    prevEnd = t.end;
  }
  return s;
}

/** Comparable form: comments, whitespace and keyword case do not count as a change. */
function comparable(tokens: Token[]): string {
  return tokens.map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text)).join(' ');
}

function canonical(sql: string | null): string {
  return sql === null ? '' : comparable(tokenize(sql));
}

function unquote(t: Token): string {
  if (t.kind !== 'quoted') return t.text;
  const q = t.text[0]!;
  const inner = t.text.slice(1, -1);
  return q === '[' ? inner : inner.split(q + q).join(q);
}

/** The tokens inside the top-level column list of a CREATE TABLE, split at depth-1 commas; null without one. */
function columnList(sql: string | null): Token[][] | null {
  if (!sql) return null;
  const tokens = tokenize(sql);
  let i = 0;
  const word = (w: string) => tokens[i]?.kind === 'word' && tokens[i]!.text.toUpperCase() === w;
  if (!word('CREATE')) return null;
  i++;
  if (word('TEMP') || word('TEMPORARY')) i++;
  if (!word('TABLE')) return null;
  i++;
  if (word('IF')) i += 3;
  // schema-qualified name: name . name
  i++;
  if (tokens[i]?.text === '.') i += 2;
  if (tokens[i]?.text !== '(') return null;
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens.slice(i + 1)) {
    if (t.text === '(') depth++;
    if (t.text === ')') {
      if (depth === 0) return parts;
      depth--;
    }
    if (t.text === ',' && depth === 0) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return null;
}

const CONSTRAINT_START = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

function tableShape(sql: string | null): TableShape | null {
  const parts = columnList(sql);
  if (!parts) return null;
  const shape: TableShape = { columns: new Map(), constraints: [] };
  for (const part of parts) {
    const first = part[0];
    if (!first) continue;
    const definition = joinTokens(part);
    const key = comparable(part);
    if (first.kind === 'word' && CONSTRAINT_START.has(first.text.toUpperCase())) {
      shape.constraints.push({ definition, key });
    } else {
      const name = unquote(first);
      shape.columns.set(name.toLowerCase(), { name, definition, key });
    }
  }
  return shape;
}

/** The CREATE TABLE text after the table name: equal bodies mean a rename. */
function tableBody(sql: string | null): string | null {
  if (!sql) return null;
  const cols = columnList(sql);
  if (!cols) return null;
  return cols.map(comparable).join(' , ');
}

const ICON: Record<SchemaChangeKind, string> = { added: '➕', changed: '✏️', dropped: '➖', renamed: '🔀' };

/**
 * Markdown list lines, one per change (a new table lists its columns as sub-items). Every name and
 * declaration is escaped; declarations are code spans so types read as SQL.
 */
export function renderSchemaDiffLines(changes: SchemaChange[], opts: { maxDefinition?: number } = {}): string[] {
  const max = opts.maxDefinition ?? 300;
  const cut = (s: string) => (s.length > max ? `${s.slice(0, max)}…` : s);
  const one = (s: string) => s.replace(/\s+/g, ' ').trim();
  const code = (s: string) => inlineCode(cut(one(s)), { table: false });
  const lines: string[] = [];
  for (const c of changes) {
    const icon = ICON[c.kind];
    switch (c.object) {
      case 'table':
        if (c.kind === 'added') {
          lines.push(`- ${icon} table ${code(c.name)} added`);
          for (const col of c.columns ?? []) lines.push(`  - ${code(`${c.name}.${col}`)}`);
        } else if (c.kind === 'renamed') {
          lines.push(`- ${icon} table ${code(c.before ?? '')} renamed to ${code(c.name)}`);
        } else if (c.kind === 'changed') {
          lines.push(`- ${icon} table ${code(c.name)} changed: ${code(c.definition ?? '')}`);
        } else {
          lines.push(`- ${icon} table ${code(c.name)} dropped`);
        }
        break;
      case 'column':
        if (c.kind === 'changed') lines.push(`- ${icon} column ${code(`${c.table}.${c.before ?? ''}`)} changed to ${code(`${c.table}.${c.definition ?? ''}`)}`);
        else lines.push(`- ${icon} column ${code(`${c.table}.${c.definition ?? c.name}`)} ${c.kind}`);
        break;
      case 'constraint':
        lines.push(`- ${icon} constraint on ${code(c.table)} ${c.kind}: ${code(c.definition ?? '')}`);
        break;
      default:
        if (c.kind === 'changed') lines.push(`- ${icon} ${c.object} ${code(c.name)} on ${code(c.table)} changed: ${code(c.definition ?? '')}`);
        else if (c.kind === 'added') lines.push(`- ${icon} ${c.object} ${code(c.name)} on ${code(c.table)} added: ${code(c.definition ?? '')}`);
        else lines.push(`- ${icon} ${c.object} ${code(c.name)} on ${code(c.table)} dropped`);
    }
  }
  return lines;
}
