/**
 * ALTER TABLE … ADD COLUMN without SQLite's reload of the whole schema. SQLite implements ADD COLUMN by
 * editing the table's CREATE statement and then parsing every object of the schema again — 5 ms per
 * statement on a schema of a thousand objects in the WASM build, most of a long history's replay. Here:
 *
 * 1. The statement runs on a scratch database that holds only that table and its rows: a connection of its
 *    own, or, where the connection has one attached (the data check's twin), an attached database, which
 *    takes the rows without turning them into SQL text (heldAddColumn). That gives SQLite's own verdict (every
 *    error ADD COLUMN can raise depends on the table alone: its definition, whether it has rows, and
 *    CHECK/NOT NULL/STRICT over those rows) and the CREATE statement SQLite would store.
 * 2. If it fails there, the real statement runs (and fails the same way, with SQLite's message). If it
 *    succeeds, the table is re-created with that CREATE statement — which SQLite parses alone — its rows
 *    copied back under the same rowids, and its indexes and triggers created again in their order, all with
 *    foreign key enforcement paused so that nothing cascades or is checked that ADD COLUMN would not touch.
 *
 * Where that cannot be done exactly (a temp schema, statistics tables, a virtual table's shadow table, a large
 * table, foreign keys that cannot be paused inside the file's transaction) the real statement runs. What
 * differs from a real ADD COLUMN is only where the table's rows sit in sqlite_schema (it moves to the end),
 * which nothing the replay reports depends on; the differential tests run every fixture and corpus set both
 * ways and compare.
 */
import type { SqlDb } from './db/types.js';
import { keyGuard, type ForeignKeySwitch, type KeyGuard } from './alter-keys.js';
import { q } from './data/tables.js';

/** Tables with more rows than this take the real statement (copying them would cost more than the reload). */
const MAX_ROWS = 2000;
const NESTED = 'd1_migrate_add_column';

export interface AddColumnTarget {
  /** The table as the statement names it (unquoted), and its schema qualifier. */
  table: string;
  schema?: string;
  /** The statement's text. */
  sql: string;
}

/** A connection alter.ts works on; `scratchSchema`: see heldAddColumn(). */
export type AlterDb = SqlDb & ForeignKeySwitch & { readonly scratchSchema?: string };

export interface AddColumnOptions {
  /**
   * The statement applied elsewhere on this very definition and cannot fail on rows (the data check's twin
   * follows the replay; in a worker thread it follows ahead of it, see data/twin-worker.ts).
   */
  succeeded?: boolean;
  /**
   * Every row of the database was written with its table's constraints enforced: no file so far turns CHECK
   * constraints off or writes the schema by hand (see rowsHoldConstraints).
   */
  rowsHoldConstraints?: boolean;
}

/**
 * Whether rows written by `files` hold their tables' constraints: none of them mentions
 * `ignore_check_constraints` or `writable_schema` (anywhere, comments included: too cautious is only slower).
 */
export function rowsHoldConstraints(files: readonly { sql: string }[]): boolean {
  return !files.some((f) => /ignore_check_constraints|writable_schema/i.test(f.sql));
}

/**
 * The CREATE statement SQLite stored for a table definition and an ADD COLUMN statement, for a statement that
 * already succeeded once (the data check's twin follows the replay): it depends on nothing else.
 */
const stored = new Map<string, string>();
const STORED_MAX = 512;

/**
 * The same, for a table that had rows: SQLite's verdict on ADD COLUMN reads the rows only in two ways. Some
 * errors are raised "if not empty" (NOT NULL without a default, REFERENCES with a default, a non-constant
 * default, a STORED column): the same for any rows. And, when the table has a CHECK, is STRICT or the column is
 * generated NOT NULL, pragma_quick_check over the rows, which tests every CHECK, NOT NULL and STRICT type of
 * the table. Rows written with those enforced pass all but the new column's own, and the new column holds the
 * same default in every row: so unless the column brings a CHECK or is generated (its value depends on the
 * row), a table with rows gets the verdict any table with rows gets (see rowsOnlyCount).
 */
