import { unsupportedStatement } from '../../src/rules/unsupported-statement.js';
import { check } from './helpers.js';

const lines = (sql: string) => check(unsupportedStatement, sql).map((f) => f.line);

describe('unsupported-statement', () => {
  test('ATTACH, DETACH and VACUUM are reported', () => {
    const found = check(unsupportedStatement, "ATTACH DATABASE 'x.db' AS x;\nDETACH x;\nVACUUM;");
    expect(found.map((f) => [f.line, f.severity])).toEqual([[1, 'error'], [2, 'error'], [3, 'error']]);
  });

  test('TEMP and TEMPORARY tables, views and triggers and the temp schema are reported', () => {
    expect(lines('CREATE TEMP TABLE a(x);\nCREATE TEMPORARY VIEW v AS SELECT 1;\nCREATE TEMP TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;\nCREATE TABLE temp.b(x);')).toEqual([1, 2, 3, 4]);
  });

  test('names starting with _cf_ in any case are reported as targets of CREATE, ALTER, DROP and writes', () => {
    const sql = 'CREATE TABLE _cf_x(a);\nCREATE INDEX i ON "_CF_kv"(a);\nALTER TABLE a RENAME TO _Cf_a;\nDROP TABLE IF EXISTS _cf_old;\nINSERT INTO _cf_KV VALUES (1);\nUPDATE _cf_KV SET a = 1;\nDELETE FROM main._cf_KV;';
    expect(lines(sql)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(check(unsupportedStatement, 'CREATE TABLE _cf_x(a);')[0]!.message).toContain('reserved');
  });

  test('virtual tables other than FTS5 are reported', () => {
    expect(lines('CREATE VIRTUAL TABLE s USING fts5(body);\nCREATE VIRTUAL TABLE r USING rtree(id, a, b);')).toEqual([2]);
  });

  test('ordinary statements, comments, strings and names merely containing the words pass', () => {
    const sql = "-- ATTACH DATABASE 'x' AS y;\nCREATE TABLE temps(attach TEXT, cf_name TEXT);\nINSERT INTO temps VALUES ('VACUUM', '_cf_x');\nCREATE TABLE my_cf_table(a);";
    expect(check(unsupportedStatement, sql)).toEqual([]);
  });
});
