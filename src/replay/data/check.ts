/**
 * The data check: every migration also runs on a twin of the replay database whose tables hold synthetic
 * rows (twin.ts), and SQLite's pre-update hook reports every row a statement deletes or changes — including
 * rows removed by foreign key actions, REPLACE conflicts and triggers, which no statement names. From that
 * come `rows-lost` (rows of a table vanish or change although the file never deletes from or updates it) and
 * `fails-with-data` (the file applies on the empty replay but fails on the twin). The replay itself, and
 * what it reports as applied, never sees a synthetic row.
 */
import type { ParsedMigration } from '../../sql/types.js';
import type { MigrationFile } from '../../types.js';
import type { SqlDb } from '../db/types.js';
import type { WasmBackend } from '../db/wasm.js';
import type { SqlText } from '../statements.js';
import { boundaryFills, boundaryFinding, suspects, type BoundaryFill } from './boundary.js';
import { dumpRows } from './dump.js';
import { fileFacts, type FileFacts } from './file-facts.js';
import { describe, failureFinding, lossFinding, type DataFinding, type Failure } from './findings.js';
import { findLosses, type LossContext, type RowEvent } from './losses.js';
import { keptRebuilds, rebuildsBefore, type KeptRebuild, type RebuildBefore } from './rebuilds.js';
import { existingObjects, q } from './tables.js';
import { Twin, type TwinState } from './twin.js';
import { literalKey, literalsWritten, type LiteralRows } from './written-values.js';

/** The second way's own savepoint (see boundary.ts): rolled back, the twin is as before. */
const BOUNDARY_SAVEPOINT = 'd1_migrate_boundary';
/** Single boundary values tried to name the one that breaks a file (only after the file failed with all). */
const MAX_SINGLE_FILLS = 16;

export type { DataFinding } from './findings.js';

export interface DataCheckOutcome {
  /** Added only when the file then applies on the empty replay (a file that fails there is reported as such). */
  findings: DataFinding[];
  notes: string[];
  /** The whole file ran on the twin: every statement's effect on rows was seen. */
  complete: boolean;
  /** The boundary values (boundary.ts) the file fails with, when it does only with them. */
  boundary?: BoundaryFill[];
  /** Rebuilds the check ran on rows that kept every row (rebuilds.ts). */
  kept?: KeptRebuild[];
  /**
   * Nothing in the file can lose a row or fail because of one, so it did not run on the twin: the twin follows
   * the replay once the file applied (follow()).
   */
  follow?: boolean;
}

/** DataCheck.readings(). */
export interface TwinReadings {
  literals: [string, LiteralRows][];
  /** Tables reported as not covered (lower-cased). */
  uncovered: string[];
  /** How many not-covered tables the run-wide note names so far. */
  noted: number;
}

export class DataCheck {
  private readonly twin: Twin;
  /** What the last file that ran to its end wrote where a copy or an UPDATE names a column in double quotes. */
  private literals = new Map<string, LiteralRows>();
  /** The facts of the file run() let through, for follow(). */
  private following: FileFacts | undefined;

  constructor(wasm: WasmBackend, main: () => SqlDb, migrationsTable: string, opts: { exactAlter?: boolean; rowsHoldConstraints?: boolean; from?: { image: Uint8Array; state: TwinState } } = {}) {
    this.twin = new Twin(wasm, main, migrationsTable, opts, opts.from);
  }

  /** The twin as it is between files (replay cache). */
  snapshot(): { image: Uint8Array; state: TwinState } {
    return this.twin.snapshot();
  }

  close(): void {
    this.twin.close();
  }

  /**
   * The run-wide note about tables that could not be filled: the first `noted` of them (by default all; a
   * twin in a worker thread may have gone on past the replay's last file, see parallel.ts).
   */
  notes(noted = this.twin.uncovered.length): string[] {
    const uncovered = this.twin.uncovered.slice(0, noted);
    if (uncovered.length === 0) return [];
    const shown = uncovered.slice(0, 20).join('; ');
    const more = uncovered.length > 20 ? `; and ${uncovered.length - 20} more` : '';
    const n = uncovered.length;
    return [`Data check: ${n} table${n === 1 ? '' : 's'} could not be given synthetic rows, so migrations were not checked against data in ${n === 1 ? 'it' : 'them'}: ${shown}${more}.`];
  }

  /** The twin's rows as SQL (see dump.ts). */
  dump(): string {
    if (this.twin.outOfSync) this.twin.resync();
    return dumpRows(this.twin.db, this.twin.filler, this.twin.virtuals, (lower) => this.twin.internal(lower));
  }

