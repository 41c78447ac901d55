/**
 * sqlite3_complete() (SQLite's complete.c) as one forward pass over UTF-8 bytes: where the statement that
 * starts at `start` ends. Asking sqlite3_complete() about every prefix ending in `;` instead costs a pass
 * per `;`, which is quadratic when no prefix is complete (an unterminated CREATE TRIGGER ... BEGIN followed
 * by many statements: tens of seconds for a few hundred KB).
 *
 * complete.c reads a prefix as complete when its state machine ends in START right after a `;` token, and
 * a prefix that ends inside a string, a quoted name or a block comment is never complete. One pass that
 * stops at the first `;` token leaving the machine in START therefore finds the same end as asking about
 * each prefix in turn; a NUL byte ends the text for SQLite, so it ends the search here.
 */

// complete.c's token types; split.ts walks the same machine over the tokenizer's tokens.
export const TK_SEMI = 0;
const TK_WS = 1;
export const TK_OTHER = 2;
export const TK_EXPLAIN = 3;
export const TK_CREATE = 4;
export const TK_TEMP = 5;
export const TK_TRIGGER = 6;
export const TK_END = 7;
export const START = 1;

// complete.c's trans[][]: states 0 INVALID, 1 START, 2 NORMAL, 3 EXPLAIN, 4 CREATE, 5 TRIGGER, 6 SEMI, 7 END
// (columns: token types SEMI, WS, OTHER, EXPLAIN, CREATE, TEMP, TRIGGER, END).
export const TRANS: readonly (readonly number[])[] = [
  [1, 0, 2, 3, 4, 2, 2, 2],
  [1, 1, 2, 3, 4, 2, 2, 2],
  [1, 2, 2, 2, 2, 2, 2, 2],
  [1, 3, 3, 2, 4, 2, 2, 2],
  [1, 4, 2, 2, 2, 4, 5, 2],
  [6, 5, 5, 5, 5, 5, 5, 5],
  [6, 6, 5, 5, 5, 5, 5, 7],
  [1, 7, 5, 5, 5, 5, 5, 5],
];

/** Bytes looked at by completeEnd since the process started: lets tests check the work is linear. */
export const completeWork = { bytes: 0 };

/** SQLite's IdChar: letters, digits, `_`, `$` and every byte >= 0x80. */
function isIdChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24 || c >= 0x80;
}

function keyword(b: Uint8Array, start: number, length: number): number {
  if (length !== 3 && length !== 4 && length !== 6 && length !== 7 && length !== 9) return TK_OTHER;
  let word = '';
  for (let k = 0; k < length; k++) word += String.fromCharCode(b[start + k]! | 0x20);
  switch (word) {
    case 'create':
      return TK_CREATE;
    case 'trigger':
      return TK_TRIGGER;
    case 'temp':
    case 'temporary':
      return TK_TEMP;
    case 'end':
      return TK_END;
    case 'explain':
      return TK_EXPLAIN;
    default:
      return TK_OTHER;
  }
}

/**
 * Offset just after the `;` that completes the statement starting at `start` (as sqlite3_complete() would
 * judge each prefix), or `b.length` when no prefix is complete. Linear in the bytes it looks at.
 */
export function completeEnd(b: Uint8Array, start: number): number {
  const n = b.length;
  let state = 0;
  let i = start;
  try {
    while (i < n) {
      const c = b[i]!;
      let token: number;
      switch (c) {
        case 0x00:
          return n;
        case 0x3b: // ;
          token = TK_SEMI;
          break;
        case 0x20:
        case 0x0d:
        case 0x09:
        case 0x0a:
        case 0x0c:
          token = TK_WS;
          break;
        case 0x2f: // /* ... */
          if (b[i + 1] !== 0x2a) {
            token = TK_OTHER;
            break;
          }
          i += 2;
          while (i < n && b[i] !== 0 && !(b[i] === 0x2a && b[i + 1] === 0x2f)) i++;
          if (i >= n || b[i] === 0) return n;
          i++;
          token = TK_WS;
          break;
        case 0x2d: // -- to the end of the line
          if (b[i + 1] !== 0x2d) {
            token = TK_OTHER;
            break;
          }
          while (i < n && b[i] !== 0x0a && b[i] !== 0) i++;
          if (i >= n || b[i] === 0) return n;
          token = TK_WS;
          break;
        case 0x5b: // [name]
          i++;
          while (i < n && b[i] !== 0x5d && b[i] !== 0) i++;
          if (i >= n || b[i] === 0) return n;
          token = TK_OTHER;
          break;
        case 0x60: // `name`, "name", 'string'
        case 0x22:
        case 0x27:
          i++;
          while (i < n && b[i] !== c && b[i] !== 0) i++;
          if (i >= n || b[i] === 0) return n;
          token = TK_OTHER;
          break;
        default:
          if (isIdChar(c)) {
            let len = 1;
            while (i + len < n && isIdChar(b[i + len]!)) len++;
            token = keyword(b, i, len);
            i += len - 1;
          } else token = TK_OTHER;
      }
      state = TRANS[state]![token]!;
      i++;
      if (token === TK_SEMI && state === START) return i;
    }
    return n;
  } finally {
    completeWork.bytes += Math.min(i, n) - start;
  }
}
