/**
 * The schema a replay leaves behind, in a stable order and form so that two replays (e.g. base branch vs
 * pull request) can be compared.
 */
import type { SchemaObject } from '../types.js';
import type { OoDb } from './sqlite.js';

const TYPE_ORDER: Record<SchemaObject['type'], number> = { table: 0, index: 1, trigger: 2, view: 3 };

/**
 * User objects of `sqlite_schema`: without SQLite's internal objects, wrangler's migrations table and D1's
 * reserved `_cf_` names. Sorted by table, then the table itself before its indexes and triggers, then name.
 */
export function readSchema(db: OoDb, migrationsTable: string): SchemaObject[] {
  // One row holding the whole schema as JSON: reading thousands of rows column by column through the WASM
  // boundary costs far more than SQLite building the JSON text and JSON.parse reading it.
  const rows = db.selectObjects(
    `SELECT json_group_array(json_array(type, name, tbl_name, sql)) AS objects FROM (
       SELECT type, name, tbl_name, sql FROM sqlite_schema
        WHERE type IN ('table', 'index', 'trigger', 'view')
          AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
          AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'
          AND name <> ?1 COLLATE NOCASE)`,
    [migrationsTable],
  );
  // sqlite_schema's columns are text (sql is NULL for automatic indexes).
  const objects = JSON.parse(String(rows[0]?.objects ?? '[]')) as [SchemaObject['type'], string, string, string | null][];
  return sortSchema(objects.map(([type, name, tableName, sql]) => ({ type, name, tableName, sql })));
}

export function sortSchema(objects: SchemaObject[]): SchemaObject[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...objects].sort(
    (a, b) =>
      cmp(a.tableName.toLowerCase(), b.tableName.toLowerCase()) ||
      TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
      cmp(a.name.toLowerCase(), b.name.toLowerCase()) ||
      cmp(a.name, b.name),
  );
}
