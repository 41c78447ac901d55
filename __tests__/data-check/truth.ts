/**
 * Ground truth for the replay's data check (`rows-lost`, `fails-with-data`) from REAL wrangler 4.86 and local
 * D1 (workerd), shared by wrangler-truth.int.test.ts (hand-written cases) and sets-truth.int.test.ts (whole
 * migration sets). Offline: local D1 only.
 *
 * The definition of "rows lost" (the one the engine implements, applied here to what wrangler did):
 * a table T that existed before the migration F and that F does not name as the table of a DELETE, an UPDATE
 * or an upsert (INSERT … ON CONFLICT … DO UPDATE) loses rows when
 *   (a) F neither drops T nor renames it away: some row of T (by rowid, or primary key for WITHOUT ROWID)
 *       vanished, or changed in a column that exists both before and after; or
 *   (b) F drops T or renames it away AND copies its rows (an INSERT … SELECT reading T, or reading the table
 *       T was renamed to), and a table named T exists again at the end with FEWER rows than T had before.
 * Dropped / renamed away and not re-created, or dropped and re-created without a copy: intentional, not lost.
 * ALTER TABLE T ADD/DROP/RENAME COLUMN alone does not exclude T.
 *
 * Virtual tables and their shadow tables are left out: the data check does not fill them (it says so in a
 * note), and their internal rows are not the data a migration is judged by.
 *
 * This module parses F with its own small tokenizer, not the engine's analysis, so the two stay independent.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SchemaObject } from '../../src/types.js';
import { wranglerApplyLocal, wranglerFiles } from '../support/wrangler-local.js';

export { wranglerFiles };

const WRANGLER = join(resolve(process.cwd()), 'node_modules', 'wrangler', 'bin', 'wrangler.js');

export type Row = Record<string, unknown>;
export interface ExecResult {
  results: Row[];
  success: boolean;
}

/** A wrangler project on disk: where, and how to address its database. */
export interface TruthProject {
  dir: string;
  binding: string;
  env?: string;
  /** Relative to dir, where new migration files go. */
  migrationsDir: string;
  migrationsTable?: string;
}

/**
 * `wrangler d1 execute <binding> --local --json --file <sql>` (4.86) in the project; one result per
 * statement. Rejects (with wrangler's output) unless it exits 0.
 */
