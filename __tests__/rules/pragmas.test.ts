import { foreignKeysPragma } from '../../src/rules/foreign-keys-pragma.js';
import { pragmaNotAllowed } from '../../src/rules/pragma-not-allowed.js';
import { check } from './helpers.js';

describe('foreign-keys-pragma', () => {
  test.each(['PRAGMA foreign_keys = OFF;', 'pragma foreign_keys=off;', 'PRAGMA main.foreign_keys = 0;', "PRAGMA foreign_keys = 'false';", 'PRAGMA foreign_keys(no);'])(
    '%s is a warning that suggests defer_foreign_keys and its limit',
    (sql) => {
      const [f, ...rest] = check(foreignKeysPragma, sql);
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ rule: 'foreign-keys-pragma', severity: 'warning', line: 1 });
      expect(f!.message).toContain('no effect on D1');
      expect(f!.message).toContain('PRAGMA defer_foreign_keys = on');
      expect(f!.message).toContain('CASCADE');
    },
  );

  test('turning foreign keys on is reported as pointless', () => {
    const [f] = check(foreignKeysPragma, 'PRAGMA foreign_keys = ON;');
    expect(f!.message).toMatch(/always enforced/);
  });

  test('reading the setting, defer_foreign_keys, comments and strings are not reported', () => {
    expect(check(foreignKeysPragma, "PRAGMA foreign_keys;\nPRAGMA defer_foreign_keys = on;\n-- PRAGMA foreign_keys = OFF;\nSELECT 'PRAGMA foreign_keys = OFF';")).toEqual([]);
  });
});

describe('pragma-not-allowed', () => {
  test('pragmas outside the D1 allow-list are errors naming the pragma', () => {
    const found = check(pragmaNotAllowed, 'PRAGMA journal_mode = WAL;\nPRAGMA user_version = 3;\nPRAGMA synchronous=OFF;');
    expect(found.map((f) => [f.line, f.severity])).toEqual([[1, 'error'], [2, 'error'], [3, 'error']]);
    expect(found[0]!.message).toContain('`PRAGMA journal_mode` is not allowed on D1');
    expect(found[0]!.column).toBe(8);
  });

  test('allowed pragmas with valid arguments pass, and foreign_keys is left to its own rule', () => {
    const sql = 'PRAGMA defer_foreign_keys = on;\nPRAGMA foreign_keys = OFF;\nPRAGMA table_info(users);\nPRAGMA table_list;\nPRAGMA optimize;\nPRAGMA quick_check;\nPRAGMA main.foreign_key_check;\nPRAGMA recursive_triggers = 1;';
    expect(check(pragmaNotAllowed, sql)).toEqual([]);
  });

  test('D1 compares pragma names case-sensitively', () => {
    const [f] = check(pragmaNotAllowed, 'PRAGMA FOREIGN_KEYS = OFF;');
    expect(f!.message).toContain('Write `PRAGMA foreign_keys`');
  });

  test('arguments D1 rejects are reported', () => {
    const found = check(pragmaNotAllowed, 'PRAGMA data_version = 1;\nPRAGMA defer_foreign_keys = maybe;\nPRAGMA index_list;\nPRAGMA optimize = abc;\nPRAGMA table_info(_cf_KV);\nPRAGMA temp.defer_foreign_keys = on;');
    expect(found.map((f) => f.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('pragmas in comments and strings are ignored', () => {
    expect(check(pragmaNotAllowed, "-- PRAGMA journal_mode = WAL;\nSELECT 'PRAGMA journal_mode';")).toEqual([]);
  });
});
