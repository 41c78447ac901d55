/**
 * SQL text of preflight probes. Probes embed fragments of migration files (a copy's SELECT, a CHECK, a
 * WHERE), which are hostile input: they are re-emitted token by token, never pasted, so that
 *  - identifiers come out double-quoted with `"` doubled (brackets and backticks included);
 *  - nothing in them can change how wrangler's own statement splitter (packages/wrangler/src/d1/splitter.ts,
 *    used by `d1 execute --local`) cuts the request: comments are dropped, `$` never appears outside quotes,
 *    and the words CASE and BEGIN are never preceded by whitespace (the splitter takes ` CASE ` / ` BEGIN `
 *    as the start of a compound statement and then swallows every `;` up to an ` END`);
 *  - a parameter or a `;` makes the fragment unusable instead of shifting what is sent.
 * Every probe is also prepared on the live schema and must be a single read-only statement (request.ts).
 */
import type { Token } from '../sql/types.js';
import { tokenize } from '../sql/tokenize.js';
import { q } from '../replay/data/tables.js';

// The token tests, group skipping and identifier quoting the data check already has serve the probes too.
export { isPunct, isWord, skipGroup } from '../replay/data/analyse.js';
export { q };

/** The significant tokens (no comments, no whitespace) of a piece of SQL. */
export function tokensOf(sql: string): Token[] {
  return tokenize(sql).filter((t) => t.kind !== 'comment' && t.kind !== 'space');
}

const NEEDS_GLUE = new Set(['CASE', 'BEGIN']);

/**
 * `tokens` as SQL text that means the same to SQLite and survives wrangler's splitter (see the header), or
 * undefined when it cannot be embedded (a bound parameter, a statement separator).
 */
export function emit(tokens: readonly Token[]): string | undefined {
  let out = '';
  for (const t of tokens) {
    let piece: string;
    switch (t.kind) {
      case 'word':
        if (NEEDS_GLUE.has(t.value)) {
          // Separated by an empty comment, which the splitter drops without leaving whitespace behind.
          out += `/**/${t.text}`;
          continue;
        }
        // SQLite allows `$` inside a bare identifier; the splitter would read `$x$` as a dollar quote.
        piece = t.text.includes('$') ? q(t.text) : t.text;
        break;
      case 'dquoted':
      case 'bracketed':
      case 'backticked':
        piece = q(t.value);
        break;
      case 'string':
        if (!/^'(?:[^']|'')*'$/s.test(t.text)) return undefined;
        piece = t.text;
        break;
      case 'number':
      case 'blob':
        piece = t.text;
        break;
      case 'punct':
        if (t.text === ';') return undefined;
        piece = t.text;
        break;
      default:
        // Bound parameters have no value here; anything else is not SQL SQLite accepted.
        return undefined;
    }
    out += out === '' ? piece : ` ${piece}`;
  }
  return out;
}

/** Splits `tokens` at commas outside parentheses. */
export function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth--;
    if (depth === 0 && t.kind === 'punct' && t.text === ',') {
      parts.push([]);
      continue;
    }
    parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p) => p.length > 0);
}

/** Token kinds that can name a table or column. */
const NAME_KINDS = new Set(['word', 'dquoted', 'bracketed', 'backticked']);

/** The unquoted name a token stands for (words as written), or undefined. */
export function nameOf(t: Token | undefined): string | undefined {
  if (!t || !NAME_KINDS.has(t.kind)) return undefined;
  return t.kind === 'word' ? t.text : t.value;
}

/** Lower-cased identifiers mentioned by `tokens` (a superset of the tables a fragment reads). */
export function namesOf(tokens: readonly Token[]): Set<string> {
  const out = new Set<string>();
  for (const t of tokens) {
    const n = nameOf(t);
    if (n !== undefined) out.add(n.toLowerCase());
  }
  return out;
}

/**
 * wrangler (before sending, local and remote alike in 4.86) deletes the first "BEGIN TRANSACTION;" and
 * "COMMIT;" of the text and refuses text that still holds "BEGIN TRANSACTION": a probe holding either, even
 * inside a string, would not reach D1 as written.
 */
export function alteredByWrangler(sql: string): boolean {
  return sql.includes('BEGIN TRANSACTION') || sql.includes('COMMIT;');
}
