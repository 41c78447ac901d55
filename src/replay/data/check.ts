/**
 * The data check: every migration also runs on a twin of the replay database whose tables hold synthetic
 * rows, and SQLite's pre-update hook reports every row a statement deletes or changes — including rows
 * removed by foreign key actions, REPLACE conflicts and triggers, which no statement names. From that come
 * `rows-lost` (rows of a table vanish or change although the file never deletes from or updates it) and
 * `fails-with-data` (the file applies on the empty replay but fails on the twin). The replay itself, and
 * what it reports as applied, never sees a synthetic row.
 *
 * A twin rather than a rollback on the replay's own database: rolling back DDL makes SQLite re-read the
 * whole schema, which on a schema of a thousand objects costs more than running the file twice.
 */
import type { ParsedMigration } from '../../sql/types.js';
import type { MigrationFile } from '../../types.js';
import { classifyStatement, mayClassify } from '../classify.js';
import type { OoDb, Ptr, Sqlite3 } from '../sqlite.js';
import { openD1Like, stepPrepared, tryExec } from '../sqlite.js';
import type { SqlText } from '../statements.js';
import { createMigrationsTableSql } from '../wrangler-text.js';
import { analyseStatement } from './analyse.js';
import { boundaryFills, boundaryFinding, suspects, type BoundaryFill } from './boundary.js';
import { fileFacts, type FileFacts } from './file-facts.js';
import { Filler, SYNTHETIC_ROWS } from './fill.js';
import { describe, failureFinding, lossFinding, type DataFinding, type Failure } from './findings.js';
import { findLosses, type LossContext, type RowEvent } from './losses.js';
import { classifyObjects, existingObjects, q, type SchemaEntry } from './tables.js';
import { literalKey, literalsWritten, type LiteralRows } from './written-values.js';
import { keptRebuilds, rebuildsBefore, type KeptRebuild, type RebuildBefore } from './rebuilds.js';

const SAVEPOINT = 'd1_migrate_data_check';
/** The second way's own savepoint (see boundary.ts): rolled back, the twin is as before. */
const BOUNDARY_SAVEPOINT = 'd1_migrate_boundary';
/** Single boundary values tried to name the one that breaks a file (only after the file failed with all). */
const MAX_SINGLE_FILLS = 16;
/** sqlite3_db_status op: deferred foreign key violations not yet resolved (SQLITE_DBSTATUS_DEFERRED_FKS). */
const DBSTATUS_DEFERRED_FKS = 10;

export type { DataFinding } from './findings.js';

export interface DataCheckOutcome {
  /** Added only when the file then applies on the empty replay (a file that fails there is reported as such). */
  findings: DataFinding[];
  notes: string[];
  /** The whole file ran on the twin: every statement's effect on rows was seen. */
  complete: boolean;
  /** The boundary values (boundary.ts) the file fails with, when it does only with them. */
  boundary?: BoundaryFill[];
  /** Rebuilds the check ran on rows that kept every row (rebuilds.ts). */
  kept?: KeptRebuild[];
}

/** The parts of sqlite-wasm's C API used here beyond the replay's own (see sqlite.ts). */
interface HookApi {
  SQLITE_INSERT: number;
  SQLITE_DELETE: number;
  SQLITE_UPDATE: number;
  SQLITE_DESERIALIZE_FREEONCLOSE: number;
  SQLITE_DESERIALIZE_RESIZEABLE: number;
  sqlite3_preupdate_hook(db: Ptr, fn: ((...args: unknown[]) => void) | 0, ctx: 0): unknown;
  sqlite3_preupdate_count(db: Ptr): number;
  sqlite3_preupdate_old_js(db: Ptr, i: number): unknown;
  sqlite3_preupdate_new_js(db: Ptr, i: number): unknown;
  sqlite3_db_status(db: Ptr, op: number, cur: Ptr, hi: Ptr, reset: number): number;
  sqlite3_js_db_export(db: Ptr): Uint8Array;
  sqlite3_deserialize(db: Ptr, schema: string, p: Ptr, n: number, max: number, flags: number): number;
}

