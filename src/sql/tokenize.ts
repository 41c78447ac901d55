import type { Token, TokenKind } from './types.js';

/**
 * A SQLite tokenizer modelled on SQLite's tokenize.c (sqlite3GetToken). It never fails: text SQLite would
 * call TK_ILLEGAL becomes a `punct` token, so rules and the splitter always see the whole file.
 *
 * Deliberate differences from SQLite, for linting: `::` is one punct token (so PostgreSQL casts are easy to
 * spot) and a UTF-8 BOM is whitespace (SQLite would read it as identifier characters; the replay engine
 * deals with that).
 */
export interface TokenizeOptions {
  /** Also return whitespace tokens (default false: callers rarely need them and they cost allocations). */
  spaces?: boolean;
}

// Character classes, indexed by char code < 128; everything >= 128 is an identifier character as in SQLite.
const ID_START = new Uint8Array(128);
const ID_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  const digit = c >= 48 && c <= 57;
  ID_START[c] = alpha ? 1 : 0;
  // SQLite's IdChar() also accepts '$' after the first character.
  ID_CHAR[c] = alpha || digit || c === 36 ? 1 : 0;
}

function isIdChar(c: number): boolean {
  return c >= 128 ? c !== 0xfeff : ID_CHAR[c] === 1;
}
function isIdStart(c: number): boolean {
  return c >= 128 ? c !== 0xfeff : ID_START[c] === 1;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isSpace(c: number): boolean {
  // SQLite's whitespace set (space, \t, \n, \f, \r) plus the BOM; \v is not whitespace in SQLite.
  return c === 32 || c === 9 || c === 10 || c === 12 || c === 13 || c === 0xfeff;
}

/** Unescape a quoted token: strip the delimiters and collapse doubled closing delimiters. */
function unquote(text: string, close: string, terminated: boolean): string {
  const inner = text.slice(1, terminated ? -1 : undefined);
  if (close === ']') return inner;
  return inner.indexOf(close) === -1 ? inner : inner.split(close + close).join(close);
}

/**
 * The same words (keywords, column and table names) occur over and over in a set of migrations: sharing one
 * text and one upper-cased value string per distinct word keeps far fewer strings alive. Bounded, so a
 * long-lived process does not keep every word it ever saw.
 */
const WORD_CACHE_LIMIT = 20_000;
const wordCache = new Map<string, { text: string; value: string }>();

function sharedWord(text: string): { text: string; value: string } {
  let w = wordCache.get(text);
  if (w === undefined) {
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
    const upper = text.toUpperCase();
    w = { text, value: upper === text ? text : upper };
    wordCache.set(text, w);
  }
  return w;
}

export function tokenize(sql: string, options: TokenizeOptions = {}): Token[] {
  const keepSpaces = options.spaces === true;
  const n = sql.length;
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const push = (kind: TokenKind, start: number, end: number, tokLine: number, tokCol: number, value?: string): void => {
    const text = sql.slice(start, end);
    out.push({ kind, text, value: value ?? text, start, end, line: tokLine, column: tokCol });
  };
  /** Advance line bookkeeping over [from, to) for tokens that may span lines. */
  const countLines = (from: number, to: number): void => {
    for (let k = from; k < to; k++) {
      if (sql.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
  };

  while (i < n) {
    const start = i;
    const tokLine = line;
    const col = i - lineStart + 1;
    const c = sql.charCodeAt(i);

    if (isSpace(c)) {
      while (i < n && isSpace(sql.charCodeAt(i))) {
        if (sql.charCodeAt(i) === 10) {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (keepSpaces) push('space', start, i, tokLine, col);
      continue;
    }

    if (isIdStart(c)) {
      // x'ABCD' blob literal.
      if ((c === 120 || c === 88) && sql.charCodeAt(i + 1) === 39) {
        i += 2;
        while (i < n && sql.charCodeAt(i) !== 39) i++;
        const terminated = i < n;
        if (terminated) i++;
        countLines(start, i);
        push('blob', start, i, tokLine, col, sql.slice(start + 2, terminated ? i - 1 : i));
        continue;
      }
      i++;
      while (i < n && isIdChar(sql.charCodeAt(i))) i++;
      const word = sharedWord(sql.slice(start, i));
      out.push({ kind: 'word', text: word.text, value: word.value, start, end: i, line: tokLine, column: col });
      continue;
    }

    if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      i = scanNumber(sql, i);
      push('number', start, i, tokLine, col);
      continue;
    }

    switch (c) {
      case 39: // '
      case 34: // "
      case 96: {
        // `
        const delim = c;
        i++;
        let terminated = false;
        while (i < n) {
          const d = sql.charCodeAt(i);
          if (d === delim) {
            if (sql.charCodeAt(i + 1) === delim) {
              i += 2;
              continue;
            }
            i++;
            terminated = true;
            break;
          }
          i++;
        }
        countLines(start, i);
        const kind: TokenKind = c === 39 ? 'string' : c === 34 ? 'dquoted' : 'backticked';
        const close = String.fromCharCode(delim);
        push(kind, start, i, tokLine, col, unquote(sql.slice(start, i), close, terminated));
        continue;
      }
      case 91: {
        // [bracketed identifier]: no escapes, ends at the first ']'.
        const close = sql.indexOf(']', i + 1);
        i = close === -1 ? n : close + 1;
        countLines(start, i);
        push('bracketed', start, i, tokLine, col, unquote(sql.slice(start, i), ']', close !== -1));
        continue;
      }
      case 45: // -
        if (sql.charCodeAt(i + 1) === 45) {
          const nl = sql.indexOf('\n', i + 2);
          i = nl === -1 ? n : nl;
          push('comment', start, i, tokLine, col);
          continue;
        }
        if (sql.charCodeAt(i + 1) === 62) {
          i += sql.charCodeAt(i + 2) === 62 ? 3 : 2;
        } else i++;
        push('punct', start, i, tokLine, col);
        continue;
      case 47: // /
        if (sql.charCodeAt(i + 1) === 42) {
          const close = sql.indexOf('*/', i + 2);
          i = close === -1 ? n : close + 2;
          countLines(start, i);
          push('comment', start, i, tokLine, col);
          continue;
        }
        i++;
        push('punct', start, i, tokLine, col);
        continue;
      case 63: // ?NNN
        i++;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
        push('param', start, i, tokLine, col);
        continue;
      case 58: // :
        // `::` is one token here (PostgreSQL cast); `:name` is a parameter like $name and @name.
        i = sql.charCodeAt(i + 1) === 58 ? i + 2 : scanVariable(sql, i);
        push(i - start > 1 && sql.charCodeAt(start + 1) !== 58 ? 'param' : 'punct', start, i, tokLine, col);
        continue;
      case 36: // $
      case 64: // @
      case 35: {
        // #
        i = scanVariable(sql, i);
        push(i - start > 1 ? 'param' : 'punct', start, i, tokLine, col);
        continue;
      }
      default:
        i += punctLength(sql, i, c);
        push('punct', start, i, tokLine, col);
    }
  }
  return out;
}

function scanNumber(sql: string, start: number): number {
  const n = sql.length;
  let i = start;
  const c1 = sql.charCodeAt(i + 1);
  if (sql.charCodeAt(i) === 48 && (c1 === 120 || c1 === 88) && isHex(sql.charCodeAt(i + 2))) {
    i += 2;
    while (i < n && (isHex(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95)) i++;
  } else {
    // Digits may contain '_' separators (SQLite 3.46+).
    while (i < n && (isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95)) i++;
    if (sql.charCodeAt(i) === 46) {
      i++;
      while (i < n && (isDigit(sql.charCodeAt(i)) || sql.charCodeAt(i) === 95)) i++;
    }
    const e = sql.charCodeAt(i);
    if (e === 101 || e === 69) {
      const s = sql.charCodeAt(i + 1);
      if (isDigit(s) || ((s === 43 || s === 45) && isDigit(sql.charCodeAt(i + 2)))) {
        i += 2;
        while (i < n && isDigit(sql.charCodeAt(i))) i++;
      }
    }
  }
  // SQLite folds trailing identifier characters into the (then illegal) number token: `12abc` is one token.
  while (i < n && isIdChar(sql.charCodeAt(i))) i++;
  return i;
}

/** `$name`, `@name`, `:name`, `#name`, including Tcl-style `$a::b` and `$a(x)` as SQLite accepts them. */
function scanVariable(sql: string, start: number): number {
  const n = sql.length;
  let i = start + 1;
  let ids = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isIdChar(c)) {
      ids++;
      i++;
    } else if (c === 40 && ids > 0) {
      while (i < n && !isSpace(sql.charCodeAt(i)) && sql.charCodeAt(i) !== 41) i++;
      if (sql.charCodeAt(i) === 41) i++;
      break;
    } else if (c === 58 && sql.charCodeAt(i + 1) === 58 && ids > 0) {
      i += 2;
    } else break;
  }
  return i;
}

function punctLength(sql: string, i: number, c: number): number {
  const d = sql.charCodeAt(i + 1);
  switch (c) {
    case 61: // = ==
      return d === 61 ? 2 : 1;
    case 60: // < <= <> <<
      return d === 61 || d === 62 || d === 60 ? 2 : 1;
    case 62: // > >= >>
      return d === 61 || d === 62 ? 2 : 1;
    case 33: // != (a lone ! is illegal in SQLite)
      return d === 61 ? 2 : 1;
    case 124: // || |
      return d === 124 ? 2 : 1;
    default: {
      // Keep surrogate pairs together so an illegal emoji stays one token.
      return c >= 0xd800 && c <= 0xdbff && i + 1 < sql.length ? 2 : 1;
    }
  }
}
