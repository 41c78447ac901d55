/**
 * The official SQLite WASM build (@sqlite.org/sqlite-wasm), loaded once per process. It runs on every Node
 * and has what node:sqlite lacks: the pre-update hook the data check attributes row changes with, error
 * offsets, sqlite3_db_status and per-connection settings that can change inside a transaction.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SqlText } from '../statements.js';
import type { OoDb, OoStmt, Ptr, RowChange, Sqlite3, Wasm } from './wasm-api.js';
import { rawValues, readPtr, writePtr, type RawValues } from './wasm-raw.js';
import type { Backend, Control, Prepared, SqlDb, SqlValue, Stmt } from './types.js';

export type { Capi, OoDb, Ptr, RawExports, RowChange, Sqlite3, Wasm } from './wasm-api.js';

/** Prepared queries kept per connection: oo1's one-off select helpers cost several times a cached statement. */
const CACHE = 64;

/** sqlite3_db_status op: deferred foreign key violations not yet resolved (SQLITE_DBSTATUS_DEFERRED_FKS). */
const DBSTATUS_DEFERRED_FKS = 10;

/**
 * The bundle (dist/) ships node.mjs + sqlite3.wasm in dist/sqlite/ because webpack mangles the module when it
 * inlines it; from source (tests, tsx) the package resolves normally.
 */
function sqliteModulePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const c of [join(here, 'sqlite', 'node.mjs'), join(here, '..', 'sqlite', 'node.mjs')]) if (existsSync(c)) return c;
  return createRequire(import.meta.url).resolve('@sqlite.org/sqlite-wasm');
}

let loading: Promise<Sqlite3> | undefined;

/**
 * What the first load is told of the work ahead: the bytes of SQL a thread will run on the WASM build, and
 * whether two threads run it side by side (the data check's twin in a worker thread, data/parallel.ts).
 */
export interface WasmWork {
  bytes: number;
  parallel?: boolean;
}

/**
 * Below this much SQL, Node 20 keeps the module on V8's baseline compiler (see chooseTiering). Measured with
 * the bench's generated sets on Node 20 (validate, data check on, so each file runs twice): 3 files 300 →
 * 195 ms, 100 files 550 → 380 ms, 300 files (540 KB run) 880 → 740 ms; 600 files (1.07 MB run) even;
 * 1,000 files (1.83 MB run) 8 % slower on the baseline code.
 */
const LIGHT_WORK_BYTES = 800 * 1024;
/**
 * The same per thread when the replay and the twin run side by side: the optimising compilations then take CPU
 * from the two busy threads, so the baseline code pays for longer. Measured on Node 20 (data check in a worker,
 * wall time, baseline / default): 600 files even, 1,000 files (916 KB per thread) 0.95×, 2,000 files (1.9 MB)
 * 1.09×.
 */
const LIGHT_PARALLEL_BYTES = 1280 * 1024;

/**
 * Node 20 (V8 11.3) compiles hot WASM functions again with its optimising compiler on background threads, and
 * the process waits for those compilations before it exits: 70–100 ms of a 300 ms validate of a small project,
 * more than the optimised code wins back on a short run. So a light run keeps the baseline code. Node 22 and
 * later do not wait at exit and keep V8's default. The flag is read when the module is compiled, hence here,
 * before the first load. `D1_MIGRATE_WASM_TIERING=baseline|default` pins the choice (bench and tests); any
 * other value is ignored, as it is a diagnostic switch, not an input.
 */
export function wasmTiering(work: WasmWork | undefined, nodeVersion: string, pinned: string | undefined): 'baseline' | 'default' {
  if (pinned === 'baseline' || pinned === 'default') return pinned;
  const major = Number(nodeVersion.replace(/^v/, '').split('.')[0]);
  return major < 22 && work !== undefined && work.bytes < (work.parallel === true ? LIGHT_PARALLEL_BYTES : LIGHT_WORK_BYTES) ? 'baseline' : 'default';
}

function chooseTiering(work: WasmWork | undefined): void {
  if (wasmTiering(work, process.versions.node, process.env.D1_MIGRATE_WASM_TIERING) === 'baseline') setFlagsFromString('--liftoff-only');
}