export function wranglerExecLocal(p: TruthProject, sql: string): Promise<ExecResult[]> {
  const file = join(p.dir, `.exec-${Date.now()}-${Math.random().toString(36).slice(2)}.sql`);
  writeFileSync(file, sql);
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [WRANGLER, 'd1', 'execute', p.binding, '--local', '--json', '--file', file, ...(p.env ? ['--env', p.env] : [])],
      {
        cwd: p.dir,
        timeout: 120_000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG_PATH: join(p.dir, '.wrangler-logs'), NO_COLOR: '1', FORCE_COLOR: '0' },
      },
      (error, stdout, stderr) => {
        rmSync(file, { force: true });
        const shown = sql.length > 4000 ? `${sql.slice(0, 4000)}\n… (${sql.length} chars)` : sql;
        if (error) return reject(new Error(`wrangler d1 execute failed (${String(error.code)}):\n${stdout}\n${stderr}\nSQL:\n${shown}`));
        try {
          resolvePromise(JSON.parse(stdout) as ExecResult[]);
        } catch {
          reject(new Error(`wrangler d1 execute printed no JSON:\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}

// ---- tables ---------------------------------------------------------------------------------------------

export interface TableInfo {
  name: string;
  sql: string;
  withoutRowid: boolean;
}

export interface Tables {
  /** Every table (virtual and shadow tables included), sorted by name: compared with sqlite_master. */
  all: string[];
  /** The ordinary tables, which are snapshotted. */
  ordinary: TableInfo[];
}

/** The tables of a schema (as the replay reads it), split into all / ordinary. */
export function tablesOf(schema: SchemaObject[]): Tables {
  const tables = schema.filter((o) => o.type === 'table');
  const virtuals = tables.filter((t) => /^\s*CREATE\s+VIRTUAL\s/i.test(t.sql ?? '')).map((t) => t.name.toLowerCase());
  const ordinary = tables
    .filter((t) => !/^\s*CREATE\s+VIRTUAL\s/i.test(t.sql ?? ''))
    .filter((t) => !virtuals.some((v) => t.name.toLowerCase().startsWith(`${v}_`)))
    .map((t) => ({ name: t.name, sql: t.sql ?? '', withoutRowid: /\bWITHOUT\s+ROWID\b[\s,A-Za-z]*$/i.test(t.sql ?? '') }))
    .sort((a, b) => cmp(a.name, b.name));
  return { all: tables.map((t) => t.name).sort(cmp), ordinary };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const qi = (name: string) => `"${name.replace(/"/g, '""')}"`;
const ql = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Lists the tables real D1 holds (one statement). */
export function listTablesSql(migrationsTable = 'd1_migrations'): string {
  return `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name <> ${ql(migrationsTable)} COLLATE NOCASE ORDER BY name;`;
}

/** Statements reading every row (and, for WITHOUT ROWID tables, the primary key columns): 2 per table. */
export function snapshotSql(tables: TableInfo[]): string {
  return tables
    .map((t) =>
      t.withoutRowid
        ? `SELECT name FROM pragma_table_info(${ql(t.name)}) WHERE pk > 0 ORDER BY pk;\nSELECT * FROM ${qi(t.name)};`
        : `SELECT 1 AS rowid_table;\nSELECT rowid AS "__rowid", * FROM ${qi(t.name)} ORDER BY rowid;`,
    )
    .join('\n');
}

/** A table's rows by identity (rowid, or the primary key's values), lower-cased table names. */
export type Snapshot = Map<string, { name: string; rows: Map<string, Row> }>;

/** Reads the results of snapshotSql() (the last 2 × tables.length results). */
export function parseSnapshot(results: ExecResult[], tables: TableInfo[]): Snapshot {
  const mine = results.slice(results.length - 2 * tables.length);
  const snap: Snapshot = new Map();
  tables.forEach((t, i) => {
    const head = mine[2 * i]!.results;
    const rows = mine[2 * i + 1]!.results;
    const pk = t.withoutRowid ? head.map((r) => String(r.name)) : null;
    const byKey = new Map<string, Row>();
    for (const r of rows) {
      const key = pk ? JSON.stringify(pk.map((c) => r[c])) : String(r.__rowid);
      const values = { ...r };
      delete values.__rowid;
      byKey.set(key, values);
    }
    snap.set(t.name.toLowerCase(), { name: t.name, rows: byKey });
  });
  return snap;
}

// ---- what the migration says it does -------------------------------------------------------------------

interface Tok {
  kind: 'word' | 'name' | 'string' | 'punct' | 'number';
  /** Words upper-cased; quoted names unquoted. */
  value: string;
}

function tokenize(sql: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      let v = '';
      for (; j < sql.length; j++) {
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            v += close;
            j++;
            continue;
          }
          break;
        }
        v += sql[j];
      }
      out.push({ kind: c === "'" ? 'string' : 'name', value: v });
      i = j + 1;
    } else if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let j = i;
      while (j < sql.length && /[\w$\u0080-\uffff]/.test(sql[j]!)) j++;
      out.push({ kind: 'word', value: sql.slice(i, j).toUpperCase() });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i;
      while (j < sql.length && /[\w.]/.test(sql[j]!)) j++;
      out.push({ kind: 'number', value: sql.slice(i, j) });
      i = j;
    } else {
      out.push({ kind: 'punct', value: c });
      i++;
    }
  }
  return out;
}

/** Statements as token lists; a CREATE TRIGGER runs to its END. */
function statements(sql: string): Tok[][] {
  const toks = tokenize(sql);
  const out: Tok[][] = [];
  let cur: Tok[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.kind === 'punct' && t.value === ';') {
      const isTrigger = cur.length > 1 && cur[0]!.value === 'CREATE' && cur.slice(1, 3).some((x) => x.value === 'TRIGGER');
      const endsTrigger = cur.length > 0 && cur[cur.length - 1]!.kind === 'word' && cur[cur.length - 1]!.value === 'END';
      if (isTrigger && !endsTrigger) {
        cur.push(t);
        continue;
      }
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(t);
  }
  if (cur.length) out.push(cur);
  return out;
}

const isName = (t: Tok | undefined) => !!t && (t.kind === 'name' || t.kind === 'word');
const lowerName = (t: Tok) => t.value.toLowerCase();

/** A (schema-qualified) name at k: [lower-cased name, index after]. */
function nameAt(s: Tok[], k: number): [string, number] | undefined {
  if (!isName(s[k])) return undefined;
  if (s[k + 1]?.value === '.' && isName(s[k + 2])) return [lowerName(s[k + 2]!), k + 3];
  return [lowerName(s[k]!), k + 1];
}

export interface MigrationFacts {
  /** Named as the table of a DELETE, an UPDATE or an upsert. */
  rowTargets: Set<string>;
  /** Dropped (DROP TABLE) or renamed away (ALTER TABLE … RENAME TO). */
  removed: Set<string>;
  /** Tables whose rows the migration copies (read by an INSERT … SELECT; through renames). */
  copied: Set<string>;
}

