/**
 * The data check's twin: a WASM database that goes through the same migrations as the replay but whose
 * tables hold synthetic rows (fill.ts), with the pre-update hook recording what each file does to them
 * (row-events.ts). It is its own database rather than a rollback on the replay's: rolling back DDL makes
 * SQLite re-read the whole schema, which on a schema of a thousand objects costs more than running the file
 * twice. When it misses a file (one that fails here but not on the replay), it is copied from the replay
 * again before the next.
 */
import { addColumn } from '../alter.js';
import { classifyStatement, mayClassify } from '../classify.js';
import type { SqlDb } from '../db/types.js';
import type { WasmBackend, WasmDb } from '../db/wasm.js';
import { eachStatement, type SqlText } from '../statements.js';
import { createMigrationsTableSql } from '../wrangler-text.js';
import { analyseStatement } from './analyse.js';
import type { FileFacts } from './file-facts.js';
import { Filler, SYNTHETIC_ROWS, type FillerState } from './fill.js';
import { describe, type Failure } from './findings.js';
import type { RowEvent } from './losses.js';
import { RowEvents } from './row-events.js';
import { classifyObjects, existingObjects, q, type SchemaEntry } from './tables.js';

const SAVEPOINT = 'd1_migrate_data_check';
/** Where ADD COLUMN holds a table's rows (alter.ts heldStatement): a database of the twin's own, attached. */
const SCRATCH_SCHEMA = 'd1_migrate_scratch';

/** The twin's own bookkeeping, for the replay cache (with an image of its database). */
export interface TwinState {
  virtuals: string[];
  uncoveredSeen: string[];
  uncovered: string[];
  outOfSync: boolean;
  filledOnce: string[];
  skippedIndexes: string[];
  schemaRowid: number;
  filler: FillerState;
}

/** How a file ran on the twin: 'skip' when it stops where the replay stops without a failure of its own. */
export type TwinRun = 'skip' | { failure?: Failure };

export class Twin {
  db: WasmDb;
  filler: Filler;
  readonly events: RowEvents;
  /** Virtual tables (lower-cased): their shadow tables are not filled. */
  virtuals = new Set<string>();
  /** Tables reported as not covered, so each is named once per run. */
  uncoveredSeen = new Set<string>();
  uncovered: string[] = [];
  /** The twin missed a file (it failed there, the replay did not): copy the replay's database before the next. */
  outOfSync = false;
  /** Tables given synthetic rows (lower-cased). */
  private filledOnce = new Set<string>();
  /** Plain indexes the twin skipped (lower-cased names); see skipIndex(). */
  private skippedIndexes = new Set<string>();
  /** Highest sqlite_schema rowid seen: rows above it are objects created since. */
  private schemaRowid = 0;
  /** An empty connection for alter.ts. */
  private scratch: WasmDb | undefined;
  private savepoint!: { run(): string | undefined; close(): void };
  private release!: { run(): string | undefined; close(): void };

  constructor(
    private readonly wasm: WasmBackend,
    /** The replay's database (copied after a missed file); a function because the replay may change it. */
    private readonly main: () => SqlDb,
    private readonly migrationsTable: string,
    /** exactAlter, rowsHoldConstraints: see ReplayInput and alter.ts. */
    private readonly opts: { exactAlter?: boolean; rowsHoldConstraints?: boolean } = {},
    /** Where a previous run left it (replay cache). */
    from?: { image: Uint8Array; state: TwinState },
  ) {
    this.events = new RowEvents((lower) => lower === migrationsTable.toLowerCase() || lower.startsWith('sqlite_'));
    if (from) {
      this.db = this.open(wasm.openImage(from.image));
      const s = from.state;
      this.virtuals = new Set(s.virtuals);
      this.uncoveredSeen = new Set(s.uncoveredSeen);
      this.uncovered = [...s.uncovered];
      this.outOfSync = s.outOfSync;
      this.filledOnce = new Set(s.filledOnce);
      this.skippedIndexes = new Set(s.skippedIndexes);
      this.schemaRowid = s.schemaRowid;
      this.filler = Filler.restore(this.db, s.filler);
      return;
    }
    this.db = this.open(wasm.open());
    this.db.tryExec(createMigrationsTableSql(migrationsTable));
    this.filler = new Filler(this.db);
  }