const storedNonEmpty = new Map<string, string>();

function remember(map: Map<string, string>, key: string, created: string): void {
  if (map.size >= STORED_MAX) map.clear();
  map.set(key, created);
}

/**
 * Whether the verdict with rows depends only on there being rows: the caller vouches that every row was
 * written under its table's constraints (`rowsHoldConstraints`: no file turns CHECKs off or edits the schema
 * by hand), and the statement adds no CHECK and no generated column (any `CHECK`, `AS` or `GENERATED` word in
 * it, even one in a name or a string, counts: too cautious is only slower).
 */
function rowsOnlyCount(opts: { rowsHoldConstraints?: boolean }, sql: string): boolean {
  return opts.rowsHoldConstraints === true && !/\b(CHECK|AS|GENERATED)\b/i.test(sql);
}

/**
 * Applies the ADD COLUMN by hand when that is exact; returns false when the caller must run the statement
 * itself. `scratch` is an empty connection of the same build, kept for reuse.
 */
export function addColumn(db: AlterDb, scratch: () => SqlDb, target: AddColumnTarget, opts: AddColumnOptions = {}): boolean {
  if (target.schema !== undefined && target.schema.toLowerCase() !== 'main') return false;
  // One pass over sqlite_schema (it has no index): the table's objects, and what would make this inexact. A
  // virtual table matters only when this table's name extends its name by "_" (a shadow table): testing the
  // name first spares reading the CREATE statement of every other table (most of the pass on a large schema).
  // Virtual tables are the only tables without a root page: cheaper to test per row than their SQL text.
  const schema = db
    .rows(
      `SELECT type, name, tbl_name, sql, rootpage FROM sqlite_schema
        WHERE tbl_name = ?1 COLLATE NOCASE OR name LIKE 'sqlite\\_s%' ESCAPE '\\' OR (type = 'table' AND rootpage = 0)
        ORDER BY rowid`,
      [target.table],
    )
    .map(([type, name, tbl, sql, root]) => ({ type: String(type), name: String(name), tbl: String(tbl), sql: sql === null ? null : String(sql), virtual: String(type) === 'table' && Number(root) === 0 }));
  const lower = target.table.toLowerCase();
  const table = schema.find((o) => o.type === 'table' && o.name.toLowerCase() === lower);
  if (!table?.sql || table.virtual || /^CREATE\s+VIRTUAL\b/i.test(table.sql) || /^sqlite_/i.test(table.name)) return false;
  // Statistics tables (ANALYZE) keep rows per table; a virtual table's shadow tables are its module's.
  if (schema.some((o) => /^sqlite_stat/i.test(o.name) || (o.virtual && lower.startsWith(`${o.name.toLowerCase()}_`)))) return false;
  const [rowCount, columnList, temp] =
    db.rows(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM main.${q(table.name)} LIMIT ${MAX_ROWS + 1})),
              (SELECT json_group_array(name) FROM pragma_table_xinfo(?1) WHERE hidden = 0),
              (SELECT count(*) FROM sqlite_temp_schema)`,
      [table.name],
    )[0] ?? [];
  const rows = Number(rowCount);
  const columns = JSON.parse(String(columnList)) as string[];
  // Temp objects could shadow the table or hang triggers on it; a column named like the rowid hides it.
  if (Number(temp) !== 0 || rows > MAX_ROWS || columns.some((c) => /^(rowid|_rowid_|oid)$/i.test(c))) return false;
  const guard = keyGuard(db, table.name, table.sql, rows);
  if (!guard) return false;

  // `succeeded`: the statement applied elsewhere on this very definition and cannot fail on rows, so the
  // verdict is known and only the CREATE statement is needed. On an empty table a stored result stands too:
  // every error ADD COLUMN raises is either raised whatever the rows (then nothing was stored) or needs a row,
  // and the CREATE statement is an edit of the definition's text. (The data check's copy runs a file before
  // the replay does, so the replay's empty table takes the copy's result.)
  const key = `${table.sql}\u0000${target.sql}`;
  const known = opts.succeeded === true || rows === 0 ? stored.get(key) : rowsOnlyCount(opts, target.sql) ? storedNonEmpty.get(key) : undefined;
  // A statement known to succeed needs only the CREATE statement, which is an edit of the definition's text:
  // the scratch run leaves the rows out.
  const onRows = rows > 0 && opts.succeeded !== true;
  const withoutRowid = /\bWITHOUT\s+ROWID\b/i.test(table.sql.slice(table.sql.lastIndexOf(')')));
  const keyed = withoutRowid ? columns.map(q) : ['rowid', ...columns.map(q)];
  const dependents = schema.filter((o) => o.tbl.toLowerCase() === lower && o.type !== 'table' && o.sql !== null).map((o) => o.sql!);
  const autoincrement = schema.some((o) => o.name === 'sqlite_sequence');
  const redo = (copy: RowCopy | undefined, created: string) => replace(db, guard, table.name, dependents, copy, created, autoincrement);
  const verdict = (created: string | undefined): created is string => {
    if (created === undefined || !created.startsWith('CREATE TABLE ')) return false;
    remember(stored, key, created);
    if (onRows) remember(storedNonEmpty, key, created);
    return true;
  };

  const held = rows > 0 ? heldStatement(db, table.sql, target.sql) : undefined;
  if (held) return heldAddColumn(db, held, { name: table.name, sql: table.sql, keyed, onRows, known }, verdict, redo);
  const copy = rows > 0 ? rowCopy(db, table.name, keyed) : undefined;
  if (rows > 0 && !copy) return false;
  const created = known ?? scratchAlter(scratch(), { name: table.name, sql: table.sql }, onRows ? copy : undefined, target.sql);
  return verdict(created) && redo(copy, created);
}

/** The re-creation in its own savepoint, rolled back unless it all worked. */
function replace(db: AlterDb, guard: KeyGuard, name: string, dependents: string[], copy: RowCopy | undefined, created: string, autoincrement: boolean): boolean {
  if (db.tryExec(`SAVEPOINT ${NESTED}`) !== undefined) return false;
  let done = false;
  try {
    done = guard.recreate(() => recreate(db, guard, name, dependents, copy, created, autoincrement));
  } finally {
    if (!done) db.tryExec(`ROLLBACK TO ${NESTED}`);
    db.tryExec(`RELEASE ${NESTED}`);
  }
  return done;
}

/**
 * `ALTER TABLE [main.]name ADD [COLUMN] ` with nothing but ASCII whitespace between its words (SQLite's, no
 * comments) and an ASCII or quoted name: group 1 is the name as written, the rest of the statement (from the
 * column's name on) is what SQLite adds to the CREATE statement. Anything else takes the scratch connection.
 */
const ADD_HEAD = /^ALTER[ \t\n\f\r]+TABLE[ \t\n\f\r]+(?:(?:main|"main"|\[main\]|`main`)[ \t\n\f\r]*\.[ \t\n\f\r]*)?("(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`|[A-Za-z_][A-Za-z0-9_$]*)[ \t\n\f\r]+ADD(?:[ \t\n\f\r]+COLUMN)?[ \t\n\f\r]+(?=[^ \t\n\f\r])/i;

