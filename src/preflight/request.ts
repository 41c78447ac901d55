/**
 * The probes as the statements of one read-only `d1 execute` (a "request part": statements plus a parser of
 * their results, so other pre-apply reads can travel in the same request). Rows of one relation are counted
 * in one scan: all questions about the same FROM item share a statement.
 *
 * Before anything is sent, every statement is prepared on a replay of the live schema: it must compile, be
 * one statement, and be read-only by SQLite's own verdict (sqlite3_stmt_readonly). A probe that does not
 * compile is dropped (with why); one that is not read-only is a bug in this module and throws.
 */
import { alteredByWrangler, q } from './sql.js';
import type { Probe } from './types.js';
import type { QueryResult } from '../wrangler/output.js';
import { seedSchema } from '../replay/schema.js';
import { openD1Like, prepareOn, schemaDb, type OoDb, type Sqlite3 } from '../replay/sqlite.js';
import { SqlText } from '../replay/statements.js';
import type { SchemaObject } from '../types.js';

/** Questions per statement: one result row, one column each (SQLite's default limit is 2000; D1's may be lower). */
const MAX_COLUMNS = 50;
/**
 * D1 refuses more than 100,000 bytes of SQL in one request (SQLITE_TOOBIG); wrangler passes --command as one
 * argument (128 KiB on Linux). Beyond this the probes go in further requests.
 */
export const MAX_REQUEST_BYTES = 90_000;
const MAX_PARTS = 3;

export interface RequestPart<T> {
  statements: string[];
  parse(results: QueryResult[]): T;
}

/** Probe index → its count, or why there is none. */
export type Answers = Map<number, number | { error: string }>;

/** A request part of probes; it can also give every question the same error, or stand for one statement alone. */
export interface ProbePart extends RequestPart<Answers> {
  unanswered(why: string): Answers;
  only(i: number): ProbePart;
}

export interface PreparedRequest {
  /** Usually one; more only when the probes exceed MAX_REQUEST_BYTES. */
  parts: ProbePart[];
  /** Probes that could not be sent, and why. */
  dropped: Map<number, string>;
}

interface Stmt {
  sql: string;
  ids: number[];
}

export function prepareRequest(sqlite3: Sqlite3, live: readonly SchemaObject[], probes: readonly Probe[]): PreparedRequest {
  const dropped = new Map<number, string>();
  const stmts = statementsOf(probes.map((probe, id) => ({ id, probe })));
  // The target's schema before the pending migrations: what the probes will run on.
  const db = openD1Like(sqlite3);
  seedSchema(schemaDb(sqlite3, db), live);
  try {
    const ok: Stmt[] = [];
    for (const s of stmts) {
      const why = alteredByWrangler(s.sql) ? 'its text holds "BEGIN TRANSACTION" or "COMMIT;", which wrangler would cut out' : checkReadOnly(sqlite3, db, s.sql);
      if (why === undefined) ok.push(s);
      else if (s.ids.length > 1) {
        // One bad question must not silence the others of its scan: try each alone.
        for (const id of s.ids) {
          const one = statementsOf([{ id, probe: probes[id]! }])[0]!;
          const w = alteredByWrangler(one.sql) ? 'wrangler would alter its text' : checkReadOnly(sqlite3, db, one.sql);
          if (w === undefined) ok.push(one);
          else dropped.set(id, w);
        }
      } else for (const id of s.ids) dropped.set(id, why);
    }
    const parts = chunk(ok);
    // More requests than this are not worth a preflight: the rest is reported as not asked.
    for (const extra of parts.splice(MAX_PARTS)) for (const st of extra) for (const id of st.ids) dropped.set(id, `not asked: the questions fill more than ${MAX_PARTS} requests`);
    return { parts: parts.map(part), dropped };
  } finally {
    db.close();
  }
}

/** Scans grouped by FROM item (first-seen order), then the scalar questions. Statement ids are probe indexes. */
function statementsOf(list: readonly { id: number; probe: Probe }[]): Stmt[] {
  const scans = new Map<string, { id: number; predicate: string }[]>();
  const out: Stmt[] = [];
  for (const { id, probe } of list) {
    if (probe.scan) scans.set(probe.scan.from, [...(scans.get(probe.scan.from) ?? []), { id, predicate: probe.scan.predicate }]);
  }
  for (const [from, all] of scans) {
    for (let i = 0; i < all.length; i += MAX_COLUMNS) {
      const some = all.slice(i, i + MAX_COLUMNS);
      const cols = some.map((c) => `coalesce(sum(iif(${c.predicate}, 1, 0)), 0) AS ${q(`q${c.id}`)}`);
      out.push({ sql: `SELECT ${cols.join(', ')} FROM ${from}`, ids: some.map((c) => c.id) });
    }
  }
  for (const { id, probe } of list) {
    if (probe.scalar !== undefined) out.push({ sql: `SELECT (${probe.scalar}) AS ${q(`q${id}`)}`, ids: [id] });
  }
  return out;
}

/** Why `sql` may not be sent: it does not compile on the live schema, or holds more than one statement. Throws when it writes. */
export function checkReadOnly(sqlite3: Sqlite3, db: OoDb, sql: string): string | undefined {
  const text = new SqlText(sql);
  try {
    const p = prepareOn(sqlite3, db, text, 0);
    if (!p.ok) return `it does not compile on the live schema (${p.message})`;
    if (!p.stmt) return 'it is empty';
    try {
      const readonly = sqlite3.capi.sqlite3_stmt_readonly(p.stmt);
      if (!readonly) throw new Error(`preflight bug: a probe is not read-only, refusing to send it: ${sql.slice(0, 200)}`);
    } finally {
      sqlite3.capi.sqlite3_finalize(p.stmt);
    }
    const rest = prepareOn(sqlite3, db, text, p.end);
    if (!rest.ok || rest.stmt) {
      if (rest.ok && rest.stmt) sqlite3.capi.sqlite3_finalize(rest.stmt);
      return 'it is more than one statement';
    }
    return undefined;
  } finally {
    text.free();
  }
}

function chunk(stmts: Stmt[]): Stmt[][] {
  const out: Stmt[][] = [];
  let current: Stmt[] = [];
  let bytes = 0;
  for (const s of stmts) {
    const n = Buffer.byteLength(s.sql, 'utf8') + 2;
    if (current.length && bytes + n > MAX_REQUEST_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(s);
    bytes += n;
  }
  if (current.length) out.push(current);
  return out;
}

function part(stmts: Stmt[]): ProbePart {
  return {
    statements: stmts.map((s) => s.sql),
    unanswered: (why) => new Map(stmts.flatMap((s) => s.ids.map((id): [number, { error: string }] => [id, { error: why }]))),
    only: (i) => part([stmts[i]!]),
    parse(results) {
      const answers: Answers = new Map();
      stmts.forEach((s, i) => {
        const row = results[i]?.results?.[0];
        for (const id of s.ids) {
          const v = row?.[`q${id}`];
          const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
          answers.set(id, Number.isInteger(n) && n >= 0 ? n : { error: `unexpected answer (${v === undefined ? 'none' : typeof v})` });
        }
      });
      return answers;
    },
  };
}
