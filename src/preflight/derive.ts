/**
 * Derives the preflight's questions: the pending migrations run statement by statement on a replay of the
 * target's live schema (no rows), and before (or right after) each statement its data-dependent risks are
 * turned into counts over the target's rows — through the relations (relations.ts) that say what every
 * table holds at that point, in terms of the tables as they are now.
 */
import { fileFacts } from '../replay/data/file-facts.js';
import { skipWith } from '../replay/data/analyse.js';
import { classifyStatement } from '../replay/classify.js';
import { seedSchema } from '../replay/schema.js';
import { openD1Like, schemaDb, tryExec, type Sqlite3 } from '../replay/sqlite.js';
import { firstLine } from '../replay/statements.js';
import { createMigrationsTableSql } from '../replay/wrangler-text.js';
import type { ParsedMigration, Token } from '../sql/types.js';
import type { SchemaObject } from '../types.js';
import { afterCreateTable, alterTable, askDelete, askDrop, askIndex, askUpdate } from './change.js';
import { fmt, type Point, type WalkContext } from './context.js';
import { afterInsert, askInsert, parseInsert } from './insert.js';
import { orphaned, referencedColumns } from './predicates.js';
import { Relations } from './relations.js';
import { readShape } from './shape.js';
import { isPunct, isWord, nameOf, namesOf, tokensOf } from './sql.js';
import type { Probe, Unanswerable } from './types.js';

export interface DeriveInput {
  sqlite3: Sqlite3;
  /** The target's schema before the pending migrations (as preview read it). */
  live: readonly SchemaObject[];
  migrationsTable: string;
  /** The pending migrations, parsed, in apply order. */
  pending: readonly ParsedMigration[];
  /** `<file>\0<lower-cased table>` of the data check's rows-lost findings in pending files. */
  dataLoss?: ReadonlySet<string>;
}

export interface Derived {
  probes: Probe[];
  unanswerable: Unanswerable[];
  notes: string[];
}

type Asked = Omit<Probe, 'migration' | 'file' | 'line'>;

export function deriveProbes(input: DeriveInput): Derived {
  const { sqlite3 } = input;
  const db = openD1Like(sqlite3);
  const out: Derived = { probes: [], unanswerable: [], notes: [] };
  try {
    const errors = seedSchema(schemaDb(sqlite3, db), input.live);
    if (errors.length) {
      out.notes.push(`Production preflight: the live schema could not be rebuilt (${errors.slice(0, 3).join('; ')}), so no question was asked.`);
      return out;
    }
    tryExec(sqlite3, db, createMigrationsTableSql(input.migrationsTable));
    const tables = targetTables(db, input.migrationsTable);
    // A database without tables (a first deploy) has no rows to ask about: no need to walk the migrations.
    if (tables.length === 0) return out;
    const rels = new Relations(tables);
    for (const lower of virtualTables(db)) rels.set(lower, { kind: 'unknown', why: 'a virtual table (or one of its shadow tables)' });
    for (const parsed of input.pending) {
      const stop = walkFile(sqlite3, db, rels, parsed, input.dataLoss ?? new Set(), out);
      if (stop) {
        out.notes.push(stop);
        break;
      }
    }
    return limited(out);
  } finally {
    db.close();
  }
}

/** Questions per database, and unanswerable ones listed: a seed file of thousands of INSERTs must not make thousands. */
const MAX_PROBES = 200;
const MAX_UNANSWERABLE = 50;

