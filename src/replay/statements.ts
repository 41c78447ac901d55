/**
 * Walks SQL one statement at a time with SQLite's own prepare-with-tail, so statement boundaries are
 * exactly SQLite's (triggers, strings, comments) and each statement keeps its position in the file.
 */
import { completeEnd } from '../sql/complete.js';
import type { Ptr, Sqlite3 } from './sqlite.js';

export type PrepareResult =
  | { ok: true; stmt: Ptr; start: number; end: number }
  | { ok: false; message: string; start: number; errorOffset: number };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** SQL text copied into WASM memory; offsets are UTF-8 byte offsets into it. */
export class SqlText {
  readonly bytes: Uint8Array;
  /** Byte offset where each line starts; computed when a position is first asked for. */
  private lineStartsCache: number[] | undefined;
  private readonly mem: Ptr;
  private readonly sqlPtr: Ptr;
  private freed = false;

  constructor(
    private readonly sqlite3: Sqlite3,
    text: string,
  ) {
    this.bytes = encoder.encode(text);
    const { wasm } = sqlite3;
    // Two pointer slots (ppStmt, pzTail) followed by the NUL-terminated SQL.
    this.mem = wasm.alloc(8 + this.bytes.length + 1);
    this.sqlPtr = this.mem + 8;
    const heap = wasm.heap8u();
    heap.set(this.bytes, this.sqlPtr);
    heap[this.sqlPtr + this.bytes.length] = 0;
  }

  get length(): number {
    return this.bytes.length;
  }

  private get lineStarts(): number[] {
    if (!this.lineStartsCache) {
      const starts = [0];
      const b = this.bytes;
      for (let i = b.indexOf(0x0a); i !== -1; i = b.indexOf(0x0a, i + 1)) starts.push(i + 1);
      this.lineStartsCache = starts;
    }
    return this.lineStartsCache;
  }

  /** 1-based line of a byte offset. */
  lineAt(offset: number): number {
    const lineStarts = this.lineStarts;
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** 1-based column (in characters) of a byte offset. */
  columnAt(offset: number): number {
    const lineStart = this.lineStarts[this.lineAt(offset) - 1];
    return decoder.decode(this.bytes.subarray(lineStart, offset)).length + 1;
  }

  slice(start: number, end: number): string {
    return decoder.decode(this.bytes.subarray(start, end));
  }

  hasByte(start: number, end: number, byte: number): boolean {
    // Search only [start, end): indexOf from `start` alone scans to the end of the file for every statement.
    return this.bytes.subarray(start, end).indexOf(byte) !== -1;
  }

  /** Offset of the first byte at or after `from` that is not whitespace, a comment or an empty `;`. */
  skipTrivia(from: number): number {
    const b = this.bytes;
    let i = from;
    while (i < b.length) {
      const c = b[i];
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x3b) i++;
      else if (c === 0x2d && b[i + 1] === 0x2d) {
        while (i < b.length && b[i] !== 0x0a) i++;
      } else if (c === 0x2f && b[i + 1] === 0x2a) {
        const close = findSeq(b, i + 2, 0x2a, 0x2f);
        i = close === -1 ? b.length : close + 2;
      } else break;
    }
    return i;
  }

  /**
   * Prepares the statement starting at `from`. `stmt` is 0 when only comments/whitespace remain.
   * The caller must finalize a returned statement.
   */
  prepare(db: Ptr, from: number): PrepareResult {
    this.assertLive();
    const { capi, wasm } = this.sqlite3;
    const start = this.skipTrivia(from);
    const ppStmt = this.mem;
    const pzTail = this.mem + 4;
    // The raw export: capi's wrapper converts every argument and takes a scoped allocation on each call.
    let heap = wasm.heap8u();
    writePtr(heap, ppStmt, 0);
    writePtr(heap, pzTail, 0);
    // +1: the length includes the NUL terminator, so SQLite uses the text in place instead of copying the rest of the file per statement.
    const rc = wasm.exports.sqlite3_prepare_v3(db, this.sqlPtr + start, this.bytes.length - start + 1, 0, ppStmt, pzTail);
    if (rc !== capi.SQLITE_OK) {
      const off = capi.sqlite3_error_offset(db);
      return { ok: false, message: capi.sqlite3_errmsg(db), start, errorOffset: off >= 0 ? start + off : -1 };
    }
    // Preparing may have grown the memory, which detaches the old view.
    heap = wasm.heap8u();
    const stmt = readPtr(heap, ppStmt);
    const tail = readPtr(heap, pzTail);
    return { ok: true, stmt, start, end: stmt ? tail - this.sqlPtr : this.bytes.length };
  }

  /** Prepares exactly the bytes [start, end) (one statement already delimited), for a second look at it. */
  prepareRange(db: Ptr, start: number, end: number): { stmt: Ptr; message?: string; errorOffset?: number } {
    this.assertLive();
    const { capi, wasm } = this.sqlite3;
    const ppStmt = this.mem;
    wasm.pokePtr(ppStmt, 0);
    const rc = capi.sqlite3_prepare_v3(db, this.sqlPtr + start, end - start, 0, ppStmt, 0);
    if (rc !== capi.SQLITE_OK) {
      const off = capi.sqlite3_error_offset(db);
      return { stmt: 0, message: capi.sqlite3_errmsg(db), errorOffset: off >= 0 ? start + off : undefined };
    }
    return { stmt: wasm.peekPtr(ppStmt) };
  }

  /**
   * End of the statement starting at `start` when SQLite could not prepare it (so gave no tail): the first
   * `;` after which sqlite3_complete() says the statement is complete, found in one pass (src/sql/complete.ts;
   * asking sqlite3_complete() about each prefix was quadratic).
   */
  statementEnd(start: number): number {
    return completeEnd(this.bytes, start);
  }

  free(): void {
    if (!this.freed) {
      this.sqlite3.wasm.dealloc(this.mem);
      this.freed = true;
    }
  }

  private assertLive(): void {
    if (this.freed) throw new Error('SqlText used after free()');
  }
}

/** A 32-bit little-endian pointer (this build is wasm32). */
function readPtr(heap: Uint8Array, at: Ptr): Ptr {
  return (heap[at]! | (heap[at + 1]! << 8) | (heap[at + 2]! << 16) | (heap[at + 3]! << 24)) >>> 0;
}

function writePtr(heap: Uint8Array, at: Ptr, value: Ptr): void {
  heap[at] = value & 0xff;
  heap[at + 1] = (value >>> 8) & 0xff;
  heap[at + 2] = (value >>> 16) & 0xff;
  heap[at + 3] = (value >>> 24) & 0xff;
}

function findSeq(b: Uint8Array, from: number, c1: number, c2: number): number {
  for (let i = from; i + 1 < b.length; i++) if (b[i] === c1 && b[i + 1] === c2) return i;
  return -1;
}

/** SQLite messages that mean the text does not parse, as opposed to naming something that does not exist. */
export function isParseError(message: string): boolean {
  return /^near ".*": syntax error$|^incomplete input$|^unrecognized token:|^syntax error/s.test(message);
}

/** The first line of a statement, for messages (without a trailing `;`, cut at 100 characters). */
export function firstLine(sql: string): string {
  const line = sql.trim().split(/\r?\n/)[0]!.trim().replace(/;$/, '');
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}
