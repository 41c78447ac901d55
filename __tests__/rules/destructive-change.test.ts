import { destructiveChange } from '../../src/rules/destructive-change.js';
import { check } from './helpers.js';

describe('destructive-change', () => {
  test('DROP TABLE is a warning that tells how to suppress it when intended', () => {
    const [f] = check(destructiveChange, 'DROP TABLE users;');
    expect(f).toMatchObject({ rule: 'destructive-change', severity: 'warning', line: 1 });
    expect(f!.message).toContain('DROP TABLE users');
    expect(f!.message).toContain('d1-migrate-ignore: destructive-change');
  });

  test('DROP TABLE IF EXISTS is still reported (we do not track whether an earlier migration created it)', () => {
    expect(check(destructiveChange, 'DROP TABLE IF EXISTS legacy;')).toHaveLength(1);
  });

  test('ALTER TABLE ... DROP COLUMN is reported at the DROP', () => {
    const [f] = check(destructiveChange, 'ALTER TABLE users DROP COLUMN bio;');
    expect(f).toMatchObject({ line: 1, column: 19 });
    expect(f!.message).toContain('DROP COLUMN bio');
  });

  test('DELETE and UPDATE without WHERE are reported, with WHERE they are not', () => {
    const sql = 'DELETE FROM a;\nUPDATE a SET x = (SELECT y FROM b WHERE b.id = 1);\nDELETE FROM a WHERE x = 1;\nUPDATE a SET x = 1 WHERE id = 2;';
    expect(check(destructiveChange, sql).map((f) => f.line)).toEqual([1, 2]);
  });

  test('DELETE and UPDATE inside a trigger body are not top-level and not reported', () => {
    expect(check(destructiveChange, 'CREATE TRIGGER t AFTER DELETE ON a BEGIN DELETE FROM b; UPDATE c SET n = 0; END;')).toEqual([]);
  });

  test('a drizzle/prisma table rebuild is reported once, at the DROP, naming the rebuild', () => {
    const sql = `PRAGMA foreign_keys=OFF;
CREATE TABLE "__new_Invoice" (id TEXT PRIMARY KEY, total REAL);
INSERT INTO "__new_Invoice" (id, total) SELECT id, total FROM "Invoice";
DROP TABLE "Invoice";
ALTER TABLE "__new_Invoice" RENAME TO "Invoice";
PRAGMA foreign_keys=ON;`;
    const found = check(destructiveChange, sql);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ line: 4 });
    expect(found[0]!.message).toContain('Table rebuild of `Invoice`');
  });

  test('a rebuild that renames the old table away first is reported at the DROP of the old copy', () => {
    const sql = 'ALTER TABLE spaces RENAME TO _spaces_old;\nCREATE TABLE spaces (did TEXT);\nINSERT INTO spaces SELECT did FROM _spaces_old;\nDROP TABLE _spaces_old;';
    const found = check(destructiveChange, sql);
    expect(found.map((f) => f.line)).toEqual([4]);
    expect(found[0]!.message).toContain('Table rebuild of `spaces`');
  });

  test('DROP INDEX, DROP VIEW and statements in comments are not reported', () => {
    expect(check(destructiveChange, "DROP INDEX i;\nDROP VIEW v;\n-- DROP TABLE users;\nSELECT 'DELETE FROM a';")).toEqual([]);
  });
});