  /** Its database and bookkeeping, to go on from later (replay cache). */
  snapshot(): { image: Uint8Array; state: TwinState } {
    return {
      image: this.db.serialize(),
      state: {
        virtuals: [...this.virtuals],
        uncoveredSeen: [...this.uncoveredSeen],
        uncovered: [...this.uncovered],
        outOfSync: this.outOfSync,
        filledOnce: [...this.filledOnce],
        skippedIndexes: [...this.skippedIndexes],
        schemaRowid: this.schemaRowid,
        filler: this.filler.state(),
      },
    };
  }

  private open(db: WasmDb): WasmDb {
    db.attachScratch(SCRATCH_SCHEMA);
    this.events.attach(db);
    this.savepoint = db.control(`SAVEPOINT ${SAVEPOINT}`);
    this.release = db.control(`RELEASE ${SAVEPOINT}`);
    return db;
  }

  close(): void {
    this.closeDb();
    this.scratch?.close();
    this.scratch = undefined;
  }

  private closeDb(): void {
    this.savepoint.close();
    this.release.close();
    this.db.close();
  }

  /** Opens the file's transaction. */
  begin(): void {
    const error = this.savepoint.run();
    if (error) throw new Error(`data check: SAVEPOINT failed: ${error}`);
  }

  /** Commits it; SQLite's error (deferred foreign keys), if any. */
  commit(): string | undefined {
    return this.release.run();
  }

  /** Rolls the file back: the twin then misses it, and is copied from the replay before the next file. */
  abandon(): void {
    this.db.tryExec(`ROLLBACK TO ${SAVEPOINT}`);
    this.db.tryExec(`RELEASE ${SAVEPOINT}`);
    this.outOfSync = true;
  }

  /** Runs `fn` and rolls back everything it did; plain indexes it creates or drops are forgotten too. */
  tryOut<T>(name: string, fn: () => T): T {
    const skipped = new Set(this.skippedIndexes);
    const begin = this.db.tryExec(`SAVEPOINT ${name}`);
    if (begin) throw new Error(`data check: SAVEPOINT failed: ${begin}`);
    try {
      return fn();
    } finally {
      this.db.tryExec(`ROLLBACK TO ${name}`);
      this.db.tryExec(`RELEASE ${name}`);
      this.skippedIndexes = skipped;
    }
  }

  /**
   * Steps through the file; `executed` receives each statement's position (statement indexes of the events).
   * `following`: the file already applied on the replay (see DataCheck.follow).
   */
  execute(text: SqlText, executed: { start: number; end: number }[], opts: { following?: boolean } = {}): TwinRun {
    const walk = eachStatement<TwinRun>(this.db, text, 0, (stmt, start, end) => {
      const kind = mayClassify(text.bytes, start) ? classifyStatement(text.slice(start, end)) : { kind: 'other' as const };
      // As the replay: D1 ignores it inside the file's transaction.
      if (kind.kind === 'pragma-foreign-keys') return undefined;
      // The replay stops here as wrangler does; static rules report these.
      if (kind.kind === 'transaction' || kind.kind === 'attach' || kind.kind === 'vacuum') return 'skip';
      if (this.skipIndex(text, start, end)) return undefined;
      this.events.statement = executed.length;
      executed.push({ start, end });
      if (kind.kind === 'add-column' && !this.opts.exactAlter && this.addColumn(kind.table, kind.schema, text.slice(start, end), opts.following === true)) return undefined;
      const error = stmt.run();
      return error === undefined ? undefined : { failure: { message: error, at: describe(text, executed[executed.length - 1]!) } };
    });
    // A statement that does not prepare fails the same way on the replay, which reports it.
    if ('failed' in walk) return { failure: { message: walk.failed.message } };
    return 'stopped' in walk ? walk.stopped : {};
  }

