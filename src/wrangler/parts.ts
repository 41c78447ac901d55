import { executeStatements, type Executed } from './execute.js';
import type { QueryResult } from './output.js';
import type { RunExtra, WranglerSession } from './session.js';

/**
 * Statements that belong together and how to read their results. Parts that travel in the same request are
 * concatenated into ONE `d1 execute` (one D1 request, atomic), so a phase can add its reads and bookkeeping
 * to a request the run makes anyway instead of making its own (preview's ledger and schema, the lock, the
 * checksums). A part's statements must not contain CASE (see executeStatements).
 */
export interface StatementPart<T> {
  statements: string[];
  parse(results: QueryResult[]): T;
}

type Values<P extends readonly StatementPart<unknown>[]> = { [K in keyof P]: P[K] extends StatementPart<infer R> ? R : never };

export type PartsExecuted<P extends readonly StatementPart<unknown>[]> = { ok: true; values: Values<P> } | Extract<Executed, { ok: false }>;

/** Runs every part's statements in one request and hands each part its own results. */
export async function executeParts<P extends readonly StatementPart<unknown>[]>(session: WranglerSession, parts: P, extra?: RunExtra): Promise<PartsExecuted<P>> {
  const executed = await executeStatements(
    session,
    parts.flatMap((p) => p.statements),
    extra,
  );
  if (!executed.ok) return executed;
  let offset = 0;
  const values = parts.map((p) => {
    const mine = executed.results.slice(offset, offset + p.statements.length);
    offset += p.statements.length;
    return p.parse(mine);
  });
  return { ok: true, values: values as Values<P> };
}

/** The text wrangler printed for a failed request, for recognising e.g. a missing table. */
export function failureText(failed: Extract<Executed, { ok: false }>): string {
  return failed.error ? [failed.error.text, ...failed.error.notes].join('\n') : failed.failure.message;
}
