/**
 * `--to`'s temporary config: the one binding copied as written from the right environment (its account too),
 * migrations_dir — and a migrations_pattern re-rooted — pointing at a copy of exactly the given files under
 * the names wrangler records, local state kept where wrangler keeps it for the real config.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseTarget, MigrationFile } from '../../src/types.js';
import { scopedSession } from '../../src/wrangler/scoped-config.js';
import type { WranglerSession } from '../../src/wrangler/session.js';
import { makeProject } from '../support/project.js';

const TOML = `name = "shop"
account_id = "top-account"
compatibility_date = "2025-01-01"

[[d1_databases]]
binding = "DB"
database_name = "dev-db"
database_id = "dev-id"

[env.production]
account_id = "prod-account"

[[env.production.d1_databases]]
binding = "DB"
database_name = "prod-db"
database_id = "prod-id"
preview_database_id = "prod-preview"
migrations_dir = "db"
migrations_table = "ledger"
migrations_pattern = "db/*/migration.sql"

[[env.production.d1_databases]]
binding = "OTHER"
database_name = "other-db"
database_id = "other-id"
`;

function setup(where: 'local' | 'remote') {
  const cwd = makeProject({ 'wrangler.toml': TOML, 'db/0001_a/migration.sql': 'CREATE TABLE a (id INTEGER);\n', 'db/0002_b/migration.sql': 'CREATE TABLE b (id INTEGER);\r\n' });
  const target: DatabaseTarget = {
    environment: 'production',
    binding: 'DB',
    databaseName: 'prod-db',
    databaseId: 'prod-id',
    migrationsDirSetting: 'db',
    migrationsDirAbs: join(cwd, 'db'),
    migrationsDir: 'db',
    migrationsTable: 'ledger',
    migrationsPattern: 'db/*/migration.sql',
    configPath: join(cwd, 'wrangler.toml'),
  };
  const file = (name: string): MigrationFile => ({ name, path: join(cwd, 'db', name), relPath: `db/${name}`, number: 1, numberText: '0001', sql: '', bytes: 0 });
  const session = { target, where, persistTo: undefined } as unknown as WranglerSession;
  return { cwd, session, files: [file('0001_a/migration.sql')], all: [file('0001_a/migration.sql'), file('0002_b/migration.sql')] };
}

/** The temporary config (JSON) as these tests read it; the first test checks all of it. */
interface ScopedConfig {
  d1_databases: { migrations_dir: string }[];
}
const readConfig = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ScopedConfig;

test('the environment binding, its account, the files given and nothing else', () => {
  const { session, files, cwd } = setup('remote');
  const scoped = scopedSession(session, files);
  const config = readConfig(scoped.session.target.configPath);
  const dir = config.d1_databases[0]!.migrations_dir;
  expect(config).toEqual({
    name: 'shop',
    compatibility_date: '2025-01-01',
    account_id: 'prod-account',
    d1_databases: [
      {
        binding: 'DB',
        database_name: 'prod-db',
        database_id: 'prod-id',
        preview_database_id: 'prod-preview',
        migrations_dir: dir,
        migrations_table: 'ledger',
        migrations_pattern: `${dir}/*/migration.sql`,
      },
    ],
  });
  expect(readdirSync(dir)).toEqual(['0001_a']);
  expect(readFileSync(join(dir, '0001_a', 'migration.sql'), 'utf8')).toBe(readFileSync(join(cwd, 'db/0001_a/migration.sql'), 'utf8'));
  expect(scoped.session.target.environment).toBeNull();
  expect(scoped.session.persistTo).toBeUndefined();
  scoped.dispose();
  expect(existsSync(dir)).toBe(false);
});

test('local: the state stays where wrangler keeps it for the real config; bytes are copied as they are', () => {
  const { session, all, cwd } = setup('local');
  const scoped = scopedSession(session, all);
  expect(scoped.session.persistTo).toBe(join(cwd, '.wrangler', 'state'));
  const dir = readConfig(scoped.session.target.configPath).d1_databases[0]!.migrations_dir;
  expect(readFileSync(join(dir, '0002_b', 'migration.sql'), 'utf8')).toBe('CREATE TABLE b (id INTEGER);\r\n');
  scoped.dispose();
  const explicit = scopedSession({ ...session, persistTo: 'state-dir' }, all);
  expect(explicit.session.persistTo).toBe('state-dir');
  explicit.dispose();
});
