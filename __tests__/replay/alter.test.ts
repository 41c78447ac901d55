/**
 * alter.ts: ADD COLUMN without a schema reload must leave exactly what SQLite's own ADD COLUMN leaves — the
 * same error (or none), the same stored CREATE statement, the same rows under the same rowids, the same
 * indexes, triggers and AUTOINCREMENT counter, and the same behaviour afterwards. Each case runs both ways on
 * two databases and compares everything; on node:sqlite too where the running Node has it.
 */
import { addColumn, rowsHoldConstraints } from '../../src/replay/alter.js';
import type { Backend, SqlDb } from '../../src/replay/db/index.js';
import { nodeBackend } from '../../src/replay/db/node.js';
import { wasmBackend, type WasmBackend, type WasmDb } from '../../src/replay/db/wasm.js';

interface Case {
  setup: string;
  alter: string;
  table: string;
  /** Whether the fast path applies (false: it hands the statement back, which then runs as usual). */
  fast: boolean;
  /** The same on node:sqlite, which cannot pause foreign keys, where the case is about them. */
  fastNode?: boolean;
  /** The same on a WASM connection with a scratch database attached (the data check's twin), where it differs. */
  fastHeld?: boolean;
  /** Run before the ALTER inside the same transaction. */
  begin?: string;
  /** Run after the ALTER inside the same transaction (what the file goes on to do). */
  after?: string;
}

const PARENT = `CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
INSERT INTO parent (name) VALUES ('a'), ('b'), ('c');
DELETE FROM parent WHERE name = 'c';`;
const CHILD = `CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id) ON DELETE CASCADE, note TEXT);
INSERT INTO child (parent_id, note) VALUES (1, 'x'), (2, 'y'), (NULL, 'z');`;

