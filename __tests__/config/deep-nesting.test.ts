/**
 * Issue 13 point 12: a config nested absurdly deep gets a clear error naming the file and the position,
 * never "Maximum call stack size exceeded" (jsonc-parser and JSON.stringify recurse once per level).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_CONFIG_DEPTH, readConfig } from '../../src/config/read-config.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-deep-'));
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
function errorOf(file: string): string {
  try {
    readConfig(file);
  } catch (error) {
    expect(error).toHaveProperty('name', 'UsageError');
    return (error as Error).message;
  }
  throw new Error('no error');
}

const N = 100_000;

describe('JSON and JSONC', () => {
  test.each([
    ['wrangler.json', 'arrays', `{"name": "x", "vars": {"A": ${'['.repeat(N)}${']'.repeat(N)}}}`, 'JSON'],
    ['wrangler.jsonc', 'objects', `// c\n{"env": ${'{"a":'.repeat(N)}1${'}'.repeat(N)}}`, 'JSONC'],
    ['wrangler.jsonc', 'unclosed', `{\n  "x": ${'['.repeat(N)}`, 'JSONC'],
  ])('%s, %s nested %#', (name, _kind, text, label) => {
    const file = write(name, text);
    const message = errorOf(file);
    expect(message).toMatch(new RegExp(`^config: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid ${label}: nesting deeper than ${MAX_CONFIG_DEPTH} levels`));
    expect(message).not.toMatch(/call stack/);
    // The position is the first bracket past the limit.
    const [, line, col] = /:(\d+):(\d+): invalid/.exec(message)!;
    const lineText = text.split('\n')[Number(line) - 1]!;
    const before = lineText.slice(0, Number(col) - 1);
    const depth = [...text.split('\n').slice(0, Number(line) - 1).join('\n') + before].filter((c) => c === '[' || c === '{').length;
    expect(depth).toBe(MAX_CONFIG_DEPTH);
  });

  test('brackets in strings and comments do not count; a real-size nesting is fine', () => {
    const ok = write('ok.jsonc', `{\n  // ${'['.repeat(N)}\n  /* ${'{'.repeat(N)} */\n  "name": "${'['.repeat(N)}",\n  "d1_databases": [{"binding": "DB", "database_name": "d", "database_id": "x"}],\n  "vars": ${'['.repeat(20)}${']'.repeat(20)}\n}`);
    expect(readConfig(ok).name).toBe('['.repeat(N));
  });
});

describe('TOML', () => {
  test('inline arrays: smol-toml stops at the limit with a position', () => {
    const file = write('wrangler.toml', `name = "x"\nvars = { A = ${'['.repeat(N)}${']'.repeat(N)} }\n`);
    const message = errorOf(file);
    expect(message).toMatch(/^config: .*wrangler\.toml:2:\d+: invalid TOML: /);
    expect(message).not.toMatch(/call stack/);
  });

  test.each([
    ['a dotted key', `name = "x"\n${Array(N).fill('a').join('.')} = 1\n`],
    ['a table header', `name = "x"\n\n[${Array(N).fill('env').join('.')}]\nx = 1\n`],
  ])('%s nested past the limit: file, line and the key path', (_what, text) => {
    const file = write('deep.toml', text);
    const message = errorOf(file);
    expect(message).toMatch(new RegExp(`^config: .*deep\\.toml:\\d+:1: nesting deeper than ${MAX_CONFIG_DEPTH} levels \\(at (a|env)\\.`));
    expect(Number(/toml:(\d+):/.exec(message)![1])).toBe(text.split('\n').findIndex((l) => l.length > 1000) + 1);
  });

  test('a config at a real depth reads', () => {
    const file = write('fine.toml', `name = "x"\n[env.production]\n[[env.production.d1_databases]]\nbinding = "DB"\ndatabase_name = "d"\ndatabase_id = "i"\n`);
    expect(readConfig(file).environments.get('production')).toBeDefined();
  });
});
