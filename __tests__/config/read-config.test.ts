import path from 'node:path';
import { readConfig } from '../../src/config/read-config.js';
import { UsageError } from '../../src/errors.js';
import { cleanupProjects, makeProject } from '../migrations/fixtures.js';
import { corpusPath, describeCorpus } from '../support/corpus.js';
import { FIXTURES_DIR } from '../support/sets.js';

afterEach(cleanupProjects);

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('readConfig', () => {
  test('a TOML config with keys wrangler 4 rejects (node_compat) still yields its D1 bindings', () => {
    const config = readConfig(path.join(FIXTURES_DIR, 'fts5-feed/wrangler.toml'));
    expect(config.format).toBe('toml');
    expect(config.name).toBe('feed');
    expect(config.topLevel.d1Databases).toEqual([{ binding: 'DATABASE', database_name: 'feed', database_id: '5b8f0c2e-1d4a-4e6b-9f3c-7a2d1e0b4c8f' }]);
    expect(config.environments.size).toBe(0);
  });

  test('environments are read from [env.X] tables, inline tables and arrays of tables alike', () => {
    const config = readConfig(path.join(FIXTURES_DIR, 'multi-env/wrangler.toml'));
    expect([...config.environments.keys()]).toEqual(['dev', 'staging', 'production']);
    expect(config.accountId).toBe('0a1b2c3d4e5f60718293a4b5c6d7e8f9');
    expect(config.environments.get('dev')?.d1Databases).toEqual([{ binding: 'ACCESS_DB', database_name: 'access-dev', database_id: '2f3e4d5c-6b7a-4889-8a1b-2c3d4e5f6a7b' }]);
    expect(config.environments.get('staging')?.d1Databases).toEqual([{ binding: 'ACCESS_DB', database_name: 'access-staging', database_id: '3a4b5c6d-7e8f-4a9b-8c0d-1e2f3a4b5c6d' }]);
    expect(config.environments.get('production')?.d1Databases).toEqual([{ binding: 'ACCESS_DB', database_name: 'access', database_id: '4b5c6d7e-8f9a-4b0c-9d1e-2f3a4b5c6d7e' }]);
  });

  test('JSONC comments and trailing commas are accepted, in .json files too as wrangler accepts them', () => {
    const root = makeProject({
      'wrangler.jsonc': '// c\n{ /* b */ "d1_databases": [ { "binding": "DB", }, ], }',
      'wrangler.json': '{ "d1_databases": [ { "binding": "DB" }, ], }',
    });
    expect(readConfig(path.join(root, 'wrangler.jsonc')).topLevel.d1Databases).toEqual([{ binding: 'DB' }]);
    expect(readConfig(path.join(root, 'wrangler.json')).format).toBe('json');
  });

  test('malformed TOML names the file, line, column and the parser message', () => {
    const root = makeProject({ 'wrangler.toml': 'name = "x"\n[[d1_databases]]\nbinding = \n' });
    const text = message(() => readConfig(path.join(root, 'wrangler.toml')));
    expect(text).toMatch(new RegExp(`${path.join(root, 'wrangler.toml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: invalid TOML: `));
  });

  test('malformed JSONC names the file, line, column and the error', () => {
    const root = makeProject({ 'wrangler.jsonc': '{\n  "name": "x"\n  "d1_databases": []\n}' });
    const text = message(() => readConfig(path.join(root, 'wrangler.jsonc')));
    expect(text).toContain(`${path.join(root, 'wrangler.jsonc')}:3:3: invalid JSONC: CommaExpected`);
  });

  test('a UTF-8 byte order mark is dropped like wrangler drops it, while UTF-16 is refused', () => {
    const root = makeProject({
      'a.toml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('[[d1_databases]]\nbinding = "DB"\n')]),
      'b.toml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('n\0=\0', 'latin1')]),
    });
    expect(readConfig(path.join(root, 'a.toml')).topLevel.d1Databases).toEqual([{ binding: 'DB' }]);
    expect(message(() => readConfig(path.join(root, 'b.toml')))).toMatch(/UTF-16 LE.*Save the file as UTF-8/);
  });

  test('a file that is not .toml, .json or .jsonc is refused with the allowed endings', () => {
    const root = makeProject({ 'wrangler.yaml': 'a: 1' });
    expect(message(() => readConfig(path.join(root, 'wrangler.yaml')))).toContain('must end in .toml, .json or .jsonc');
  });

  test('a JSON config whose top level is not an object is refused', () => {
    const root = makeProject({ 'wrangler.json': '[1,2]' });
    expect(message(() => readConfig(path.join(root, 'wrangler.json')))).toContain('must contain an object at the top level');
  });

  test('an env key that is not a table is refused, naming it', () => {
    const root = makeProject({ 'wrangler.json': '{"env": {"prod": 3}}' });
    expect(message(() => readConfig(path.join(root, 'wrangler.json')))).toContain('"env.prod"');
  });

  test('pages_build_output_dir marks a Pages project', () => {
    const root = makeProject({ 'wrangler.toml': 'pages_build_output_dir = "dist"\n' });
    expect(readConfig(path.join(root, 'wrangler.toml')).isPages).toBe(true);
  });
});

describeCorpus('readConfig on real-world configs', () => {
  test('a TOML config with keys wrangler 4 rejects (node_compat) still yields its D1 bindings', () => {
    const config = readConfig(corpusPath('cloudflare__wildebeest/wrangler.toml'));
    expect(config.format).toBe('toml');
    expect(config.name).toBe('wildebeest');
    expect(config.topLevel.d1Databases).toEqual([
      { binding: 'DATABASE', database_name: 'wildebeest', database_id: '83821907-97fd-44b4-8f21-e3d6b736e7ef' },
    ]);
    expect(config.environments.size).toBe(0);
  });

  test('environments are read from [env.X] tables, inline tables and arrays of tables alike', () => {
    const config = readConfig(corpusPath('storacha__w3up__access-api/wrangler.toml'));
    expect([...config.environments.keys()]).toEqual(['dev', 'staging', 'production']);
    expect(config.accountId).toBe('fffa4b4363a7e5250af8357087263b3a');
    expect(config.environments.get('staging')?.d1Databases).toEqual([
      { binding: '__D1_BETA__', database_name: 'access-staging', database_id: '16f0660e-2a8e-4e13-9f05-0a2a594d91ed' },
    ]);
  });
});
