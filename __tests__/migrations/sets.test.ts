/**
 * Whole projects as wrangler reads them: the config is found, each environment resolves the binding to its
 * database and migrations folder, and discovery lists the files wrangler applies, in its order, without
 * naming findings. On the fixture sets always, and on the real-world corpus when it is present.
 */
import path from 'node:path';
import { findConfig } from '../../src/config/find-config.js';
import { resolveDatabases } from '../../src/config/resolve-databases.js';
import { discoverMigrations } from '../../src/migrations/discover.js';
import { checkFilenames } from '../../src/rules/filename-rules.js';
import { UsageError } from '../../src/errors.js';
import { CORPUS_DIR, describeCorpus } from '../support/corpus.js';
import { CORPUS_SETS, FIXTURE_SETS, FIXTURES_DIR, type SetSpec } from '../support/sets.js';
import fs from 'node:fs';

function setTests(root: string, sets: SetSpec[]): void {
  for (const s of sets) {
    for (const { environment, databaseName } of s.databases) {
      test(`${s.set}${environment === null ? '' : ` (env ${environment})`}: ${s.binding} is ${databaseName}, ${s.files} files from ${s.firstNumber}, no naming findings`, () => {
        const cwd = path.join(root, s.set);
        const configPath = findConfig(cwd);
        expect(configPath).toBe(path.join(cwd, s.config));
        const [target, ...rest] = resolveDatabases({ cwd, configPath, environment, database: s.binding });
        expect(rest).toEqual([]);
        expect(target).toMatchObject({
          binding: s.binding,
          databaseName,
          environment,
          migrationsDir: s.migrationsDir,
          migrationsDirSetting: s.migrationsDirSetting ?? s.migrationsDir,
          migrationsTable: 'd1_migrations',
        });
        const set = discoverMigrations(target!, cwd);
        expect(set.files).toHaveLength(s.files);
        expect(set.findings).toEqual([]);
        expect(checkFilenames(set.files, 'sequential')).toEqual([]);
        expect(set.files[0]!.numberText).toBe(s.firstNumber);
        // Real projects are zero-padded: apply order equals name order.
        expect(set.files.map((f) => f.name)).toEqual(set.files.map((f) => f.name).sort());
      });
    }

    if (!s.databases.some((d) => d.environment === null)) {
      test(`${s.set}: no top-level D1 binding, so running without an environment is a clear error`, () => {
        const cwd = path.join(root, s.set);
        const envs = s.databases.map((d) => `"${d.environment}"`).join(', ');
        const run = () => resolveDatabases({ cwd, configPath: findConfig(cwd), environment: null });
        expect(run).toThrow(UsageError);
        expect(run).toThrow(new RegExp(`declares no D1 database at the top level.*Only environments declare D1 databases here \\(${envs}\\)`, 's'));
      });
    }

    if (s.ignoredSubfolder) {
      const sub = s.ignoredSubfolder;
      test(`${s.set}: the .sql files under ${s.migrationsDir}/${sub}/ are never applied`, () => {
        const cwd = path.join(root, s.set);
        expect(fs.readdirSync(path.join(cwd, s.migrationsDir, sub)).filter((n) => n.endsWith('.sql')).length).toBeGreaterThan(0);
        const [target] = resolveDatabases({ cwd, configPath: findConfig(cwd), environment: s.databases[0]!.environment });
        const names = discoverMigrations(target!, cwd).files.map((f) => f.name);
        expect(names.filter((n) => n.includes('/'))).toEqual([]);
        expect(names).toHaveLength(s.files);
      });
    }
  }
}

describe('fixture sets', () => setTests(FIXTURES_DIR, FIXTURE_SETS));
describeCorpus('real-world sets', () => setTests(CORPUS_DIR!, CORPUS_SETS));
