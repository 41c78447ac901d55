import fs from 'node:fs';
import path from 'node:path';
import { findConfig } from '../../src/config/find-config.js';
import { resolveDatabases } from '../../src/config/resolve-databases.js';
import { discoverMigrations } from '../../src/migrations/discover.js';
import { checkFilenames } from '../../src/rules/filename-rules.js';
import { UsageError } from '../../src/errors.js';
import { CORPUS } from './fixtures.js';

/** Ground truth from ../shared/corpus/README.md (real wrangler runs). */
const SETS: { set: string; config: string; binding: string; environments: (string | null)[]; files: number; migrationsDir: string }[] = [
  { set: 'cloudflare__wildebeest', config: 'wrangler.toml', binding: 'DATABASE', environments: [null], files: 11, migrationsDir: 'migrations' },
  { set: 'cloudflare__templates__d1-template', config: 'wrangler.json', binding: 'DB', environments: [null], files: 1, migrationsDir: 'migrations' },
  { set: 'cloudflare__templates__saas-admin-template', config: 'wrangler.jsonc', binding: 'DB', environments: [null], files: 3, migrationsDir: 'migrations' },
  { set: 'beilunyang__moemail', config: 'wrangler.toml', binding: 'DB', environments: [null], files: 19, migrationsDir: 'drizzle' },
  { set: 'redwoodjs__sdk__experiments-billable', config: 'wrangler.toml', binding: 'DB', environments: [null], files: 11, migrationsDir: 'migrations' },
  {
    set: 'storacha__w3up__access-api',
    config: 'wrangler.toml',
    binding: '__D1_BETA__',
    environments: [null, 'dev', 'staging', 'production'],
    files: 8,
    migrationsDir: 'migrations',
  },
  { set: 'zpg6__better-auth-cloudflare__examples-hono', config: 'wrangler.toml', binding: 'DATABASE', environments: [null], files: 2, migrationsDir: 'drizzle' },
  {
    set: 'funvill__cultural-archiver__workers-ab6b4f0',
    config: 'wrangler.toml',
    binding: 'DB',
    environments: ['production', 'development'],
    files: 2,
    migrationsDir: 'migrations',
  },
];

const available = fs.existsSync(CORPUS);
(available ? describe : describe.skip)('real-world corpus', () => {
  for (const c of SETS) {
    for (const environment of c.environments) {
      test(`${c.set}${environment === null ? '' : ` (env ${environment})`} resolves ${c.binding}, lists ${c.files} files and has no naming findings`, () => {
        const cwd = path.join(CORPUS, c.set);
        const configPath = findConfig(cwd);
        expect(configPath).toBe(path.join(cwd, c.config));
        const [target, ...rest] = resolveDatabases({ cwd, configPath, environment, database: c.binding });
        expect(rest).toEqual([]);
        expect(target).toMatchObject({ binding: c.binding, environment, migrationsDir: c.migrationsDir, migrationsTable: 'd1_migrations' });
        const set = discoverMigrations(target!, cwd);
        expect(set.files).toHaveLength(c.files);
        expect(set.findings).toEqual([]);
        expect(checkFilenames(set.files, 'sequential')).toEqual([]);
        // Real projects are zero-padded: apply order equals name order.
        expect(set.files.map((f) => f.name)).toEqual(set.files.map((f) => f.name).sort());
      });
    }
  }

  test('storacha resolves a different database for each environment', () => {
    const cwd = path.join(CORPUS, 'storacha__w3up__access-api');
    const configPath = findConfig(cwd);
    const names = [null, 'dev', 'staging', 'production'].map(
      (environment) => resolveDatabases({ cwd, configPath, environment })[0]!.databaseName,
    );
    expect(names).toEqual(['spaces-dev', 'access-dev', 'access-staging', 'access']);
  });

  test('funvill applies only the two top-level files, starting at 0020, and never the old/ folder', () => {
    const cwd = path.join(CORPUS, 'funvill__cultural-archiver__workers-ab6b4f0');
    const [target] = resolveDatabases({ cwd, configPath: findConfig(cwd), environment: 'production' });
    expect(target!.migrationsDirSetting).toBe('./migrations');
    const set = discoverMigrations(target!, cwd);
    expect(set.files.map((f) => f.name)).toEqual(['0020_good_start.sql', '0021_submission_review_alignment.sql']);
    expect(set.files.map((f) => f.number)).toEqual([20, 21]);
  });

  test('funvill has no top-level D1 binding, so running without an environment is a clear error', () => {
    const cwd = path.join(CORPUS, 'funvill__cultural-archiver__workers-ab6b4f0');
    expect(() => resolveDatabases({ cwd, configPath: findConfig(cwd), environment: null })).toThrow(UsageError);
    expect(() => resolveDatabases({ cwd, configPath: findConfig(cwd), environment: null })).toThrow(/declares no D1 database at the top level.*Only environments declare D1 databases here \("production", "development"\)/s);
  });

  test('drizzle and storacha sets start at 0000 without a gap finding', () => {
    for (const set of ['beilunyang__moemail', 'storacha__w3up__access-api', 'zpg6__better-auth-cloudflare__examples-hono']) {
      const cwd = path.join(CORPUS, set);
      const [target] = resolveDatabases({ cwd, configPath: findConfig(cwd), environment: null });
      expect(discoverMigrations(target!, cwd).files[0]!.numberText).toBe('0000');
    }
  });
});
