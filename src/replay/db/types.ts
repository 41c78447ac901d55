/**
 * What the replay and the data check need from an SQLite connection, whichever build provides it: the
 * official WASM build (every Node) or `node:sqlite` (Node 22.13+, native and several times faster). Both
 * are configured like local D1 (workerd): foreign keys on, double-quoted string literals accepted.
 */
import type { SqlText } from '../statements.js';

export type BackendName = 'wasm' | 'node';

/** A value SQLite hands back for a column. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** One prepared statement of a connection. */
export interface Stmt {
  /** Steps it to the end (rows are discarded); SQLite's error message, or undefined. */
  run(): string | undefined;
  finalize(): void;
}

/** A statement prepared once and run again and again (savepoint control); its error message, if any. */
export interface Control {
  run(): string | undefined;
  close(): void;
}

export type Prepared =
  | { ok: true; stmt: Stmt | undefined; start: number; end: number }
  /** `errorOffset`: byte offset in the text where SQLite located the error, -1 when it did not say. */
  | { ok: false; message: string; start: number; errorOffset: number };

export interface SqlDb {
  readonly backend: BackendName;
  /** Runs SQL that returns no rows; SQLite's error message, or undefined. Never throws. */
  tryExec(sql: string): string | undefined;
  /** Rows as arrays of values (throws on an error). */
  rows(sql: string, bind?: readonly unknown[]): SqlValue[][];
  /** Rows as objects keyed by column name (throws on an error). */
  objects(sql: string, bind?: readonly unknown[]): Record<string, SqlValue>[];
  control(sql: string): Control;
  /**
   * Prepares the statement of `text` that starts at `from` (after whitespace and comments); `stmt` is
   * undefined when nothing but comments remains. `end` is where the next statement starts.
   */
  prepare(text: SqlText, from: number): Prepared;
  /** Prepares exactly the bytes [start, end) of `text` (one statement already delimited). */
  prepareRange(text: SqlText, start: number, end: number): { stmt?: Stmt; message?: string; errorOffset?: number };
  /**
   * Runs `fn` while double-quoted strings are rejected (to find the ones SQLite would read as text). On the
   * WASM build this toggles the setting; a node:sqlite connection rejects them always (see node.ts).
   */
  withoutDoubleQuotedStrings<T>(fn: () => T): T;
  /** The whole database as an SQLite file image (see sqlite3_serialize). */
  serialize(): Uint8Array;
  close(): void;
}

/** A backend: opens connections configured like local D1. */
export interface Backend {
  readonly name: BackendName;
  /** SQLite's version, e.g. 3.54.1. */
  readonly version: string;
  open(): SqlDb;
  /** A connection holding a copy of `image` (a serialized database). */
  openImage(image: Uint8Array): SqlDb;
}

/**
 * Thrown by a node:sqlite connection for what only the WASM build can do exactly (error offsets, a
 * double-quoted literal it cannot place): the replay redoes the file on the WASM build (see replay.ts).
 */
export class NeedsWasm extends Error {
  constructor(why: string) {
    super(`needs the WASM build: ${why}`);
    this.name = 'NeedsWasm';
  }
}