const CASES: Record<string, Case> = {
  'plain column, rows, index, trigger, AUTOINCREMENT counter above the last rowid': {
    setup: `${PARENT}
CREATE INDEX parent_name ON parent (name);
CREATE TABLE log (msg TEXT);
CREATE TRIGGER parent_ins AFTER INSERT ON parent BEGIN INSERT INTO log VALUES ('ins ' || new.name); END;`,
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    after: `INSERT INTO parent (name, note) VALUES ('d', 'n');`,
  },
  'NOT NULL with a default on a table with rows': { setup: PARENT, alter: 'ALTER TABLE parent ADD COLUMN n INTEGER NOT NULL DEFAULT 7', table: 'parent', fast: true },
  'NOT NULL without a default on a table with rows fails': { setup: PARENT, alter: 'ALTER TABLE parent ADD COLUMN n INTEGER NOT NULL', table: 'parent', fast: false },
  'NOT NULL without a default on an empty table': { setup: 'CREATE TABLE e (id INTEGER PRIMARY KEY)', alter: 'ALTER TABLE e ADD n INTEGER NOT NULL', table: 'e', fast: true },
  'CHECK that the rows break fails': { setup: PARENT, alter: 'ALTER TABLE parent ADD COLUMN n INTEGER DEFAULT 5 CHECK (n < 3)', table: 'parent', fast: false },
  'CHECK over another column': { setup: PARENT, alter: "ALTER TABLE parent ADD COLUMN n TEXT DEFAULT 'a' CHECK (n <= name)", table: 'parent', fast: true },
  'REFERENCES with a non-NULL default on a table with rows fails': { setup: PARENT, alter: 'ALTER TABLE parent ADD COLUMN other INTEGER DEFAULT 1 REFERENCES parent(id)', table: 'parent', fast: false },
  'REFERENCES defaulting to NULL': { setup: `${PARENT}\n${CHILD}`, alter: 'ALTER TABLE child ADD COLUMN other INTEGER REFERENCES parent(id)', table: 'child', fast: true },
  'UNIQUE fails': { setup: PARENT, alter: 'ALTER TABLE parent ADD COLUMN u TEXT UNIQUE', table: 'parent', fast: false },
  'PRIMARY KEY fails': { setup: PARENT, alter: 'ALTER TABLE parent ADD COLUMN p INTEGER PRIMARY KEY', table: 'parent', fast: false },
  'non-constant default on a table with rows fails': { setup: PARENT, alter: 'ALTER TABLE parent ADD COLUMN at TEXT DEFAULT CURRENT_TIMESTAMP', table: 'parent', fast: false },
  'non-constant default on an empty table': { setup: 'CREATE TABLE e (id INTEGER PRIMARY KEY)', alter: 'ALTER TABLE e ADD COLUMN at TEXT DEFAULT CURRENT_TIMESTAMP', table: 'e', fast: true },
  'virtual generated column': { setup: PARENT, alter: "ALTER TABLE parent ADD COLUMN shout TEXT GENERATED ALWAYS AS (upper(name)) VIRTUAL", table: 'parent', fast: true, after: 'SELECT shout FROM parent' },
  'stored generated column fails on rows': { setup: PARENT, alter: 'ALTER TABLE parent ADD COLUMN s TEXT AS (upper(name)) STORED', table: 'parent', fast: false },
  'STRICT table, default of the wrong type': { setup: 'CREATE TABLE s (id INTEGER PRIMARY KEY, v TEXT) STRICT; INSERT INTO s (v) VALUES (\'a\');', alter: "ALTER TABLE s ADD COLUMN n INTEGER DEFAULT 'x'", table: 's', fast: false },
  'STRICT table, right type': { setup: 'CREATE TABLE s (id INTEGER PRIMARY KEY, v TEXT) STRICT; INSERT INTO s (v) VALUES (\'a\');', alter: 'ALTER TABLE s ADD COLUMN n INTEGER DEFAULT 3', table: 's', fast: true },
  'WITHOUT ROWID': { setup: "CREATE TABLE w (k TEXT PRIMARY KEY, v INT) WITHOUT ROWID; INSERT INTO w VALUES ('a', 1), ('b', 2);", alter: 'ALTER TABLE w ADD COLUMN extra TEXT', table: 'w', fast: true },
  'parent of children with ON DELETE CASCADE rows: nothing cascades': { setup: `${PARENT}\n${CHILD}`, alter: 'ALTER TABLE parent ADD COLUMN note TEXT', table: 'parent', fast: true, fastNode: true },
  'parent with rows whose children are empty': {
    setup: `${PARENT}\n${CHILD}\nDELETE FROM child;\nCREATE TABLE other_child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES PARENT (id) ON DELETE RESTRICT);`,
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    fastNode: true,
    after: "INSERT INTO child (parent_id, note) VALUES (2, 'after'); INSERT INTO other_child (p) VALUES (1);",
  },
  'parent with rows, children hold only rows whose key is NULL': {
    setup: `${PARENT}\n${CHILD}\nDELETE FROM child WHERE parent_id IS NOT NULL;\nCREATE TABLE other_child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id) ON DELETE SET NULL);`,
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    fastNode: true,
    after: 'DELETE FROM parent WHERE id = 1',
  },
  'parent with rows, an empty child and one whose row points at it': {
    setup: `${PARENT}\nCREATE TABLE other_child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id));\n${CHILD}\nDELETE FROM child WHERE parent_id <> 2;`,
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    fastNode: true,
    after: 'DELETE FROM parent WHERE id = 2',
  },
  'composite key, child rows with one key column NULL': {
    setup: "CREATE TABLE pk2 (a INTEGER, b INTEGER, PRIMARY KEY (a, b)); INSERT INTO pk2 VALUES (1, 1), (1, 2); CREATE TABLE ck2 (x INTEGER, y INTEGER, FOREIGN KEY (x, y) REFERENCES pk2 (a, b) ON DELETE CASCADE); INSERT INTO ck2 VALUES (1, NULL), (NULL, 2);",
    alter: 'ALTER TABLE pk2 ADD COLUMN note TEXT',
    table: 'pk2',
    fast: true,
    fastNode: true,
    after: 'INSERT INTO ck2 VALUES (1, 2); DELETE FROM pk2 WHERE b = 2',
  },
  'composite key, a child row that points': {
    setup: "CREATE TABLE pk2 (a INTEGER, b INTEGER, PRIMARY KEY (a, b)); INSERT INTO pk2 VALUES (1, 1), (1, 2); CREATE TABLE ck2 (x INTEGER, y INTEGER, FOREIGN KEY (x, y) REFERENCES pk2 (a, b) ON DELETE CASCADE); INSERT INTO ck2 VALUES (1, NULL), (1, 2);",
    alter: 'ALTER TABLE pk2 ADD COLUMN note TEXT',
    table: 'pk2',
    fast: true,
    fastNode: true,
  },
  'a table that references itself, only from rows whose key is NULL': {
    setup: 'CREATE TABLE node (id INTEGER PRIMARY KEY, up INTEGER REFERENCES node (id) ON DELETE CASCADE); INSERT INTO node VALUES (1, NULL), (2, NULL);',
    alter: 'ALTER TABLE node ADD COLUMN label TEXT',
    table: 'node',
    fast: true,
    fastNode: true,
    after: 'INSERT INTO node VALUES (3, 1); DELETE FROM node WHERE id = 1',
  },
  'a table with rows that references itself': {
    setup: "CREATE TABLE node (id INTEGER PRIMARY KEY, up INTEGER REFERENCES node (id) ON DELETE CASCADE); INSERT INTO node VALUES (1, NULL), (2, 1);",
    alter: 'ALTER TABLE node ADD COLUMN label TEXT',
    table: 'node',
    fast: true,
    fastNode: true,
  },
  'a parent whose name holds a quote, child with rows (spelled with the quote doubled)': {
    setup: 'CREATE TABLE "pa""rent" (id INTEGER PRIMARY KEY); INSERT INTO "pa""rent" VALUES (1); CREATE TABLE kid (id INTEGER PRIMARY KEY, p INTEGER REFERENCES "PA""RENT" (id) ON DELETE CASCADE); INSERT INTO kid VALUES (1, 1);',
    alter: 'ALTER TABLE "pa""rent" ADD COLUMN note TEXT',
    table: 'pa"rent',
    fast: true,
    fastNode: true,
  },
  'parent with rows, children empty, defer_foreign_keys on': {
    setup: `${PARENT}\n${CHILD}\nDELETE FROM child;`,
    begin: 'PRAGMA defer_foreign_keys = ON',
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    fastNode: false,
  },
  'child with rows': { setup: `${PARENT}\n${CHILD}`, alter: "ALTER TABLE child ADD COLUMN flag INTEGER NOT NULL DEFAULT 0 CHECK (flag IN (0, 1))", table: 'child', fast: true },
  'a child row whose parent is gone (keys were off when it went in)': {
    setup: `${PARENT}\n${CHILD}\nPRAGMA foreign_keys = OFF; INSERT INTO child (parent_id, note) VALUES (99, 'orphan'); PRAGMA foreign_keys = ON;`,
    alter: 'ALTER TABLE child ADD COLUMN flag INTEGER',
    table: 'child',
    fast: true,
  },
  'duplicate column fails': { setup: PARENT, alter: 'ALTER TABLE parent ADD COLUMN name TEXT', table: 'parent', fast: false },
  'a view fails': { setup: `${PARENT}\nCREATE VIEW v AS SELECT * FROM parent;`, alter: 'ALTER TABLE v ADD COLUMN x TEXT', table: 'v', fast: false },
  'a missing table fails': { setup: PARENT, alter: 'ALTER TABLE nope ADD COLUMN x TEXT', table: 'nope', fast: false },
  'quoted, mixed-case names': { setup: 'CREATE TABLE "My Table" ("Id" INTEGER PRIMARY KEY, "Val" TEXT); INSERT INTO "My Table" ("Val") VALUES (\'v\');', alter: 'ALTER TABLE "my table" ADD COLUMN "New Col" TEXT DEFAULT \'d\'', table: 'my table', fast: true },
  'a column named rowid: handed back': { setup: 'CREATE TABLE r (rowid TEXT, v INT); INSERT INTO r VALUES (\'a\', 1);', alter: 'ALTER TABLE r ADD COLUMN n TEXT', table: 'r', fast: false },
  'expression and partial indexes': {
    setup: `${PARENT}\nCREATE INDEX p_lower ON parent (lower(name)); CREATE UNIQUE INDEX p_part ON parent (name) WHERE id > 1;`,
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    after: "INSERT INTO parent (name) VALUES ('z')",
  },
  // Only a virtual table whose name this table's extends by "_" is looked at (alter.ts reads no other CREATE statement).
  "a virtual table's shadow table (mixed case): handed back": {
    setup: "CREATE VIRTUAL TABLE Docs USING fts5(body); INSERT INTO Docs VALUES ('a');",
    alter: 'ALTER TABLE docs_config ADD COLUMN x TEXT',
    table: 'docs_config',
    fast: false,
  },
  'a table next to a virtual table': {
    setup: `${PARENT}\nCREATE VIRTUAL TABLE docs USING fts5(body); INSERT INTO docs VALUES ('a');`,
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    after: "SELECT count(*) FROM docs WHERE docs MATCH 'a'",
  },
  'a child with a deferred key and rows that point: handed back on node:sqlite': {
    setup: `${PARENT}\n${CHILD.replace('ON DELETE CASCADE', 'ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED')}`,
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    fastNode: false,
    after: "INSERT INTO child (parent_id, note) VALUES (7, 'dangling')",
  },
  'children of every ON DELETE action, then each action after the ADD COLUMN': {
    setup: `${PARENT}
INSERT INTO parent (name) VALUES ('d');
CREATE TABLE c_cascade (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id) ON DELETE CASCADE);
CREATE TABLE c_null (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id) ON DELETE SET NULL);
CREATE TABLE c_default (id INTEGER PRIMARY KEY, p INTEGER DEFAULT 2 REFERENCES parent (id) ON DELETE SET DEFAULT);
CREATE TABLE c_restrict (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id) ON DELETE RESTRICT);
CREATE TABLE c_none (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id));
CREATE TABLE log (msg TEXT);
CREATE TRIGGER c_cascade_gone AFTER DELETE ON c_cascade BEGIN INSERT INTO log VALUES ('gone ' || old.id); END;
INSERT INTO c_cascade (p) VALUES (1), (2); INSERT INTO c_null (p) VALUES (1); INSERT INTO c_default (p) VALUES (1);
INSERT INTO c_restrict (p) VALUES (4); INSERT INTO c_none (p) VALUES (2);`,
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    fastNode: true,
    after: 'DELETE FROM parent WHERE id = 1; DELETE FROM c_none; DELETE FROM parent WHERE id = 2;',
  },
  'RESTRICT still refuses after the ADD COLUMN': {
    setup: `${PARENT}\nCREATE TABLE c_restrict (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent (id) ON DELETE RESTRICT); INSERT INTO c_restrict (p) VALUES (1);`,
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    fastNode: true,
    after: 'DELETE FROM parent WHERE id = 1',
  },
  // Rows held in the scratch database never become SQL text: a -0.0 goes over as it is.
  'a real -0.0 (SQL text cannot say it): handed back, except where the rows are held': {
    setup: `CREATE TABLE v (id INTEGER PRIMARY KEY, a, b TEXT, c REAL, d BLOB, e NUMERIC, f INT);
INSERT INTO v VALUES (3, 5, CAST(X'610062' AS TEXT), 0.1 + 0.2, X'00ff', '12', 4.5), (9, 5.0, 'it''s', 1e308 * 10, NULL, 1.0, '7'), (10, -0.0, '', 4.9e-324, X'', 'x', 9223372036854775807);
DELETE FROM v WHERE id = 9; INSERT INTO v (a, b) VALUES (1.0000000000000002, 'Zoë');`,
    alter: "ALTER TABLE v ADD COLUMN g TEXT NOT NULL DEFAULT 'g'",
    table: 'v',
    fast: false,
    fastNode: false,
    fastHeld: true,
  },
  'values of every type come back as they were (text with a NUL, reals, blobs, integers in an untyped column), rowids with gaps': {
    setup: `CREATE TABLE v (id INTEGER PRIMARY KEY, a, b TEXT, c REAL, d BLOB, e NUMERIC, f INT);
INSERT INTO v VALUES (3, 5, CAST(X'610062' AS TEXT), 0.1 + 0.2, X'00ff', '12', 4.5), (9, 5.0, 'it''s', 1e308 * 10, NULL, 1.0, '7'), (10, -2.5e-300, '', 4.9e-324, X'', 'x', 9223372036854775807);
DELETE FROM v WHERE id = 9; INSERT INTO v (a, b) VALUES (1.0000000000000002, 'Zoë');`,
    alter: "ALTER TABLE v ADD COLUMN g TEXT NOT NULL DEFAULT 'g'",
    table: 'v',
    fast: true,
    fastNode: true,
  },
  'WITHOUT ROWID with a text key holding a NUL': {
    setup: "CREATE TABLE w (k TEXT PRIMARY KEY, v) WITHOUT ROWID; INSERT INTO w VALUES (CAST(X'6100' AS TEXT), 1), ('a', 2.5), (CAST(X'61006200' AS TEXT), X'01');",
    alter: 'ALTER TABLE w ADD COLUMN extra INTEGER DEFAULT 3',
    table: 'w',
    fast: true,
    fastNode: true,
  },
  'more rows than one INSERT of the copy holds': {
    setup: "CREATE TABLE many (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER, t TEXT); WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 450) INSERT INTO many (n, t) SELECT i * 3, 'row ' || i FROM s; DELETE FROM many WHERE id % 7 = 0;",
    alter: 'ALTER TABLE many ADD COLUMN flag INTEGER NOT NULL DEFAULT 0 CHECK (flag IN (0, 1))',
    table: 'many',
    fast: true,
    fastNode: true,
    after: "INSERT INTO many (n) VALUES (-1)",
  },
  'deferred violation pending: the commit still fails': {
    setup: `${PARENT}\n${CHILD.replace('ON DELETE CASCADE', 'DEFERRABLE INITIALLY DEFERRED')}`,
    alter: 'ALTER TABLE parent ADD COLUMN note TEXT',
    table: 'parent',
    fast: true,
    after: 'DELETE FROM parent WHERE id = 1',
  },
};

