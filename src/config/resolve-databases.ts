import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { DatabaseTarget } from '../types.js';
import { isInside, normalizeRelativePath, toPosixRelative } from './paths.js';
import { describe, isPlainObject, readConfig, type WranglerConfig } from './read-config.js';

export const DEFAULT_MIGRATIONS_DIR = 'migrations';
export const DEFAULT_MIGRATIONS_TABLE = 'd1_migrations';

/** One `d1_databases` entry after the checks wrangler makes. */
export interface D1Binding {
  binding: string;
  database_name?: string;
  database_id?: string;
  preview_database_id?: string;
  migrations_dir?: string;
  migrations_table?: string;
  migrations_pattern?: string;
}

export interface ResolveDatabasesOptions {
  /** Absolute working directory; migrations must live inside it. */
  cwd: string;
  /** Absolute path of the config file (from findConfig). */
  configPath: string;
  /** wrangler `--env`; null = top level. */
  environment: string | null;
  /** Binding or database_name, `all`, or undefined for the only binding. */
  database?: string;
  /** Override of migrations_dir, relative to cwd. */
  migrationsDir?: string;
  /** Accept a migrations directory that does not exist yet (`d1-migrate new`, like `wrangler d1 migrations create`). */
  allowMissingDir?: boolean;
}

/**
 * The D1 databases one run works on, resolved from the config the way wrangler resolves them for
 * `wrangler d1 migrations apply <database> [--env <environment>]`.
 */
export function resolveDatabases(opts: ResolveDatabasesOptions): DatabaseTarget[] {
  const cwd = path.resolve(opts.cwd);
  // wrangler treats `--env ""` as no environment (its check is `if (envName)`).
  if (opts.environment === '') opts = { ...opts, environment: null };
  const config = readConfig(path.resolve(cwd, opts.configPath));
  const fileName = path.basename(config.path);

  // wrangler validates the top-level bindings even when an environment is selected.
  const topLevel = parseBindings(config.topLevel.d1Databases, 'd1_databases', config.path);
  const { bindings, field } = selectScope(config, topLevel, opts.environment);

  if (bindings.length === 0) {
    const envsWithD1 = [...config.environments].filter(([, scope]) => Array.isArray(scope.d1Databases) && scope.d1Databases.length > 0).map(([n]) => `"${n}"`);
    const elsewhere =
      opts.environment === null && envsWithD1.length > 0
        ? `Only environments declare D1 databases here (${envsWithD1.join(', ')}): set environment to one of them. Or add a top-level one, e.g.:\n`
        : 'Add one, e.g.:\n';
    throw new UsageError(
      `config: ${config.path} declares no D1 database${opts.environment === null ? ' at the top level' : ` for environment "${opts.environment}"`} ` +
        `("${field}" is missing or empty), so there are no migrations to validate or apply. ${elsewhere}` +
        snippet(config, opts.environment, [{ binding: 'DB', database_name: '<database name>', database_id: '<database id>' }]),
    );
  }
  checkUniqueBindings(bindings, field, config.path);

  const selected = selectDatabases(bindings, opts.database, field, fileName, opts.environment);
  return selected.map((b) => toTarget(b, config, cwd, opts));
}

function selectScope(
  config: WranglerConfig,
  topLevel: D1Binding[],
  environment: string | null,
): { bindings: D1Binding[]; field: string } {
  if (environment === null) return { bindings: topLevel, field: 'd1_databases' };

  const scope = config.environments.get(environment);
  if (scope === undefined) {
    // wrangler falls back to the top level for Pages (production/preview need not be declared).
    if (config.isPages) return { bindings: topLevel, field: 'd1_databases' };
    const names = [...config.environments.keys()];
    const exists =
      names.length > 0
        ? `The environments that exist are: ${names.map((n) => `"${n}"`).join(', ')}.`
        : `The file defines no environments at all (wrangler would only warn and use the top-level d1_databases; this action refuses to guess which database you meant).`;
    throw new UsageError(
      `environment: "${environment}" is not defined in ${config.path} (no [env.${environment}] section). ${exists} ` +
        `Set environment to one of them, or leave it empty for the top level.`,
    );
  }

  const field = `env.${environment}.d1_databases`;
  if (scope.d1Databases === undefined) {
    if (topLevel.length > 0) {
      throw new UsageError(
        `config: environment "${environment}" in ${config.path} has no d1_databases. d1_databases is not inherited from the top level by [env.${environment}]: ` +
          `wrangler gives an environment only the D1 bindings declared inside it, so \`--env ${environment}\` sees no database ` +
          `(wrangler warns "d1_databases" exists at the top level, but not on "env.${environment}"). Add the ${environment} database to the environment, e.g.:\n` +
          snippet(config, environment, topLevel) +
          `\n(use the database_name and database_id of the ${environment} database; they are usually not the top-level ones).`,
      );
    }
    return { bindings: [], field };
  }
  return { bindings: parseBindings(scope.d1Databases, field, config.path), field };
}

