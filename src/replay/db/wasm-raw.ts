/**
 * Values in and out of the WASM build through its raw exports, for the calls made per row: binding a
 * query's parameters, reading a result row, reading a row change in the pre-update hook, running SQL text.
 * oo1 and capi's wrapped functions do the same with an argument adapter, a scoped allocation and a range
 * check per call — a fifth of the data check's time in its worker on a long history. The conversions are
 * exactly theirs (oo1's Stmt.get/bind, capi.sqlite3_value_to_js), so callers see the same values:
 * integers as numbers where they are safe, else bigints; text with all its bytes (NULs included); empty
 * blobs as an empty array from a row, as null from the hook (wasm-raw.test.ts compares both ways).
 */
import type { Ptr, RawExports, Sqlite3 } from './wasm-api.js';
import type { SqlValue } from './types.js';

const SQLITE_INTEGER = 1;
const SQLITE_FLOAT = 2;
const SQLITE_TEXT = 3;
const SQLITE_BLOB = 4;
/** The destructor that tells SQLite to copy a bound value at once (so the buffer can be reused). */
const SQLITE_TRANSIENT = -1;

/** The hook as installed here: (db, op, schema name, table name: C strings, old rowid, new rowid). */
export type RawPreupdate = (db: Ptr, op: number, zDb: Ptr, zTable: Ptr, oldKey: bigint, newKey: bigint) => void;

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function integer(v: bigint): number | bigint {
  return v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
}

const instances = new WeakMap<Sqlite3, RawValues>();

/** The module instance's RawValues (its connections share the scratch memory, used within one call only). */
export function rawValues(sqlite3: Sqlite3): RawValues {
  let r = instances.get(sqlite3);
  if (!r) instances.set(sqlite3, (r = new RawValues(sqlite3)));
  return r;
}

/**
 * Memory in the module for bytes handed to SQLite: kept between calls (an allocation per call is what the
 * wrappers cost), but not beyond KEEP_BYTES once a large statement is done.
 */
class Scratch {
  private p: Ptr = 0;
  private capacity = 0;

  constructor(private readonly sqlite3: Sqlite3) {}

  /** At least `n` bytes; their address. */
  reserve(n: number): Ptr {
    if (n > this.capacity) {
      this.release();
      this.capacity = Math.max(n, 2 * this.capacity, 4096);
      this.p = this.sqlite3.wasm.alloc(this.capacity);
    }
    return this.p;
  }

  /** `s` as UTF-8 (NUL-terminated when `nul`): its address and byte length. */
  encode(s: string, nul: boolean): [Ptr, number] {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const p = this.reserve(s.length * 3 + 1);
    const heap = this.sqlite3.wasm.heap8u();
    const { written } = encoder.encodeInto(s, heap.subarray(p, p + this.capacity - 1));
    if (nul) heap[p + written] = 0;
    return [p, written];
  }

  /** Frees the memory if it grew past KEEP_BYTES (or always, with `all`). */
  trim(all = false): void {
    if (all || this.capacity > KEEP_BYTES) this.release();
  }

  private release(): void {
    if (this.p) this.sqlite3.wasm.dealloc(this.p);
    this.p = 0;
    this.capacity = 0;
  }
}

/** Scratch memory kept between calls: above this, a large statement's copy is freed once it ran. */
const KEEP_BYTES = 1 << 20;

export class RawValues {
  private readonly x: RawExports;
  /** Bound text and blobs (SQLite copies them at once: free again when bind() returns). */
  private readonly values: Scratch;
  /** SQL text for exec(), in use until it returns; a hook running SQL meanwhile gets memory of its own. */
  private readonly sql: Scratch;
  private execDepth = 0;
  /** The pre-update hook's out-pointer (apart from both: the hook fires inside exec() and step()). */
  private slot: Ptr = 0;

  constructor(private readonly sqlite3: Sqlite3) {
    this.x = sqlite3.wasm.exports;
    this.values = new Scratch(sqlite3);
    this.sql = new Scratch(sqlite3);
  }

