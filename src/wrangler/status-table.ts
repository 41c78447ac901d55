import { stripAnsi } from './output.js';

export type RowStatus = 'applied' | 'failed' | 'pending';

/** One row of the `name │ status` table `wrangler d1 migrations apply` prints after each migration. */
export interface StatusRow {
  name: string;
  status: RowStatus;
}

/** Parses one table line such as `│ 0001_a.sql │ ✅     │`; undefined for anything else. */
export function parseStatusLine(line: string): StatusRow | undefined {
  const m = /^│\s(.+?)\s+│\s*(✅|❌|🕒️?)\s*│\s*$/u.exec(stripAnsi(line).trimEnd());
  if (!m) return undefined;
  const mark = m[2]!;
  return { name: m[1]!, status: mark === '✅' ? 'applied' : mark === '❌' ? 'failed' : 'pending' };
}

/** The last status table in `stdout` (the latest state wrangler reported), as rows in order. */
export function lastStatusTable(stdout: string): StatusRow[] {
  let current: StatusRow[] = [];
  let last: StatusRow[] = [];
  for (const line of stripAnsi(stdout).split(/\r?\n/)) {
    const row = parseStatusLine(line);
    if (row) {
      current.push(row);
    } else if (/^└/.test(line) && current.length) {
      last = current;
      current = [];
    } else if (/^┌/.test(line)) {
      current = [];
    }
  }
  return current.length ? current : last;
}
