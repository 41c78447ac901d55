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
import type { FindingInput } from '../../finding.js';
import type { MigrationFile } from '../../types.js';
import { classifyStatement, mayClassify } from '../classify.js';
import type { OoDb, Ptr, Sqlite3 } from '../sqlite.js';
import { openD1Like, stepPrepared, tryExec } from '../sqlite.js';
import type { SqlText } from '../statements.js';
import { createMigrationsTableSql } from '../wrangler-text.js';
import { analyseStatement, analyseTokens, NAME_KINDS, namesIn, type StatementFacts } from './analyse.js';
import { Filler, SYNTHETIC_ROWS } from './fill.js';
import { classifyObjects, existingObjects, q, triggersOn, type SchemaEntry } from './tables.js';

const SAVEPOINT = 'd1_migrate_data_check';
/** sqlite3_db_status op: deferred foreign key violations not yet resolved (SQLITE_DBSTATUS_DEFERRED_FKS). */
const DBSTATUS_DEFERRED_FKS = 10;

export type DataFinding = FindingInput;

export interface DataCheckOutcome {
  /** Added only when the file then applies on the empty replay (a file that fails there is reported as such). */
  findings: DataFinding[];
  notes: string[];
  /** The whole file ran on the twin: every statement's effect on rows was seen. */
  complete: boolean;
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

/** One row change seen by the pre-update hook. */
interface RowEvent {
  /** Index of the statement (in execution order) that made it. */
  stmt: number;
  op: 'insert' | 'delete' | 'update';
  /** Lower-cased table name at that moment. */
  table: string;
  /** As SQLite spells it. */
  name: string;
  /** Row identity: the rowid, or the row's values for a WITHOUT ROWID table. */
  key: string;
  /** An insert that puts back a row deleted in the same file, with the same values. */
  unchanged?: boolean;
}

interface Executed {
  start: number;
  end: number;
  line: number;
  facts: StatementFacts;
}

interface Failure {
  message: string;
  /** The failing statement; undefined when the file failed as its transaction ended (deferred keys). */
  at?: Executed;
}

interface Loss {
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

interface Culprit {
  executed: Executed;
  /** The table whose rows went at that moment (the lost table itself, or one renamed to it later). */
  victim: string;
  mechanism: string;
}

interface FileFacts {
  facts: StatementFacts[];
  /** Lower-cased tables the file deletes from or updates (incl. upserts), or drops without keeping their rows. */
  rowTargets: Set<string>;
  /**
   * Lower-cased tables dropped or renamed away whose rows the file copies (INSERT … SELECT): if the name
   * exists again at the end, it was rebuilt and should still hold as many rows.
   */
  rebuilt: Set<string>;
  renames: { from: string; to: string }[];
  /** Tables the file creates (lower-cased), to fill for the next files. */
  creates: Map<string, { name: string; virtual: boolean }>;
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

  /** After a fault in the check: the twin is re-copied before the next file. */
  markOutOfSync(): void {
    this.outOfSync = true;
  }

  /**
   * Runs `text` (the file as wrangler sends it, bookkeeping INSERT included) on the twin, before the replay
   * runs it; then fills the tables the file created, for the next files.
   */
  run(file: MigrationFile, text: SqlText, parsed: ParsedMigration): DataCheckOutcome | undefined {
    if (this.outOfSync) this.resync();
    const ff = fileFacts(parsed);
    const rebuiltBefore = this.rebuiltCounts(ff);
    if (this.deferredViolations() !== 0) {
      this.outOfSync = true;
      return undefined;
    }
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

    const losses = this.losses(events, ff, rebuiltBefore, executed.length, (i) => describe(text, executed[i]!));
    const released = stepPrepared(this.sqlite3, this.db, this.release.pointer);
    if (released) {
      this.abandon();
      return this.failed(file, ff, { message: released });
    }
    this.refill(ff, events);
    return { findings: losses.map((l) => lossFinding(file, l)), notes: [], complete: true };
  }

  /** Rolls the file back on the twin, which then misses it: it is copied from the replay before the next file. */
  private abandon(): void {
    tryExec(this.sqlite3, this.db, `ROLLBACK TO ${SAVEPOINT}`);
    tryExec(this.sqlite3, this.db, `RELEASE ${SAVEPOINT}`);
    this.outOfSync = true;
  }

