/**
 * Real wrangler (4.86 on Node 20, or the newest 4.x on Node 24 from tools/compat) on a project's local D1
 * under `<project>/.state`: run directly, as a team would, to set a database up and to ask wrangler itself —
 * `migrations list` — what it considers applied.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NODE24 } from '../support/action-runner.js';
import { PATH_SYSTEM, REPO_ROOT } from '../support/temp-project.js';

export type Version = '4.86' | 'latest';

const SCRIPT: Record<Version, string> = {
  '4.86': join(REPO_ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
  latest: join(REPO_ROOT, 'tools', 'compat', 'node_modules', 'wrangler', 'bin', 'wrangler.js'),
};
const NODE: Record<Version, string> = { '4.86': process.execPath, latest: NODE24 };

export function requireVersion(version: Version): void {
  if (!existsSync(SCRIPT[version]) || !existsSync(NODE[version])) {
    throw new Error(`wrangler ${version} is not installed (tools/compat: npm test's pretest installs it; or run node scripts/ensure-compat.mjs)`);
  }
}

/** The `wrangler` input / `--wrangler` flag that runs this version. */
export function wranglerCommand(version: Version): string {
  return `${NODE[version]} ${SCRIPT[version]}`;
}

export const statePath = (cwd: string) => join(cwd, '.state');

export function wrangler(version: Version, cwd: string, args: string[]): string {
  return execFileSync(NODE[version], [SCRIPT[version], ...args, '--local', '--persist-to', statePath(cwd)], {
    cwd,
    env: { PATH: PATH_SYSTEM, HOME: process.env.HOME, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
}

export function query(version: Version, cwd: string, sql: string): Record<string, unknown>[] {
  const out = wrangler(version, cwd, ['d1', 'execute', 'DB', '--json', '--command', sql]);
  return (JSON.parse(out.slice(out.indexOf('['))) as { results: Record<string, unknown>[] }[])[0]!.results;
}

export interface LedgerRow {
  id: number;
  name: string;
  applied_at: string;
}

/** Rows of a table, or [] when it does not exist (one wrangler call either way). */
function rowsOrNone(version: Version, cwd: string, table: string, sql: string): Record<string, unknown>[] {
  try {
    return query(version, cwd, sql);
  } catch (error) {
    // execFileSync's error carries the child's output (strings, as `encoding` asks); anything else has none.
    const { stdout, stderr } = error as { stdout?: unknown; stderr?: unknown };
    const text = (v: unknown) => (typeof v === 'string' || Buffer.isBuffer(v) ? v.toString() : '');
    const out = text(stdout) + text(stderr);
    if (out.includes(`no such table: ${table}`)) return [];
    throw error;
  }
}

export function ledger(version: Version, cwd: string, table = 'd1_migrations'): LedgerRow[] {
  return rowsOrNone(version, cwd, table, `SELECT * FROM "${table}" ORDER BY id`) as unknown as LedgerRow[];
}

/** A row of the tool's state table (src/ledger-state/table.ts), as stateRows selects it. */
export interface StateRow {
  kind: string;
  name: string;
  value: string;
  detail: string | null;
}

export function stateRows(version: Version, cwd: string): StateRow[] {
  return rowsOrNone(version, cwd, 'd1_migrate_state', 'SELECT kind, name, value, detail FROM d1_migrate_state ORDER BY kind, name') as unknown as StateRow[];
}

/** What `wrangler d1 migrations list` says is still to apply. */
export function wranglerPending(version: Version, cwd: string): string[] {
  const out = wrangler(version, cwd, ['d1', 'migrations', 'list', 'DB']);
  if (/No migrations to apply/.test(out)) return [];
  return [...out.matchAll(/^│\s*(\S.*?)\s*│\s*$/gmu)].map((m) => m[1]!).filter((n) => n !== 'Name' && n !== 'name');
}

/**
 * wrangler's own view agrees with the ledger: what `migrations list` calls pending is exactly the files the
 * ledger does not record. Returns the ledger's names.
 */
export function expectWranglerAgrees(version: Version, cwd: string, dir = 'migrations'): string[] {
  const names = ledger(version, cwd).map((r) => r.name);
  const files = readdirSync(join(cwd, dir)).filter((f) => f.endsWith('.sql')).sort();
  expect(wranglerPending(version, cwd).sort()).toEqual(files.filter((f) => !names.includes(f)));
  return names;
}

/** The user schema (no ledger, no state table, nothing internal), for comparing two databases. */
export function userSchema(version: Version, cwd: string): string[] {
  return query(version, cwd, "SELECT type || ' ' || name || ': ' || sql AS o FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT IN ('d1_migrations', 'd1_migrate_state') ORDER BY name").map((r) => String(r.o));
}