export function migrationFacts(sql: string): MigrationFacts {
  const rowTargets = new Set<string>();
  const removed = new Set<string>();
  const reads = new Set<string>();
  const renames: [string, string][] = [];
  for (const s of statements(sql)) {
    let v = 0;
    if (s[0]?.value === 'WITH') {
      // The verb after the CTEs: the first DML keyword outside parentheses.
      let depth = 0;
      v = s.findIndex((t) => {
        if (t.value === '(') depth++;
        else if (t.value === ')') depth--;
        return depth === 0 && t.kind === 'word' && ['INSERT', 'REPLACE', 'UPDATE', 'DELETE', 'SELECT'].includes(t.value);
      });
      if (v < 0) continue;
    }
    const verb = s[v]!.kind === 'word' ? s[v]!.value : '';
    if (verb === 'DELETE') {
      const n = nameAt(s, s[v + 1]?.value === 'FROM' ? v + 2 : v + 1);
      if (n) rowTargets.add(n[0]);
    } else if (verb === 'UPDATE') {
      const n = nameAt(s, s[v + 1]?.value === 'OR' ? v + 3 : v + 1);
      if (n) rowTargets.add(n[0]);
    } else if (verb === 'INSERT' || verb === 'REPLACE') {
      let k = v + 1;
      if (s[k]?.value === 'OR') k += 2;
      if (s[k]?.value === 'INTO') k++;
      const n = nameAt(s, k);
      if (!n) continue;
      if (s.some((t, j) => t.value === 'DO' && s[j + 1]?.value === 'UPDATE')) rowTargets.add(n[0]);
      if (s.some((t) => t.kind === 'word' && t.value === 'SELECT')) {
        for (const t of [...s.slice(0, v), ...s.slice(n[1])]) if (isName(t) && lowerName(t) !== n[0]) reads.add(lowerName(t));
      }
    } else if (verb === 'DROP' && s[v + 1]?.value === 'TABLE') {
      const n = nameAt(s, s[v + 2]?.value === 'IF' ? v + 4 : v + 2);
      if (n) removed.add(n[0]);
    } else if (verb === 'ALTER' && s[v + 1]?.value === 'TABLE') {
      const n = nameAt(s, v + 2);
      if (n && s[n[1]]?.value === 'RENAME' && s[n[1] + 1]?.value === 'TO') {
        const to = nameAt(s, n[1] + 2);
        if (to) {
          removed.add(n[0]);
          renames.push([n[0], to[0]]);
        }
      }
    }
  }
  // Reading the table T was renamed to (and so on down a chain of renames) copies T's rows.
  const copied = new Set(reads);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [from, to] of renames) {
      if (copied.has(to) && !copied.has(from)) {
        copied.add(from);
        changed = true;
      }
    }
  }
  return { rowTargets, removed, copied };
}

// ---- the comparison ------------------------------------------------------------------------------------

export interface LostVerdict {
  /** Tables that lost rows by the definition, sorted. */
  lost: string[];
  /** Tables whose rows changed or went that the definition excludes (row targets, intentional drops), sorted. */
  excluded: string[];
}

/** Applies the definition to snapshots taken before and after the migration (`after` null: it failed). */
export function lostTables(before: Snapshot, after: Snapshot | null, facts: MigrationFacts): LostVerdict {
  const lost: string[] = [];
  const excluded: string[] = [];
  if (!after) return { lost, excluded };
  for (const [lower, b] of before) {
    const a = after.get(lower);
    // Some row vanished, or changed in a column both sides have (by rowid / primary key).
    const changed = [...b.rows].some(([key, row]) => {
      const now = a?.rows.get(key);
      return !now || Object.keys(row).some((c) => c in now && JSON.stringify(row[c]) !== JSON.stringify(now[c]));
    });
    let loses: boolean;
    if (facts.rowTargets.has(lower)) loses = false;
    // (b) dropped or renamed away: lost only when its rows were copied and the re-created table has fewer.
    else if (facts.removed.has(lower)) loses = facts.copied.has(lower) && !!a && a.rows.size < b.rows.size;
    // (a)
    else loses = changed;
    if (loses) lost.push(b.name);
    else if (changed) excluded.push(b.name);
  }
  return { lost: lost.sort(cmp), excluded: excluded.sort(cmp) };
}

// ---- one migration against real wrangler ----------------------------------------------------------------

export interface Truth {
  lost: string[];
  excluded: string[];
  fails: boolean;
  /** wrangler's output of applying the migration. */
  output: string;
  /** Rows per ordinary table after the seed (lower-cased name → count). */
  seededRows: Map<string, number>;
}