  /** The outcome of a file the twin could not apply: a fails-with-data finding, or a note. */
  private failed(file: MigrationFile, ff: FileFacts, failure: Failure): DataCheckOutcome {
    const f = this.failureFinding(file, ff, failure);
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

  /** Row counts before the file of the tables it rebuilds (only those are compared by count). */
  private rebuiltCounts(ff: FileFacts): Map<string, number> {
    if (ff.rebuilt.size === 0) return new Map();
    const present = [...existingObjects(this.db, ff.rebuilt, this.virtuals).values()].filter((o) => o.kind === 'table');
    return this.counts(present.map((o) => o.name));
  }

  /** Row counts of tables, in one query. */
  private counts(tables: string[]): Map<string, number> {
    if (tables.length === 0) return new Map();
    const row = this.db.selectArrays(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${q(t)})`).join(', ')}`)[0] ?? [];
    return new Map(tables.map((t, i) => [t.toLowerCase(), Number(row[i] ?? 0)]));
  }

  /**
   * Rows that existed before the file and were deleted or changed by a statement that does not name their
   * table as what it deletes from, updates, drops or alters; and rebuilt tables left with fewer rows.
   */
  private losses(events: RowEvent[], ff: FileFacts, rebuiltBefore: Map<string, number>, statements: number, describe: (i: number) => Executed): Loss[] {
    if (events.length === 0 && rebuiltBefore.size === 0) return [];
    const facts = new Array<Executed | undefined>(statements);
    const at = (i: number) => (facts[i] ??= describe(i));
    const direct = (i: number, table: string) => at(i).facts.targets.some((t) => t.table.toLowerCase() === table);

    // Which table, as it was before the file, each name stands for as the statements run: renames move a
    // table to a new name; a table created in the file stands for none (null).
    const origin = new Map<string, string | null>();
    const originOf = (name: string) => (origin.has(name) ? origin.get(name)! : name);
    const born = new Map<string, Set<string>>();
    const deletedPre = new Map<string, Map<string, number>>(); // origin → key → statement
    const changedPre = new Map<string, Map<string, number>>();
    const lineageDeletes: { stmt: number; table: string }[] = [];
    const byStmt = new Map<number, RowEvent[]>();
    for (const e of events) byStmt.set(e.stmt, [...(byStmt.get(e.stmt) ?? []), e]);
    const needsDdl = ff.renames.length > 0 || ff.creates.size > 0 || ff.facts.some((f) => f.targets.some((t) => t.how === 'drop'));

    for (let i = 0; i < statements; i++) {
      for (const e of byStmt.get(i) ?? []) {
        const o = originOf(e.table);
        const mine = born.get(e.table) ?? new Set<string>();
        born.set(e.table, mine);
        if (e.op === 'insert') {
          mine.add(e.key);
          // REPLACE keeping the rowid: the old row was deleted and a different one stands in its place.
          const d = o === null ? undefined : deletedPre.get(o);
          if (d?.has(e.key)) {
            const stmt = d.get(e.key)!;
            d.delete(e.key);
            if (!e.unchanged) {
              if (!changedPre.has(o)) changedPre.set(o, new Map());
              changedPre.get(o)!.set(e.key, stmt);
            }
          }
          continue;
        }
        if (mine.has(e.key) || o === null) {
          if (e.op === 'delete' && !direct(i, e.table)) lineageDeletes.push({ stmt: i, table: e.table });
          continue;
        }
        if (direct(i, e.table)) continue;
        const target = e.op === 'delete' ? deletedPre : changedPre;
        if (!target.has(o)) target.set(o, new Map());
        if (!target.get(o)!.has(e.key)) target.get(o)!.set(e.key, i);
        if (e.op === 'delete') lineageDeletes.push({ stmt: i, table: e.table });
      }
      if (!needsDdl) continue;
      const f = at(i).facts;
      if (f.rename) {
        const from = f.rename.from.toLowerCase();
        const to = f.rename.to.toLowerCase();
        origin.set(to, originOf(from));
        born.set(to, born.get(from) ?? new Set());
        origin.set(from, null);
        born.delete(from);
      }
      for (const t of f.targets) if (t.how === 'drop') {
        origin.set(t.table.toLowerCase(), null);
        born.delete(t.table.toLowerCase());
      }
      if (f.creates) {
        origin.set(f.creates.table.toLowerCase(), null);
        born.delete(f.creates.table.toLowerCase());
      }
    }

    const out: Loss[] = [];
    const lost = [...new Set([...deletedPre.keys(), ...changedPre.keys()])].filter(
      (t) => !ff.rowTargets.has(t) && !ff.rebuilt.has(t) && !this.internal(t) && (deletedPre.get(t)?.size ?? 0) + (changedPre.get(t)?.size ?? 0) > 0,
    );
    if (lost.length === 0 && rebuiltBefore.size === 0) return out;
    const names = existingObjects(this.db, [...lost, ...rebuiltBefore.keys()], this.virtuals);
    const after = this.counts([...names.values()].filter((o) => o.kind === 'table').map((o) => o.name));
    for (const table of lost) {
      // Virtual tables and their shadow tables keep their own bookkeeping (an FTS index rewrites its blobs).
      if (names.get(table)?.kind !== 'table') continue;
      const d = deletedPre.get(table) ?? new Map<string, number>();
      const c = changedPre.get(table) ?? new Map<string, number>();
      const first = Math.min(...d.values(), ...c.values());
      const victim = events.find((e) => e.stmt === first && (originOf(e.table) === table || e.table === table))?.table ?? table;
      out.push({
        table,
        name: names.get(table)?.name ?? table,
        vanished: d.size,
        changed: c.size,
        left: after.get(table),
        culprit: this.culprit(at(first), victim, ff),
      });
    }
    for (const [table, before] of rebuiltBefore) {
      if (ff.rowTargets.has(table)) continue;
      const now = after.get(table);
      if (now === undefined || now >= before) continue;
      // Where the copies went: the first delete in a table that is, or is later renamed to, this one.
      const lineage = new Set([table]);
      for (const r of [...ff.renames].reverse()) if (lineage.has(r.to.toLowerCase())) lineage.add(r.from.toLowerCase());
      const hit = lineageDeletes.find((l) => lineage.has(l.table));
      out.push({
        table,
        name: names.get(table)?.name ?? table,
        vanished: before - now,
        changed: 0,
        left: now,
        before,
        culprit: hit ? this.culprit(at(hit.stmt), hit.table, ff) : copyOf(ff, lineage),
      });
    }
    return out.sort((a, b) => (a.culprit?.executed.line ?? 0) - (b.culprit?.executed.line ?? 0) || a.table.localeCompare(b.table));
  }

