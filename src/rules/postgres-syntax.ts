import type { Finding } from '../types.js';
import type { ParsedMigration, Statement, Token } from '../sql/types.js';
import type { StaticRule } from './types.js';
import { columnDefs } from './columns.js';
import { findingAt, isPunct, isWord, readName, verb, verbIndex } from './util.js';

const ID = 'postgres-syntax';

const TYPES: Record<string, string> = {
  SERIAL: 'SQLite accepts it as a type name but does not auto-increment it, so the column stays NULL. Use `INTEGER PRIMARY KEY AUTOINCREMENT` (or `INTEGER PRIMARY KEY`).',
  BIGSERIAL: 'SQLite accepts it as a type name but does not auto-increment it, so the column stays NULL. Use `INTEGER PRIMARY KEY AUTOINCREMENT` (SQLite integers are already 64-bit).',
  SMALLSERIAL: 'SQLite accepts it as a type name but does not auto-increment it, so the column stays NULL. Use `INTEGER PRIMARY KEY AUTOINCREMENT`.',
  JSONB: 'SQLite stores it with NUMERIC affinity and no JSON checking. Use `TEXT` with SQLite\'s JSON functions (`json()`, `->>`, `json_extract()`; `jsonb()` stores the binary form as a BLOB).',
  TIMESTAMPTZ: 'SQLite has no time zone type. Use `TEXT` holding ISO-8601 UTC (`CURRENT_TIMESTAMP`, `datetime()`) or `INTEGER` seconds (`unixepoch()`).',
};

const FUNCTIONS: Record<string, string> = {
  NOW: 'SQLite has no now() function ("no such function: now"; in a DEFAULT it fails only when a row is inserted). Use `CURRENT_TIMESTAMP` (text) or `unixepoch()` (integer seconds).',
  GEN_RANDOM_UUID: 'SQLite has no gen_random_uuid(). Use `lower(hex(randomblob(16)))` for a random id, or generate the UUID in your Worker with `crypto.randomUUID()`.',
  UUID_GENERATE_V4: 'SQLite has no uuid_generate_v4(). Use `lower(hex(randomblob(16)))` for a random id, or generate the UUID in your Worker with `crypto.randomUUID()`.',
};

const CREATE_OBJECTS: Record<string, string> = {
  EXTENSION: 'SQLite has no CREATE EXTENSION; D1 already includes FTS5, JSON and math functions. Remove it.',
  SCHEMA: 'SQLite (and D1) have a single schema. Remove it and create the tables without a schema prefix.',
  TYPE: 'SQLite has no user-defined types. For an enum use a `TEXT` column with `CHECK (col IN (\'a\', \'b\'))`.',
  DOMAIN: 'SQLite has no domains. Use the base type with a `CHECK` constraint on the column.',
  SEQUENCE: 'SQLite has no sequences. Use `INTEGER PRIMARY KEY AUTOINCREMENT`.',
  FUNCTION: 'SQLite has no stored functions. Move the logic into your Worker (or a trigger).',
  PROCEDURE: 'SQLite has no stored procedures. Move the logic into your Worker.',
};

const ADD_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'FOREIGN', 'UNIQUE', 'CHECK']);
const DOLLAR_QUOTE = /^\$[A-Za-z0-9_]*\$/;

