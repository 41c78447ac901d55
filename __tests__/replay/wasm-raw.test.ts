/**
 * wasm-raw.ts reads and binds values through the module's raw exports instead of oo1 and capi's wrappers.
 * Callers must see exactly what those gave: each case reads the same rows both ways (WasmDb.rows/objects
 * against oo1's selectArrays/selectObjects) and the same row changes both ways (the raw pre-update hook
 * against capi's sqlite3_preupdate_old_js/new_js), over every type and the edges of each: integers beyond
 * 2^53, -0.0, text with a NUL (read whole, as capi reads it) or invalid UTF-8, empty text and blobs, NULL.
 */
import { wasmBackend, type WasmBackend, type WasmDb } from '../../src/replay/db/wasm.js';
import { rawValues } from '../../src/replay/db/wasm-raw.js';
import type { OoDb, Sqlite3 } from '../../src/replay/db/wasm-api.js';

let backend: WasmBackend;
beforeAll(async () => {
  backend = await wasmBackend();
});

/** The connection's oo1 handle (what WasmDb wraps), to read the same database the old way. */
function oo1(db: WasmDb): OoDb {
  return (db as unknown as { db: OoDb }).db;
}

const EDGE_ROWS = `CREATE TABLE v (id INTEGER PRIMARY KEY, a ANY, b);
INSERT INTO v (id, a, b) VALUES
  (1, 0, 'plain'),
  (2, 9007199254740991, -9007199254740991),
  (3, 9007199254740992, -9223372036854775808),
  (4, 9223372036854775807, 2147483648),
  (5, 0.5, -0.0),
  (6, 1e308, 4.9e-324),
  (7, '', X''),
  (8, CAST(X'610062' AS TEXT), X'00ff10'),
  (9, CAST(X'ff fe 41' AS TEXT), 'é ✓ 𝄞'),
  (10, NULL, 'x'),
  (11, -1, 2147483647);`.replace("X'ff fe 41'", "X'fffe41'");

describe('rows and objects through the raw exports', () => {
  it('give what oo1 gives, value for value and type for type', () => {
    const db = backend.open();
    try {
      expect(db.tryExec(EDGE_ROWS)).toBeUndefined();
      for (const sql of ['SELECT * FROM v ORDER BY id', 'SELECT a, typeof(a), b, typeof(b), quote(b) FROM v ORDER BY id']) {
        expect(db.rows(sql)).toEqual(oo1(db).selectArrays(sql));
        expect(db.objects(sql)).toEqual(oo1(db).selectObjects(sql));
      }
      // Spot checks that the comparison is about something.
      const rows = db.rows('SELECT a, b FROM v ORDER BY id');
      expect(rows[2]).toEqual([9007199254740992n, -9223372036854775808n]);
      expect(Object.is(rows[4]![1], -0)).toBe(true);
      expect(rows[6]).toEqual(['', new Uint8Array(0)]);
      expect(rows[7]![0]).toBe('a\u0000b');
    } finally {
      db.close();
    }
  });

  it('bind parameters as oo1 binds them', () => {
    const db = backend.open();
    try {
      const values: unknown[] = [null, undefined, 0, -0, 1.5, 2147483647, 2147483648, -2147483649, 2 ** 60, 9007199254740993n, -5n, true, false, 'text ✓', '', new Uint8Array([0, 1, 255]), new Uint8Array(0), NaN, Infinity];
      for (const v of values) {
        const sql = 'SELECT ?1, typeof(?1), quote(?1)';
        const old = oo1(db).selectArrays(sql, [v]);
        expect([v, db.rows(sql, [v])]).toEqual([v, old]);
      }
      // Several text parameters in one statement (the scratch buffer is reused between them).
      expect(db.rows('SELECT ?1 || ?2 || ?3', ['a', 'bb', 'ccc'])).toEqual([['abbccc']]);
      // A long one (the buffer grows).
      const long = 'x'.repeat(100_000) + '✓';
      expect(db.rows('SELECT ?1 = ?2, length(?1)', [long, long])).toEqual([[1, 100_001]]);
    } finally {
      db.close();
    }
  });

  it('throw what oo1 throws for bad SQL, a failing step and an unsupported value', () => {
    const db = backend.open();
    try {
      expect(() => db.rows('SELECT * FROM nope')).toThrow('SQLITE_ERROR: sqlite3 result code 1: no such table: nope');
      db.tryExec('CREATE TABLE c (x CHECK (x > 0))');
      expect(() => db.rows('INSERT INTO c VALUES (?1) RETURNING x', [-1])).toThrow('SQLITE_CONSTRAINT_CHECK: sqlite3 result code 275: CHECK constraint failed: x > 0');
      // The statement is usable again after a failure (it was reset).
      expect(db.rows('INSERT INTO c VALUES (?1) RETURNING x', [2])).toEqual([[2]]);
      expect(() => db.rows('SELECT ?1', [1, 2])).toThrow('Bind index 2 is out of range.');
      expect(() => db.rows('SELECT ?1', [{}])).toThrow('Unsupported bind() argument type: object');
      expect(() => db.rows('SELECT ?1', [2n ** 64n])).toThrow(/too big/);
    } finally {
      db.close();
    }
  });

  it('follow a cached statement whose columns change with the schema', () => {
    const db = backend.open();
    try {
      db.tryExec('CREATE TABLE t (a); INSERT INTO t VALUES (1)');
      expect(db.objects('SELECT * FROM t')).toEqual([{ a: 1 }]);
      db.tryExec('ALTER TABLE t ADD COLUMN b DEFAULT 2');
      expect(db.objects('SELECT * FROM t')).toEqual([{ a: 1, b: 2 }]);
      expect(db.rows('SELECT * FROM t')).toEqual([[1, 2]]);
    } finally {
      db.close();
    }
  });

  it('run SQL text as sqlite3_exec with its error message', () => {
    const db = backend.open();
    try {
      expect(db.tryExec("CREATE TABLE t (a); INSERT INTO t VALUES ('✓')")).toBeUndefined();
      expect(db.tryExec('INSERT INTO nope VALUES (1)')).toBe('no such table: nope');
      expect(db.rows('SELECT a FROM t')).toEqual([['✓']]);
    } finally {
      db.close();
    }
  });
});

