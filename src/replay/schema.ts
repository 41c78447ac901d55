/**
 * The schema a replay leaves behind, in a stable order and form so that two replays (e.g. base branch vs
 * pull request) can be compared.
 */
import { isToolTable } from '../ledger-state/table.js';
import type { SchemaObject } from '../types.js';
import type { SqlDb } from './db/types.js';

const TYPE_ORDER: Record<SchemaObject['type'], number> = { table: 0, index: 1, trigger: 2, view: 3 };

/**
 * User objects of `sqlite_schema`: without SQLite's internal objects, wrangler's migrations table and D1's
 * reserved `_cf_` names. Sorted by table, then the table itself before its indexes and triggers, then name.
 */
export function readSchema(db: Pick<SqlDb, 'objects'>, migrationsTable: string): SchemaObject[] {
  // One row holding the whole schema as JSON: reading thousands of rows column by column through the WASM
  // boundary costs far more than SQLite building the JSON text and JSON.parse reading it.
  const rows = db.objects(
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
  return sortSchema(objects.filter(([, , tableName]) => !isToolTable(tableName)).map(([type, name, tableName, sql]) => ({ type, name, tableName, sql })));
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

const SEED_ORDER: Record<SchemaObject['type'], number> = { table: 0, view: 1, index: 2, trigger: 3 };

/**
 * Creates `objects` (a live schema read from sqlite_schema) in an empty database: virtual tables first (they
 * create their own shadow tables, which are then skipped), tables, views (again while one depends on
 * another), indexes, triggers. Returns what could not be created, as `name: SQLite's message`.
 */
export function seedSchema(db: Pick<SqlDb, 'objects' | 'tryExec'>, objects: readonly SchemaObject[]): string[] {
  const exists = (name: string) => db.objects(`SELECT 1 AS x FROM sqlite_schema WHERE name = ?1 COLLATE NOCASE`, [name]).length > 0;
  const isVirtual = (o: SchemaObject) => o.type === 'table' && /^\s*CREATE\s+VIRTUAL\s/i.test(o.sql ?? '');
  // The tool's state table is not part of the schema the migrations build (src/ledger-state/table.ts).
  let todo = [...objects]
    .filter((o) => o.sql !== null && /^\s*CREATE\s/i.test(o.sql) && !isToolTable(o.tableName))
    .sort((a, b) => Number(isVirtual(b)) - Number(isVirtual(a)) || SEED_ORDER[a.type] - SEED_ORDER[b.type]);
  const errors = new Map<string, string>();
  // Views may be created before the views they read; repeat while a round makes progress.
  for (let progress = true; todo.length > 0 && progress; ) {
    progress = false;
    const next: SchemaObject[] = [];
    for (const o of todo) {
      if (exists(o.name)) continue;
      const error = db.tryExec(o.sql!);
      if (error === undefined) {
        progress = true;
        errors.delete(o.name);
      } else {
        errors.set(o.name, error);
        next.push(o);
      }
    }
    todo = next;
  }
  return [...errors].map(([name, error]) => `${name}: ${error}`);
}
