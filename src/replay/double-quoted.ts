/**
 * `double-quoted-string`: SQLite (and D1) read a double-quoted name that is not a column as a string literal.
 * Where that literal is a value the statement writes — a result column of INSERT … SELECT (drizzle's rebuild
 * copy names every column in double quotes) or the right side of UPDATE … SET — it overwrites that column of
 * every row with the name itself, silently: an error. Elsewhere (a WHERE comparison, VALUES) a warning.
 */
import type { FindingInput } from '../finding.js';
import type { MigrationFile } from '../types.js';
import { significant } from './data/analyse.js';
import { writtenValues, type LiteralRows, type WrittenValues } from './data/written-values.js';
import { NeedsWasm, type SqlDb, type Stmt } from './db/types.js';
import { SqlText } from './statements.js';

const RULE = 'double-quoted-string' as const;
/** Literals looked for in one statement (each costs a prepare). */
const MAX_LITERALS = 20;

interface Literal {
  name: string;
  /** UTF-16 index of the opening quote in the statement's text. */
  index: number;
}

/**
 * Every double-quoted name of the statement [start, end) of `text` that SQLite reads as a string: prepared again
 * with the fallback off, each "no such column" is one; it is replaced by a constant of the same length and the
 * statement prepared again for the next.
 */
export function doubleQuotedLiterals(db: SqlDb, text: SqlText, start: number, end: number, sql: string): Literal[] {
  const out: Literal[] = [];
  let work = sql;
  db.withoutDoubleQuotedStrings(() => {
    for (let n = 0; n < MAX_LITERALS; n++) {
      const copy = n === 0 ? undefined : new SqlText(work);
      let r: { stmt?: Stmt; message?: string; errorOffset?: number };
      try {
        r = copy ? db.prepareRange(copy, 0, copy.length) : db.prepareRange(text, start, end);
        r.stmt?.finalize();
      } finally {
        copy?.free();
      }
      const m = r.message && /^no such column: "((?:[^"]|"")*)" - should this be a string literal/.exec(r.message);
      if (!m) break;
      const quoted = `"${m[1]}"`;
      const rel = r.errorOffset === undefined ? -1 : r.errorOffset - (copy ? 0 : start);
      let index = rel < 0 ? -1 : Buffer.from(work, 'utf8').subarray(0, rel).toString('utf8').length;
      if (!work.startsWith(quoted, index)) {
        // Without an offset (node:sqlite gives none) the text places it only when it occurs once.
        if (db.backend !== 'wasm' && work.indexOf(quoted) !== work.lastIndexOf(quoted)) throw new NeedsWasm('a double-quoted string that occurs twice');
        index = work.indexOf(quoted);
      }
      if (index === -1) break;
      out.push({ name: (m[1] ?? '').replace(/""/g, '"'), index });
      work = `${work.slice(0, index)}${'0'.padEnd(quoted.length)}${work.slice(index + quoted.length)}`;
    }
  });
  return out;
}

/** Where a literal sits: the written value it is (or is part of), if any. */
interface Placed extends Literal {
  value?: { column: string | number; whole: boolean };
}

function place(sql: string, literals: Literal[]): { placed: Placed[]; written?: WrittenValues } {
  const tokens = significant(sql);
  const written = literals.length ? writtenValues(tokens) : undefined;
  const placed = literals.map((l) => {
    const k = tokens.findIndex((t) => t.kind === 'dquoted' && t.start === l.index);
    const v = k === -1 ? undefined : written?.values.find((x) => x.from <= k && k < x.to);
    if (!v) return l;
    const whole = v.from === k && (v.to - v.from === 1 || tokens[k + 1]?.value === 'AS');
    return { ...l, value: { column: v.column, whole } };
  });
  return { placed, ...(written && { written }) };
}

const quoteList = (ls: Literal[]) => ls.map((l) => `"${l.name}"`).join(', ');
const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The finding for the literals of one statement (at the first), or undefined when there are none. `rows` gives
 * what the data check saw in the column a whole-value literal was written to.
 */
export function doubleQuotedFinding(
  file: MigrationFile,
  text: SqlText,
  start: number,
  sql: string,
  literals: Literal[],
  rows: (name: string) => LiteralRows | undefined,
): FindingInput & { severity: 'error' | 'warning' } | undefined {
  if (literals.length === 0) return undefined;
  const { placed, written } = place(sql, literals);
  const first = placed.reduce((a, b) => (b.index < a.index ? b : a));
  const at = start + Buffer.byteLength(sql.slice(0, first.index), 'utf8');
  const where = { rule: RULE, file: file.relPath, line: text.lineAt(at), column: text.columnAt(at) };
  const writes = placed.filter((l) => l.value);
  if (!written || writes.length === 0) {
    const [one] = placed;
    const message =
      one && placed.length === 1
        ? `"${one.name}" is not a column here, so SQLite (and D1) silently read it as the text '${one.name}' (double-quoted string fallback): every row gets that string instead of a value. Write ${sqlText(one.name)} in single quotes if a string is meant, or name the right column.`
        : `${quoteList(placed)} are not columns here, so SQLite (and D1) silently read them as the texts ${placed.map((l) => `'${l.name}'`).join(', ')} (double-quoted string fallback). Write them in single quotes if strings are meant, or name the right columns.`;
    return { ...where, severity: 'warning', message };
  }
  const rowsOf = written.kind === 'copy' ? 'every row this INSERT … SELECT copies' : 'every row this UPDATE changes';
  const target = (l: Placed) => {
    const seen = rows(l.name);
    const col = l.value!.column;
    return `${written.table}.${seen && typeof col === 'number' ? seen.column : typeof col === 'number' ? `column ${col + 1}` : col}`;
  };
  const list = writes.map((l) => `"${l.name}" into ${target(l)}`).join(', ');
  const others = placed.filter((l) => !l.value);
  // What the data check saw, grouped by table: "all 2 rows of message hold 'type' in type and 'x' in x".
  const byTable = new Map<string, { rows: number; held: string[] }>();
  for (const l of writes.filter((x) => x.value!.whole)) {
    const r = rows(l.name);
    if (!r || r.rows === 0 || r.matching !== r.rows) continue;
    const t = byTable.get(r.table) ?? { rows: r.rows, held: [] };
    t.held.push(`${sqlText(l.name)} in ${r.column}`);
    byTable.set(r.table, t);
  }
  const seen = [...byTable].map(([table, t]) => `all ${t.rows} row${t.rows === 1 ? '' : 's'} of ${table} hold ${t.held.join(', ')}`);
  const message =
    `${quoteList(writes)} ${writes.length === 1 ? 'is not a column' : 'are not columns'} of the tables this statement reads, so SQLite (and D1) silently read ${writes.length === 1 ? 'it' : 'them'} as text (double-quoted string fallback) and write that text into ${rowsOf}: ${list}.` +
    (others.length ? ` ${quoteList(others)} ${others.length === 1 ? 'is' : 'are'} read as text too.` : '') +
    (seen.length ? ` The data check ran the file on rows: afterwards ${seen.join(', and ')}.` : '') +
    ` This corrupts data without any error: D1 applies the file. Name the column the value comes from, write NULL (or a value) for a column the old table does not have, or ${sqlText(writes[0]?.name ?? '')} in single quotes if that text is meant.`;
  return { ...where, severity: 'error', message };
}
