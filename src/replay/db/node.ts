/**
 * node:sqlite (Node 22.13+ without a flag; used where it has serialize(), i.e. current Node 24): SQLite
 * compiled natively, several times faster than the WASM build for the replay's work. It lacks error
 * offsets, per-connection settings that change at run time and the pre-update hook, so:
 * - the connection rejects double-quoted strings (node:sqlite sets that when it opens), which tells where
 *   they are: a statement of DML that has them is run with each one written as the '...' literal SQLite
 *   would have read it as (same text, same length); anything else with one is left to the WASM build;
 * - a statement that fails, or anything else this connection cannot do as the WASM build does, throws
 *   NeedsWasm and the replay redoes the file on the WASM build (replay.ts), so messages, lines and columns
 *   are the WASM build's in every case;
 * - the data check always runs on the WASM build (its twin is a database of its own).
 * The module is imported only when present (a dynamic import that the bundler leaves alone), so the bundle
 * still loads on Node 20.
 */
import type { SqlText } from '../statements.js';
import { NeedsWasm, type Backend, type Control, type Prepared, type SqlDb, type SqlValue, type Stmt } from './types.js';

/** The parts of node:sqlite used here. */
interface NodeStatement {
  readonly sourceSQL: string;
  run(...bind: unknown[]): unknown;
  all(...bind: unknown[]): unknown[];
  setReturnArrays(on: boolean): void;
  setReadBigInts(on: boolean): void;
}

interface NodeDatabase {
  exec(sql: string): void;
  /** Node 24.?+ (absent before: alter-keys.ts then does without). */
  setAuthorizer?(callback: ((action: number, a: string | null, b: string | null, db: string | null, trigger: string | null) => number) | null): void;
  prepare(sql: string): NodeStatement;
  serialize(): Uint8Array;
  deserialize(image: Uint8Array): void;
  close(): void;
}

interface NodeSqlite {
  DatabaseSync: new (path: string, options: Record<string, unknown>) => NodeDatabase;
}

/** A variable, so that neither TypeScript (whose Node 20 types lack it) nor the bundler resolves it. */
const SPECIFIER: string = 'node:sqlite';
/** The SQLite message for a double-quoted name that is not a column (when such strings are rejected). */
const DQS_MESSAGE = /^no such column: "((?:[^"]|"")*)" - should this be a string literal/;
/** Literals rewritten in one statement before giving up. */
const MAX_LITERALS = 200;
/** Prepared queries kept per connection (schema reads of the replay and its checks). */
const CACHE = 64;
/** SQLite's authorizer codes (sqlite3.h): the action of reading a column, and the answers. */
const SQLITE_READ = 20;
const SQLITE_OK = 0;
const SQLITE_IGNORE = 2;

/**
 * The backend, or undefined where node:sqlite is missing or lacks what the replay needs. Node 22 prints an
 * ExperimentalWarning when node:sqlite is first loaded; it is not the user's concern, so it is held back.
 */
