import type { Finding } from '../types.js';
import type { ParsedMigration, Statement, Token } from '../sql/types.js';
import type { StaticRule } from './types.js';
import { scanForSecrets } from './secretlint-sync.js';
import { findingAt, isPunct, isWord, nameOf, readName, verb, verbIndex } from './util.js';

const ID = 'secret-in-migration';
/** Keys and tokens the scanners know are at least this long; skipping shorter literals keeps the scan cheap. */
const MIN_SCAN_LENGTH = 16;

const SECRET_COLUMN = /password|passwd|secret|api_?key|token|private_?key|credential/i;
// Columns whose value is about a secret but is not one (a hash, an expiry, a kind).
const NOT_SECRET_COLUMN = /hash|digest|salt|expires|expiry|_at$|_id$|type|kind|count|length|hint|reset_required|_set$/i;
const HASHED = [/^\$2[abxy]?\$\d\d\$/, /^\$argon2(id|i|d)\$/, /^\$scrypt\$/, /^\$s0\$/, /^\$pbkdf2/, /^pbkdf2_/, /^\$[156]\$/, /^\{(SSHA|SHA|BCRYPT)/i, /^sha(1|256|512)[$:]/i];
const HEX_DIGEST = /^[0-9a-f]{32,}$/i;
// An id that happens to sit in a *_token column (e.g. a user UUID), not a credential.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER = /^(\$\{.*\}|\{\{.*\}\}|<.*>|%.*%|:\w+|\?|\*+|x+|null|none|todo|tbd|changeme_in_env|)$/i;

/** A redacted form safe to print: a few leading characters and the length, never the whole value. */
export function redact(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 3));
  return `${secret.slice(0, shown)}… (${secret.length} chars)`;
}

function looksLikePlainSecret(value: string): boolean {
  const v = value.trim();
  if (v.length < 4 || PLACEHOLDER.test(v)) return false;
  if (HASHED.some((re) => re.test(v)) || HEX_DIGEST.test(v) || UUID.test(v)) return false;
  return true;
}

function isSecretColumn(name: string): boolean {
  return SECRET_COLUMN.test(name) && !NOT_SECRET_COLUMN.test(name);
}

/** Literal assignments to secret-looking columns: INSERT (cols) VALUES (...) and UPDATE ... SET col = '...'. */
function columnSecrets(stmt: Statement): { column: string; tok: Token }[] {
  const t = stmt.tokens;
  const i = verbIndex(stmt);
  const v = verb(stmt);
  const out: { column: string; tok: Token }[] = [];
  if (v === 'UPDATE') {
    for (let k = i + 1; k + 2 < t.length; k++) {
      const col = nameOf(t[k]);
      if (col !== undefined && t[k]!.kind !== 'string' && isPunct(t[k + 1], '=') && t[k + 2]!.kind === 'string' && isSecretColumn(col)) {
        out.push({ column: col, tok: t[k + 2]! });
      }
    }
    return out;
  }
  if (v !== 'INSERT' && v !== 'REPLACE') return out;
  const into = t.findIndex((tok, k) => k > i && isWord(tok, 'INTO'));
  const name = into === -1 ? undefined : readName(t, into + 1);
  if (!name || !isPunct(t[name.next], '(')) return out;
  const columns: string[] = [];
  let k = name.next + 1;
  for (; k < t.length && !isPunct(t[k], ')'); k++) {
    const col = nameOf(t[k]);
    if (col !== undefined) columns.push(col);
  }
  if (!isWord(t[k + 1], 'VALUES')) return out;
  // Walk each VALUES tuple, counting top-level commas to know which column a literal belongs to.
  let depth = 0;
  let index = 0;
  for (k += 2; k < t.length; k++) {
    const tok = t[k]!;
    if (isPunct(tok, '(')) {
      depth++;
      if (depth === 1) index = 0;
    } else if (isPunct(tok, ')')) depth--;
    else if (depth === 1 && isPunct(tok, ',')) index++;
    else if (depth === 1 && tok.kind === 'string' && (isPunct(t[k - 1], '(') || isPunct(t[k - 1], ',')) && (isPunct(t[k + 1], ',') || isPunct(t[k + 1], ')'))) {
      const column = columns[index];
      if (column !== undefined && isSecretColumn(column)) out.push({ column, tok });
    } else if (depth === 0 && tok.kind === 'word' && tok.value !== 'VALUES') break;
  }
  return out;
}

function checkFile(pm: ParsedMigration, out: Finding[]): void {
  const literals: Token[] = [];
  for (const stmt of pm.statements) {
    for (const tok of stmt.tokens) if (tok.kind === 'string' && tok.value.length >= MIN_SCAN_LENGTH) literals.push(tok);
  }
  const reported = new Set<Token>();
  if (literals.length > 0) {
    // One scan per file: literal values joined by newlines, mapped back by offset.
    const starts: number[] = [];
    let content = '';
    for (const lit of literals) {
      starts.push(content.length);
      content += `${lit.value}\n`;
    }
    for (const m of scanForSecrets(content)) {
      let idx = starts.length - 1;
      while (idx > 0 && starts[idx]! > m.start) idx--;
      const lit = literals[idx]!;
      if (reported.has(lit)) continue;
      reported.add(lit);
      const kind = m.ruleId.replace('@secretlint/secretlint-rule-', '');
      const secret = content.slice(m.start, m.end);
      out.push(findingAt(ID, pm, lit, `A string literal contains what looks like a secret (${kind}: ${redact(secret)}). Migrations are committed and kept in the database's history: remove it, rotate the secret, and load it at run time from a Worker secret (\`wrangler secret put\`).`));
    }
  }
  for (const stmt of pm.statements) {
    for (const { column, tok } of columnSecrets(stmt)) {
      if (reported.has(tok) || !looksLikePlainSecret(tok.value)) continue;
      reported.add(tok);
      out.push(findingAt(ID, pm, tok, `Column \`${column}\` is set to a plain-text literal (${redact(tok.value)}). Do not commit credentials in migrations: store a hash (bcrypt/argon2/scrypt) or set the value at run time from a Worker secret, and rotate this one.`));
    }
  }
}

export const secretInMigration: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    for (const pm of ctx.migrations) checkFile(pm, out);
    return out;
  },
};