export class DataCheck {
  private filler: Filler;
  private db: OoDb;
  private readonly api: HookApi;
  /** The twin missed a file (it failed there, the replay did not): copy the replay's database before the next. */
  private outOfSync = false;
  /** Tables given synthetic rows in the twin (lower-cased). */
  private filledOnce = new Set<string>();
  /** Plain indexes the twin skipped (lower-cased names); see skipIndex(). */
  private skippedIndexes = new Set<string>();
  /** Highest sqlite_schema rowid seen in the twin: rows above it are objects created since. */
  private schemaRowid = 0;
  /** Virtual tables (lower-cased): their shadow tables are not filled. */
  private virtuals = new Set<string>();
  /** Tables reported as not covered, so each is named once per run. */
  private readonly uncoveredSeen = new Set<string>();
  private readonly uncovered: string[] = [];
  private readonly status: Ptr;
  /** Row changes of the file being run; undefined while filling (those are not the file's). */
  private events: RowEvent[] | undefined;
  /** Values of the rows deleted while the current file runs, by table and key (to recognise a re-insert). */
  private deletedValues = new Map<string, Map<string, string>>();
  private stmtIndex = 0;
  /** What the last file that ran to its end wrote where a copy or an UPDATE names a column in double quotes. */
  private literals = new Map<string, LiteralRows>();
  private readonly hook = (...args: unknown[]) => this.onPreupdate(args);
  /** SAVEPOINT / RELEASE of the twin, prepared once per twin (finalized when it closes). */
  private savepoint!: { pointer: Ptr; finalize(): unknown };
  private release!: { pointer: Ptr; finalize(): unknown };

  constructor(
    private readonly sqlite3: Sqlite3,
    private readonly main: OoDb,
    private readonly migrationsTable: string,
  ) {
    this.api = sqlite3.capi as unknown as HookApi;
    this.db = this.openTwin();
    tryExec(sqlite3, this.db, createMigrationsTableSql(migrationsTable));
    this.filler = new Filler(sqlite3, this.db);
    this.status = sqlite3.wasm.alloc(8);
  }

  close(): void {
    this.sqlite3.wasm.dealloc(this.status);
    this.closeTwin();
  }

  private openTwin(): OoDb {
    const db = openD1Like(this.sqlite3);
    this.api.sqlite3_preupdate_hook(db.pointer, this.hook, 0);
    this.savepoint = db.prepare(`SAVEPOINT ${SAVEPOINT}`);
    this.release = db.prepare(`RELEASE ${SAVEPOINT}`);
    return db;
  }

  /** Closes the current twin (its prepared statements first). */
  private closeTwin(): void {
    this.savepoint.finalize();
    this.release.finalize();
    this.api.sqlite3_preupdate_hook(this.db.pointer, 0, 0);
    this.db.close();
  }

  /** The run-wide note about tables that could not be filled. */
  notes(): string[] {
    if (this.uncovered.length === 0) return [];
    const shown = this.uncovered.slice(0, 20).join('; ');
    const more = this.uncovered.length > 20 ? `; and ${this.uncovered.length - 20} more` : '';
    const n = this.uncovered.length;
    return [`Data check: ${n} table${n === 1 ? '' : 's'} could not be given synthetic rows, so migrations were not checked against data in ${n === 1 ? 'it' : 'them'}: ${shown}${more}.`];
  }