/** Everything a later statement or report could see. */
function state(db: SqlDb): unknown {
  const schema = db.rows(`SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name`);
  const tables = schema.filter((r) => r[0] === 'table' && !String(r[1]).startsWith('sqlite_')).map((r) => String(r[1]));
  const rows: Record<string, unknown> = {};
  for (const t of tables) {
    const withoutRowid = /WITHOUT ROWID/i.test(String(schema.find((r) => r[1] === t)?.[3]));
    rows[t] = db.rows(`SELECT ${withoutRowid ? '' : 'rowid, '}* FROM "${t.replace(/"/g, '""')}" ORDER BY 1`);
    // Each value's type and bytes too (JavaScript reads 5 and 5.0 alike, and text only up to a NUL).
    const cols = db.rows(`SELECT name FROM pragma_table_xinfo(?1)`, [t]).map((r) => `"${String(r[0]).replace(/"/g, '""')}"`);
    rows[`${t} (types)`] = db.rows(`SELECT ${cols.map((c) => `typeof(${c}) || ':' || hex(${c})`).join(` || ',' || `)} FROM "${t.replace(/"/g, '""')}" ORDER BY ${withoutRowid ? '1' : 'rowid'}`);
  }
  const seq = schema.some((r) => r[1] === 'sqlite_sequence') ? db.rows('SELECT name, seq FROM sqlite_sequence ORDER BY name') : [];
  return { schema, rows, seq, fk: db.rows('PRAGMA foreign_key_check') };
}

