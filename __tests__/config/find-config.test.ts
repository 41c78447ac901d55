import fs from 'node:fs';
import path from 'node:path';
import { findConfig } from '../../src/config/find-config.js';
import { UsageError } from '../../src/errors.js';
import { cleanupProjects, makeProject } from '../migrations/fixtures.js';

afterEach(cleanupProjects);

function thrown(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('findConfig', () => {
  test('an explicit path relative to the working directory resolves to the absolute file', () => {
    const root = makeProject({ 'deploy/wrangler.prod.toml': 'name = "x"\n' });
    expect(findConfig(root, 'deploy/wrangler.prod.toml')).toBe(path.join(root, 'deploy/wrangler.prod.toml'));
  });

  test('an explicit path that does not exist names the config input, the value and where it looked', () => {
    const root = makeProject();
    const error = thrown(() => findConfig(root, 'nope/wrangler.toml'));
    expect(error.message).toContain('config');
    expect(error.message).toContain('"nope/wrangler.toml"');
    expect(error.message).toContain(path.join(root, 'nope/wrangler.toml'));
  });

  test('an explicit path that is a directory is rejected', () => {
    const root = makeProject({ conf: null });
    expect(thrown(() => findConfig(root, 'conf')).message).toMatch(/is a directory, not a file/);
  });

  test('without an explicit path the file in the working directory is found', () => {
    const root = makeProject({ 'wrangler.toml': '' });
    expect(findConfig(root)).toBe(path.join(root, 'wrangler.toml'));
  });

  test('wrangler.json wins over wrangler.jsonc, which wins over wrangler.toml', () => {
    const root = makeProject({ 'wrangler.toml': '', 'wrangler.jsonc': '{}', 'wrangler.json': '{}' });
    expect(findConfig(root)).toBe(path.join(root, 'wrangler.json'));
    fs.rmSync(path.join(root, 'wrangler.json'));
    expect(findConfig(root)).toBe(path.join(root, 'wrangler.jsonc'));
  });

  test('the search walks up parent directories like wrangler does', () => {
    const root = makeProject({ 'wrangler.toml': '', 'src/deep/x.txt': '' });
    expect(findConfig(path.join(root, 'src/deep'))).toBe(path.join(root, 'wrangler.toml'));
  });

  test('a wrangler.json in a parent directory beats a wrangler.toml in the working directory, as in wrangler', () => {
    const root = makeProject({ 'wrangler.json': '{}', 'app/wrangler.toml': '' });
    expect(findConfig(path.join(root, 'app'))).toBe(path.join(root, 'wrangler.json'));
  });

  test('a directory named wrangler.toml is skipped and a symlink to a config file counts', () => {
    const root = makeProject({ 'real.toml': '', 'app/wrangler.toml': null });
    fs.symlinkSync(path.join(root, 'real.toml'), path.join(root, 'wrangler.toml'));
    expect(findConfig(path.join(root, 'app'))).toBe(path.join(root, 'wrangler.toml'));
  });

  test('a .wrangler/deploy/config.json redirect is not followed, since wrangler d1 commands ignore it', () => {
    const root = makeProject({
      'wrangler.toml': '',
      '.wrangler/deploy/config.json': '{"configPath":"../../dist/wrangler.json"}',
      'dist/wrangler.json': '{}',
    });
    expect(findConfig(root)).toBe(path.join(root, 'wrangler.toml'));
  });

  test('when nothing is found the error lists the file names and the directories searched', () => {
    const root = makeProject({ 'a/b': null });
    const error = thrown(() => findConfig(path.join(root, 'a/b')));
    expect(error.message).toContain('wrangler.json, wrangler.jsonc, wrangler.toml');
    expect(error.message).toContain(path.join(root, 'a/b'));
    expect(error.message).toContain(path.join(root, 'a'));
  });
});