function checkStatement(pm: ParsedMigration, stmt: Statement, out: Finding[]): void {
  const seen = new Set<string>();
  const report = (key: string, tok: Token | Statement, construct: string, fix: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(findingAt(ID, pm, tok, `${construct} is PostgreSQL syntax. ${fix}`));
  };
  const t = stmt.tokens;
  const i = verbIndex(stmt);
  const v = verb(stmt);
  const next = t[i + 1];

  switch (v) {
    case 'SET':
      report('SET', stmt, `\`${t.slice(i, i + 2).map((x) => x.text).join(' ')}\``, 'SQLite has no SET statement (there is one schema and no session settings). Remove it.');
      break;
    case 'COMMENT':
      if (isWord(next, 'ON')) report('COMMENT', stmt, '`COMMENT ON`', 'SQLite cannot store comments on objects. Use a SQL comment (`-- ...`) in the migration instead.');
      break;
    case 'DO':
      report('DO', stmt, '`DO` (an anonymous code block)', 'SQLite runs plain SQL statements only. Write the statements out, or move the logic into your Worker.');
      break;
    case 'TRUNCATE':
      report('TRUNCATE', stmt, '`TRUNCATE`', 'SQLite has no TRUNCATE. Use `DELETE FROM table` (SQLite optimises a DELETE without WHERE).');
      break;
    case 'CREATE':
      if (isWord(next, 'OR') && isWord(t[i + 2], 'REPLACE')) {
        report('OR REPLACE', next!, '`CREATE OR REPLACE`', 'SQLite has no CREATE OR REPLACE. Use `DROP VIEW IF EXISTS name;` (or DROP TRIGGER IF EXISTS) followed by `CREATE ...`.');
      } else if (next && next.kind === 'word' && CREATE_OBJECTS[next.value]) {
        report(`CREATE ${next.value}`, next, `\`CREATE ${next.value}\``, CREATE_OBJECTS[next.value]!);
      }
      if (isWord(next, 'INDEX') || (isWord(next, 'UNIQUE') && isWord(t[i + 2], 'INDEX'))) {
        const using = t.findIndex((tok, k) => k > i && isWord(tok, 'USING'));
        if (using !== -1) {
          report('USING', t[using]!, `\`USING ${t[using + 1]?.text ?? ''}\` in CREATE INDEX`, 'SQLite indexes have no access methods: remove `USING ...` (for full-text search use an FTS5 virtual table).');
        }
      }
      break;
    case 'ALTER': {
      if (!isWord(next, 'TABLE')) break;
      const name = readName(t, i + 2);
      if (!name) break;
      const action = t[name.next];
      if (isWord(action, 'ALTER')) {
        report('ALTER COLUMN', action!, '`ALTER TABLE ... ALTER COLUMN`', 'SQLite cannot change a column in place. Rebuild the table: create the new table, copy the rows, drop the old table and rename the new one (https://www.sqlite.org/lang_altertable.html#otheralter).');
      } else if ((isWord(action, 'ADD') || isWord(action, 'DROP')) && t[name.next + 1]?.kind === 'word' && ADD_CONSTRAINT.has(t[name.next + 1]!.value)) {
        report('ADD CONSTRAINT', action!, `\`ALTER TABLE ... ${action!.value} ${t[name.next + 1]!.value}\``, 'SQLite\'s ALTER TABLE cannot add or drop constraints. Use `CREATE UNIQUE INDEX` for uniqueness, or rebuild the table with the constraint in CREATE TABLE.');
      }
      break;
    }
  }

  for (const col of columnDefs(stmt)) {
    const typeTok = col.type[0];
    if (!typeTok) continue;
    const fix = TYPES[typeTok.value];
    if (fix) report(`type ${typeTok.value}`, typeTok, `Column type \`${typeTok.text}\``, fix);
    const after = t[t.indexOf(col.type[col.type.length - 1]!) + 1];
    if (after && after.kind === 'bracketed' && after.value.trim() === '') {
      report('array', after, `Array type \`${typeTok.text}[]\``, 'SQLite has no arrays. Store JSON text in a `TEXT` column (and query it with json_each()), or use a child table.');
    }
  }

  for (let k = 0; k < t.length; k++) {
    const tok = t[k]!;
    if (tok.kind === 'punct' && tok.text === '::') {
      const type = t[k + 1]?.text ?? 'type';
      report('::', tok, `The cast \`::${type}\``, `SQLite rejects it. Use \`CAST(x AS ${type.toUpperCase() === 'TEXT' ? 'TEXT' : type})\`.`);
    } else if (tok.kind === 'word') {
      if (FUNCTIONS[tok.value] && isPunct(t[k + 1], '(')) report(tok.value, tok, `\`${tok.text}()\``, FUNCTIONS[tok.value]!);
      else if (tok.value === 'ILIKE') report('ILIKE', tok, '`ILIKE`', 'SQLite\'s LIKE is already case-insensitive for ASCII letters: use `LIKE` (or `lower(a) LIKE lower(b)` for other letters).');
    } else if (tok.kind === 'param' && DOLLAR_QUOTE.test(tok.text)) {
      report('$$', tok, `Dollar quoting (\`${tok.text}\`)`, 'SQLite quotes strings with single quotes only: write \'text\' and double any quote inside (\'it\'\'s\').');
    }
  }
}

export const postgresSyntax: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    for (const pm of ctx.migrations) for (const stmt of pm.statements) checkStatement(pm, stmt, out);
    return out;
  },
};