/**
 * The initialised module; initialising costs ~40 ms, so it is shared by every connection in the process.
 * `work`: what the caller will run on it, for the first load's choice of compiler (chooseTiering); unknown
 * work keeps V8's default.
 */
export function loadSqlite(work?: WasmWork): Promise<Sqlite3> {
  if (!loading) {
    chooseTiering(work);
    loading = (async () => {
      const mod = (await import(/* webpackIgnore: true */ pathToFileURL(sqliteModulePath()).href)) as { default: () => Promise<Sqlite3> };
      return mod.default();
    })();
    // A failed load must not poison every later call in a long-lived process.
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

/** The backend, once the module is loaded (`work`: see loadSqlite). */
export async function wasmBackend(work?: WasmWork): Promise<WasmBackend> {
  return new WasmBackend(await loadSqlite(work));
}

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly version: string;

  constructor(readonly sqlite3: Sqlite3) {
    this.version = sqlite3.version.libVersion;
  }

  open(): WasmDb {
    return new WasmDb(this.sqlite3, openD1Like(this.sqlite3));
  }

  openImage(image: Uint8Array): WasmDb {
    const db = this.open();
    db.load(image);
    return db;
  }
}

/** The text's bytes in WASM memory, NUL-terminated, after two pointer slots (ppStmt, pzTail). */
class WasmCopy {
  readonly mem: Ptr;
  readonly sql: Ptr;

  constructor(
    private readonly wasm: Wasm,
    bytes: Uint8Array,
  ) {
    this.mem = wasm.alloc(8 + bytes.length + 1);
    this.sql = this.mem + 8;
    const heap = wasm.heap8u();
    heap.set(bytes, this.sql);
    heap[this.sql + bytes.length] = 0;
  }

  free(): void {
    this.wasm.dealloc(this.mem);
  }
}

function wasmCopy(sqlite3: Sqlite3, text: SqlText): WasmCopy {
  return text.copyFor(sqlite3, () => new WasmCopy(sqlite3.wasm, text.bytes));
}

/**
 * Prepares the statement of `text` starting at `from` with SQLite's prepare-with-tail, so statement
 * boundaries are exactly SQLite's (triggers, strings, comments). `stmt` is 0 when only comments remain.
 * Exported for the D1 API emulator of the tests, which runs its own module instance.
 */
export function prepareAt(
  sqlite3: Sqlite3,
  db: Ptr,
  text: SqlText,
  from: number,
): { ok: true; stmt: Ptr; start: number; end: number } | { ok: false; message: string; start: number; errorOffset: number } {
  const { capi, wasm } = sqlite3;
  const copy = wasmCopy(sqlite3, text);
  const start = text.skipTrivia(from);
  const ppStmt = copy.mem;
  const pzTail = copy.mem + 4;
  let heap = wasm.heap8u();
  writePtr(heap, ppStmt, 0);
  writePtr(heap, pzTail, 0);
  // +1: the length includes the NUL terminator, so SQLite uses the text in place instead of copying the rest of the file per statement.
  const rc = wasm.exports.sqlite3_prepare_v3(db, copy.sql + start, text.length - start + 1, 0, ppStmt, pzTail);
  if (rc !== capi.SQLITE_OK) {
    const off = capi.sqlite3_error_offset(db);
    return { ok: false, message: capi.sqlite3_errmsg(db), start, errorOffset: off >= 0 ? start + off : -1 };
  }
  // Preparing may have grown the memory, which detaches the old view.
  heap = wasm.heap8u();
  const stmt = readPtr(heap, ppStmt);
  const tail = readPtr(heap, pzTail);
  return { ok: true, stmt, start, end: stmt ? tail - copy.sql : text.length };
}

class WasmStmt implements Stmt {
  constructor(
    private readonly sqlite3: Sqlite3,
    private readonly db: Ptr,
    readonly pointer: Ptr,
  ) {}

  run(): string | undefined {
    const { capi, wasm } = this.sqlite3;
    const step = wasm.exports.sqlite3_step;
    let rc: number;
    do rc = step(this.pointer);
    while (rc === capi.SQLITE_ROW);
    return rc === capi.SQLITE_DONE ? undefined : capi.sqlite3_errmsg(this.db);
  }

  finalize(): void {
    this.sqlite3.wasm.exports.sqlite3_finalize(this.pointer);
  }
}

export class WasmDb implements SqlDb {
  readonly backend = 'wasm';
  private status: Ptr = 0;
  /** The pre-update hook's entry in the WASM function table (0: none). */
  private hook: Ptr = 0;
  private readonly cache = new Map<string, OoStmt>();
  private readonly raw: RawValues;

  constructor(
    private readonly sqlite3: Sqlite3,
    private readonly db: OoDb,
  ) {
    this.raw = rawValues(sqlite3);
  }

  /** The empty database attachScratch() attached, where alter.ts holds a table's rows (see heldStatement). */
  scratchSchema: string | undefined;

  /** Attaches it, outside a transaction (SQLite refuses ATTACH in one); unqualified names still find main's first. */
  attachScratch(name: string): void {
    if (this.tryExec(`ATTACH ':memory:' AS "${name.replace(/"/g, '""')}"`) === undefined) this.scratchSchema = name;
  }

  /** Replaces the (empty) database by a copy of `image`. */
  load(image: Uint8Array): void {
    this.clearCache();
    const { capi, wasm } = this.sqlite3;
    const mem = wasm.allocFromTypedArray(image);
    const rc = capi.sqlite3_deserialize(this.db.pointer, 'main', mem, image.length, image.length, capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_RESIZEABLE);
    if (rc !== capi.SQLITE_OK) throw new Error(`sqlite3_deserialize failed (${rc})`);
  }

  tryExec(sql: string): string | undefined {
    return this.raw.exec(this.db.pointer, sql);
  }

  rows(sql: string, bind?: readonly unknown[]): SqlValue[][] {
    return this.query(sql, bind, (row) => row);
  }

  objects(sql: string, bind?: readonly unknown[]): Record<string, SqlValue>[] {
    return this.query(sql, bind, (row, names) => Object.fromEntries(names().map((n, i) => [n, row[i]!])));
  }

  /**
   * Runs a query, prepared once per connection (oo1 prepares it: its errors are the ones callers know), with
   * parameters and rows through the raw exports (wasm-raw.ts).
   */
  private query<T>(sql: string, bind: readonly unknown[] | undefined, row: (values: SqlValue[], names: () => string[]) => T): T[] {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.cache.size >= CACHE) {
        const [oldest, stmt] = this.cache.entries().next().value!;
        stmt.finalize();
        this.cache.delete(oldest);
      }
      this.cache.set(sql, s);
    }
    const raw = this.raw;
    const p = s.pointer;
    try {
      if (bind && bind.length > 0) raw.bind(p, bind);
      const out: T[] = [];
      // Read after the first step: a statement prepared again after a schema change may have other columns.
      let n = -1;
      let names: string[] | undefined;
      while (raw.step(this.db.pointer, p)) {
        if (n < 0) n = raw.columnCount(p);
        out.push(row(raw.row(p, n), () => (names ??= raw.columnNames(p))));
      }
      return out;
    } finally {
      raw.reset(p);
    }
  }

  private clearCache(): void {
    for (const s of this.cache.values()) s.finalize();
    this.cache.clear();
  }

  control(sql: string): Control {
    const { capi, wasm } = this.sqlite3;
    const stmt = this.db.prepare(sql);
    const db = this.db.pointer;
    return {
      run: () => {
        const rc = wasm.exports.sqlite3_step(stmt.pointer);
        const error = rc === capi.SQLITE_DONE ? undefined : capi.sqlite3_errmsg(db);
        wasm.exports.sqlite3_reset(stmt.pointer);
        return error;
      },
      close: () => void stmt.finalize(),
    };
  }

  prepare(text: SqlText, from: number): Prepared {
    const p = prepareAt(this.sqlite3, this.db.pointer, text, from);
    if (!p.ok) return p;
    return { ok: true, stmt: p.stmt ? new WasmStmt(this.sqlite3, this.db.pointer, p.stmt) : undefined, start: p.start, end: p.end };
  }

  prepareRange(text: SqlText, start: number, end: number): { stmt?: Stmt; message?: string; errorOffset?: number } {
    const { capi, wasm } = this.sqlite3;
    const copy = wasmCopy(this.sqlite3, text);
    const db = this.db.pointer;
    writePtr(wasm.heap8u(), copy.mem, 0);
    const rc = wasm.exports.sqlite3_prepare_v3(db, copy.sql + start, end - start, 0, copy.mem, 0);
    if (rc !== capi.SQLITE_OK) {
      const off = capi.sqlite3_error_offset(db);
      return { message: capi.sqlite3_errmsg(db), errorOffset: off >= 0 ? start + off : undefined };
    }
    const stmt = readPtr(wasm.heap8u(), copy.mem);
    return stmt ? { stmt: new WasmStmt(this.sqlite3, db, stmt) } : {};
  }

  withoutDoubleQuotedStrings<T>(fn: () => T): T {
    setDoubleQuotedStrings(this.sqlite3, this.db.pointer, false);
    try {
      return fn();
    } finally {
      setDoubleQuotedStrings(this.sqlite3, this.db.pointer, true);
    }
  }

  /**
   * Foreign key enforcement on or off. Unlike PRAGMA foreign_keys this takes effect inside a transaction,
   * which a schema change done by hand (alter.ts) needs.
   */
  setForeignKeys(on: boolean): void {
    const { capi } = this.sqlite3;
    capi.sqlite3_db_config(this.db.pointer, capi.SQLITE_DBCONFIG_ENABLE_FKEY, on ? 1 : 0, 0);
  }

  /** Deferred foreign key violations of the open transaction (what makes its commit fail). */
  deferredViolations(): number {
    const { capi, wasm } = this.sqlite3;
    if (!this.status) this.status = wasm.alloc(8);
    const rc = capi.sqlite3_db_status(this.db.pointer, DBSTATUS_DEFERRED_FKS, this.status, this.status + 4, 0);
    return rc === capi.SQLITE_OK ? wasm.peek32(this.status) : 0;
  }

  /** Calls `fn` before every row change of the main database (undefined: stop). */
  onRowChange(fn: ((change: RowChange) => void) | undefined): void {
    const raw = this.raw;
    if (this.hook) raw.removePreupdateHook(this.db.pointer, this.hook);
    this.hook = 0;
    if (!fn) return;
    const { SQLITE_INSERT, SQLITE_DELETE, SQLITE_UPDATE } = this.sqlite3.capi;
    this.hook = raw.installPreupdateHook(this.db.pointer, (pDb, op, zDb, zTable, oldKey, newKey) => {
      if (!raw.isMain(zDb)) return;
      const kind = op === SQLITE_INSERT ? 'insert' : op === SQLITE_DELETE ? 'delete' : op === SQLITE_UPDATE ? 'update' : undefined;
      if (!kind) return;
      fn({ op: kind, table: raw.text(zTable) ?? '', oldKey, newKey, values: (which) => raw.preupdate(pDb, which) });
    });
  }

  serialize(): Uint8Array {
    return this.sqlite3.capi.sqlite3_js_db_export(this.db.pointer);
  }

  close(): void {
    this.clearCache();
    this.onRowChange(undefined);
    if (this.status) this.sqlite3.wasm.dealloc(this.status);
    this.status = 0;
    this.db.close();
  }
}