  /** What the replay reads of the check after a file (literalRows, covers, notes), as data for another thread. */
  readings(): TwinReadings {
    return { literals: [...this.literals], uncovered: [...this.twin.uncoveredSeen], noted: this.twin.uncovered.length };
  }

  /** Whether every one of `tables` held synthetic rows (none was reported as not covered). */
  covers(tables: string[]): boolean {
    return this.twin.covers(tables);
  }

  /**
   * For the file the check just ran to its end: the rows of the column that the statement at `line` writes
   * the double-quoted `name` to (see written-values.ts), or undefined.
   */
  literalRows(line: number, name: string): LiteralRows | undefined {
    return this.literals.get(literalKey(line, name));
  }

  /** After a fault in the check: the twin is re-copied before the next file. */
  markOutOfSync(): void {
    this.twin.outOfSync = true;
  }

  /**
   * Runs `text` (the file as wrangler sends it, bookkeeping INSERT included) on the twin, before the replay
   * runs it; then fills the tables the file created, for the next files.
   */
  run(file: MigrationFile, text: SqlText, parsed: ParsedMigration): DataCheckOutcome | undefined {
    const twin = this.twin;
    this.literals = new Map();
    this.following = undefined;
    const ff = fileFacts(parsed);
    if (!this.canTouchRows(ff)) {
      this.following = ff;
      return { findings: [], notes: [], complete: true, follow: true };
    }
    if (twin.outOfSync) twin.resync();
    const { counts: rebuiltBefore, shapes } = this.rebuiltBefore(ff);
    const boundary = this.boundary(text, ff);
    twin.begin();
    const executed: { start: number; end: number }[] = [];
    // Row changes are only needed where a statement can delete or change rows.
    const record = ff.facts.some((f) => f.dataDependent);
    if (record) twin.events.start();
    let run: ReturnType<Twin['execute']>;
    let events: RowEvent[];
    try {
      run = twin.execute(text, executed);
    } finally {
      events = record ? twin.events.stop() : [];
    }
    if (run === 'skip') {
      this.abandon();
      return undefined;
    }
    if (run.failure) {
      this.abandon();
      const failure = run.failure;
      // INDEXED BY, REINDEX ... naming an index the twin skipped: the twin's doing, not the data's.
      if (twin.missingSkippedIndex(failure.message)) return undefined;
      return this.failed(file, ff, failure);
    }

    const losses = findLosses(this.lossContext(), events, ff, rebuiltBefore, executed.length, (i) => describe(text, executed[i]!));
    try {
      this.literals = literalsWritten(twin.db, parsed.statements, ff.facts.map((f) => f.rename));
    } catch {
      // Only a message detail depends on it.
    }
    const released = twin.commit();
    if (released) {
      this.abandon();
      return this.failed(file, ff, { message: released });
    }
    const findings = losses.map((l) => lossFinding(file, l));
    // Before the refill, which gives new tables (a rebuilt one renamed into place) rows of their own.
    const kept = findings.length === 0 && !boundary && shapes.size > 0 ? keptRebuilds(twin.db, ff, shapes, (t) => !twin.uncoveredSeen.has(t)) : [];
    twin.refill(ff, events);
    if (!boundary) return { findings, notes: [], complete: true, ...(kept.length > 0 && { kept }) };
    findings.unshift(boundaryFinding(file, boundary.failure, boundary.fills));
    return { findings, notes: [], complete: true, boundary: boundary.fills };
  }

  /**
   * After the replay applied a file run() let through: the twin runs it too (nothing to record), or, when it
   * must be copied from the replay again anyway, takes the copy, which holds the file already.
   */
  follow(text: SqlText): void {
    const twin = this.twin;
    const ff = this.following;
    this.following = undefined;
    if (!ff) return;
    if (twin.outOfSync) {
      twin.resync();
      return;
    }
    twin.begin();
    const run = twin.execute(text, [], { following: true });
    if (run === 'skip' || run.failure || twin.commit() !== undefined) {
      twin.abandon();
      return;
    }
    twin.refill(ff, []);
  }