  private culprit(executed: Executed, victim: string, ff: FileFacts): Culprit {
    const real = existingObjects(this.db, [victim], this.virtuals).get(victim)?.name ?? victim;
    return { executed, victim: real, mechanism: this.mechanism(executed, real, ff) };
  }

  /** Why `victim` lost rows at a statement: a foreign key path to what the statement removed, a REPLACE, a trigger. */
  private mechanism(executed: Executed, victim: string, ff: FileFacts): string {
    const facts = executed.facts;
    const lowerVictim = victim.toLowerCase();
    const drop = facts.targets.find((t) => t.how === 'drop');
    const removed = drop?.table ?? facts.writes;
    const parts: string[] = [];
    // An UPDATE reaches children through ON UPDATE actions; everything else here deletes parent rows.
    const onUpdate = facts.targets.some((t) => t.how === 'update' || t.how === 'upsert') && !facts.replace;
    if (removed && removed.toLowerCase() !== lowerVictim) {
      const path = this.fkPath(victim, removed, onUpdate);
      if (path) {
        const chain = path.map((e) => `${e.child}.${e.col} REFERENCES ${e.parent} ON ${onUpdate ? 'UPDATE' : 'DELETE'} ${e.action}`).join(', then ');
        const earlier = ff.renames.filter((r) => r.to.toLowerCase() === removed.toLowerCase());
        const repoint = earlier.find((r) => ff.facts.some((f) => f.rename === r && (f.line ?? 0) < executed.line));
        const repointNote = repoint
          ? ` (the key points at ${removed} because \`ALTER TABLE ${repoint.from} RENAME TO ${repoint.to}\` re-pointed it: SQLite rewrites other tables' references on rename)`
          : '';
        if (drop) {
          parts.push(
            `\`DROP TABLE ${removed}\` first deletes every row of ${removed}, because D1 always enforces foreign keys (PRAGMA foreign_keys = OFF has no effect there), and the delete reaches ${victim}: ${chain}${repointNote}`,
          );
        } else if (facts.replace) {
          parts.push(
            `REPLACE conflict: for each new row that collides with an existing row of ${removed} on its primary key or a UNIQUE column, SQLite deletes the existing row, and the delete reaches ${victim}: ${chain}`,
          );
        } else {
          parts.push(`changing rows of ${removed} fires its foreign key actions: ${chain}`);
        }
      }
    }
    if (facts.replace && removed && removed.toLowerCase() === lowerVictim) {
      parts.push(
        'REPLACE conflict: for each new row that collides with an existing row on its primary key or a UNIQUE column, SQLite deletes the existing row and inserts the new one, so columns the statement does not set fall back to their defaults (and the delete fires ON DELETE actions)',
      );
    }
    if (!drop) {
      const on = new Set<string>();
      if (facts.writes) on.add(facts.writes.toLowerCase());
      for (const t of facts.targets) on.add(t.table.toLowerCase());
      for (const t of on.size ? triggersOn(this.db, on) : []) {
        if (namesIn(t.sql).has(lowerVictim)) parts.push(`trigger ${t.name} on ${t.table} changes rows of ${victim}`);
      }
    }
    return parts.length ? parts.join('; ') : `the statement changed them without naming ${victim}`;
  }

