import { emptyMigration } from '../../src/rules/empty-migration.js';
import { check } from './helpers.js';

describe('empty-migration', () => {
  test.each([
    ['an empty file', ''],
    ['a whitespace-only file', '  \n\t\r\n'],
    ['a comments-only file', '-- TODO: add the index\n/* later */\n'],
    ['a file of lone semicolons', ';\n;'],
    ['a BOM-only file', '\uFEFF'],
  ])('%s is reported at line 1', (_what, sql) => {
    const found = check(emptyMigration, sql);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'empty-migration', severity: 'warning', line: 1 });
    expect(found[0]!.message).toContain('SQL added to this file later never runs on databases that already applied it');
  });

  test('a file with one statement, even without a semicolon, is not empty', () => {
    expect(check(emptyMigration, '-- add column\nALTER TABLE a ADD COLUMN b TEXT')).toEqual([]);
  });
});
