/**
 * Foreign keys that point at a table. A key names its parent in its table's CREATE statement, so only tables
 * whose statement holds the name (ASCII case folded, as SQLite matches a key's parent) can have one: reading
 * just those with pragma_foreign_key_list spares a pass over every table's keys per question (ms per
 * statement on a schema of a thousand tables). A name with a quote character may be spelled with it doubled:
 * then every table is read.
 */
import type { SqlDb } from './db/types.js';

/** A condition on sqlite_schema `m` that keeps every table that may reference `name`, bound as `?2`. */
export function mayReference(name: string): { where: string; bind: string[] } {
  return /["'`\]]/.test(name) ? { where: '', bind: [] } : { where: 'AND instr(lower(m.sql), lower(?2)) > 0', bind: [name] };
}

/** A foreign key to a table: the table that holds it, the key's id there, its columns and ON DELETE action. */
export interface ChildKey {
  child: string;
  id: number;
  columns: string[];
  /** Upper-cased: CASCADE, SET NULL, SET DEFAULT, RESTRICT or NO ACTION. */
  onDelete: string;
  /** The child's CREATE statement defers a key (perhaps another one: too cautious is only slower). */
  deferred: boolean;
}

/** The foreign keys that point at `parent`, by table name and key id (`others`: not `parent`'s own). */
export function childKeys(db: SqlDb, parent: string, opts: { others?: boolean } = {}): ChildKey[] {
  const filter = mayReference(parent);
  const keys = new Map<string, ChildKey>();
  const rows = db.rows(
    `SELECT m.name, f.id, f."from", upper(f.on_delete), m.sql FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f
      WHERE m.type = 'table' ${filter.where} AND f."table" = ?1 COLLATE NOCASE ${opts.others ? 'AND m.name <> ?1 COLLATE NOCASE' : ''}
      ORDER BY m.name, f.id, f.seq`,
    [parent, ...filter.bind],
  );
  for (const [child, id, column, onDelete, sql] of rows) {
    const k = `${String(child)}\u0000${String(id)}`;
    if (!keys.has(k)) keys.set(k, { child: String(child), id: Number(id), columns: [], onDelete: String(onDelete), deferred: /\bDEFERRED\b/i.test(String(sql)) });
    keys.get(k)!.columns.push(String(column));
  }
  return [...keys.values()];
}

/** Tables with a foreign key to `parent` (`others`: not `parent` itself). */
export function childTables(db: SqlDb, parent: string, opts: { others?: boolean } = {}): string[] {
  const filter = mayReference(parent);
  return db
    .rows(
      `SELECT DISTINCT m.name FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f
        WHERE m.type = 'table' ${filter.where} AND f."table" = ?1 COLLATE NOCASE ${opts.others ? 'AND m.name <> ?1 COLLATE NOCASE' : ''}`,
      [parent, ...filter.bind],
    )
    .map((r) => String(r[0]));
}
