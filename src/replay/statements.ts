/**
 * SQL text as SQLite reads it: UTF-8 bytes, with the positions a message needs (line, column) and the
 * statement boundaries SQLite itself would find. The connections (db/*.ts) prepare statements from it; a
 * backend that needs its own copy of the bytes (the WASM build's memory) keeps it here until free().
 */
import { completeEnd } from '../sql/complete.js';
import type { SqlDb, Stmt } from './db/types.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class SqlText {
  readonly bytes: Uint8Array;
  /** Byte offset where each line starts; computed when a position is first asked for. */
  private lineStartsCache: number[] | undefined;
  /** Copies of the bytes owned by a backend, released with the text. */
  private readonly copies = new Map<object, { free(): void }>();

  constructor(text: string) {
    this.bytes = encoder.encode(text);
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
   * End of the statement starting at `start` as sqlite3_complete() sees it: the first `;` after which the
   * statement is complete, found in one pass (src/sql/complete.ts; asking sqlite3_complete() about each
   * prefix was quadratic). Used where SQLite gave no tail (the statement did not prepare).
   */
  statementEnd(start: number): number {
    return completeEnd(this.bytes, start);
  }

  /** The copy of the bytes that `owner` (a backend) keeps, made on first use. */
  copyFor<T extends { free(): void }>(owner: object, make: () => T): T {
    let copy = this.copies.get(owner) as T | undefined;
    if (!copy) {
      copy = make();
      this.copies.set(owner, copy);
    }
    return copy;
  }

  free(): void {
    for (const c of this.copies.values()) c.free();
    this.copies.clear();
  }
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

/** How a walk over the statements of a text ended. */
export type WalkEnd<T> =
  | { done: true }
  /** A statement did not prepare. */
  | { failed: { message: string; start: number; errorOffset: number } }
  /** `visit` returned a value for the statement [start, end). */
  | { stopped: T; start: number; end: number };

/**
 * The one statement loop of the replay and the data check: prepares each statement of `text` from `from` in
 * turn on `db` and hands it to `visit` (then finalizes it), until `visit` returns a value, a statement does
 * not prepare, or only comments remain.
 */
export function eachStatement<T>(db: SqlDb, text: SqlText, from: number, visit: (stmt: Stmt, start: number, end: number) => T | undefined): WalkEnd<T> {
  for (let offset = from; ; ) {
    const p = db.prepare(text, offset);
    if (!p.ok) return { failed: p };
    if (!p.stmt) return { done: true };
    offset = p.end;
    let result: T | undefined;
    try {
      result = visit(p.stmt, p.start, p.end);
    } finally {
      p.stmt.finalize();
    }
    if (result !== undefined) return { stopped: result, start: p.start, end: p.end };
  }
}
