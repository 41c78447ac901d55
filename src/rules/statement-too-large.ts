import { Buffer } from 'node:buffer';
import type { Finding } from '../types.js';
import type { StaticRule } from './types.js';
import { findingAt } from './util.js';

const ID = 'statement-too-large';
/** SQLITE_LIMIT_SQL_LENGTH as workerd sets it for D1; SQLite fails with SQLITE_TOOBIG when the SQL is longer. */
export const D1_MAX_SQL_BYTES = 100_000;

/** What wrangler appends to each migration before sending it as one request (the bookkeeping row). */
export function bookkeepingSuffix(table: string, name: string): string {
  return `\nINSERT INTO "${table}" (name) values ('${name}');`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

export const statementTooLarge: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    for (const pm of ctx.migrations) {
      const sent = Buffer.byteLength(pm.file.sql, 'utf8') + Buffer.byteLength(bookkeepingSuffix(ctx.target.migrationsTable, pm.file.name), 'utf8');
      if (sent > D1_MAX_SQL_BYTES) {
        out.push(
          findingAt(ID, pm, { line: 1, column: 1 }, `wrangler sends this migration as one request of ${fmt(sent)} bytes (the file plus its bookkeeping INSERT), over D1's limit of ${fmt(D1_MAX_SQL_BYTES)} bytes: real D1 fails it with "statement too long: SQLITE_TOOBIG" (local D1 accepts it). Split it into several migration files of under ${fmt(D1_MAX_SQL_BYTES)} bytes each.`),
        );
      }
      // Cheap pre-check: a statement cannot be longer than the file it is in.
      if (pm.file.sql.length * 3 <= D1_MAX_SQL_BYTES) continue;
      for (const stmt of pm.statements) {
        const bytes = Buffer.byteLength(stmt.text, 'utf8');
        if (bytes <= D1_MAX_SQL_BYTES) continue;
        out.push(
          findingAt(ID, pm, stmt, `This single statement is ${fmt(bytes)} bytes, over D1's limit of ${fmt(D1_MAX_SQL_BYTES)} bytes per request, so splitting the file alone will not help: break it into several smaller statements (e.g. one INSERT per batch of rows).`),
        );
      }
    }
    return out;
  },
};