interface Held {
  /** The attached scratch schema, quoted; the table's copy there; and the statement to run on that copy. */
  schema: string;
  table: string;
  create: string;
  alter: string;
}

/**
 * Where the connection has an empty attached database of its own (`scratchSchema`: the data check's twin) and
 * can pause foreign keys inside a transaction, ADD COLUMN on a table with rows is tried on a copy of the table
 * there: the rows go over inside SQLite (no literals), and a schema change there makes SQLite re-read only
 * that small schema. The statement is the same from the column's name on, only the table is qualified.
 */
function heldStatement(db: AlterDb, tableSql: string, sql: string): Held | undefined {
  if (db.scratchSchema === undefined || !db.setForeignKeys || !tableSql.startsWith('CREATE TABLE ')) return undefined;
  const head = ADD_HEAD.exec(sql);
  const rest = head ? sql.slice(head[0].length) : '';
  // The statement runs on the connection's own database with sqlite_exec, which would run a second statement
  // too: a `;` anywhere but at the end (even one in a string) takes the scratch connection.
  if (!head || rest.replace(/;[ \t\n\f\r]*$/, '').includes(';')) return undefined;
  const schema = q(db.scratchSchema);
  return {
    schema,
    table: `${schema}.${head[1]!}`,
    create: `CREATE TABLE ${schema}.${tableSql.slice('CREATE TABLE '.length)}`,
    alter: `ALTER TABLE ${schema}.${head[1]!} ADD COLUMN ${rest}`,
  };
}