describe('row changes through the raw pre-update hook', () => {
  it('give the values capi gives, and only for the main database', () => {
    const db = backend.open();
    const sqlite3 = (backend as unknown as { sqlite3: Sqlite3 }).sqlite3;
    const capi = sqlite3.capi as unknown as Record<string, (...a: unknown[]) => unknown>;
    try {
      expect(db.tryExec(EDGE_ROWS)).toBeUndefined();
      const seen: unknown[] = [];
      db.onRowChange((c) => {
        const pDb = oo1(db).pointer;
        const n = capi.sqlite3_preupdate_count!(pDb) as number;
        const viaCapi = (which: 'old' | 'new') => Array.from({ length: n }, (_, i) => capi[`sqlite3_preupdate_${which}_js`]!(pDb, i));
        const old = c.op === 'insert' ? undefined : c.values('old');
        const now = c.op === 'delete' ? undefined : c.values('new');
        if (old) expect(old).toEqual(viaCapi('old'));
        if (now) expect(now).toEqual(viaCapi('new'));
        seen.push([c.op, c.table, c.oldKey, c.newKey, old, now]);
      });
      expect(db.tryExec("UPDATE v SET b = 'y' WHERE id IN (5, 7); DELETE FROM v WHERE id IN (2, 3, 8, 9); INSERT INTO v (id, a, b) VALUES (12, X'', -0.0)")).toBeUndefined();
      expect(db.tryExec('CREATE TEMP TABLE tt (x); INSERT INTO tt VALUES (1)')).toBeUndefined();
      expect(seen).toHaveLength(7);
      expect(seen[0]).toEqual(['update', 'v', 5n, 5n, [5, 0.5, -0], [5, 0.5, 'y']]);
      // An empty blob reads as null here (as capi's sqlite3_value_to_js has it), unlike a row's.
      expect(seen[1]).toEqual(['update', 'v', 7n, 7n, [7, '', null], [7, '', 'y']]);
      expect(seen[3]).toEqual(['delete', 'v', 3n, 3n, [3, 9007199254740992n, -9223372036854775808n], undefined]);
      expect(seen[6]).toEqual(['insert', 'v', 12n, 12n, undefined, [12, null, -0]]);
      // Replacing the hook and removing it leave no stale callback behind.
      let calls = 0;
      db.onRowChange(() => calls++);
      db.tryExec('DELETE FROM v WHERE id = 1');
      db.onRowChange(undefined);
      db.tryExec('DELETE FROM v WHERE id = 4');
      expect([calls, seen.length]).toEqual([1, 7]);
    } finally {
      db.close();
    }
  });

  it('leave the SQL text of a running exec alone when the hook reads meanwhile', () => {
    const db = backend.open();
    try {
      expect(db.tryExec('CREATE TABLE a (x); CREATE TABLE b (y)')).toBeUndefined();
      const read: unknown[] = [];
      db.onRowChange((c) => {
        if (c.table !== 'a') return;
        // Longer than the outer text: sharing its memory would overwrite the statements still to run.
        read.push(db.tryExec(`SELECT '${'z'.repeat(300)}'`), db.rows('SELECT length(?1)', ['q'.repeat(300)])[0]![0]);
      });
      expect(db.tryExec("INSERT INTO a VALUES (1); INSERT INTO a VALUES (2); INSERT INTO b VALUES ('end')")).toBeUndefined();
      db.onRowChange(undefined);
      expect(read).toEqual([undefined, 300, undefined, 300]);
      expect(db.rows('SELECT (SELECT group_concat(x) FROM a), (SELECT group_concat(y) FROM b)')).toEqual([['1,2', 'end']]);
      // A statement far over the memory kept between calls still runs whole.
      expect(db.rows(`SELECT length('${'w'.repeat(2_000_000)}')`)).toEqual([[2_000_000]]);
      expect(db.tryExec(`INSERT INTO b VALUES ('${'v'.repeat(2_000_000)}')`)).toBeUndefined();
      expect(db.rows('SELECT max(length(y)) FROM b')).toEqual([[2_000_000]]);
    } finally {
      db.close();
    }
  });

  it('share one scratch buffer per module instance', () => {
    const sqlite3 = (backend as unknown as { sqlite3: Sqlite3 }).sqlite3;
    expect(rawValues(sqlite3)).toBe(rawValues(sqlite3));
  });
});
