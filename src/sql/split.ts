import type { Finding, MigrationFile } from '../types.js';
import { START, TK_CREATE, TK_END, TK_EXPLAIN, TK_OTHER, TK_SEMI, TK_TEMP, TK_TRIGGER, TRANS } from './complete.js';
import { tokenize } from './tokenize.js';
import { parseIgnoreComment } from './suppress.js';
import type { ParsedMigration, Statement, Token } from './types.js';

/*
 * Statement boundaries follow sqlite3_complete() (SQLite's complete.c), which is also what workerd uses to
 * slice D1 requests (sqlite3_complete_length): a ';' ends a statement unless it is inside the body of a
 * CREATE [TEMP] TRIGGER, whose end is a ';' followed by END and another ';'. CASE ... END needs no special
 * handling: inside a trigger body only an END directly after a ';' counts.
 */

function tokenType(tok: Token): number {
  if (tok.kind === 'punct') return tok.text === ';' ? TK_SEMI : TK_OTHER;
  if (tok.kind !== 'word') return TK_OTHER;
  switch (tok.value) {
    case 'CREATE':
      return TK_CREATE;
    case 'TRIGGER':
      return TK_TRIGGER;
    case 'TEMP':
    case 'TEMPORARY':
      return TK_TEMP;
    case 'END':
      return TK_END;
    case 'EXPLAIN':
      return TK_EXPLAIN;
    default:
      return TK_OTHER;
  }
}

function lastLine(tok: Token): number {
  let line = tok.line;
  for (let k = tok.text.indexOf('\n'); k !== -1; k = tok.text.indexOf('\n', k + 1)) line++;
  return line;
}

/** Rule ids named by the `-- d1-migrate-ignore:` comments in the block of comment lines right above `line`. */
function suppressionsAbove(pending: Token[], line: number): Set<string> {
  const ids = new Set<string>();
  let expected = line;
  for (let k = pending.length - 1; k >= 0; k--) {
    const c = pending[k]!;
    // Contiguous: the comment ends on the line above the one we reached (or shares it, `/* x */ DROP ...`).
    if (lastLine(c) < expected - 1) break;
    expected = c.line;
    for (const id of parseIgnoreComment(c.text, 'statement')) ids.add(id);
  }
  return ids;
}

export function parseMigration(file: MigrationFile): ParsedMigration {
  const sql = file.sql;
  const tokens = tokenize(sql);
  const comments: Token[] = [];
  const statements: Statement[] = [];
  const fileSuppressed = new Set<string>();

  let state = START;
  let current: Token[] = [];
  let pending: Token[] = [];
  let suppressed = new Set<string>();

  const finish = (terminator: Token | null): void => {
    const first = current[0]!;
    const last = current[current.length - 1]!;
    statements.push({
      text: sql.slice(first.start, last.end),
      start: first.start,
      end: last.end,
      line: first.line,
      column: first.column,
      endLine: terminator ? terminator.line : lastLine(last),
      tokens: current,
      suppressed,
    });
    current = [];
  };

  for (const tok of tokens) {
    if (tok.kind === 'comment') {
      comments.push(tok);
      pending.push(tok);
      for (const id of parseIgnoreComment(tok.text, 'file')) fileSuppressed.add(id);
      continue;
    }
    state = TRANS[state]![tokenType(tok)]!;
    if (state === START) {
      // Only a ';' leads back to START: the statement (if any) is complete.
      if (current.length > 0) finish(tok);
      pending = [];
      continue;
    }
    if (current.length === 0) {
      suppressed = suppressionsAbove(pending, tok.line);
    }
    pending = [];
    current.push(tok);
  }
  // A last statement without ';' still runs (sqlite3_prepare takes it as it is).
  if (current.length > 0) finish(null);

  return { file, statements, comments, fileSuppressed, empty: statements.length === 0 };
}

/**
 * Drop findings the migrations suppress: by `-- d1-migrate-ignore-file: id` anywhere in the file, or by
 * `-- d1-migrate-ignore: id` right above the statement the finding's line falls in.
 */
export function applySuppressions(findings: Finding[], parsed: ParsedMigration[]): Finding[] {
  const byFile = new Map<string, { p: ParsedMigration; lines?: Map<number, Set<string>> }>();
  for (const p of parsed) byFile.set(p.file.relPath, { p });
  return findings.filter((f) => {
    if (f.file === undefined) return true;
    const entry = byFile.get(f.file);
    if (!entry) return true;
    if (entry.p.fileSuppressed.has(f.rule)) return false;
    if (f.line === undefined) return true;
    // Indexed by line once per file: testing each finding against every statement was findings × statements.
    entry.lines ??= suppressedByLine(entry.p);
    return !entry.lines.get(f.line)?.has(f.rule);
  });
}

/** Rule ids suppressed on each line, from the statements that carry suppressions (linear in their lines). */
function suppressedByLine(p: ParsedMigration): Map<number, Set<string>> {
  const lines = new Map<number, Set<string>>();
  for (const s of p.statements) {
    if (s.suppressed.size === 0) continue;
    for (let line = s.line; line <= s.endLine; line++) {
      let ids = lines.get(line);
      if (!ids) lines.set(line, (ids = new Set()));
      for (const id of s.suppressed) ids.add(id);
    }
  }
  return lines;
}