/**
 * ADD COLUMN through a copy of the table in the scratch schema (see heldStatement): the copy gets the rows
 * (before the statement when the verdict must be taken on them, else after), the statement runs on it unless
 * the CREATE statement is known, and the rows come back from it into the re-created table. Foreign keys are
 * paused while the copy is filled (its parents are not there) and on for the statement where it adds a
 * REFERENCES column, as on the scratch connection.
 */
function heldAddColumn(
  db: AlterDb,
  held: Held,
  t: { name: string; sql: string; keyed: string[]; onRows: boolean; known: string | undefined },
  verdict: (created: string | undefined) => created is string,
  redo: (copy: RowCopy, created: string) => boolean,
): boolean {
  const setKeys = db.setForeignKeys!.bind(db);
  const ok = (sql: string) => db.tryExec(sql) === undefined;
  const columns = t.keyed.join(', ');
  const fill = () => ok(`INSERT INTO ${held.table} (${columns}) SELECT ${columns} FROM main.${q(t.name)}`);
  const keys = /\bREFERENCES\b/i.test(held.alter);
  let created = t.known;
  let ready = false;
  setKeys(false);
  try {
    // The copy must have the table's very definition (SQLite stores it from the name on, whatever the schema).
    ready = ok(held.create) && storedCreate(db, t.name, held.schema) === t.sql && (!t.onRows || fill());
    if (ready && created === undefined) {
      if (keys) setKeys(true);
      ready = ok(held.alter);
      if (keys) setKeys(false);
      created = ready ? storedCreate(db, t.name, held.schema) : undefined;
    }
    if (ready && !t.onRows) ready = fill();
  } finally {
    setKeys(true);
  }
  try {
    return ready && verdict(created) && redo({ statements: [`INSERT INTO main.${q(t.name)} (${columns}) SELECT ${columns} FROM ${held.table}`] }, created);
  } finally {
    // An AUTOINCREMENT copy leaves its counter in the scratch database's sqlite_sequence: nothing reads it, and the
    // next copy of the table sets its rows' rowids itself.
    db.tryExec(`DROP TABLE IF EXISTS ${held.table}`);
  }
}

/** The CREATE statement SQLite stored for table `name` (in `schema`, quoted; main by default). */
function storedCreate(db: SqlDb, name: string, schema = 'main'): string | undefined {
  const sql = db.rows(`SELECT sql FROM ${schema}.sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE`, [name])[0]?.[0];
  return typeof sql === 'string' ? sql : undefined;
}

/** A table's rows as INSERT statements that put each back exactly: same rowid, same values of the same types. */
interface RowCopy {
  statements: string[];
}

/** Rows per INSERT statement of a RowCopy. */
const ROWS_PER_INSERT = 200;

/**
 * The rows of table `name` as INSERT statements: every value as an SQL literal (quote(): integers, reals that
 * read back as the same double, blobs as X'..'), text as its bytes cast back to text (quote() would stop at a
 * NUL), with the rowid unless the table is WITHOUT ROWID. Re-inserted into a table whose columns have the same
 * declared types, each value gets the same type again. Undefined when a row holds a real zero: SQLite writes
 * -0.0 as 0.0 in SQL text. (Literals rather than a temporary table: creating and dropping one costs two
 * passes over the schema, most of an ADD COLUMN on a large schema.)
 */
