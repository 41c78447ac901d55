/**
 * Records, from SQLite's pre-update hook on the twin, every row a file's statements insert, delete or
 * change — including rows reached by foreign key actions, REPLACE conflicts and triggers, which no
 * statement names — as RowEvents for losses.ts.
 */
import type { RowChange, WasmDb } from '../db/wasm.js';
import type { RowEvent } from './losses.js';

export class RowEvents {
  /** Row changes of the file being run; undefined while not recording (filling is not the file's doing). */
  private events: RowEvent[] | undefined;
  /** Values of the rows deleted while the current file runs, by table and key (to recognise a re-insert). */
  private deletedValues = new Map<string, Map<string, string>>();
  /** Index (in execution order) of the statement running now. */
  statement = 0;

  constructor(
    /** Tables whose changes are not the file's to answer for (the migrations table, SQLite's own). */
    private readonly ignored: (lower: string) => boolean,
  ) {}

  /** Listens to `db` (a twin; a new one after a resync). */
  attach(db: WasmDb): void {
    db.onRowChange((c) => this.record(c));
  }

  /** Starts recording a file's changes. */
  start(): void {
    this.events = [];
    this.deletedValues = new Map();
  }

  /** Runs `fn` without recording (work of the check's own, not the file's). */
  paused<T>(fn: () => T): T {
    const events = this.events;
    this.events = undefined;
    try {
      return fn();
    } finally {
      this.events = events;
    }
  }

  /** Stops recording and returns what was recorded. */
  stop(): RowEvent[] {
    const events = this.events ?? [];
    this.events = undefined;
    return events;
  }

  private record(c: RowChange): void {
    const events = this.events;
    if (!events) return;
    const lower = c.table.toLowerCase();
    if (this.ignored(lower)) return;
    const stmt = this.statement;
    // WITHOUT ROWID tables report key 0: their rows are told apart by their values.
    const keyOf = (k: bigint, which: 'old' | 'new') => (k !== 0n ? String(k) : `v:${stringify(c.values(which))}`);
    if (c.op === 'insert') {
      const key = keyOf(c.newKey, 'new');
      // A row deleted and inserted again under the same key (REPLACE, a trigger rewriting a row) is only a
      // change if its values differ.
      const before = this.deletedValues.get(lower)?.get(key);
      const unchanged = before !== undefined && before === stringify(c.values('new'));
      events.push({ stmt, op: 'insert', table: lower, name: c.table, key, ...(unchanged && { unchanged: true }) });
    } else if (c.op === 'delete') {
      const key = keyOf(c.oldKey, 'old');
      if (!this.deletedValues.has(lower)) this.deletedValues.set(lower, new Map());
      this.deletedValues.get(lower)!.set(key, stringify(c.values('old')));
      events.push({ stmt, op: 'delete', table: lower, name: c.table, key });
    } else {
      const before = c.values('old');
      const after = c.values('new');
      if (c.oldKey !== c.newKey || before.some((v, i) => !same(v, after[i]))) {
        events.push({ stmt, op: 'update', table: lower, name: c.table, key: c.oldKey !== 0n ? String(c.oldKey) : `v:${stringify(before)}` });
      }
    }
  }
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return a.length === b.length && a.every((x, i) => x === b[i]);
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

function stringify(values: unknown[]): string {
  return JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `x${Buffer.from(v).toString('hex')}` : v));
}