  /**
   * Foreign keys leading from `child` up to `ancestor` whose actions carry a change down (CASCADE, SET NULL,
   * SET DEFAULT), breadth-first over a few levels; listed from the ancestor down.
   */
  private fkPath(child: string, ancestor: string, onUpdate: boolean): { child: string; col: string; parent: string; action: string }[] | undefined {
    const target = ancestor.toLowerCase();
    type Step = { child: string; col: string; parent: string; action: string };
    const queue: { table: string; path: Step[] }[] = [{ table: child, path: [] }];
    const seen = new Set([child.toLowerCase()]);
    while (queue.length > 0) {
      const { table, path } = queue.shift()!;
      if (path.length >= 4) continue;
      const rows = this.db.selectObjects(`SELECT "table" AS parent, "from" AS col, upper(on_delete) AS d, upper(on_update) AS u FROM pragma_foreign_key_list(?1)`, [table]);
      for (const r of rows) {
        const parent = String(r.parent);
        const action = String(onUpdate ? r.u : r.d);
        if (!['CASCADE', 'SET NULL', 'SET DEFAULT'].includes(action)) continue;
        const step: Step = { child: table, col: String(r.col), parent, action };
        if (parent.toLowerCase() === target) return [step, ...path];
        if (!seen.has(parent.toLowerCase())) {
          seen.add(parent.toLowerCase());
          queue.push({ table: parent, path: [step, ...path] });
        }
      }
    }
    return undefined;
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

  private failureFinding(file: MigrationFile, ff: FileFacts, failure: Failure): DataFinding | { note: string } {
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
}

/** A statement the twin ran, with its line and what it does (read only when a finding needs it). */
function describe(text: SqlText, e: { start: number; end: number }): Executed {
  return { start: e.start, end: e.end, line: text.lineAt(e.start), facts: analyseStatement(text.slice(e.start, e.end)) };
}

function lossFinding(file: MigrationFile, loss: Loss): DataFinding {
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
function copyOf(ff: FileFacts, lineage: Set<string>): Culprit | undefined {
  const copy = ff.facts.find((f) => f.writes && lineage.has(f.writes.toLowerCase()) && !f.targets.length);
  if (!copy) return undefined;
  return {
    executed: { start: 0, end: 0, line: copy.line ?? 0, facts: copy },
    victim: [...lineage][0]!,
    mechanism: 'the copy does not take every row of the old table (a WHERE, a JOIN or a conflict clause leaves rows out), and the old table is dropped with them',
  };
}

/** The first DROP TABLE of the file (the usual cause of a deferred foreign key failure at its end). */
function firstDrop(ff: FileFacts): { line: number; head: string } | undefined {
  const d = ff.facts.find((f) => f.targets.some((t) => t.how === 'drop'));
  return d ? { line: d.line ?? 0, head: d.head } : undefined;
}

function fileFacts(parsed: ParsedMigration): FileFacts {
  const facts: StatementFacts[] = [];
  const rowTargets = new Set<string>();
  const replaced = new Set<string>();
  const copied = new Set<string>();
  const renames: { from: string; to: string }[] = [];
  const creates = new Map<string, { name: string; virtual: boolean }>();
  for (const s of parsed.statements) {
    const f = analyseTokens(s.tokens, s.text);
    f.line = s.line;
    facts.push(f);
    for (const t of f.targets) {
      const lower = t.table.toLowerCase();
      if (t.how === 'delete' || t.how === 'update' || t.how === 'upsert') rowTargets.add(lower);
      if (t.how === 'drop') replaced.add(lower);
    }
    if (f.rename) {
      renames.push(f.rename);
      replaced.add(f.rename.from.toLowerCase());
    }
    if (f.creates) creates.set(f.creates.table.toLowerCase(), { name: f.creates.table, virtual: f.creates.virtual });
    // INSERT … SELECT reads the tables whose rows it copies.
    if (f.writes && !f.targets.some((t) => t.how === 'delete' || t.how === 'update')) {
      for (const t of s.tokens) if (NAME_KINDS.has(t.kind) && t.value.toLowerCase() !== f.writes.toLowerCase()) copied.add(t.value.toLowerCase());
    }
  }
  // A copy from `users_old` after `ALTER TABLE users RENAME TO users_old` copies the rows of users.
  for (const r of [...renames].reverse()) if (copied.has(r.to.toLowerCase())) copied.add(r.from.toLowerCase());
  const rebuilt = new Set<string>();
  for (const t of replaced) {
    if (copied.has(t)) rebuilt.add(t);
    // Dropped (or renamed away) without copying its rows: the file discards or moves them on purpose.
    else rowTargets.add(t);
  }
  return { facts, rowTargets, rebuilt, renames, creates };
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

function stringify(values: unknown[]): string {
  return JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `x${Buffer.from(v).toString('hex')}` : v));
}