function rowCopy(db: SqlDb, name: string, keyed: string[]): RowCopy | undefined {
  // One result column per value: SQLite prepares that in under half the time of one concatenated tuple.
  const literal = (c: string) => `CASE typeof(${c}) WHEN 'text' THEN 'CAST(X''' || hex(${c}) || ''' AS TEXT)' ELSE quote(${c}) END`;
  const found = db.rows(`SELECT ${keyed.map(literal).join(', ')} FROM main.${q(name)}`);
  const tuples: string[] = [];
  for (const row of found) {
    const values = row.map(String);
    // quote() writes every real with a decimal point ("0.0", "-0.0", "1.0e+300"); no other literal starts
    // with a digit or a minus sign and holds one.
    if (values.some((v) => /^-?\d/.test(v) && v.includes('.') && Number(v) === 0)) return undefined;
    tuples.push(`(${values.join(', ')})`);
  }
  const statements: string[] = [];
  for (let i = 0; i < tuples.length; i += ROWS_PER_INSERT) {
    statements.push(`INSERT INTO main.${q(name)} (${keyed.join(', ')}) VALUES ${tuples.slice(i, i + ROWS_PER_INSERT).join(', ')}`);
  }
  return { statements };
}

/**
 * The statement on a scratch database holding only the table and `rows` (none: an empty table): the CREATE
 * statement SQLite stores afterwards, or undefined when it fails (the real statement then gives the real error).
 */
function scratchAlter(s: SqlDb, table: { name: string; sql: string }, rows: RowCopy | undefined, sql: string): string | undefined {
  // Foreign keys matter to ADD COLUMN only for a REFERENCES column with a non-NULL default, which is refused
  // while they are enforced; the rows go in without them (their parents are not here).
  const keys = /\bREFERENCES\b/i.test(sql);
  s.tryExec('PRAGMA foreign_keys = OFF');
  try {
    if (s.tryExec(table.sql) !== undefined) return undefined;
    for (const insert of rows?.statements ?? []) if (s.tryExec(insert) !== undefined) return undefined;
    if (keys) s.tryExec('PRAGMA foreign_keys = ON');
    if (s.tryExec(sql) !== undefined) return undefined;
    return storedCreate(s, table.name);
  } finally {
    if (keys) s.tryExec('PRAGMA foreign_keys = OFF');
    s.tryExec(`DROP TABLE IF EXISTS ${q(table.name)}`);
    if (/\bAUTOINCREMENT\b/i.test(table.sql)) s.tryExec(`DELETE FROM sqlite_sequence`);
  }
}

/**
 * Drops the table and creates it again as `created`, with its rows (`copy`: same rowids), its indexes and
 * triggers (`dependents`, in their order) and its AUTOINCREMENT counter.
 */
function recreate(db: SqlDb, guard: KeyGuard, name: string, dependents: string[], copy: RowCopy | undefined, created: string, autoincrement: boolean): boolean {
  const ok = (sql: string) => db.tryExec(sql) === undefined;
  const sequence = autoincrement ? db.rows(`SELECT seq FROM sqlite_sequence WHERE name = ?1`, [name])[0]?.[0] : undefined;
  if (!guard.drop(() => ok(`DROP TABLE main.${q(name)}`)) || !ok(created)) return false;
  for (const insert of copy?.statements ?? []) if (!ok(insert)) return false;
  for (const sql of dependents) if (!ok(sql)) return false;
  if (sequence !== undefined && sequence !== null) {
    // DROP TABLE removed the counter and copying the rows back set it to the highest rowid: put it back.
    db.rows(`DELETE FROM sqlite_sequence WHERE name = ?1`, [name]);
    db.rows(`INSERT INTO sqlite_sequence (name, seq) VALUES (?1, ?2)`, [name, sequence]);
  }
  return true;
}
