/**
 * Maps SQLite's error message back to a line of the migration file, so the annotation lands on the failing
 * statement. SQLite does not give offsets over the D1 API; the message names the object (`no such table: x`,
 * `near "x": syntax error`), and the first statement mentioning it is almost always the one that failed.
 */
export function failureLine(sql: string, message: string): number | undefined {
  if (/BEGIN TRANSACTION or SAVEPOINT/.test(message)) {
    return firstMatchLine(sql, /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/im);
  }
  const subject = subjectOf(message);
  if (!subject) return undefined;
  const escaped = subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Identifiers may be quoted in the file ("x", `x`, [x]) and qualified (t.c → c after the dot).
  const re = new RegExp(`(^|[^\\w$])["\`\\[]?${escaped}["\`\\]]?(?![\\w$])`, 'i');
  return firstMatchLine(blankComments(sql), re);
}

function subjectOf(message: string): string | undefined {
  const patterns: RegExp[] = [
    /near "([^"]+)": syntax error/,
    /no such (?:table|column|index|view|trigger|function|module): (?:main\.)?([^\s:]+)/,
    /(?:table|index|view|trigger) "?([^\s"]+)"? already exists/,
    /duplicate column name: ([^\s:]+)/,
    /(?:UNIQUE|NOT NULL|CHECK|PRIMARY KEY) constraint failed: (?:[\w$]+\.)?([^\s:,]+)/,
    /table ([^\s]+) has no column named ([^\s:]+)/,
    /cannot (?:drop|rename|add).*? column[: ]+"?([^\s":]+)/i,
  ];
  for (const re of patterns) {
    const m = re.exec(message);
    if (m) return m[m.length - 1];
  }
  return undefined;
}

function firstMatchLine(text: string, re: RegExp): number | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) if (re.test(lines[i]!)) return i + 1;
  return undefined;
}

/** Comments replaced by spaces (newlines kept), so a name in a comment does not win. */
function blankComments(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
}
