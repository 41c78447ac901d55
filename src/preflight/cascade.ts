/**
 * Questions about rows a statement deletes from a parent table (DROP TABLE's implicit DELETE, DELETE, the
 * deletes of INSERT OR REPLACE): which rows of each referencing table the foreign key actions delete
 * (CASCADE, followed down to grandchildren), change (SET NULL / SET DEFAULT) or make the statement fail
 * (RESTRICT / NO ACTION). D1 always enforces foreign keys, so every one of them happens on the real data.
 */
import { fmt, sideEffect, type WalkContext } from './context.js';
import { referencedColumns, referencesAny } from './predicates.js';
import { readShape } from './shape.js';

/** How deep a cascade is followed (tables below are rare and each level nests one more EXISTS). */
const MAX_DEPTH = 4;

export interface Deletion {
  /** The parent table (current name). */
  parent: string;
  /** A closed SELECT of the parent rows deleted; reads: whether they can be rows of the target at all. */
  rows: string;
  reads: boolean;
  /** What deletes them, for questions and messages: `DROP TABLE users (line 4)`. */
  cause: string;
  /** Why the parent's rows are not known at that point (then no child can be asked about). */
  unknown?: string;
}

/**
 * Asks, for every table referencing `d.parent`, how many of its rows the deletion reaches and how; returns the
 * tables whose rows it deletes or changes (their contents are not known afterwards).
 */
export function askCascade(ctx: WalkContext, d: Deletion, depth = 0, path: string[] = []): Set<string> {
  const touched = new Set<string>();
  const parentShape = readShape(ctx.db, d.parent);
  if (!parentShape || depth >= MAX_DEPTH) return touched;
  const via = [...path, parentShape.name];
  for (const childName of referencing(ctx, parentShape.name)) {
    const child = readShape(ctx.db, childName);
    if (!child) continue;
    for (const fk of child.fks.filter((f) => f.parent.toLowerCase() === parentShape.name.toLowerCase())) {
      // A table's reference to itself: when it is dropped every row goes anyway; for DELETE it is left out.
      if (child.name.toLowerCase() === parentShape.name.toLowerCase()) continue;
      if (via.some((p) => p.toLowerCase() === child.name.toLowerCase())) continue;
      const action = fk.onDelete;
      const keyText = `${child.name}.${fk.from.join('/')} REFERENCES ${parentShape.name} ON DELETE ${action}`;
      const chain = depth > 0 ? ` (reached through ${via.join(' → ')})` : '';
      const to = referencedColumns(fk, parentShape.pk);
      const from = ctx.rels.from(child.name);
      const question = questionFor(action, child.name, keyText, d.cause) + chain;
      const meant = action === 'CASCADE' || action === 'SET NULL' || action === 'SET DEFAULT' ? 'lost' : 'fails';
      if (d.unknown !== undefined) {
        ctx.cannot(child.name, question, d.unknown, meant);
        touched.add(child.name);
        continue;
      }
      if (!from.ok) {
        if (d.reads) ctx.cannot(child.name, question, from.why, meant);
        continue;
      }
      if (!from.reads && !d.reads) continue;
      if (!to) {
        ctx.cannot(child.name, question, `the foreign key names no columns and ${parentShape.name} has no primary key of ${fk.from.length} column(s)`, meant);
        continue;
      }
      const predicate = referencesAny(child.name, fk, to, d.rows);
      if (action === 'CASCADE' || action === 'SET NULL' || action === 'SET DEFAULT') {
        const nullable = action === 'SET NULL' && fk.from.some((c) => child.columns.find((x) => x.name.toLowerCase() === c.toLowerCase())?.notNull);
        if (nullable) {
          ctx.ask({
            table: child.name,
            question,
            effect: 'fails',
            scan: { from: from.sql, predicate },
            message: (n, where) =>
              `On ${where}, ${d.cause} fails: ${fmt(n)} row(s) of ${child.name} reference the deleted rows through ${keyText}, and ${fk.from.join('/')} is NOT NULL ("NOT NULL constraint failed"). Make the key nullable, or rebuild ${child.name} in the same migration.`,
          });
          continue;
        }
        const side = sideEffect(ctx, child.name);
        ctx.ask({
          table: child.name,
          question: side.because ? `${question} — ${side.because}` : question,
          effect: side.effect,
          scan: { from: from.sql, predicate },
          message: (n, where) =>
            `On ${where}, ${d.cause} ${action === 'CASCADE' ? 'deletes' : `sets ${fk.from.join('/')} to ${action === 'SET NULL' ? 'NULL' : 'its default'} in`} ${fmt(n)} row(s) of ${child.name} through ${keyText}${chain}: D1 always enforces foreign keys (PRAGMA foreign_keys = OFF has no effect), so the delete reaches them. Rebuild ${child.name} in the same migration too, or avoid rebuilding ${parentShape.name} (ALTER TABLE ADD/RENAME/DROP COLUMN); see docs/safe-table-changes.md.`,
        });
        touched.add(child.name);
        if (action === 'CASCADE') {
          const deleted = `SELECT * FROM ${from.sql} WHERE ${predicate}`;
          for (const t of askCascade(ctx, { parent: child.name, rows: deleted, reads: d.reads || from.reads, cause: d.cause }, depth + 1, via)) touched.add(t);
        }
        continue;
      }
      // RESTRICT fails at once; NO ACTION is checked at the end of the statement, or at the commit when
      // deferred — and then `PRAGMA defer_foreign_keys = off` before the end discards the violation. Under
      // that pragma SQLite performs no RESTRICT action either (fkey.c: OE_Restrict with SQLITE_DeferFKs): the
      // violation is counted like a deferred one.
      const deferred = ctx.deferOn || (action !== 'RESTRICT' && fk.deferred);
      const probe = {
        table: child.name,
        question: `${question}${deferred ? ' — counted at the commit (foreign keys deferred)' : ''}`,
        effect: 'fails' as const,
        scan: { from: from.sql, predicate },
        message: (n: number, where: string) =>
          `On ${where}, this migration fails: ${d.cause} deletes rows that ${fmt(n)} row(s) of ${child.name} reference (${keyText}${chain}), so D1 answers "FOREIGN KEY constraint failed"${deferred ? ' when the file commits' : ''}. Rebuild ${child.name} in the same migration, or avoid the rebuild of ${parentShape.name}; see docs/safe-table-changes.md.`,
      };
      if (deferred) ctx.askAtCommit(probe);
      else ctx.ask(probe);
    }
  }
  return touched;
}

function questionFor(action: string, child: string, keyText: string, cause: string): string {
  if (action === 'CASCADE') return `rows of ${child} that ${cause} deletes through ${keyText}`;
  if (action === 'SET NULL' || action === 'SET DEFAULT') return `rows of ${child} that ${cause} changes through ${keyText}`;
  return `rows of ${child} that reference rows ${cause} deletes (${keyText})`;
}

/** Tables with a foreign key naming `parent` (its current name; SQLite re-points keys on rename). */
function referencing(ctx: WalkContext, parent: string): string[] {
  return ctx.db
    .selectArrays(
      `SELECT DISTINCT m.name FROM sqlite_schema AS m JOIN pragma_foreign_key_list(m.name) AS f
        WHERE m.type = 'table' AND f."table" = ?1 COLLATE NOCASE ORDER BY m.name`,
      [parent],
    )
    .map((r) => String(r[0]));
}

/** `DROP TABLE users (line 4)`-style cause text. */
export function cause(head: string, line: number): string {
  return `\`${head.length > 60 ? `${head.slice(0, 59)}…` : head}\` (line ${line})`;
}