/**
 * A fresh in-memory database with D1's behaviour, for the replay (WasmDb) and the preflight (replay/sqlite.ts):
 * workerd accepts double-quoted strings (this build is compiled with DQS=0) and D1 always enforces foreign keys.
 */
export function openD1Like(sqlite3: Sqlite3): OoDb {
  const db = new sqlite3.oo1.DB(':memory:', 'c');
  setDoubleQuotedStrings(sqlite3, db.pointer, true);
  db.exec('PRAGMA foreign_keys = ON');
  return db;
}

/** Turns double-quoted string literals on or off for DML and DDL alike. */
function setDoubleQuotedStrings(sqlite3: Sqlite3, db: Ptr, on: boolean): void {
  const { capi } = sqlite3;
  capi.sqlite3_db_config(db, capi.SQLITE_DBCONFIG_DQS_DML, on ? 1 : 0, 0);
  capi.sqlite3_db_config(db, capi.SQLITE_DBCONFIG_DQS_DDL, on ? 1 : 0, 0);
}

/**
 * Runs SQL without result rows and returns SQLite's error message, or undefined on success. Unlike oo1's
 * exec it neither throws nor logs a console warning for an expected failure.
 */
export function execOn(sqlite3: Sqlite3, db: Ptr, sql: string): string | undefined {
  return rawValues(sqlite3).exec(db, sql);
}
