import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { findConfig } from '../config/find-config.js';
import { resolveDatabases } from '../config/resolve-databases.js';
import { UsageError } from '../errors.js';
import type { RawInputs } from '../options.js';

export interface NewMigration {
  file: string;
  name: string;
  number: string;
}

/**
 * `d1-migrate new "add jobs table"`: the next file named the way `wrangler d1 migrations create` names
 * it (`0002_add_jobs_table.sql`), keeping the folder's own style (padding, or timestamps).
 */
export function newMigration(args: { raw: RawInputs; baseDir: string; description: string; now?: Date }): NewMigration {
  const description = args.description.trim();
  if (!description) throw new UsageError('d1-migrate new needs a description, e.g. d1-migrate new "add jobs table".');
  if (!/^[\p{L}\p{N} _-]+$/u.test(description)) {
    throw new UsageError(`Invalid migration description "${description}": use letters, digits, spaces, '-' and '_' only (it becomes the file name).`);
  }
  const cwd = resolve(args.baseDir, args.raw['working-directory'] || '.');
  const configPath = findConfig(cwd, args.raw.config || undefined);
  const environment = args.raw.environment?.split(',')[0]?.trim() || null;
  // The same resolution validate uses (config, override, inside the working directory); only a folder that
  // does not exist yet is accepted, since creating the first migration creates it.
  const [target] = resolveDatabases({
    cwd,
    configPath,
    environment,
    database: args.raw.database || undefined,
    migrationsDir: args.raw['migrations-dir'] || undefined,
    allowMissingDir: true,
  });
  const dir = target!.migrationsDirAbs; // resolveDatabases returns at least one database or throws
  mkdirSync(dir, { recursive: true });
  const existing = readdirSync(dir).filter((n) => n.endsWith('.sql'));
  const number = nextNumber(existing, args.now ?? new Date());
  const slug = description.replace(/ /g, '_');
  const name = `${number}_${slug}.sql`;
  const clash = existing.find((n) => n.split('_')[0] === number || n === name);
  if (clash) throw new UsageError(`Refusing to create ${name}: ${clash} already uses number ${number}.`);
  const path = join(dir, name);
  if (existsSync(path)) throw new UsageError(`Refusing to overwrite ${path}.`);
  writeFileSync(
    path,
    `-- Migration number: ${number} \t ${(args.now ?? new Date()).toISOString()}\n` +
      `-- ${description}\n` +
      `-- D1 runs this whole file atomically: do not add BEGIN/COMMIT. Foreign keys are always enforced;\n` +
      `-- use PRAGMA defer_foreign_keys = on for table rebuilds (see docs/migration-guide.md).\n`,
  );
  return { file: relative(cwd, path).split('\\').join('/'), name, number };
}

/** Same width as the folder uses (default 4 like wrangler); timestamps when the folder uses them. */
export function nextNumber(existing: string[], now: Date): string {
  const numbers = existing.map((n) => /^(\d+)_/.exec(n)?.[1]).filter((n): n is string => Boolean(n));
  const timestampStyle = numbers.length > 0 && numbers.filter((n) => n.length >= 12).length * 2 > numbers.length;
  if (timestampStyle) {
    const width = Math.max(...numbers.map((n) => n.length));
    const stamp = now.toISOString().replace(/\D/g, '').slice(0, width);
    const max = numbers.map((n) => BigInt(n)).reduce((a, b) => (a > b ? a : b), 0n);
    const candidate = BigInt(stamp) > max ? BigInt(stamp) : max + 1n;
    return candidate.toString().padStart(width, '0');
  }
  const width = numbers.length ? Math.max(4, ...numbers.map((n) => n.length)) : 4;
  const max = numbers.reduce((m, n) => Math.max(m, parseInt(n, 10)), 0);
  return String(max + 1).padStart(width, '0');
}
