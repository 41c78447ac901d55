/**
 * The twin's rows as SQL, to put the same data into a real database that ran the same migrations (the tests
 * compare the data check with wrangler this way).
 */
import type { SqlDb } from '../db/types.js';
import type { Filler } from './fill.js';
import { classifyObjects, q } from './tables.js';

/**
 * Every row of the ordinary tables as INSERT OR IGNORE statements, parents before children (rows the real
 * database already has are skipped).
 */
export function dumpRows(db: SqlDb, filler: Filler, virtuals: Set<string>, internal: (lower: string) => boolean): string {
  const rows = db.rows(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' ORDER BY rowid`).map(([name, sql]) => ({ name: String(name), type: 'table', sql: String(sql ?? '') }));
  const tables = [...classifyObjects(rows, virtuals).values()].filter((t) => t.kind === 'table' && !internal(t.name.toLowerCase()));
  const metas = new Map(tables.map((t) => [t.name.toLowerCase(), filler.tableMeta(t.name.toLowerCase(), t.sql, t.name)]));
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (lower: string) => {
    if (seen.has(lower) || !metas.has(lower)) return;
    seen.add(lower);
    for (const fk of metas.get(lower)!.fks) visit(fk.parent.toLowerCase());
    order.push(lower);
  };
  for (const t of metas.keys()) visit(t);
  const out: string[] = [];
  for (const lower of order) {
    const m = metas.get(lower)!;
    if (m.columns.length === 0) continue;
    const cols = m.columns.map((c) => q(c.name)).join(', ');
    const values = m.columns.map((c) => `quote(${q(c.name)})`).join(` || ', ' || `);
    for (const [row] of db.rows(`SELECT 'INSERT OR IGNORE INTO ${q(m.name).replace(/'/g, "''")} (${cols.replace(/'/g, "''")}) VALUES (' || ${values} || ');' FROM ${q(m.name)}`)) {
      out.push(String(row));
    }
  }
  return out.join('\n');
}