/** Validates a `d1_databases` value as wrangler's validateD1Binding does, keeping only what D1 needs. */
export function parseBindings(value: unknown, field: string, file: string): D1Binding[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new UsageError(
      `config: "${field}" in ${file} must be an array of tables/objects (in TOML: [[${field}]]), but it is ${describe(value)}.`,
    );
  }
  return value.map((entry, i) => {
    const where = `"${field}[${i}]" in ${file}`;
    if (!isPlainObject(entry)) {
      throw new UsageError(`config: ${where} must be an object with a "binding", but it is ${describe(entry)}.`);
    }
    if (typeof entry['binding'] !== 'string' || entry['binding'] === '') {
      throw new UsageError(`config: ${where} must have a string "binding" (the name the Worker uses, e.g. "DB"), but it has ${describe(entry['binding'])}.`);
    }
    const out: D1Binding = { binding: entry['binding'] };
    for (const key of ['database_name', 'database_id', 'preview_database_id', 'migrations_dir', 'migrations_table', 'migrations_pattern'] as const) {
      const v = entry[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') {
        throw new UsageError(`config: "${key}" of ${where} must be a string, but it is ${describe(v)}.`);
      }
      out[key] = v;
    }
    return out;
  });
}

function checkUniqueBindings(bindings: D1Binding[], field: string, file: string): void {
  const seen = new Map<string, number>();
  bindings.forEach((b, i) => {
    const first = seen.get(b.binding);
    if (first !== undefined) {
      throw new UsageError(
        `config: "${field}" in ${file} declares the binding "${b.binding}" twice (entries ${first} and ${i}). ` +
          `wrangler rejects this ("${b.binding} assigned to multiple D1 Database bindings"): bindings must have unique names. Rename or remove one of them.`,
      );
    }
    seen.set(b.binding, i);
  });
}

function selectDatabases(
  bindings: D1Binding[],
  database: string | undefined,
  field: string,
  fileName: string,
  environment: string | null,
): D1Binding[] {
  const available = bindings.map(label).join(', ');
  const scope = environment === null ? 'at the top level' : `in environment "${environment}"`;
  if (database === undefined || database.trim() === '') {
    if (bindings.length === 1) return bindings;
    throw new UsageError(
      `database: ${fileName} declares ${bindings.length} D1 databases ${scope} (${available}). ` +
        `Set database to the binding or database_name of the one to use, or to "all" for every one.`,
    );
  }
  if (database === 'all') return bindings;
  // Same rule as wrangler's getDatabaseInfoFromConfig: the first entry whose database_name or binding matches.
  const match = bindings.find((b) => database === b.database_name || database === b.binding);
  if (match === undefined) {
    throw new UsageError(
      `database: "${database}" is not a D1 binding or database_name ${scope} of ${fileName} ("${field}"). ` +
        `Available: ${available}. Set database to one of them, or to "all".`,
    );
  }
  return [match];
}

function label(b: D1Binding): string {
  return b.database_name === undefined ? `binding "${b.binding}"` : `binding "${b.binding}" (database_name "${b.database_name}")`;
}

function toTarget(b: D1Binding, config: WranglerConfig, cwd: string, opts: ResolveDatabasesOptions): DatabaseTarget {
  const fileName = path.basename(config.path);
  const configDir = path.dirname(config.path);
  const override = opts.migrationsDir !== undefined && opts.migrationsDir.trim() !== '' ? opts.migrationsDir : undefined;
  // wrangler 4.86: `migrations_dir || "migrations"`, relative to the config file's directory.
  const setting = override ?? (b.migrations_dir || DEFAULT_MIGRATIONS_DIR);
  const abs = path.resolve(override !== undefined ? cwd : configDir, setting);
  const source =
    override !== undefined
      ? `the migrations-dir input "${override}" (relative to the working directory ${cwd})`
      : b.migrations_dir
        ? `migrations_dir "${b.migrations_dir}" of binding "${b.binding}" in ${config.path} (relative to the config file's directory ${configDir})`
        : `the default migrations_dir "migrations" of binding "${b.binding}" (relative to the config file's directory ${configDir}; set migrations_dir in ${fileName} to choose another)`;

  const pattern = resolvePattern(b, fileName, override);
  checkMigrationsDir(abs, cwd, source, opts.allowMissingDir ?? false);

  const target: DatabaseTarget = {
    environment: opts.environment,
    binding: b.binding,
    databaseName: b.database_name ?? b.binding,
    migrationsDirSetting: setting,
    migrationsDirAbs: abs,
    migrationsDir: toPosixRelative(cwd, abs),
    migrationsTable: b.migrations_table || DEFAULT_MIGRATIONS_TABLE,
    configPath: config.path,
  };
  if (b.database_id !== undefined) target.databaseId = b.database_id;
  if (b.preview_database_id !== undefined) target.previewDatabaseId = b.preview_database_id;
  if (pattern !== undefined) target.migrationsPattern = pattern;
  return target;
}

