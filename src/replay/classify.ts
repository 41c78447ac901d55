/**
 * Reads just enough of a statement that SQLite has already accepted to know what kind it is. Because the
 * statement parsed, a tiny tokenizer over its head is reliable.
 */

interface HeadToken {
  /** As written for bare words; unquoted for quoted identifiers. */
  value: string;
  quoted: boolean;
}

/** The first `max` tokens of a statement, skipping whitespace and comments. */
export function headTokens(sql: string, max: number): HeadToken[] {
  const out: HeadToken[] = [];
  let i = 0;
  while (i < sql.length && out.length < max) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if (c === '"' || c === '`' || c === '[') {
      const closeCh = c === '[' ? ']' : c;
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= sql.length) break;
        if (sql[j] === closeCh) {
          if (closeCh !== ']' && sql[j + 1] === closeCh) {
            value += closeCh;
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j++]!;
      }
      out.push({ value, quoted: true });
      i = j + 1;
    } else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(c)) {
      let j = i;
      while (j < sql.length && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j]!)) j++;
      // Original spelling: the token may be a table name; keywords are compared case-insensitively.
      out.push({ value: sql.slice(i, j), quoted: false });
      i = j;
    } else {
      out.push({ value: c, quoted: false });
      i++;
    }
  }
  return out;
}

function isWord(t: HeadToken | undefined, word: string): boolean {
  return !!t && !t.quoted && t.value.toUpperCase() === word;
}

/** Skips `schema.` in `[schema.]name`; returns the index of the name token. */
function nameIndex(tokens: HeadToken[], i: number): number {
  const dot = tokens[i + 1];
  return dot?.value === '.' && !dot.quoted ? i + 2 : i;
}

export type StatementKind =
  | { kind: 'transaction' }
  | { kind: 'pragma-foreign-keys' }
  | { kind: 'attach' }
  | { kind: 'vacuum' }
  | { kind: 'drop-table'; table: string; schema?: string }
  | { kind: 'rename-table'; from: string; to: string }
  | { kind: 'add-column'; table: string; schema?: string }
  | { kind: 'other' };

/**
 * What the replay needs to know about a statement. Transaction control, `PRAGMA foreign_keys`,
 * ATTACH/DETACH and VACUUM are left to the static rules (and executing them would break the savepoint or,
 * for foreign_keys=OFF, hide what D1 really does).
 */
export function classifyStatement(sql: string): StatementKind {
  const t = headTokens(sql, 9);
  const first = t[0]?.quoted ? '' : (t[0]?.value.toUpperCase() ?? '');
  switch (first) {
    case 'BEGIN':
    case 'COMMIT':
    case 'END':
    case 'ROLLBACK':
    case 'SAVEPOINT':
    case 'RELEASE':
      return { kind: 'transaction' };
    case 'ATTACH':
    case 'DETACH':
      return { kind: 'attach' };
    case 'VACUUM':
      return { kind: 'vacuum' };
    case 'PRAGMA': {
      const n = nameIndex(t, 1);
      if (t[n] && t[n].value.toLowerCase() === 'foreign_keys') return { kind: 'pragma-foreign-keys' };
      return { kind: 'other' };
    }
    case 'DROP': {
      if (!isWord(t[1], 'TABLE')) return { kind: 'other' };
      let i = 2;
      if (isWord(t[2], 'IF') && isWord(t[3], 'EXISTS')) i = 4;
      const n = nameIndex(t, i);
      const name = t[n];
      if (!name) return { kind: 'other' };
      return n === i ? { kind: 'drop-table', table: name.value } : { kind: 'drop-table', table: name.value, schema: t[i]!.value };
    }
    case 'ALTER': {
      if (!isWord(t[1], 'TABLE')) return { kind: 'other' };
      const n = nameIndex(t, 2);
      const from = t[n];
      const to = t[n + 3];
      if (from && isWord(t[n + 1], 'RENAME') && isWord(t[n + 2], 'TO') && to) {
        return { kind: 'rename-table', from: from.value, to: to.value };
      }
      // ADD [COLUMN] name …, not ADD CONSTRAINT / CHECK / PRIMARY KEY …
      const col = isWord(t[n + 2], 'COLUMN') ? n + 3 : n + 2;
      if (t[n] && isWord(t[n + 1], 'ADD') && t[col] && (t[col].quoted || !/^(CONSTRAINT|CHECK|PRIMARY|UNIQUE|FOREIGN)$/i.test(t[col].value))) {
        return n === 2 ? { kind: 'add-column', table: t[n].value } : { kind: 'add-column', table: t[n].value, schema: t[2]!.value };
      }
      return { kind: 'other' };
    }
    default:
      return { kind: 'other' };
  }
}

/** A word of ASCII letters as a number, 5 bits a letter, case-insensitive (9 letters fit in a double exactly). */
function letterKey(word: string): number {
  let key = 0;
  for (let i = 0; i < word.length; i++) key = key * 32 + (word.charCodeAt(i) & 0x1f);
  return key;
}

/** First words for which classifyStatement can answer something other than `other`. */
const CLASSIFIED_VERBS = new Set(
  ['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'ATTACH', 'DETACH', 'VACUUM', 'PRAGMA', 'DROP', 'ALTER'].map(letterKey),
);
const LONGEST_VERB = 9;

/**
 * Whether classifyStatement() of the statement whose UTF-8 text starts at `bytes[start]` (its first token, not
 * whitespace or a comment) can be anything but `other`, read from its first bytes without decoding it: false
 * only when its first word is plain ASCII and not one of the verbs above, or it starts with punctuation or a
 * quote. Anything non-ASCII is left to classifyStatement.
 */
export function mayClassify(bytes: Uint8Array, start: number): boolean {
  let key = 0;
  let lettersOnly = true;
  let i = start;
  for (; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return true;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) key = key * 32 + (c & 0x1f);
    else if ((c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24) lettersOnly = false;
    else break;
  }
  return lettersOnly && i > start && i - start <= LONGEST_VERB && CLASSIFIED_VERBS.has(key);
}
