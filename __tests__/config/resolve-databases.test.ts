import fs from 'node:fs';
import path from 'node:path';
import { resolveDatabases, type ResolveDatabasesOptions } from '../../src/config/resolve-databases.js';
import { UsageError } from '../../src/errors.js';
import { cleanupProjects, makeProject } from '../migrations/fixtures.js';

afterEach(cleanupProjects);

function project(config: string, extra: Record<string, string | null> = {}, name = 'wrangler.toml'): string {
  return makeProject({ [name]: config, 'migrations/0001_a.sql': 'SELECT 1;', ...extra });
}

function resolve(root: string, opts: Partial<ResolveDatabasesOptions> = {}) {
  return resolveDatabases({ cwd: root, configPath: path.join(root, 'wrangler.toml'), environment: null, ...opts });
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

const ONE = '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "app"\ndatabase_id = "id-1"\npreview_database_id = "p-1"\n';
const ENVS = `${ONE}
[[env.staging.d1_databases]]
binding = "DB"
database_name = "app-staging"
database_id = "id-s"
migrations_dir = "./migrations"

[env.production]
d1_databases = [{ binding = "DB", database_name = "app-prod", database_id = "id-p", migrations_table = "history" }]

[env.empty]
name = "x"
`;

describe('resolveDatabases', () => {
  test('the only top-level binding is resolved with every DatabaseTarget field filled', () => {
    const root = project(ONE);
    expect(resolve(root)).toEqual([
      {
        environment: null,
        binding: 'DB',
        databaseName: 'app',
        databaseId: 'id-1',
        previewDatabaseId: 'p-1',
        migrationsDirSetting: 'migrations',
        migrationsDirAbs: path.join(root, 'migrations'),
        migrationsDir: 'migrations',
        migrationsTable: 'd1_migrations',
        configPath: path.join(root, 'wrangler.toml'),
      },
    ]);
  });

  test('an environment gets only its own d1_databases, not the top-level ones', () => {
    const root = project(ENVS);
    const [staging] = resolve(root, { environment: 'staging' });
    expect(staging).toMatchObject({ environment: 'staging', databaseName: 'app-staging', migrationsDir: 'migrations', migrationsDirSetting: './migrations' });
    const [prod] = resolve(root, { environment: 'production' });
    expect(prod).toMatchObject({ databaseName: 'app-prod', migrationsTable: 'history' });
  });

  test('an environment that is not in the config lists the environments that exist', () => {
    const root = project(ENVS);
    const text = message(() => resolve(root, { environment: 'prod' }));
    expect(text).toContain('environment: "prod" is not defined');
    expect(text).toContain('"staging", "production", "empty"');
  });

  test('asking for an environment in a config without any says so instead of silently using the top level', () => {
    const root = project(ONE);
    expect(message(() => resolve(root, { environment: 'production' }))).toContain('defines no environments at all');
  });

  test('an empty environment name means the top level, as wrangler treats --env ""', () => {
    const root = project(ENVS);
    expect(resolve(root, { environment: '' })[0]).toMatchObject({ environment: null, databaseName: 'app' });
  });

  test('a Pages project falls back to the top level for an undeclared environment, as wrangler does', () => {
    const root = project(`pages_build_output_dir = "dist"\n${ONE}`);
    expect(resolve(root, { environment: 'preview' })[0]).toMatchObject({ environment: 'preview', databaseName: 'app' });
  });

  test('an environment without d1_databases explains the non-inheritance and quotes the TOML to add', () => {
    const root = project(ENVS);
    const text = message(() => resolve(root, { environment: 'empty' }));
    expect(text).toContain('d1_databases is not inherited from the top level by [env.empty]');
    expect(text).toContain('[[env.empty.d1_databases]]\nbinding = "DB"\ndatabase_name = "app"\ndatabase_id = "id-1"');
  });

  test('for a JSON config the same error quotes the JSON to add', () => {
    const root = makeProject({
      'wrangler.jsonc': '{ "d1_databases": [{ "binding": "DB", "database_name": "app" }], "env": { "staging": {} } }',
      'migrations/0001_a.sql': '',
    });
    const text = message(() => resolveDatabases({ cwd: root, configPath: path.join(root, 'wrangler.jsonc'), environment: 'staging' }));
    expect(text).toContain('"env": {\n    "staging": {\n      "d1_databases": [\n        {\n          "binding": "DB",\n          "database_name": "app"');
  });

  test('a config with no D1 binding at all is a clear error naming the file', () => {
    const root = project('name = "w"\n[[kv_namespaces]]\nbinding = "KV"\nid = "x"\n');
    const text = message(() => resolve(root));
    expect(text).toContain(`${path.join(root, 'wrangler.toml')} declares no D1 database at the top level`);
    expect(text).toContain('[[d1_databases]]');
  });

  const TWO = `${ONE}\n[[d1_databases]]\nbinding = "AUDIT"\ndatabase_name = "audit"\nmigrations_dir = "audit-migrations"\n`;

  test('database matches a binding or a database_name, taking the first match like wrangler', () => {
    const root = project(`${TWO}\n[[d1_databases]]\nbinding = "app"\ndatabase_name = "other"\n`, { 'audit-migrations': null });
    expect(resolve(root, { database: 'AUDIT' }).map((t) => t.binding)).toEqual(['AUDIT']);
    expect(resolve(root, { database: 'audit' })[0]!.migrationsDir).toBe('audit-migrations');
    // "app" is the first entry's database_name and the third entry's binding: the first entry wins.
    expect(resolve(root, { database: 'app' }).map((t) => t.binding)).toEqual(['DB']);
  });

  test('database "all" returns every binding in config order', () => {
    const root = project(TWO, { 'audit-migrations': null });
    expect(resolve(root, { database: 'all' }).map((t) => t.binding)).toEqual(['DB', 'AUDIT']);
  });

  test('several bindings without a database input lists them and asks for database or all', () => {
    const root = project(TWO, { 'audit-migrations': null });
    const text = message(() => resolve(root));
    expect(text).toContain('database: wrangler.toml declares 2 D1 databases at the top level');
    expect(text).toContain('binding "DB" (database_name "app"), binding "AUDIT" (database_name "audit")');
    expect(text).toContain('"all"');
  });

  test('an unknown database lists the available bindings and names', () => {
    const root = project(TWO, { 'audit-migrations': null });
    const text = message(() => resolve(root, { database: 'USERS' }));
    expect(text).toContain('"USERS" is not a D1 binding or database_name');
    expect(text).toContain('binding "AUDIT" (database_name "audit")');
  });

  test('two bindings with the same name in one environment are refused like wrangler refuses them', () => {
    const root = project(`${ONE}\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "other"\n`);
    expect(message(() => resolve(root, { database: 'other' }))).toContain('declares the binding "DB" twice (entries 0 and 1)');
  });

  test('migrations_dir is relative to the config file directory and the override to the working directory', () => {
    const root = makeProject({
      'worker/wrangler.toml': '[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "db/migrations"\n',
      'worker/db/migrations/0001_a.sql': '',
      'sql/0001_a.sql': '',
    });
    const configPath = path.join(root, 'worker/wrangler.toml');
    const [fromConfig] = resolveDatabases({ cwd: root, configPath, environment: null });
    expect(fromConfig).toMatchObject({ migrationsDir: 'worker/db/migrations', migrationsDirSetting: 'db/migrations', databaseName: 'DB' });
    const [overridden] = resolveDatabases({ cwd: root, configPath, environment: null, migrationsDir: 'sql' });
    expect(overridden).toMatchObject({ migrationsDir: 'sql', migrationsDirSetting: 'sql', migrationsDirAbs: path.join(root, 'sql') });
  });

  test('a migrations_dir equal to the project directory is shown as "."', () => {
    const root = makeProject({ 'wrangler.toml': '[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "."\n' });
    expect(resolve(root)[0]!.migrationsDir).toBe('.');
  });

  test('an empty migrations_table falls back to d1_migrations like wrangler (`||`)', () => {
    const root = project('[[d1_databases]]\nbinding = "DB"\nmigrations_table = ""\n');
    expect(resolve(root)[0]!.migrationsTable).toBe('d1_migrations');
  });

  test('a migrations_dir outside the working directory is refused', () => {
    const root = project('[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "../../etc"\n');
    const text = message(() => resolve(root));
    expect(text).toContain('migrations_dir "../../etc"');
    expect(text).toContain('outside the working directory');
  });

  test('a migrations_dir reached through a symlink that leaves the working directory is refused', () => {
    const outside = makeProject({ 'migrations/0001_a.sql': '' });
    const root = makeProject({ 'wrangler.toml': '[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "linked"\n' });
    fs.symlinkSync(path.join(outside, 'migrations'), path.join(root, 'linked'));
    const text = message(() => resolve(root));
    expect(text).toContain('resolves through a symbolic link');
    expect(text).toContain(path.join(outside, 'migrations'));
  });

  test('a symlinked migrations_dir that stays inside the working directory is fine', () => {
    const root = makeProject({ 'wrangler.toml': '[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "linked"\n', 'real/0001_a.sql': '' });
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'linked'));
    expect(resolve(root)[0]!.migrationsDir).toBe('linked');
  });

  test('a missing migrations directory names the expected path and wrangler\'s own error', () => {
    const root = makeProject({ 'wrangler.toml': ONE });
    const text = message(() => resolve(root));
    expect(text).toContain(`expected ${path.join(root, 'migrations')}`);
    expect(text).toContain(`No migrations present at ${path.join(root, 'migrations')}.`);
    expect(text).toContain('default migrations_dir "migrations"');
  });

  test('a migrations_dir that is a file is refused', () => {
    const root = makeProject({ 'wrangler.toml': '[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "m.sql"\n', 'm.sql': '' });
    expect(message(() => resolve(root))).toContain('is a file, not a directory');
  });

  test('migrations_pattern is kept normalized when it starts with migrations_dir/', () => {
    const root = project('[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "./migrations"\nmigrations_pattern = "./migrations/*/migration.sql"\n');
    expect(resolve(root)[0]!.migrationsPattern).toBe('migrations/*/migration.sql');
  });

  test('migrations_pattern that does not start with migrations_dir/ fails with newest wrangler\'s message', () => {
    const root = project('[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "migrations"\nmigrations_pattern = "drizzle/*.sql"\n');
    const text = message(() => resolve(root));
    expect(text).toContain('The configured `migrations_pattern: "drizzle/*.sql"` in your wrangler.toml file must start with `migrations/`');
    expect(text).toContain('`"migrations/*.sql"`');
  });

  test('migrations_pattern without migrations_dir fails like newest wrangler', () => {
    const root = project('[[d1_databases]]\nbinding = "DB"\nmigrations_pattern = "migrations/*.sql"\n');
    expect(message(() => resolve(root))).toContain('but have not set `migrations_dir` for this D1 binding');
  });

  test('with a migrations-dir override the pattern is re-rooted on the override', () => {
    const root = project('[[d1_databases]]\nbinding = "DB"\nmigrations_dir = "migrations"\nmigrations_pattern = "migrations/*/migration.sql"\n', { 'db/x': null });
    const [target] = resolve(root, { migrationsDir: 'db' });
    expect(target).toMatchObject({ migrationsDirSetting: 'db', migrationsPattern: 'db/*/migration.sql' });
  });

  test('d1_databases that is not an array, or an entry without a binding, is refused naming the key', () => {
    expect(message(() => resolve(project('d1_databases = "DB"\n')))).toContain('"d1_databases" in');
    expect(message(() => resolve(project('[[d1_databases]]\ndatabase_name = "x"\n')))).toContain('"d1_databases[0]"');
    expect(message(() => resolve(project('[[d1_databases]]\nbinding = "DB"\nmigrations_dir = 3\n')))).toContain('"migrations_dir" of "d1_databases[0]"');
  });
});