/** The scratch database's tables left behind (its AUTOINCREMENT counters' table may stay; nothing else). */
function scratchLeft(db: SqlDb): unknown[] {
  return db.backend === 'wasm' && (db as WasmDb).scratchSchema ? db.rows(`SELECT name FROM "${SCRATCH}".sqlite_schema WHERE name <> 'sqlite_sequence'`) : [];
}

const SCRATCH = 'd1_migrate_scratch';

/** Calls `tried` whenever alter.ts runs the statement on its copy in `db`'s scratch database. */
function countHeld(db: SqlDb, tried: () => void): void {
  const exec = db.tryExec.bind(db);
  db.tryExec = (sql: string) => {
    if (sql.startsWith(`ALTER TABLE "${SCRATCH}".`)) tried();
    return exec(sql);
  };
}

/** The WASM build with the scratch database attached to every connection, as the data check's twin has it. */
function heldBackend(wasm: WasmBackend): Backend {
  const attached = (db: WasmDb) => {
    db.attachScratch(SCRATCH);
    expect(db.scratchSchema).toBe(SCRATCH);
    return db;
  };
  return { name: wasm.name, version: wasm.version, open: () => attached(wasm.open()), openImage: (image) => attached(wasm.openImage(image)) };
}

async function backends(): Promise<[string, Backend][]> {
  const out: [string, Backend][] = [['wasm', await wasmBackend()], ['wasm-held', heldBackend(await wasmBackend())]];
  const node = await nodeBackend();
  if (node) out.push(['node', node]);
  return out;
}