  /** A NUL-terminated UTF-8 string in WASM memory (null for a null pointer), as capi's cstrToJs reads it. */
  text(p: Ptr): string | null {
    if (!p) return null;
    const heap = this.sqlite3.wasm.heap8u();
    const end = heap.indexOf(0, p);
    return end === p ? '' : decoder.decode(heap.subarray(p, end < 0 ? heap.length : end));
  }

  /** SQLite's message for the connection's last error. */
  errmsg(db: Ptr): string {
    return this.text(this.x.sqlite3_errmsg(db)) ?? '';
  }

  /** sqlite3_exec of `sql` (no callback); SQLite's error message, or undefined. */
  exec(db: Ptr, sql: string): string | undefined {
    const scratch = this.execDepth === 0 ? this.sql : new Scratch(this.sqlite3);
    this.execDepth++;
    try {
      const [p] = scratch.encode(sql, true);
      return this.x.sqlite3_exec(db, p, 0, 0, 0) === 0 ? undefined : this.errmsg(db);
    } finally {
      this.execDepth--;
      scratch.trim(scratch !== this.sql);
    }
  }

  /** Binds `values` to parameters 1..n as oo1's Stmt.bind(array) does; throws what it would refuse. */
  bind(stmt: Ptr, values: readonly unknown[]): void {
    const x = this.x;
    const count = x.sqlite3_bind_parameter_count(stmt);
    if (values.length > count) throw new Error(`Bind index ${count + 1} is out of range.`);
    try {
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        const at = i + 1;
        let rc: number;
        if (v === null || v === undefined) rc = x.sqlite3_bind_null(stmt, at);
        else if (typeof v === 'string') {
          const [p, n] = this.values.encode(v, false);
          rc = x.sqlite3_bind_text(stmt, at, p, n, SQLITE_TRANSIENT);
        } else if (typeof v === 'number') {
          if (Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX) rc = x.sqlite3_bind_int(stmt, at, v);
          else if (Number.isInteger(v)) rc = x.sqlite3_bind_int64(stmt, at, BigInt(v));
          else rc = x.sqlite3_bind_double(stmt, at, v);
        } else if (typeof v === 'bigint') {
          if (v < INT64_MIN || v > INT64_MAX) throw new Error(`BigInt value is too big to store without precision loss: ${v}`);
          rc = x.sqlite3_bind_int64(stmt, at, v);
        } else if (typeof v === 'boolean') rc = x.sqlite3_bind_int(stmt, at, v ? 1 : 0);
        else if (v instanceof Uint8Array || v instanceof Int8Array || v instanceof ArrayBuffer) {
          const bytes = v instanceof ArrayBuffer ? new Uint8Array(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
          // A zero-length blob needs a non-null address (SQLite binds NULL for a null one).
          const p = this.values.reserve(Math.max(1, bytes.length));
          this.sqlite3.wasm.heap8u().set(bytes, p);
          rc = x.sqlite3_bind_blob(stmt, at, p, bytes.length, SQLITE_TRANSIENT);
        } else throw new Error(`Unsupported bind() argument type: ${typeof v}`);
        if (rc !== 0) throw new Error(`sqlite3 result code ${rc} binding parameter ${at}`);
      }
    } finally {
      this.values.trim();
    }
  }

  /** Steps `stmt`: true for a row, false at its end; throws SQLite's error as oo1 does. */
  step(db: Ptr, stmt: Ptr): boolean {
    const rc = this.x.sqlite3_step(stmt);
    if (rc === 100) return true;
    if (rc === 101) return false;
    throw new Error(`${this.sqlite3.capi.sqlite3_js_rc_str(rc)}: sqlite3 result code ${rc}: ${this.errmsg(db)}`);
  }

  /** Resets `stmt` and clears its bindings (errors were reported by step()). */
  reset(stmt: Ptr): void {
    this.x.sqlite3_clear_bindings(stmt);
    this.x.sqlite3_reset(stmt);
  }

  columnCount(stmt: Ptr): number {
    return this.x.sqlite3_column_count(stmt);
  }

