import type { Classified } from './classify.js';
import { parseJsonOutput, type JsonOutput, type QueryResult } from './output.js';
import { d1Args, succeeded, type RunExtra, type WranglerSession } from './session.js';

export type Executed =
  | { ok: true; results: QueryResult[] }
  /** `error` is wrangler's `--json` error document, when it printed one (e.g. to recognise a missing table). */
  | { ok: false; failure: Classified; error?: Extract<JsonOutput, { kind: 'error' }>; stopped: boolean };

/**
 * Runs `statements` in ONE `wrangler d1 execute --json --command` — one D1 request, atomic like every D1
 * request — and returns one result per statement. This is how the run keeps its extra requests few: reads
 * and bookkeeping that belong together travel together (preview's ledger and schema; later, a lock and
 * checksums with them).
 *
 * wrangler splits the text into statements itself; a `CASE ... END` (or `BEGIN ... END`) confuses its
 * splitter, which then returns fewer results. That is checked: when the count is off, each statement is
 * run on its own instead (correct, one request each). Write batched statements without CASE (use iif()).
 */
export async function executeStatements(session: WranglerSession, statements: string[], extra?: RunExtra): Promise<Executed> {
  const result = await session.run(d1Args(session, ['execute'], ['--json', '--command', statements.join(';\n')]), extra);
  const json = parseJsonOutput(result.stdout);
  if (succeeded(result) && json?.kind === 'results') {
    if (json.results.length === statements.length) return { ok: true, results: json.results };
    if (statements.length > 1) {
      const results: QueryResult[] = [];
      for (const statement of statements) {
        const one = await executeStatements(session, [statement], extra);
        if (!one.ok) return one;
        results.push(...one.results);
      }
      return { ok: true, results };
    }
  }
  return {
    ok: false,
    failure: session.classify(result),
    ...(json?.kind === 'error' ? { error: json } : {}),
    stopped: result.timedOut || result.cancelled,
  };
}