/**
 * Per build: a database a result is first found on, one for SQLite's own ADD COLUMN, one for alter.ts's, and
 * the scratch connection, counting how often alter.ts tries the statement elsewhere (asks for the scratch
 * connection, or runs it on its copy in the scratch database).
 */
async function eachBackend(fn: (c: { label: string; first: SqlDb; real: SqlDb; fast: SqlDb; counted: () => SqlDb; runs: () => number }) => void): Promise<void> {
  for (const [label, backend] of await backends()) {
    const [first, real, fast, scratch] = [backend.open(), backend.open(), backend.open(), backend.open()];
    let runs = 0;
    const counted = () => {
      runs++;
      return scratch;
    };
    for (const db of [first, fast]) countHeld(db, () => runs++);
    try {
      fn({ label, first, real, fast, counted, runs: () => runs });
    } finally {
      for (const db of [first, real, fast, scratch]) db.close();
    }
  }
}

describe('ADD COLUMN without a schema reload', () => {
  test.each(Object.keys(CASES))('%s', async (name) => {
    const c = CASES[name]!;
    for (const [label, backend] of await backends()) {
      const real = backend.open();
      const fast = backend.open();
      const scratch = backend.open();
      try {
        for (const db of [real, fast]) {
          expect(db.tryExec(c.setup)).toBeUndefined();
          expect(db.tryExec('BEGIN')).toBeUndefined();
          if (c.begin) expect(db.tryExec(c.begin)).toBeUndefined();
        }
        const realError = real.tryExec(c.alter);
        // node:sqlite cannot pause foreign keys: it takes the fast path only where no key is involved.
        const used = addColumn(fast, () => scratch, { table: c.table, sql: c.alter });
        const fastError = used ? undefined : fast.tryExec(c.alter);
        expect({ label, error: fastError }).toEqual({ label, error: realError });
        if (label === 'wasm') expect({ label, used }).toEqual({ label, used: c.fast });
        if (label === 'wasm-held') expect({ label, used }).toEqual({ label, used: c.fastHeld ?? c.fast });
        if (label === 'node' && c.fastNode !== undefined) expect({ label, used }).toEqual({ label, used: c.fastNode });
        expect(scratchLeft(fast)).toEqual([]);
        expect(state(fast)).toEqual(state(real));
        const afterReal = c.after ? real.tryExec(c.after) : undefined;
        const afterFast = c.after ? fast.tryExec(c.after) : undefined;
        expect(afterFast).toEqual(afterReal);
        expect(state(fast)).toEqual(state(real));
        expect(fast.tryExec('COMMIT')).toEqual(real.tryExec('COMMIT'));
        expect(state(fast)).toEqual(state(real));
      } finally {
        real.close();
        fast.close();
        scratch.close();
      }
    }
  });

  // The data check's copy (rows) runs a file before the replay (no rows): the replay's empty table takes the
  // copy's result without a scratch run, and must end exactly as SQLite's own ADD COLUMN leaves it.
  test.each([
    ['NOT NULL with a default', 'ALTER TABLE parent ADD COLUMN n INTEGER NOT NULL DEFAULT 7'],
    ['CHECK over another column', "ALTER TABLE parent ADD COLUMN n TEXT DEFAULT 'a' CHECK (n <= name)"],
    ['REFERENCES defaulting to NULL', 'ALTER TABLE parent ADD COLUMN other INTEGER REFERENCES parent(id)'],
  ])('a result found on rows is reused on the empty table: %s', async (_name, alter) => {
    const definition = 'CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE); CREATE INDEX parent_name ON parent (name);';
    await eachBackend(({ label, first, real, fast, counted, runs }) => {
      expect(first.tryExec(`${definition} INSERT INTO parent (name) VALUES ('a'), ('b');`)).toBeUndefined();
      expect({ label, used: addColumn(first, counted, { table: 'parent', sql: alter }) }).toEqual({ label, used: true });
      expect(runs()).toBe(1);
      for (const db of [real, fast]) expect(db.tryExec(definition)).toBeUndefined();
      expect(real.tryExec(alter)).toBeUndefined();
      expect({ label, used: addColumn(fast, counted, { table: 'parent', sql: alter }) }).toEqual({ label, used: true });
      expect({ label, scratchRuns: runs() }).toEqual({ label, scratchRuns: 1 });
      expect(state(fast)).toEqual(state(real));
    });
  });

  // The twin (synthetic rows) runs a file before the replay (its own rows): where rows are known to hold their
  // table's constraints, a verdict found on some rows stands for any rows — unless the column brings a CHECK or
  // is generated, whose value depends on the row.
  describe('a result found on rows, reused on other rows', () => {
    const definition = "CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL CHECK (name <> 'bad'), n0 INTEGER);";
    const good = `${definition} INSERT INTO parent (name, n0) VALUES ('a', 1), ('b', 2);`;
    const other = `${definition} INSERT INTO parent (name, n0) VALUES ('c', 9);`;
    const hostile = `${definition} INSERT INTO parent (name) VALUES ('c'); PRAGMA ignore_check_constraints = ON; INSERT INTO parent (name) VALUES ('bad'); PRAGMA ignore_check_constraints = OFF;`;

    async function twice(statement: string, second: string, holds: boolean): Promise<{ scratchRuns: number; label: string }[]> {
      const out: { scratchRuns: number; label: string }[] = [];
      await eachBackend(({ label, first, real, fast, counted, runs }) => {
        // alter.ts remembers results for the process: each build gets its own statement text.
        const alter = `/* ${label} */ ${statement}`;
        expect(first.tryExec(good)).toBeUndefined();
        expect({ label, used: addColumn(first, counted, { table: 'parent', sql: alter }, { rowsHoldConstraints: true }) }).toEqual({ label, used: true });
        for (const db of [real, fast]) expect(db.tryExec(second)).toBeUndefined();
        const realError = real.tryExec(alter);
        const used = addColumn(fast, counted, { table: 'parent', sql: alter }, { rowsHoldConstraints: holds });
        expect({ label, error: used ? undefined : fast.tryExec(alter) }).toEqual({ label, error: realError });
        expect(state(fast)).toEqual(state(real));
        out.push({ label, scratchRuns: runs() });
      });
      return out;
    }

    test('a plain column on rows that hold the constraints: no second scratch run, same result', async () => {
      for (const r of await twice('ALTER TABLE parent ADD COLUMN n INTEGER NOT NULL DEFAULT 7', other, true)) expect(r).toEqual({ label: r.label, scratchRuns: 1 });
    });

    test('a column with its own CHECK is tried on the rows again', async () => {
      for (const r of await twice('ALTER TABLE parent ADD COLUMN n2 INTEGER DEFAULT 1 CHECK (n2 <= n0)', other, true)) expect(r).toEqual({ label: r.label, scratchRuns: 2 });
    });

    test('rows written with CHECKs off: tried again, and fail as SQLite fails', async () => {
      expect(rowsHoldConstraints([{ sql: hostile }])).toBe(false);
      for (const r of await twice('ALTER TABLE parent ADD COLUMN n3 INTEGER NOT NULL DEFAULT 7', hostile, rowsHoldConstraints([{ sql: hostile }]))) {
        expect(r).toEqual({ label: r.label, scratchRuns: 2 });
      }
    });

    test.each([
      ['PRAGMA ignore_check_constraints = 1;', false],
      ['-- pragma IGNORE_CHECK_CONSTRAINTS in a comment counts too\nSELECT 1;', false],
      ['PRAGMA writable_schema = ON;', false],
      ['CREATE TABLE t (checks TEXT); INSERT INTO t VALUES (1);', true],
    ])('rowsHoldConstraints(%j) = %s', (sql, expected) => {
      expect(rowsHoldConstraints([{ sql: 'CREATE TABLE a (x);' }, { sql }])).toBe(expected);
    });
  });

  // With a scratch database attached (the twin), a table with rows is copied there and the statement runs on
  // the copy, qualified; a head it cannot requalify exactly (a comment in it) takes the scratch connection.
  test.each([
    ['ALTER TABLE parent ADD COLUMN note TEXT', 'held', true],
    ['ALTER TABLE main.parent ADD note TEXT', 'held', true],
    ['alter table "PARENT" add column "a b" TEXT DEFAULT \'x\';', 'held', true],
    ['ALTER TABLE [parent]\n\tADD COLUMN\n  note TEXT\n', 'held', true],
    // SQLite copies the comment into the CREATE statement, which then does not parse: the same error both ways.
    ['ALTER TABLE [parent] ADD COLUMN note TEXT -- trailing comment', 'held', false],
    ['ALTER TABLE `parent` ADD COLUMN n INTEGER NOT NULL DEFAULT 3 CHECK (n > 0)', 'held', true],
    ['ALTER TABLE parent ADD COLUMN n INTEGER NOT NULL DEFAULT 0 CHECK (n > 0)', 'held', false],
    ['ALTER TABLE parent /* a comment */ ADD COLUMN note TEXT', 'scratch connection', true],
    ["ALTER TABLE 'parent' ADD COLUMN note TEXT", 'scratch connection', true],
    // The copy's statement runs on the connection's own database: a `;` inside it never goes there.
    ["ALTER TABLE parent ADD COLUMN note TEXT DEFAULT ';'", 'scratch connection', true],
    ['ALTER TABLE parent ADD COLUMN note TEXT;  \n', 'held', true],
  ])('held rows: %j takes the %s (used: %s)', async (alter, path, works) => {
    const wasm = await wasmBackend();
    const [real, fast, scratch] = [wasm.open(), heldBackend(wasm).open() as WasmDb, wasm.open()];
    let connection = 0;
    let held = 0;
    countHeld(fast, () => held++);
    try {
      for (const db of [real, fast]) expect(db.tryExec(`${PARENT}\nCREATE INDEX parent_name ON parent (name); BEGIN;`)).toBeUndefined();
      const realError = real.tryExec(alter);
      const used = addColumn(fast, () => (connection++, scratch), { table: 'parent', sql: alter });
      expect({ used, held, connection }).toEqual({ used: works, held: path === 'held' ? 1 : 0, connection: path === 'held' ? 0 : 1 });
      expect(used ? undefined : fast.tryExec(alter)).toEqual(realError);
      expect(realError === undefined).toBe(works);
      expect(scratchLeft(fast)).toEqual([]);
      expect(state(fast)).toEqual(state(real));
      // Unqualified names still find the main database's objects (its AUTOINCREMENT counters included).
      const after = "INSERT INTO parent (name) VALUES ('z'); UPDATE sqlite_sequence SET seq = seq + 10 WHERE name = 'parent'; INSERT INTO parent (name) VALUES ('y');";
      expect(fast.tryExec(after)).toEqual(real.tryExec(after));
      expect(fast.tryExec('COMMIT')).toEqual(real.tryExec('COMMIT'));
      expect(state(fast)).toEqual(state(real));
    } finally {
      for (const db of [real, fast, scratch]) db.close();
    }
  });

  // Should a caller ever pass more than one statement, the second must not run on the connection's own database.
  test('held rows: a second statement after the ADD COLUMN never runs on the database', async () => {
    const wasm = await wasmBackend();
    const [fast, scratch] = [heldBackend(wasm).open(), wasm.open()];
    let held = 0;
    countHeld(fast, () => held++);
    try {
      expect(fast.tryExec(`${PARENT}\nCREATE TABLE other (x); INSERT INTO other VALUES (1); BEGIN;`)).toBeUndefined();
      addColumn(fast, () => scratch, { table: 'parent', sql: 'ALTER TABLE parent ADD COLUMN note TEXT; DROP TABLE other' });
      expect(held).toBe(0);
      expect(fast.rows(`SELECT x FROM other`)).toEqual([[1]]);
    } finally {
      fast.close();
      scratch.close();
    }
  });

  test('a temp object in the way: handed back', async () => {
    const db = (await wasmBackend()).open();
    const scratch = (await wasmBackend()).open();
    try {
      db.tryExec(`${PARENT}\nCREATE TEMP TABLE t (x)`);
      expect(addColumn(db, () => scratch, { table: 'parent', sql: 'ALTER TABLE parent ADD COLUMN n TEXT' })).toBe(false);
      expect(db.rows(`SELECT sql FROM sqlite_schema WHERE name = 'parent'`)[0]![0]).not.toMatch(/\bn TEXT/);
    } finally {
      db.close();
      scratch.close();
    }
  });
});