/** The questions that matter most (rows lost, failures) first, within the limits; a note for the rest. */
function limited(out: Derived): Derived {
  const rank = (p: Probe) => (p.effect === 'lost' || p.effect === 'fails' ? 0 : 1);
  let probes = out.probes;
  if (probes.length > MAX_PROBES) {
    const keep = new Set([...probes].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_PROBES));
    probes = probes.filter((p) => keep.has(p));
    out.notes.push(`Production preflight: ${out.probes.length - probes.length} more question(s) were not asked (at most ${MAX_PROBES} per database; those about rows lost or failures come first).`);
  }
  let unanswerable = out.unanswerable;
  if (unanswerable.length > MAX_UNANSWERABLE) {
    out.notes.push(`Production preflight: ${unanswerable.length - MAX_UNANSWERABLE} more question(s) could not be put into SQL (the first ${MAX_UNANSWERABLE} are listed).`);
    unanswerable = unanswerable.slice(0, MAX_UNANSWERABLE);
  }
  return { probes, unanswerable, notes: out.notes };
}

/** Ordinary tables of the live schema (not SQLite's, not D1's, not the ledger). */
function targetTables(db: ReturnType<typeof openD1Like>, ledger: string): string[] {
  return db
    .selectArrays(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name <> ?1 COLLATE NOCASE`, [ledger])
    .map((r) => String(r[0]));
}

/** Virtual tables and the shadow tables their modules create (`<name>_…`). */
function virtualTables(db: ReturnType<typeof openD1Like>): string[] {
  const virtual = db.selectArrays(`SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL %'`).map((r) => String(r[0]));
  const all = db.selectArrays(`SELECT name FROM sqlite_schema WHERE type = 'table'`).map((r) => String(r[0]));
  return all.filter((n) => virtual.some((v) => n.toLowerCase() === v.toLowerCase() || n.toLowerCase().startsWith(`${v.toLowerCase()}_`)));
}

/** Walks one file; returns why the walk stops (a statement that fails on the replay), if it does. */
function walkFile(sqlite3: Sqlite3, db: ReturnType<typeof openD1Like>, rels: Relations, parsed: ParsedMigration, dataLoss: ReadonlySet<string>, out: Derived): string | undefined {
  const { file } = parsed;
  const ff = fileFacts(parsed);
  let deferOn = false;
  let atCommit: Probe[] = [];
  let inserted = new Set<string>();
  // One context per statement: messages are built after the walk, from the statement they were asked at.
  const contextAt = (at: Point): WalkContext => ({
    db,
    rels,
    at,
    ff,
    dataLoss,
    deferOn,
    ask: (p: Asked) => out.probes.push({ ...p, migration: at.migration, file: at.file, line: at.line }),
    askAtCommit: (p: Asked) => atCommit.push({ ...p, migration: at.migration, file: at.file, line: at.line }),
    cannot: (table, question, why, effect = 'fails') => out.unanswerable.push({ migration: at.migration, file: at.file, line: at.line, table, question, why, effect }),
    insertedDeferred: (table) => inserted.add(table.toLowerCase()),
  });
  let ctx = contextAt({ migration: file.name, file: file.relPath, line: 0, head: '' });
  for (const s of parsed.statements) {
    ctx = contextAt({ migration: file.name, file: file.relPath, line: s.line, head: firstLine(s.text) });
    const at = ctx.at;
    const kind = classifyStatement(s.text).kind;
    if (kind === 'pragma-foreign-keys') continue;
    if (kind === 'transaction' || kind === 'attach' || kind === 'vacuum') {
      return `Production preflight stops at ${file.name} line ${s.line}: D1 rejects \`${at.head}\`, so nothing after it runs.`;
    }
    const tokens = s.tokens;
    const v = skipWith(tokens);
    const verb = tokens[v]?.kind === 'word' ? tokens[v].value : '';
    let after: () => void = () => {};
    let written: string | undefined;
    switch (verb) {
      case 'PRAGMA': {
        const setting = deferSetting(tokens, v);
        if (setting === true) deferOn = true;
        if (setting === false) {
          // Turning it off discards the violations counted so far, unchecked (D1-FACTS).
          deferOn = false;
          atCommit = [];
          inserted = new Set();
        }
        break;
      }
      case 'DROP': {
        if (!isWord(tokens[v + 1], 'TABLE')) break;
        const i = isWord(tokens[v + 2], 'IF') ? v + 4 : v + 2;
        const name = nameOf(isPunct(tokens[i + 1], '.') ? tokens[i + 2] : tokens[i]);
        if (name === undefined) break;
        const touched = askDrop(ctx, name);
        after = () => {
          rels.delete(name);
          rels.forget(touched, `rows changed by the foreign key actions of \`${at.head}\` (line ${at.line})`);
        };
        break;
      }
      case 'DELETE': {
        const touched = askDelete(ctx, tokens, v);
        rels.forget([...touched].filter((t) => t.toLowerCase() !== nameAfter(tokens, v)?.toLowerCase()), `rows changed by the foreign key actions of \`${at.head}\` (line ${at.line})`);
        written = nameAfter(tokens, v);
        break;
      }
      case 'UPDATE':
        askUpdate(ctx, tokens, v);
        written = nameAfter(tokens, v);
        break;
      case 'INSERT':
      case 'REPLACE': {
        const parts = parseInsert(tokens);
        if (!parts) break;
        const copy = parts.source !== undefined && parts.source.some((t) => isWord(t, 'SELECT'));
        const asked = askInsert(ctx, parts, copy);
        after = () => afterInsert(ctx, parts, asked);
        written = parts.table;
        break;
      }
      case 'ALTER': {
        if (!isWord(tokens[v + 1], 'TABLE')) break;
        const alter = alterTable(ctx, tokens, v);
        after = () => {
          alter.after();
          const rename = renameOf(tokens, v);
          if (rename && inserted.delete(rename.from.toLowerCase())) inserted.add(rename.to.toLowerCase());
        };
        break;
      }
      case 'CREATE':
        after = createHook(ctx, tokens, v);
        break;
      default:
        break;
    }
    const error = tryExec(sqlite3, db, s.text);
    if (error !== undefined) {
      return `Production preflight stops at ${file.name} line ${s.line}: the statement fails on the live schema (${error}), so the questions after it were not asked.`;
    }
    after();
    if (written !== undefined) forgetTriggerTargets(db, rels, written, `changed by a trigger on ${written} at ${file.name} line ${s.line}`);
    if (verb === 'CREATE' || verb === 'DROP' || verb === 'ALTER') sync(db, rels, `created by \`${at.head}\` (line ${at.line})`);
  }
  if (deferOn) {
    out.probes.push(...atCommit);
    for (const t of inserted) commitCheck(ctx, t, out);
  }
  return undefined;
}

/** The foreign keys of `table` checked at the file's commit (rows were inserted while they were deferred). */
function commitCheck(ctx: WalkContext, table: string, out: Derived): void {
  const shape = readShape(ctx.db, table);
  if (!shape) return;
  const from = ctx.rels.from(shape.name);
  for (const fk of shape.fks) {
    const question = `rows of ${shape.name} whose ${fk.from.join('/')} has no row in ${fk.parent} when the file commits`;
    const parentShape = readShape(ctx.db, fk.parent);
    const parent = parentShape ? ctx.rels.select(parentShape.name) : undefined;
    if (!from.ok || (parent && !parent.ok)) {
      ctx.cannot(shape.name, question, !from.ok ? from.why : parent && !parent.ok ? parent.why : '');
      continue;
    }
    const to = parentShape ? referencedColumns(fk, parentShape.pk) : undefined;
    out.probes.push({
      migration: ctx.at.migration,
      file: ctx.at.file,
      line: ctx.at.line,
      table: shape.name,
      question,
      effect: 'fails',
      scan: { from: from.sql, predicate: orphaned(shape.name, fk, to, parent && parent.ok ? parent.sql : undefined) },
      message: (n, where) =>
        `On ${where}, this migration fails when it commits: ${fmt(n)} row(s) of ${shape.name} reference a ${fk.parent} row that does not exist then (${fk.from.join('/')}): "FOREIGN KEY constraint failed". Copy the parent rows too, or fix the references first.`,
    });
  }
}

/** CREATE TABLE / CREATE [UNIQUE] INDEX: what to do once the statement ran on the replay. */
function createHook(ctx: WalkContext, tokens: readonly Token[], v: number): () => void {
  let c = v + 1;
  if (isWord(tokens[c], 'TEMP', 'TEMPORARY')) c++;
  const virtual = isWord(tokens[c], 'VIRTUAL');
  if (virtual) c++;
  if (isWord(tokens[c], 'TABLE')) {
    const at = isWord(tokens[c + 1], 'IF') ? c + 4 : c + 1;
    const name = nameOf(isPunct(tokens[at + 1], '.') ? tokens[at + 2] : tokens[at]);
    if (name === undefined) return () => {};
    const existed = readShape(ctx.db, name) !== undefined;
    return () => afterCreateTable(ctx, tokens, name, virtual, existed);
  }
  const k = isWord(tokens[v + 1], 'UNIQUE') ? v + 2 : v + 1;
  if (!isWord(tokens[k], 'INDEX')) return () => {};
  const at = isWord(tokens[k + 1], 'IF') ? k + 4 : k + 1;
  const name = nameOf(isPunct(tokens[at + 1], '.') ? tokens[at + 2] : tokens[at]);
  if (name === undefined) return () => {};
  const existed = ctx.db.selectArrays(`SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1 COLLATE NOCASE`, [name]).length > 0;
  return () => {
    if (!existed) askIndex(ctx, name);
  };
}

/** `PRAGMA defer_foreign_keys = on/off`: true, false, or undefined for any other pragma. */
function deferSetting(tokens: readonly Token[], v: number): boolean | undefined {
  let i = v + 1;
  if (isPunct(tokens[i + 1], '.')) i += 2;
  if (nameOf(tokens[i])?.toLowerCase() !== 'defer_foreign_keys') return undefined;
  const value = tokens[i + 2];
  if (!value || !(isPunct(tokens[i + 1], '=') || isPunct(tokens[i + 1], '('))) return undefined;
  const text = (value.kind === 'string' ? value.value : value.text).toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(text)) return true;
  if (['off', 'false', 'no', '0'].includes(text)) return false;
  return undefined;
}

