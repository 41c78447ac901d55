import { STATIC_RULES } from '../../src/rules/index.js';
import { RULE_IDS } from '../../src/rule-catalog.js';
import { checkAll, contextOf, staticFindings } from './helpers.js';

describe('the static rules as validate runs them', () => {
  test('every static rule id is in the catalog', () => {
    for (const rule of STATIC_RULES) expect(RULE_IDS.has(rule.id)).toBe(true);
  });

  test('findings come in apply order, then by line', () => {
    const found = checkAll('SELECT 1;\nDROP TABLE b;\nBEGIN;', 'VACUUM;');
    expect(found.map((f) => [f.file, f.line, f.rule])).toEqual([
      ['migrations/0001_m.sql', 2, 'destructive-change'],
      ['migrations/0001_m.sql', 3, 'transaction-statement'],
      ['migrations/0002_m.sql', 1, 'unsupported-statement'],
    ]);
  });

  test('disabled rules do not run', () => {
    expect(staticFindings(contextOf('DROP TABLE b;\nBEGIN;'), new Set(['destructive-change'])).map((f) => f.rule)).toEqual(['transaction-statement']);
  });

  test('inline and file suppressions are applied', () => {
    const found = checkAll('-- d1-migrate-ignore: destructive-change -- legacy table is unused\nDROP TABLE a;\nDROP TABLE b;', '-- d1-migrate-ignore-file: destructive-change\nDROP TABLE c;');
    expect(found.map((f) => [f.file, f.line])).toEqual([['migrations/0001_m.sql', 3]]);
  });

  test('a clean migration with triggers, CASE and RAISE produces no findings', () => {
    const sql = `CREATE TABLE a (id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0, s TEXT);
CREATE TRIGGER a_check BEFORE UPDATE ON a BEGIN
  SELECT CASE WHEN new.n < 0 THEN RAISE(ROLLBACK, 'negative') END;
END;
CREATE INDEX a_s ON a(s);
INSERT INTO a (n, s) VALUES (1, 'x');`;
    expect(checkAll(sql)).toEqual([]);
  });
});