export async function nodeBackend(): Promise<NodeBackend | undefined> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- put back as it was, never called unbound
  const original = process.emitWarning;
  const emit = original.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/SQLite/i.test(text)) return;
    emit(warning, ...rest);
  };
  let mod: NodeSqlite;
  try {
    mod = (await import(/* webpackIgnore: true */ SPECIFIER)) as NodeSqlite;
  } catch {
    return undefined;
  } finally {
    process.emitWarning = original;
  }
  try {
    const probe = new mod.DatabaseSync(':memory:', { enableForeignKeyConstraints: true, enableDoubleQuotedStringLiterals: false });
    try {
      const s = probe.prepare('SELECT sqlite_version() AS v; SELECT 2');
      const usable = typeof probe.serialize === 'function' && typeof s.setReturnArrays === 'function' && s.sourceSQL === 'SELECT sqlite_version() AS v;';
      s.setReturnArrays(true);
      const version = String((s.all()[0] as unknown[])[0]);
      return usable && atLeast(version, [3, 45, 0]) ? new NodeBackend(mod, version) : undefined;
    } finally {
      probe.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * A statement's rows with integers as the WASM build gives them: a number, or a bigint beyond 2^53
 * (node:sqlite refuses to read those as numbers; it is asked again for bigints, kept only where needed). Asking
 * again repeats no change: rows() and objects() run this project's own queries, none of which both changes
 * something and returns rows (no RETURNING); migrations run through prepare() and Stmt.run().
 */
function all(s: NodeStatement, bind: readonly unknown[], fix: (row: unknown) => unknown): unknown[] {
  try {
    return s.all(...bind);
  } catch (e) {
    // By name: the error may come from another realm (a test runner's).
    if ((e as Error | undefined)?.name !== 'RangeError') throw e;
  }
  s.setReadBigInts(true);
  try {
    return s.all(...bind).map(fix);
  } finally {
    s.setReadBigInts(false);
  }
}

function safeNumber(v: SqlValue): SqlValue {
  return typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function atLeast(version: string, min: number[]): boolean {
  const v = version.split('.').map(Number);
  for (let i = 0; i < min.length; i++) if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i]!;
  return true;
}

export class NodeBackend implements Backend {
  readonly name = 'node';

  constructor(
    private readonly mod: NodeSqlite,
    readonly version: string,
  ) {}

  open(): NodeDb {
    return new NodeDb(new this.mod.DatabaseSync(':memory:', { enableForeignKeyConstraints: true, enableDoubleQuotedStringLiterals: false }));
  }

  openImage(image: Uint8Array): NodeDb {
    const db = this.open();
    db.load(image);
    return db;
  }
}

class NodeStmt implements Stmt {
  constructor(private readonly stmt: NodeStatement) {}

  run(): string | undefined {
    try {
      this.stmt.run();
      return undefined;
    } catch (e) {
      // The message is the WASM build's to give (with its offset): redo the file there.
      throw new NeedsWasm(`a statement failed: ${(e as Error).message}`);
    }
  }

  finalize(): void {
    // node:sqlite finalizes a statement when it is garbage-collected.
  }
}

export class NodeDb implements SqlDb {
  readonly backend = 'node';
  private readonly cache = new Map<string, NodeStatement>();
  /** See ForeignKeySwitch (alter-keys.ts); undefined where this Node has no authorizer. */
  readonly ignoringReads?: <T>(columns: { table: string; column: string }[], fn: () => T) => T;

  constructor(private readonly db: NodeDatabase) {
    if (typeof db.setAuthorizer === 'function') this.ignoringReads = (columns, fn) => this.withReadsIgnored(columns, fn);
  }

  /**
   * Runs `fn` while SQLite's authorizer answers SQLITE_IGNORE to reading `columns` of tables in main: statements
   * prepared meanwhile read them as NULL. Setting or clearing an authorizer expires every prepared statement,
   * and none prepared meanwhile stays in the cache (those prepared before are prepared again after).
   */
  private withReadsIgnored<T>(columns: { table: string; column: string }[], fn: () => T): T {
    const ignored = new Set(columns.map((c) => `${c.table.toLowerCase()}\u0000${c.column.toLowerCase()}`));
    this.db.setAuthorizer!((action, table, column, db) =>
      action === SQLITE_READ && db === 'main' && ignored.has(`${(table ?? '').toLowerCase()}\u0000${(column ?? '').toLowerCase()}`) ? SQLITE_IGNORE : SQLITE_OK,
    );
    const kept = new Set(this.cache.keys());
    try {
      return fn();
    } finally {
      this.db.setAuthorizer!(null);
      for (const sql of [...this.cache.keys()]) if (!kept.has(sql)) this.cache.delete(sql);
    }
  }

  load(image: Uint8Array): void {
    this.cache.clear();
    this.db.deserialize(image);
    this.db.exec('PRAGMA foreign_keys = ON');
  }

  tryExec(sql: string): string | undefined {
    try {
      this.db.exec(sql);
      return undefined;
    } catch (e) {
      return (e as Error).message;
    }
  }

  rows(sql: string, bind: readonly unknown[] = []): SqlValue[][] {
    const s = this.cached(sql);
    s.setReturnArrays(true);
    return all(s, bind, (row) => (row as SqlValue[]).map(safeNumber)) as SqlValue[][];
  }

  objects(sql: string, bind: readonly unknown[] = []): Record<string, SqlValue>[] {
    const s = this.cached(sql);
    s.setReturnArrays(false);
    return all(s, bind, (row) => Object.fromEntries(Object.entries(row as Record<string, SqlValue>).map(([k, v]) => [k, safeNumber(v)]))) as Record<string, SqlValue>[];
  }

  control(sql: string): Control {
    const s = this.db.prepare(sql);
    return {
      run: () => {
        try {
          s.run();
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
      close: () => undefined,
    };
  }

  /**
   * The statement that sqlite3_complete() delimits from `start` (the bytes SQLite's own tail would give for
   * any statement that prepares; one it cannot prepare is the WASM build's to report).
   */
  prepare(text: SqlText, from: number): Prepared {
    const start = text.skipTrivia(from);
    if (start >= text.length) return { ok: true, stmt: undefined, start, end: text.length };
    const chunkEnd = text.statementEnd(start);
    // A NUL byte ends the text for SQLite's prepare-with-tail; the WASM build handles it as SQLite does.
    if (text.hasByte(start, chunkEnd, 0)) throw new NeedsWasm('a NUL byte in the statement');
    const sql = text.slice(start, chunkEnd);
    const stmt = this.prepareWithLiterals(sql);
    const end = start + Buffer.byteLength(stmt.sourceSQL, 'utf8');
    if (end > chunkEnd) throw new NeedsWasm('statement boundary');
    return { ok: true, stmt: new NodeStmt(stmt), start, end };
  }

  prepareRange(text: SqlText, start: number, end: number): { stmt?: Stmt; message?: string; errorOffset?: number } {
    try {
      return { stmt: new NodeStmt(this.db.prepare(text.slice(start, end))) };
    } catch (e) {
      // No error offset here: double-quoted.ts places a literal by its text when that is unambiguous.
      return { message: (e as Error).message };
    }
  }

  /** This connection rejects double-quoted strings always. */
  withoutDoubleQuotedStrings<T>(fn: () => T): T {
    return fn();
  }

  serialize(): Uint8Array {
    return this.db.serialize();
  }

  close(): void {
    this.cache.clear();
    this.db.close();
  }

  private cached(sql: string): NodeStatement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.cache.size >= CACHE) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(sql, s);
    }
    return s;
  }

  /**
   * Prepares one statement as a connection accepting double-quoted strings would: each double-quoted name
   * SQLite reads as text is written as that text in single quotes, which SQLite reads the same way. Only
   * where that is exact: in DML (DDL keeps its text in the schema), for a name that occurs once in the
   * statement and whose quotes need no escaping (so every offset stays where it was).
   */
  private prepareWithLiterals(sql: string): NodeStatement {
    let work = sql;
    for (let n = 0; n <= MAX_LITERALS; n++) {
      let message: string;
      try {
        return this.db.prepare(work);
      } catch (e) {
        message = (e as Error).message;
      }
      const m = DQS_MESSAGE.exec(message);
      if (!m) throw new NeedsWasm(`the statement does not prepare: ${message}`);
      if (!/^\s*(WITH|SELECT|INSERT|REPLACE|UPDATE|DELETE|VALUES)\b/i.test(work)) throw new NeedsWasm('a double-quoted string in DDL');
      const word = m[1] ?? '';
      const quoted = `"${word}"`;
      const at = work.indexOf(quoted);
      if (at === -1 || work.indexOf(quoted, at + 1) !== -1 || /["']/.test(word)) throw new NeedsWasm('a double-quoted string that cannot be placed');
      work = `${work.slice(0, at)}'${word}'${work.slice(at + quoted.length)}`;
    }
    throw new NeedsWasm('too many double-quoted strings');
  }
}
