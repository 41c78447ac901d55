import type { MigrationFile } from '../types.js';

export type TokenKind =
  | 'word' // keyword or bare identifier
  | 'string' // 'single-quoted'
  | 'dquoted' // "double-quoted" (identifier, or a string literal when SQLite falls back)
  | 'bracketed' // [identifier]
  | 'backticked' // `identifier`
  | 'number'
  | 'blob' // x'ABCD'
  | 'param' // ?, ?1, :name, @name, $name
  | 'punct' // operators and punctuation, incl. ';' '(' ')' '::'
  | 'comment' // -- line or /* block */
  | 'space';

export interface Token {
  kind: TokenKind;
  /** Exact source text. */
  text: string;
  /** Upper-cased text for words, unquoted/unescaped value for quoted kinds, else text. */
  value: string;
  /** Offset in the file content (UTF-16 code units). */
  start: number;
  end: number;
  /** 1-based line and column of the first character. */
  line: number;
  column: number;
}

/** One SQL statement of a migration file, as SQLite would split it. */
export interface Statement {
  /** Source text from the first significant token to the end (without the terminating ';'). */
  text: string;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  /** Significant tokens (no comments or whitespace), in order. */
  tokens: Token[];
  /** Rule ids suppressed for this statement by `-- d1-migrate-ignore: id[, id]` on the line(s) right before it. */
  suppressed: Set<string>;
}

export interface ParsedMigration {
  file: MigrationFile;
  statements: Statement[];
  /** Comment tokens of the whole file. */
  comments: Token[];
  /** Rule ids suppressed for the whole file by `-- d1-migrate-ignore-file: id[, id]`. */
  fileSuppressed: Set<string>;
  /** True when the file has no statement at all (empty or comments only). */
  empty: boolean;
}