/**
 * `migrations_pattern` checked exactly as newest wrangler's resolveMigrationsConfig checks it (same
 * messages), then re-rooted on the migrations-dir override when one is given so that it always starts
 * with `normalizeRelativePath(migrationsDirSetting)/`.
 */
function resolvePattern(b: D1Binding, fileName: string, override: string | undefined): string | undefined {
  const rawPattern = b.migrations_pattern;
  if (rawPattern === undefined) return undefined;
  if (b.migrations_dir === undefined) {
    throw new UsageError(
      `config: You have set \`migrations_pattern: "${rawPattern}"\` in your ${fileName} file but have not set \`migrations_dir\` for this D1 binding ("${b.binding}").\n\n` +
        `When \`migrations_pattern\` is set, \`migrations_dir\` must also be set, and \`migrations_pattern\` must start with \`\${migrations_dir}/\`. Add a \`migrations_dir\` entry to your ${fileName} file (for example, \`"migrations_dir": "migrations"\`).`,
    );
  }
  const dir = normalizeRelativePath(b.migrations_dir);
  const pattern = normalizeRelativePath(rawPattern);
  const relative = stripDirPrefix(pattern, dir);
  if (relative === null) {
    const suggested = normalizeRelativePath(`${dir}/*.sql`);
    throw new UsageError(
      `config: The configured \`migrations_pattern: "${rawPattern}"\` in your ${fileName} file must start with \`${dir}/\` to match \`"migrations_dir": "${dir}"\` (binding "${b.binding}").\n\n` +
        `Either change \`migrations_pattern\` so it starts with \`${dir}/\` (for example, \`"${suggested}"\`), or change \`migrations_dir\` to match the start of your pattern.`,
    );
  }
  if (override === undefined) return pattern;
  const newDir = normalizeRelativePath(override);
  return newDir === '.' ? relative : `${newDir}/${relative}`;
}

/** The pattern relative to `dir` (both normalized), or null when it does not start with `dir/`. */
export function stripDirPrefix(pattern: string, dir: string): string | null {
  if (dir === '.') return pattern;
  const prefix = `${dir}/`;
  return pattern.startsWith(prefix) ? pattern.slice(prefix.length) : null;
}

function checkMigrationsDir(abs: string, cwd: string, source: string, allowMissing: boolean): void {
  if (!isInside(cwd, abs)) {
    throw new UsageError(
      `migrations-dir: ${source} resolves to ${abs}, which is outside the working directory ${cwd}. ` +
        `Migrations are only read from inside the working directory; set working-directory to a directory that contains them.`,
    );
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    if (allowMissing) return;
    throw new UsageError(
      `migrations-dir: the migrations directory does not exist: expected ${abs}, from ${source}. ` +
        `wrangler would stop with "No migrations present at ${abs}." Create the directory, or point migrations_dir (or the migrations-dir input) at the folder that holds your .sql files.`,
    );
  }
  if (!stat.isDirectory()) {
    throw new UsageError(`migrations-dir: ${abs} (from ${source}) is a file, not a directory. Point it at the folder that holds your .sql files.`);
  }
  // A symlink inside the working directory may lead anywhere; judge where it really points.
  const realCwd = fs.realpathSync(cwd);
  const realDir = fs.realpathSync(abs);
  if (!isInside(realCwd, realDir)) {
    throw new UsageError(
      `migrations-dir: ${source} resolves through a symbolic link to ${realDir}, which is outside the working directory ${realCwd}. ` +
        `Migrations are only read from inside the working directory; replace the link with the real folder or set working-directory accordingly.`,
    );
  }
}

/** TOML or JSON text to add for `environment` (null = top level), using `bindings` as the template. */
function snippet(config: WranglerConfig, environment: string | null, bindings: D1Binding[]): string {
  const keys = ['binding', 'database_name', 'database_id', 'migrations_dir', 'migrations_table', 'migrations_pattern'] as const;
  if (config.format === 'toml') {
    const header = environment === null ? '[[d1_databases]]' : `[[env.${tomlKey(environment)}.d1_databases]]`;
    return bindings
      .map((b) => [header, ...keys.filter((k) => b[k] !== undefined).map((k) => `${k} = ${JSON.stringify(b[k])}`)].join('\n'))
      .join('\n\n');
  }
  const entries = bindings.map((b) => Object.fromEntries(keys.filter((k) => b[k] !== undefined).map((k) => [k, b[k]])));
  const body = environment === null ? { d1_databases: entries } : { env: { [environment]: { d1_databases: entries } } };
  return JSON.stringify(body, null, 2);
}

function tomlKey(name: string): string {
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
}
