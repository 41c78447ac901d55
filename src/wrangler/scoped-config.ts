/**
 * `--to <migration>`: wrangler has no such flag, so it is run on a migrations folder that holds only the
 * files up to and including that migration. The files are copied byte for byte under the names wrangler
 * records (a pattern's subfolders included) into a temporary folder, and wrangler gets a temporary config
 * that declares just this one binding — the binding entry copied as written (database_name, database_id,
 * preview_database_id, migrations_table, ...), with migrations_dir (and migrations_pattern) pointing at the
 * copy, and the account of the environment. It acts on the same database, records the same names in the
 * same table, and applies the pending files among them in its own order; the files after `--to` are not
 * there to apply. The local state stays where it was: `--persist-to` is set to the directory wrangler
 * would use for the real config.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { normalizeRelativePath } from '../config/paths.js';
import { isPlainObject, readRawConfig } from '../config/read-config.js';
import { stripDirPrefix } from '../config/resolve-databases.js';
import type { MigrationFile } from '../types.js';
import type { WranglerSession } from './session.js';

export interface ScopedSession {
  session: WranglerSession;
  /** Removes the temporary folder; safe to call twice. */
  dispose(): void;
}

export function scopedSession(session: WranglerSession, files: MigrationFile[]): ScopedSession {
  const { target } = session;
  const { raw } = readRawConfig(target.configPath);
  const envs = isPlainObject(raw.env) ? raw.env : {};
  const section = target.environment !== null ? envs[target.environment] : undefined;
  const env: Record<string, unknown> | undefined = isPlainObject(section) ? section : undefined;
  // Pages projects fall back to the top level for an environment they do not declare (resolve-databases).
  const scope = env && env.d1_databases !== undefined ? env : raw;
  const entries = Array.isArray(scope.d1_databases) ? scope.d1_databases : [];
  const entry = entries.find((b): b is Record<string, unknown> => isPlainObject(b) && b.binding === target.binding);
  if (!entry) throw new Error(`binding ${target.binding} not found again in ${target.configPath}`);

  const root = mkdtempSync(join(tmpdir(), 'd1-migrate-to-'));
  try {
    const dir = join(root, 'migrations').replace(/\\/g, '/');
    for (const f of files) {
      const dest = join(dir, ...f.name.split('/'));
      mkdirSync(dirname(dest), { recursive: true });
      copyFileSync(f.path, dest);
    }
    mkdirSync(dir, { recursive: true });
    const binding: Record<string, unknown> = { ...entry, migrations_dir: dir, migrations_table: target.migrationsTable };
    if (target.migrationsPattern !== undefined) {
      const relative = stripDirPrefix(target.migrationsPattern, normalizeRelativePath(target.migrationsDirSetting)) ?? target.migrationsPattern;
      binding.migrations_pattern = `${dir}/${relative}`;
    } else delete binding.migrations_pattern;
    const accountId = typeof env?.account_id === 'string' ? env.account_id : typeof raw.account_id === 'string' ? raw.account_id : undefined;
    const config = {
      name: typeof raw.name === 'string' ? raw.name : 'd1-migrate',
      ...(typeof raw.compatibility_date === 'string' ? { compatibility_date: raw.compatibility_date } : {}),
      ...(accountId ? { account_id: accountId } : {}),
      d1_databases: [binding],
    };
    const configPath = join(root, 'wrangler.json');
    writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n');
    const scoped: WranglerSession = {
      ...session,
      target: { ...target, configPath, environment: null },
      persistTo: session.where === 'local' ? (session.persistTo ?? join(dirname(target.configPath), '.wrangler', 'state')) : undefined,
    };
    return { session: scoped, dispose: () => rmSync(root, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}
