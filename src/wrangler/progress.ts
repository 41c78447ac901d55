import { stripAnsi } from './output.js';
import { parseStatusLine } from './status-table.js';

/**
 * Follows `wrangler d1 migrations apply` output as it streams: wrangler prints a status table after each
 * migration, so the moment a name first shows ✅ is (within a pipe flush) when that migration finished.
 * Timing of migration i = its ✅ time minus the previous one's (the first counts from the confirmation).
 */
export class ApplyProgress {
  private buffer = '';
  private startedAt: number;
  private lastMark: number;
  readonly applied: string[] = [];
  readonly timings: { name: string; ms: number }[] = [];
  /** Completion wall-clock time of each applied migration (ms since epoch). */
  readonly finishedAt = new Map<string, number>();
  failed?: string;
  upToDate = false;
  /** wrangler got past reading the ledger and began sending migrations. */
  started = false;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
    this.lastMark = this.startedAt;
  }

  push(chunk: string): void {
    this.buffer += chunk;
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  end(): void {
    if (this.buffer) this.line(this.buffer);
    this.buffer = '';
  }

  private line(raw: string): void {
    const line = stripAnsi(raw);
    const t = this.now();
    if (/No migrations to apply!/.test(line)) this.upToDate = true;
    // wrangler asks (and CI answers yes) right before the first migration is sent.
    if (/Using fallback value in non-interactive context|About to apply \d+ migration/.test(line)) {
      this.started = true;
      this.lastMark = t;
    }
    const row = parseStatusLine(line);
    if (!row) return;
    if (row.status === 'applied' && !this.finishedAt.has(row.name)) {
      this.finishedAt.set(row.name, t);
      this.applied.push(row.name);
      this.timings.push({ name: row.name, ms: Math.max(0, t - this.lastMark) });
      this.lastMark = t;
    } else if (row.status === 'failed') {
      this.failed = row.name;
    }
  }
}