/** The table of `DELETE FROM t` / `UPDATE [OR x] t`. */
function nameAfter(tokens: readonly Token[], v: number): string | undefined {
  let i = v + 1;
  if (isWord(tokens[i], 'FROM')) i++;
  if (isWord(tokens[i], 'OR')) i += 2;
  if (isPunct(tokens[i + 1], '.')) i += 2;
  return nameOf(tokens[i]);
}

function renameOf(tokens: readonly Token[], v: number): { from: string; to: string } | undefined {
  let i = v + 2;
  if (isPunct(tokens[i + 1], '.')) i += 2;
  const from = nameOf(tokens[i]);
  if (from === undefined || !isWord(tokens[i + 1], 'RENAME') || !isWord(tokens[i + 2], 'TO')) return undefined;
  const to = nameOf(tokens[i + 3]);
  return to === undefined ? undefined : { from, to };
}

/** What triggers on `table` write (their bodies name it) is not known after a write to `table`. */
function forgetTriggerTargets(db: ReturnType<typeof openD1Like>, rels: Relations, table: string, why: string): void {
  const triggers = db.selectArrays(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1 COLLATE NOCASE`, [table]);
  for (const [sql] of triggers) {
    const tokens = tokensOf(String(sql ?? ''));
    const body = tokens.findIndex((t) => isWord(t, 'BEGIN'));
    rels.forget([...namesOf(tokens.slice(body + 1))].filter((n) => rels.has(n)), why);
  }
}

/** Tables the statement created without saying so (a virtual table's shadow tables), and tables gone. */
function sync(db: ReturnType<typeof openD1Like>, rels: Relations, why: string): void {
  const names = db.selectArrays(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).map((r) => String(r[0]));
  for (const n of names) if (!rels.has(n)) rels.set(n, { kind: 'unknown', why });
  rels.retain(new Set(names.map((n) => n.toLowerCase())));
}