  /**
   * ADD COLUMN by alter.ts (no schema reload); ADD COLUMN changes no row, so the copy it makes of the table's
   * rows is not recorded. The re-created table is not new: the schema rowids it took are counted as seen.
   */
  private addColumn(table: string, schema: string | undefined, sql: string, succeeded: boolean): boolean {
    const done = this.events.paused(() => addColumn(this.db, () => (this.scratch ??= this.wasm.open()), { table, schema, sql }, { succeeded, rowsHoldConstraints: this.opts.rowsHoldConstraints === true }));
    if (done) this.schemaRowid = Math.max(this.schemaRowid, Number(this.db.rows(`SELECT max(rowid) FROM sqlite_schema`)[0]?.[0] ?? 0));
    return done;
  }

  /** The failure of a file that ran to its end: deferred foreign keys still violated. */
  pendingForeignKeys(): Failure | undefined {
    return this.db.deferredViolations() > 0 ? { message: 'FOREIGN KEY constraint failed' } : undefined;
  }

  /** Whether `message` is about an index the twin skipped (INDEXED BY, REINDEX …): the twin's doing, not the data's. */
  missingSkippedIndex(message: string): boolean {
    const missing = /^no such index: (.+)$/.exec(message)?.[1];
    return missing !== undefined && this.skippedIndexes.has(missing.toLowerCase());
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

  /** Whether a trigger fires on any of `tables` (lower-cased; views included). */
  triggersOn(tables: Set<string>): boolean {
    return this.db.rows(`SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND lower(tbl_name) IN (SELECT value FROM json_each(?1)) LIMIT 1`, [JSON.stringify([...tables])]).length > 0;
  }

  /** Row counts of tables, in one query. */
  counts(tables: string[]): Map<string, number> {
    if (tables.length === 0) return new Map();
    const row = this.db.rows(`SELECT ${tables.map((t) => `(SELECT count(*) FROM ${q(t)})`).join(', ')}`)[0] ?? [];
    return new Map(tables.map((t, i) => [t.toLowerCase(), Number(row[i] ?? 0)]));
  }

  /** The migrations table and SQLite's and D1's own tables. */
  internal(lower: string): boolean {
    return lower === this.migrationsTable.toLowerCase() || lower.startsWith('sqlite_') || lower.startsWith('_cf_');
  }

  /** Whether every one of `tables` held synthetic rows (none was reported as not covered). */
  covers(tables: string[]): boolean {
    return tables.every((t) => !this.uncoveredSeen.has(t.toLowerCase()));
  }

  /**
   * Gives the tables the file created synthetic rows, and tops up tables left with too few. New tables are
   * read by rowid from sqlite_schema (new rows get higher rowids), which is far cheaper than a scan of it.
   */
  refill(ff: FileFacts, events: RowEvent[]): void {
    let objects = new Map<string, SchemaEntry>();
    if (ff.creates.size > 0 || ff.renames.length > 0) {
      const rows = this.db.rows(`SELECT rowid, name, sql FROM sqlite_schema WHERE rowid > ?1 AND type = 'table'`, [this.schemaRowid]).map(([rowid, name, sql]) => {
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
  resync(): void {
    const image = this.main().serialize();
    this.closeDb();
    const next = this.open(this.wasm.openImage(image));
    this.db = next;
    this.filler = this.filler.rebind(next);
    this.filledOnce = new Set();
    this.skippedIndexes = new Set();
    this.outOfSync = false;
    this.schemaRowid = Number(next.rows(`SELECT max(rowid) FROM sqlite_schema`)[0]?.[0] ?? 0);
    const all = next.rows(`SELECT lower(name) FROM sqlite_schema WHERE type = 'table'`).map((r) => String(r[0]));
    this.fillObjects(existingObjects(this.db, all, this.virtuals));
  }

  private noteUncovered(lower: string, name: string, reason: string): void {
    if (this.uncoveredSeen.has(lower)) return;
    this.uncoveredSeen.add(lower);
    this.uncovered.push(`${name} (${reason})`);
  }
}
