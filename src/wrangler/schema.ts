import { STATE_TABLE } from '../ledger-state/table.js';
import type { SchemaObject } from '../types.js';
import type { Classified } from './classify.js';
import { parseJsonOutput, textOf } from './output.js';
import { d1Args, succeeded, type WranglerSession } from './session.js';

/** The tool's own state table (src/ledger-state/table.ts) is nobody's schema: every schema read leaves it out. */
const NOT_TOOL_TABLE = `AND lower(tbl_name) <> '${STATE_TABLE}'`;

export const SCHEMA_QUERY =
  `SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('table','index','trigger','view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ${NOT_TOOL_TABLE} ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'view' THEN 1 WHEN 'index' THEN 2 ELSE 3 END, name`;

/**
 * The same objects without an ORDER BY: this one is sent in one `d1 execute` together with the ledger
 * SELECT, and wrangler's statement splitter reads `CASE ... END` as a block and would not split there
 * (local wrangler then returns the last statement's rows only). Callers sort.
 */
export const SCHEMA_OBJECTS_QUERY = `SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('table','index','trigger','view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ${NOT_TOOL_TABLE}`;

export type SchemaRead = { ok: true; objects: SchemaObject[] } | { ok: false; failure: Classified };

/** The schema of the session's database, read with `d1 execute --json` (test and drift phases). */
export async function readLiveSchema(session: WranglerSession): Promise<SchemaRead> {
  const read = await session.run(d1Args(session, ['execute'], ['--json', '--command', SCHEMA_QUERY]));
  const json = parseJsonOutput(read.stdout);
  if (!succeeded(read) || json?.kind !== 'results') return { ok: false, failure: session.classify(read) };
  return { ok: true, objects: toSchemaObjects(json.results[0]?.results ?? []) };
}

/** Rows of SCHEMA_QUERY as schema objects. */
export function toSchemaObjects(rows: Record<string, unknown>[]): SchemaObject[] {
  return rows.map(
    (r): SchemaObject => ({
      type: r.type as SchemaObject['type'],
      name: String(r.name),
      tableName: String(r.tbl_name),
      sql: r.sql === null || r.sql === undefined ? null : textOf(r.sql),
    }),
  );
}