  columnNames(stmt: Ptr): string[] {
    const n = this.x.sqlite3_column_count(stmt);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.text(this.x.sqlite3_column_name(stmt, i)) ?? '');
    return out;
  }

  /** The current row's values (oo1's Stmt.get([]): an empty blob is an empty array). */
  row(stmt: Ptr, n: number): SqlValue[] {
    const out: SqlValue[] = new Array<SqlValue>(n);
    for (let i = 0; i < n; i++) out[i] = this.value(this.x.sqlite3_column_value(stmt, i), false);
    return out;
  }

  /**
   * Installs `fn` as the connection's pre-update hook; its function table entry, for removePreupdateHook.
   * capi's own binding decodes both names into strings on every row change; here the schema is compared in
   * place (isMain).
   */
  installPreupdateHook(db: Ptr, fn: RawPreupdate): Ptr {
    const wasm = this.sqlite3.wasm;
    const p = wasm.installFunction((_ctx: Ptr, pDb: Ptr, op: number, zDb: Ptr, zTable: Ptr, oldKey: bigint, newKey: bigint) => fn(pDb, op, zDb, zTable, oldKey, newKey), 'v(ppippjj)');
    this.x.sqlite3_preupdate_hook(db, p, 0);
    return p;
  }

  removePreupdateHook(db: Ptr, p: Ptr): void {
    this.x.sqlite3_preupdate_hook(db, 0, 0);
    this.sqlite3.wasm.uninstallFunction(p);
  }

  /** Whether the C string at `p` is "main". */
  isMain(p: Ptr): boolean {
    const h = this.sqlite3.wasm.heap8u();
    return h[p] === 0x6d && h[p + 1] === 0x61 && h[p + 2] === 0x69 && h[p + 3] === 0x6e && h[p + 4] === 0;
  }

  /** Inside the pre-update hook: the row's values before or after the change (capi's preupdate_*_js). */
  preupdate(db: Ptr, which: 'old' | 'new'): unknown[] {
    const x = this.x;
    if (!this.slot) this.slot = this.sqlite3.wasm.alloc(4);
    const n = x.sqlite3_preupdate_count(db);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const rc = which === 'old' ? x.sqlite3_preupdate_old(db, i, this.slot) : x.sqlite3_preupdate_new(db, i, this.slot);
      if (rc !== 0) throw new Error(`sqlite3_preupdate_${which}() failed with code ${rc}`);
      const v = this.sqlite3.wasm.peek32(this.slot);
      // An empty blob is null here, as capi's sqlite3_value_to_js has it.
      out.push(v ? this.value(v, true) : undefined);
    }
    return out;
  }

  /**
   * A value as capi reads it (sqlite3_value_to_js; a row's columns are read through the same calls):
   * integers as numbers where safe, else bigints; text with all its bytes, NULs included.
   */
  private value(v: Ptr, emptyBlobIsNull: boolean): SqlValue {
    const x = this.x;
    switch (x.sqlite3_value_type(v)) {
      case SQLITE_INTEGER:
        return integer(x.sqlite3_value_int64(v));
      case SQLITE_FLOAT:
        return x.sqlite3_value_double(v);
      case SQLITE_TEXT: {
        const p = x.sqlite3_value_text(v);
        const n = x.sqlite3_value_bytes(v);
        if (!p) return null;
        return n === 0 ? '' : decoder.decode(this.sqlite3.wasm.heap8u().subarray(p, p + n));
      }
      case SQLITE_BLOB: {
        const n = x.sqlite3_value_bytes(v);
        const p = x.sqlite3_value_blob(v);
        if (n) return this.sqlite3.wasm.heap8u().slice(p, p + n);
        return emptyBlobIsNull ? null : new Uint8Array(0);
      }
      default:
        return null;
    }
  }
}

/** A 32-bit little-endian pointer (this build is wasm32). */
export function readPtr(heap: Uint8Array, at: Ptr): Ptr {
  return (heap[at]! | (heap[at + 1]! << 8) | (heap[at + 2]! << 16) | (heap[at + 3]! << 24)) >>> 0;
}

export function writePtr(heap: Uint8Array, at: Ptr, value: Ptr): void {
  heap[at] = value & 0xff;
  heap[at + 1] = (value >>> 8) & 0xff;
  heap[at + 2] = (value >>> 16) & 0xff;
  heap[at + 3] = (value >>> 24) & 0xff;
}