  /**
   * Every row of the twin's ordinary tables as INSERT OR IGNORE statements, parents before children, so the
   * same data can be put into a real database that already ran the same migrations (rows it already has
   * are skipped).
   */
  dump(): string {
    if (this.outOfSync) this.resync();
    const rows = this.db
      .selectArrays(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY rowid`)
      .map(([name, sql]) => ({ name: String(name), type: 'table', sql: String(sql ?? '') }));
    const tables = [...classifyObjects(rows, this.virtuals).values()].filter((t) => t.kind === 'table' && !this.internal(t.name.toLowerCase()));
    const metas = new Map(tables.map((t) => [t.name.toLowerCase(), this.filler.tableMeta(t.name.toLowerCase(), t.sql, t.name)]));
    const order: string[] = [];
    const seen = new Set<string>();
    const visit = (lower: string) => {
      if (seen.has(lower) || !metas.has(lower)) return;
      seen.add(lower);
      for (const fk of metas.get(lower)!.fks) visit(fk.parent.toLowerCase());
      order.push(lower);
    };
    for (const t of metas.keys()) visit(t);
    const out: string[] = [];
    for (const lower of order) {
      const m = metas.get(lower)!;
      if (m.columns.length === 0) continue;
      const cols = m.columns.map((c) => q(c.name)).join(', ');
      const values = m.columns.map((c) => `quote(${q(c.name)})`).join(` || ', ' || `);
      for (const [row] of this.db.selectArrays(`SELECT 'INSERT OR IGNORE INTO ${q(m.name).replace(/'/g, "''")} (${cols.replace(/'/g, "''")}) VALUES (' || ${values} || ');' FROM ${q(m.name)}`)) {
        out.push(String(row));
      }
    }
    return out.join('\n');
  }

  /** Whether every one of `tables` held synthetic rows (none was reported as not covered). */
  covers(tables: string[]): boolean {
    return tables.every((t) => !this.uncoveredSeen.has(t.toLowerCase()));
  }

  /**
   * For the file the check just ran to its end: the rows of the column that the statement at `line` writes
   * the double-quoted `name` to (see written-values.ts), or undefined.
   */
  literalRows(line: number, name: string): LiteralRows | undefined {
    return this.literals.get(literalKey(line, name));
  }

  /** After a fault in the check: the twin is re-copied before the next file. */
  markOutOfSync(): void {
    this.outOfSync = true;
  }

  /**
   * Runs `text` (the file as wrangler sends it, bookkeeping INSERT included) on the twin, before the replay
   * runs it; then fills the tables the file created, for the next files.
   */
  run(file: MigrationFile, text: SqlText, parsed: ParsedMigration): DataCheckOutcome | undefined {
    this.literals = new Map();
    if (this.outOfSync) this.resync();
    const ff = fileFacts(parsed);
    const { counts: rebuiltBefore, shapes } = this.rebuiltBefore(ff);
    if (this.deferredViolations() !== 0) {
      this.outOfSync = true;
      return undefined;
    }
    const boundary = this.boundary(text, ff);
    const begin = stepPrepared(this.sqlite3, this.db, this.savepoint.pointer);
    if (begin) throw new Error(`data check: SAVEPOINT failed: ${begin}`);
    const executed: { start: number; end: number }[] = [];
    // Row changes are only needed where a statement can delete or change rows.
    this.events = ff.facts.some((f) => f.dataDependent) ? [] : undefined;
    this.deletedValues = new Map();
    let run: 'skip' | { failure?: Failure };
    let events: RowEvent[];
    try {
      run = this.execute(text, executed);
    } finally {
      events = this.events ?? [];
      this.events = undefined;
    }
    if (run === 'skip') {
      this.abandon();
      return undefined;
    }
    const failure = run.failure ?? (this.deferredViolations() > 0 ? { message: 'FOREIGN KEY constraint failed' } : undefined);
    if (failure) {
      this.abandon();
      // INDEXED BY, REINDEX ... naming an index the twin skipped: the twin's doing, not the data's.
      const missing = /^no such index: (.+)$/.exec(failure.message)?.[1];
      if (missing && this.skippedIndexes.has(missing.toLowerCase())) return undefined;
      return this.failed(file, ff, failure);
    }

    const losses = findLosses(this.lossContext(), events, ff, rebuiltBefore, executed.length, (i) => describe(text, executed[i]!));
    try {
      this.literals = literalsWritten(this.db, parsed.statements, ff.facts.map((f) => f.rename));
    } catch {
      // Only a message detail depends on it.
    }
    const released = stepPrepared(this.sqlite3, this.db, this.release.pointer);
    if (released) {
      this.abandon();
      return this.failed(file, ff, { message: released });
    }
    const findings = losses.map((l) => lossFinding(file, l));
    // Before the refill, which gives new tables (a rebuilt one renamed into place) rows of their own.
    const kept = findings.length === 0 && !boundary && shapes.size > 0 ? keptRebuilds(this.db, ff, shapes, (t) => !this.uncoveredSeen.has(t)) : [];
    this.refill(ff, events);
    if (!boundary) return { findings, notes: [], complete: true, ...(kept.length > 0 && { kept }) };
    findings.unshift(boundaryFinding(file, boundary.failure, boundary.fills));
    return { findings, notes: [], complete: true, boundary: boundary.fills };
  }

  /**
   * The second way (boundary.ts), for a file that copies rows out of existing tables: the failure with the
   * boundary values in those tables, and the single value that causes it where one does alone.
   */
  private boundary(text: SqlText, ff: FileFacts): { failure: Failure; fills: BoundaryFill[] } | undefined {
    if (ff.copySources.size === 0) return undefined;
    const fills: BoundaryFill[] = [];
    for (const [lower, o] of existingObjects(this.db, ff.copySources, this.virtuals)) {
      if (o.kind === 'table' && !this.internal(lower)) fills.push(...boundaryFills(this.filler.tableMeta(lower, o.sql, o.name)));
    }
    if (fills.length === 0) return undefined;
    const all = this.withBoundary(text, fills);
    if (!all.failure) return undefined;
    if (all.applied.length > 1) {
      for (const fill of suspects(all.applied, all.failure.message).slice(0, MAX_SINGLE_FILLS)) {
        const one = this.withBoundary(text, [fill]);
        if (one.failure) return { failure: one.failure, fills: [fill] };
      }
    }
    return { failure: all.failure, fills: all.applied };
  }

  /** Runs the file with `fills` in every row, then rolls everything back; `applied` are the fills the tables took. */
  private withBoundary(text: SqlText, fills: BoundaryFill[]): { failure?: Failure; applied: BoundaryFill[] } {
    const skipped = new Set(this.skippedIndexes);
    const begin = tryExec(this.sqlite3, this.db, `SAVEPOINT ${BOUNDARY_SAVEPOINT}`);
    if (begin) throw new Error(`data check: SAVEPOINT failed: ${begin}`);
    try {
      const applied: BoundaryFill[] = [];
      const byTable = new Map<string, BoundaryFill[]>();
      for (const f of fills) byTable.set(f.table, [...(byTable.get(f.table) ?? []), f]);
      for (const [table, list] of byTable) {
        const set = (l: BoundaryFill[]) => tryExec(this.sqlite3, this.db, `UPDATE ${q(table)} SET ${l.map((f) => `${q(f.column)} = ${f.value}`).join(', ')}`);
        // One UPDATE per table; a value the table refuses (its own CHECK, a trigger) is left out.
        if (set(list) === undefined) applied.push(...list);
        else if (list.length > 1) for (const f of list) if (set([f]) === undefined) applied.push(f);
      }
      if (applied.length === 0) return { applied };
      const run = this.execute(text, []);
      if (run === 'skip') return { applied };
      const failure = run.failure ?? (this.deferredViolations() > 0 ? { message: 'FOREIGN KEY constraint failed' } : undefined);
      const missing = failure && /^no such index: (.+)$/.exec(failure.message)?.[1];
      return { applied, ...(failure && !(missing && skipped.has(missing.toLowerCase())) && { failure }) };
    } finally {
      tryExec(this.sqlite3, this.db, `ROLLBACK TO ${BOUNDARY_SAVEPOINT}`);
      tryExec(this.sqlite3, this.db, `RELEASE ${BOUNDARY_SAVEPOINT}`);
      // Running the file twice must not count its CREATE/DROP INDEX twice.
      this.skippedIndexes = skipped;
    }
  }

  /** Rolls the file back on the twin, which then misses it: it is copied from the replay before the next file. */
  private abandon(): void {
    this.literals = new Map();
    tryExec(this.sqlite3, this.db, `ROLLBACK TO ${SAVEPOINT}`);
    tryExec(this.sqlite3, this.db, `RELEASE ${SAVEPOINT}`);
    this.outOfSync = true;
  }

  /** The outcome of a file the twin could not apply: a fails-with-data finding, or a note. */
  private failed(file: MigrationFile, ff: FileFacts, failure: Failure): DataCheckOutcome {
    const f = failureFinding(file, ff, failure);
    return 'note' in f ? { findings: [], notes: [f.note], complete: false } : { findings: [f], notes: [], complete: false };
  }

  /** Steps through the file on the twin; `executed` receives each statement's position. */
  private execute(text: SqlText, executed: { start: number; end: number }[]): 'skip' | { failure?: Failure } {
    const { capi, wasm } = this.sqlite3;
    const db = this.db.pointer;
    let offset = 0;
    for (;;) {
      const p = text.prepare(db, offset);
      // A statement that does not prepare fails the same way on the replay, which reports it.
      if (!p.ok) return { failure: { message: p.message } };
      if (!p.stmt) break;
      offset = p.end;
      const kind = mayClassify(text.bytes, p.start) ? classifyStatement(text.slice(p.start, p.end)).kind : 'other';
      if (kind === 'pragma-foreign-keys') {
        wasm.exports.sqlite3_finalize(p.stmt);
        continue;
      }
      if (kind === 'transaction' || kind === 'attach' || kind === 'vacuum') {
        // The replay stops here as wrangler does; static rules report these.
        wasm.exports.sqlite3_finalize(p.stmt);
        return 'skip';
      }
      if (this.skipIndex(text, p.start, p.end)) {
        wasm.exports.sqlite3_finalize(p.stmt);
        continue;
      }
      this.stmtIndex = executed.length;
      executed.push({ start: p.start, end: p.end });
      let rc: number;
      do rc = wasm.exports.sqlite3_step(p.stmt);
      while (rc === capi.SQLITE_ROW);
      wasm.exports.sqlite3_finalize(p.stmt);
      if (rc !== capi.SQLITE_DONE) return { failure: { message: capi.sqlite3_errmsg(db), at: describe(text, executed[executed.length - 1]!) } };
    }
    return {};
  }

  /**
   * Plain indexes (not UNIQUE, no expression, not partial) change no statement's outcome, yet every one of
   * them is parsed again each time an ALTER TABLE reloads the schema. The twin does without them — a third
   * of its work on a large schema — and skips dropping the ones it never created.
   */
  private skipIndex(text: SqlText, start: number, end: number): boolean {
    const b = text.bytes[start]! | 0x20;
    if (b !== 0x63 && b !== 0x64) return false; // 'c' or 'd'
    const head = text.slice(start, Math.min(end, start + 24));
    if (!/^(CREATE|DROP)\s+INDEX\b/i.test(head)) return false;
    const facts = analyseStatement(text.slice(start, end));
    if (facts.index?.drop) return this.skippedIndexes.delete(facts.index.name.toLowerCase());
    if (facts.index && !facts.dataDependent) {
      this.skippedIndexes.add(facts.index.name.toLowerCase());
      return true;
    }
    return false;
  }

  /** sqlite3_preupdate_hook callback: (ctx, db, op, schema, table, oldKey, newKey). */
  private onPreupdate(args: unknown[]): void {
    const events = this.events;
    if (!events) return;
    const [, pDb, op, schema, table, oldKey, newKey] = args as [unknown, Ptr, number, string, string, bigint, bigint];
    if (schema !== 'main') return;
    const lower = table.toLowerCase();
    if (lower === this.migrationsTable.toLowerCase() || lower.startsWith('sqlite_')) return;
    const { api } = this;
    const stmt = this.stmtIndex;
    const values = (which: 'old' | 'new') => {
      const n = api.sqlite3_preupdate_count(pDb);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(which === 'old' ? api.sqlite3_preupdate_old_js(pDb, i) : api.sqlite3_preupdate_new_js(pDb, i));
      return out;
    };
    // WITHOUT ROWID tables report key 0: their rows are told apart by their values.
    const keyOf = (k: bigint, which: 'old' | 'new') => (k !== 0n ? String(k) : `v:${stringify(values(which))}`);
    if (op === api.SQLITE_INSERT) {
      const key = keyOf(newKey, 'new');
      // A row deleted and inserted again under the same key (REPLACE, a trigger rewriting a row) is only a
      // change if its values differ.
      const before = this.deletedValues.get(lower)?.get(key);
      const same = before !== undefined && before === stringify(values('new'));
      events.push({ stmt, op: 'insert', table: lower, name: table, key, ...(same && { unchanged: true }) });
    } else if (op === api.SQLITE_DELETE) {
      const key = keyOf(oldKey, 'old');
      if (!this.deletedValues.has(lower)) this.deletedValues.set(lower, new Map());
      this.deletedValues.get(lower)!.set(key, stringify(values('old')));
      events.push({ stmt, op: 'delete', table: lower, name: table, key });
    }
    else if (op === api.SQLITE_UPDATE) {
      const before = values('old');
      const after = values('new');
      if (oldKey !== newKey || before.some((v, i) => !same(v, after[i]))) {
        events.push({ stmt, op: 'update', table: lower, name: table, key: oldKey !== 0n ? String(oldKey) : `v:${stringify(before)}` });
      }
    }
  }

  private lossContext(): LossContext {
    return { db: this.db, virtuals: this.virtuals, internal: (lower) => this.internal(lower), counts: (tables) => this.counts(tables) };
  }

  /**
   * Row counts before the file of the tables it rebuilds (only those are compared by count), and what else
   * rebuilds.ts needs to know of them.
   */
  private rebuiltBefore(ff: FileFacts): { counts: Map<string, number>; shapes: Map<string, RebuildBefore> } {
    if (ff.rebuilt.size === 0) return { counts: new Map(), shapes: new Map() };
    const present = [...existingObjects(this.db, ff.rebuilt, this.virtuals).values()].filter((o) => o.kind === 'table');
    const counts = this.counts(present.map((o) => o.name));
    return { counts, shapes: rebuildsBefore(this.db, counts, new Map(present.map((o) => [o.name.toLowerCase(), o.name]))) };
  }

  /** Row counts of tables, in one query. */
  private counts(tables: string[]): Map<string, number> {
    if (tables.length === 0) return new Map();
    const row = this.db.selectArrays(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${q(t)})`).join(', ')}`)[0] ?? [];
    return new Map(tables.map((t, i) => [t.toLowerCase(), Number(row[i] ?? 0)]));
  }

  /**
   * Gives the tables the file created synthetic rows, and tops up tables left with too few. New tables are
   * read by rowid from sqlite_schema (new rows get higher rowids), which is far cheaper than a scan of it.
   */
  private refill(ff: FileFacts, events: RowEvent[]): void {
    let objects = new Map<string, SchemaEntry>();
    if (ff.creates.size > 0 || ff.renames.length > 0) {
      const rows = this.db
        .selectArrays(`SELECT rowid, name, sql FROM sqlite_schema WHERE rowid > ?1 AND type = 'table'`, [this.schemaRowid])
        .map(([rowid, name, sql]) => {
          this.schemaRowid = Math.max(this.schemaRowid, Number(rowid));
          return { name: String(name), type: 'table', sql: String(sql ?? '') };
        });
      // A table renamed into place keeps its schema row; it is filled if it has too few rows (below). A
      // table created after the newest schema row was dropped may reuse that rowid: look it up by name.
      const seen = new Set(rows.map((r) => r.name.toLowerCase()));
      const missed = [...ff.creates.keys()].filter((lower) => !seen.has(lower));
      for (const o of existingObjects(this.db, missed).values()) rows.push({ name: o.name, type: 'table', sql: o.sql });
      objects = classifyObjects(rows, this.virtuals);
    }
    const shrunk = new Map<string, string>();
    for (const e of events) if (e.op === 'delete' && !objects.has(e.table)) shrunk.set(e.table, e.name);
    for (const r of ff.renames) if (!objects.has(r.to.toLowerCase())) shrunk.set(r.to.toLowerCase(), r.to);
    if (shrunk.size > 0) {
      const present = existingObjects(this.db, shrunk.keys(), this.virtuals);
      const counts = this.counts([...present.values()].filter((o) => o.kind === 'table').map((o) => o.name));
      for (const [lower, n] of counts) if (n < SYNTHETIC_ROWS) objects.set(lower, present.get(lower)!);
    }
    this.fillObjects(objects);
  }

  /** Fills the tables among `lowers` that exist and are ordinary, new or with too few rows. */
  private fillTables(lowers: Iterable<string>): void {
    this.fillObjects(existingObjects(this.db, lowers, this.virtuals));
  }

  private fillObjects(objects: Map<string, SchemaEntry>): void {
    const needs = new Map<string, { name: string; sql: string }>();
    for (const [lower, o] of objects) {
      if (o.kind === 'virtual') this.noteUncovered(lower, o.name, 'a virtual table: filled by its own module, e.g. through triggers');
      if (o.kind !== 'table' || this.internal(lower) || this.uncoveredSeen.has(lower)) continue;
      needs.set(lower, { name: o.name, sql: o.sql });
    }
    if (needs.size === 0) return;
    const outcome = this.filler.fill(needs, (lower) => this.filledOnce.has(lower));
    for (const [lower, [name, reason]] of outcome.uncovered) this.noteUncovered(lower, name, reason);
    for (const lower of outcome.filled) this.filledOnce.add(lower);
  }

  /** Replaces the twin by a copy of the replay's database, then fills every table again. */
  private resync(): void {
    const { wasm } = this.sqlite3;
    const bytes = this.api.sqlite3_js_db_export(this.main.pointer);
    this.closeTwin();
    const next = this.openTwin();
    this.db = next;
    this.filler = this.filler.rebind(next);
    const mem = (wasm as unknown as { allocFromTypedArray(b: Uint8Array): Ptr }).allocFromTypedArray(bytes);
    const rc = this.api.sqlite3_deserialize(next.pointer, 'main', mem, bytes.length, bytes.length, this.api.SQLITE_DESERIALIZE_FREEONCLOSE | this.api.SQLITE_DESERIALIZE_RESIZEABLE);
    // Left out of sync: the next file tries again.
    if (rc !== this.sqlite3.capi.SQLITE_OK) throw new Error(`data check: copying the replay database failed (${rc})`);
    this.filledOnce = new Set();
    this.skippedIndexes = new Set();
    this.outOfSync = false;
    this.schemaRowid = Number(next.selectArrays(`SELECT max(rowid) FROM sqlite_schema`)[0]?.[0] ?? 0);
    const all = next.selectArrays(`SELECT lower(name) FROM sqlite_schema WHERE type = 'table'`).map((r) => String(r[0]));
    this.fillTables(all);
  }

  private internal(lower: string): boolean {
    return lower === this.migrationsTable.toLowerCase() || lower.startsWith('sqlite_') || lower.startsWith('_cf_');
  }

  private noteUncovered(lower: string, name: string, reason: string): void {
    if (this.uncoveredSeen.has(lower)) return;
    this.uncoveredSeen.add(lower);
    this.uncovered.push(`${name} (${reason})`);
  }

  private deferredViolations(): number {
    const rc = this.api.sqlite3_db_status(this.db.pointer, DBSTATUS_DEFERRED_FKS, this.status, this.status + 4, 0);
    if (rc !== this.sqlite3.capi.SQLITE_OK) return 0;
    return (this.sqlite3.wasm as unknown as { peek32(p: Ptr): number }).peek32(this.status);
  }

}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

function stringify(values: unknown[]): string {
  return JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `x${Buffer.from(v).toString('hex')}` : v));
}