export interface TruthInput {
  /** A project whose migrations directory holds the files before the migration (none applied yet). */
  project: TruthProject;
  /** SQL putting rows into the tables (run with `wrangler d1 execute`, not as a migration). */
  seed: string;
  /** The tables before and after the migration (from the replay's schema; checked against real D1). */
  before: Tables;
  after: Tables;
  migration: { name: string; sql: string };
  /** Also check the migration applies on an empty database when it fails with rows. */
  checkEmpty?: boolean;
}

/** The project after the files before the migration are applied and the seed's rows put in. */
export interface Seeded {
  snapBefore: Snapshot;
  /** Rows per ordinary table after the seed (lower-cased name → count). */
  seededRows: Map<string, number>;
}

const applyIn = (p: TruthProject) => wranglerApplyLocal(p.dir, p.binding, { env: p.env, timeoutMs: 180_000 });

/**
 * 2 wrangler calls: apply the files in the project, then seed + list + snapshot. The project's directory can
 * then be copied (its local D1 state is in it) to run several migrations on the same rows.
 */
export async function seedProject(input: Pick<TruthInput, 'project' | 'seed' | 'before'> & { migrationName: string }): Promise<Seeded> {
  const { project: p, before, migrationName } = input;
  const setup = await applyIn(p);
  if (setup.exitCode !== 0) throw new Error(`applying the files before ${migrationName} failed:\n${setup.stdout}\n${setup.stderr}`);

  const seeded = await wranglerExecLocal(p, `${input.seed}\n${listTablesSql(p.migrationsTable)}\n${snapshotSql(before.ordinary)}`);
  const listed = seeded[seeded.length - 2 * before.ordinary.length - 1]!.results.map((r) => String(r.name));
  expect({ where: `tables before ${migrationName}`, tables: listed }).toEqual({ where: `tables before ${migrationName}`, tables: before.all });
  const snapBefore = parseSnapshot(seeded, before.ordinary);
  return { snapBefore, seededRows: new Map([...snapBefore].map(([t, s]) => [t, s.rows.size])) };
}

/**
 * 1 or 2 wrangler calls on a seeded project: add the migration and apply it, then list + snapshot (skipped
 * when it fails: a failing file leaves no trace), and compare by the definition above.
 */
export async function applyToSeeded(p: TruthProject, seeded: Seeded, input: Pick<TruthInput, 'after' | 'migration' | 'checkEmpty'>): Promise<Truth> {
  const { after, migration } = input;
  mkdirSync(join(p.dir, p.migrationsDir), { recursive: true });
  writeFileSync(join(p.dir, p.migrationsDir, migration.name), migration.sql);
  const run = await applyIn(p);
  const output = `${run.stdout}\n${run.stderr}`;
  const fails = run.exitCode !== 0;
  if (fails && run.failedMigration !== migration.name) throw new Error(`wrangler failed elsewhere than ${migration.name}:\n${output}`);

  let snapAfter: Snapshot | null = null;
  if (!fails) {
    const res = await wranglerExecLocal(p, `${listTablesSql(p.migrationsTable)}\n${snapshotSql(after.ordinary)}`);
    const listedAfter = res[0]!.results.map((r) => String(r.name));
    expect({ where: `tables after ${migration.name}`, tables: listedAfter }).toEqual({ where: `tables after ${migration.name}`, tables: after.all });
    snapAfter = parseSnapshot(res, after.ordinary);
  } else if (input.checkEmpty) {
    // The premise of fails-with-data: the same files apply on an empty database.
    rmSync(join(p.dir, '.wrangler'), { recursive: true, force: true });
    const empty = await applyIn(p);
    if (empty.exitCode !== 0) throw new Error(`${migration.name} fails on an empty database too:\n${empty.stdout}\n${empty.stderr}`);
  }
  const verdict = lostTables(seeded.snapBefore, snapAfter, migrationFacts(migration.sql));
  return { ...verdict, fails, output, seededRows: seeded.seededRows };
}

/** Both steps on one project: 4 wrangler calls (5 when the migration fails and checkEmpty is set). */
export async function groundTruth(input: TruthInput): Promise<Truth> {
  const seeded = await seedProject({ ...input, migrationName: input.migration.name });
  return applyToSeeded(input.project, seeded, input);
}

/**
 * The SQLite message a fails-with-data finding quotes: "Fails once the tables hold rows: <msg> at `…`", or
 * with boundary values "Fails once a row holds NULL in t.c, which t allows today: <msg> at `…`".
 */
export function quotedError(message: string): string | undefined {
  return /^Fails once (?:the tables hold rows|(?:a row holds|rows hold) .*?allows? today): (.*?)(?: at `| when the file ends\.)/s.exec(message)?.[1];
}

/** A fails-with-data that needs boundary values in the rows (data/boundary.ts), not just any rows. */
export function isBoundaryFailure(message: string): boolean {
  return /^Fails once (?:a row holds|rows hold) /.test(message);
}