  /**
   * Whether a statement of the file can lose rows or fail because of them (the only files the twin runs with
   * rows recorded): DML, DROP TABLE, a risky ADD COLUMN or index (analyse.ts), and an ADD COLUMN … DEFAULT on
   * a STRICT table, which checks the default's type against the rows.
   */
  private canTouchRows(ff: FileFacts): boolean {
    const dependent = ff.facts.filter((f) => f.dataDependent);
    // Literal rows into tables without triggers cannot reach other rows (no REPLACE, no upsert, no SELECT).
    const onlyPlainInserts = dependent.length > 0 && !ff.createsTrigger && dependent.every((f) => f.plainInsert && f.writes);
    if (dependent.length > 0 && !onlyPlainInserts) return true;
    if (ff.defaultsAddedTo.size === 0 && !onlyPlainInserts) return false;
    if (this.twin.outOfSync) this.twin.resync();
    if (onlyPlainInserts && this.twin.triggersOn(ff.plainInsertsInto)) return true;
    return [...existingObjects(this.twin.db, ff.defaultsAddedTo).values()].some((o) => /\bSTRICT\b/i.test(o.sql.slice(o.sql.lastIndexOf(')'))));
  }

  /**
   * The second way (boundary.ts), for a file that copies rows out of existing tables: the failure with the
   * boundary values in those tables, and the single value that causes it where one does alone.
   */
  private boundary(text: SqlText, ff: FileFacts): { failure: Failure; fills: BoundaryFill[] } | undefined {
    if (ff.copySources.size === 0) return undefined;
    const twin = this.twin;
    const fills: BoundaryFill[] = [];
    for (const [lower, o] of existingObjects(twin.db, ff.copySources, twin.virtuals)) {
      if (o.kind === 'table' && !twin.internal(lower)) fills.push(...boundaryFills(twin.filler.tableMeta(lower, o.sql, o.name)));
    }
    if (fills.length === 0) return undefined;
    const all = this.withBoundary(text, fills);
    if (!all.failure) return undefined;
    if (all.applied.length > 1) {
      for (const fill of suspects(all.applied, all.failure.message).slice(0, MAX_SINGLE_FILLS)) {
        const one = this.withBoundary(text, [fill]);
        if (one.failure) return { failure: one.failure, fills: [fill] };
      }
    }
    return { failure: all.failure, fills: all.applied };
  }

  /** Runs the file with `fills` in every row, then rolls everything back; `applied` are the fills the tables took. */
  private withBoundary(text: SqlText, fills: BoundaryFill[]): { failure?: Failure; applied: BoundaryFill[] } {
    const twin = this.twin;
    return twin.tryOut(BOUNDARY_SAVEPOINT, () => {
      const applied: BoundaryFill[] = [];
      const byTable = new Map<string, BoundaryFill[]>();
      for (const f of fills) byTable.set(f.table, [...(byTable.get(f.table) ?? []), f]);
      for (const [table, list] of byTable) {
        const set = (l: BoundaryFill[]) => twin.db.tryExec(`UPDATE ${q(table)} SET ${l.map((f) => `${q(f.column)} = ${f.value}`).join(', ')}`);
        // One UPDATE per table; a value the table refuses (its own CHECK, a trigger) is left out.
        if (set(list) === undefined) applied.push(...list);
        else if (list.length > 1) for (const f of list) if (set([f]) === undefined) applied.push(f);
      }
      if (applied.length === 0) return { applied };
      const run = twin.execute(text, []);
      if (run === 'skip') return { applied };
      const failure = run.failure ?? twin.pendingForeignKeys();
      return { applied, ...(failure && !twin.missingSkippedIndex(failure.message) && { failure }) };
    });
  }

  /** Rolls the file back on the twin, which then misses it. */
  private abandon(): void {
    this.literals = new Map();
    this.twin.abandon();
  }

  /** The outcome of a file the twin could not apply: a fails-with-data finding, or a note. */
  private failed(file: MigrationFile, ff: FileFacts, failure: Failure): DataCheckOutcome {
    const f = failureFinding(file, ff, failure);
    return 'note' in f ? { findings: [], notes: [f.note], complete: false } : { findings: [f], notes: [], complete: false };
  }

  private lossContext(): LossContext {
    const twin = this.twin;
    return { db: twin.db, virtuals: twin.virtuals, internal: (lower) => twin.internal(lower), counts: (tables) => twin.counts(tables) };
  }

  /**
   * Row counts before the file of the tables it rebuilds (only those are compared by count), and what else
   * rebuilds.ts needs to know of them.
   */
  private rebuiltBefore(ff: FileFacts): { counts: Map<string, number>; shapes: Map<string, RebuildBefore> } {
    if (ff.rebuilt.size === 0) return { counts: new Map(), shapes: new Map() };
    const twin = this.twin;
    const present = [...existingObjects(twin.db, ff.rebuilt, twin.virtuals).values()].filter((o) => o.kind === 'table');
    const counts = twin.counts(present.map((o) => o.name));
    return { counts, shapes: rebuildsBefore(twin.db, counts, new Map(present.map((o) => [o.name.toLowerCase(), o.name]))) };
  }
}
