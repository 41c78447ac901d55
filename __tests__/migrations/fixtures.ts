import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { wrangler486Number, leadingDigits, wrangler486Order } from '../../src/migrations/order.js';
import type { DatabaseTarget, MigrationFile } from '../../src/types.js';

const created: string[] = [];

/** A fresh temp directory holding `files` (paths relative to it; a null value makes a directory). */
export function makeProject(files: Record<string, string | Buffer | null> = {}): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-')));
  created.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    if (content === null) {
      fs.mkdirSync(abs, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

export function cleanupProjects(): void {
  for (const dir of created.splice(0)) {
    // Unreadable test files must be made readable again before removal works everywhere.
    try {
      fs.chmodSync(dir, 0o755);
    } catch {
      // already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A DatabaseTarget for `<root>/<dir>` without going through a config file. */
export function targetFor(root: string, dir = 'migrations', extra: Partial<DatabaseTarget> = {}): DatabaseTarget {
  return {
    environment: null,
    binding: 'DB',
    databaseName: 'db',
    migrationsDirSetting: dir,
    migrationsDirAbs: path.join(root, dir),
    migrationsDir: dir,
    migrationsTable: 'd1_migrations',
    configPath: path.join(root, 'wrangler.toml'),
    ...extra,
  };
}

/** MigrationFile objects for names alone, in wrangler 4.86 apply order (for the filename rules). */
export function filesFromNames(names: string[], dir = 'migrations'): MigrationFile[] {
  return wrangler486Order(names).map((name) => ({
    name,
    path: `/project/${dir}/${name}`,
    relPath: `${dir}/${name}`,
    number: wrangler486Number(name),
    numberText: leadingDigits(name),
    sql: 'SELECT 1;',
    bytes: 9,
  }));
}
