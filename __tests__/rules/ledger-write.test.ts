import { destructiveChange } from '../../src/rules/destructive-change.js';
import { ledgerWrite } from '../../src/rules/ledger-write.js';
import { check, contextOf, staticFindings } from './helpers.js';

describe('ledger-write', () => {
  test.each([
    ['DELETE', "DELETE FROM d1_migrations WHERE name = '0001_init.sql';", 'deletes rows of', 'count as pending again'],
    ['DELETE of every row', 'DELETE FROM d1_migrations;', 'deletes rows of', 'count as pending again'],
    ['UPDATE', "UPDATE d1_migrations SET name = 'renamed.sql' WHERE id = 1;", 'changes rows of', 'runs a second time'],
    ['UPDATE OR IGNORE', "UPDATE OR IGNORE d1_migrations SET name = 'x.sql';", 'changes rows of', 'runs a second time'],
    ['INSERT', "INSERT INTO d1_migrations (name) VALUES ('0005_future.sql');", 'adds rows to', 'never runs that file'],
    ['INSERT OR IGNORE', "INSERT OR IGNORE INTO d1_migrations (name) VALUES ('x.sql');", 'adds rows to', 'never runs that file'],
    ['REPLACE', "REPLACE INTO d1_migrations (id, name) VALUES (1, 'x.sql');", 'adds rows to', 'never runs that file'],
    ['a WITH prefix', "WITH old AS (SELECT 1) DELETE FROM d1_migrations WHERE name IN (SELECT 'a');", 'deletes rows of', 'count as pending again'],
    ['DROP TABLE', 'DROP TABLE IF EXISTS d1_migrations;', 'drops', 'runs again'],
    ['RENAME TO', 'ALTER TABLE d1_migrations RENAME TO old_migrations;', 'renames', 'every migration again'],
    ['RENAME COLUMN', 'ALTER TABLE d1_migrations RENAME COLUMN name TO file;', 'alters', 'bookkeeping'],
    ['a quoted, main-qualified, upper-case name', 'DELETE FROM main."D1_Migrations";', 'deletes rows of', 'count as pending again'],
    ['a trigger on it', 'CREATE TRIGGER keep AFTER INSERT ON d1_migrations BEGIN SELECT 1; END;', 'puts a trigger on', 'every bookkeeping INSERT'],
    ['a trigger whose body writes it', "CREATE TRIGGER reset AFTER INSERT ON t BEGIN\n  SELECT 1;\n  DELETE FROM d1_migrations WHERE name = 'x';\nEND;", 'creates a trigger whose body deletes rows of', 'each time the trigger fires'],
  ])('%s of the ledger is an error saying what the next apply does', (_what, sql, verb, effect) => {
    const file = `CREATE TABLE t (x);\n${sql}\n`;
    // Reported where the statement names the ledger.
    const line = file.slice(0, file.toLowerCase().indexOf('d1_migrations')).split('\n').length;
    const found = check(ledgerWrite, file);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'ledger-write', severity: 'error', line });
    expect(found[0]!.message).toContain(`This statement ${verb} `);
    expect(found[0]!.message).toContain(effect);
    expect(found[0]!.message).toContain('`baseline`, `mark-applied`, `rename-applied`');
  });

  test.each([
    ['reading it', 'SELECT name FROM d1_migrations;'],
    ['a column added to it (wrangler reads and writes only its own columns)', 'ALTER TABLE d1_migrations ADD COLUMN note TEXT;'],
    ['a table with a longer name', 'DELETE FROM d1_migrations_archive;'],
    ['another schema', 'DELETE FROM other.d1_migrations;'],
    ['copying from it', 'INSERT INTO audit (name) SELECT name FROM d1_migrations;'],
    ['its name in a string', "INSERT INTO notes (text) VALUES ('DELETE FROM d1_migrations');"],
    ['a trigger that reads it', 'CREATE TRIGGER log AFTER INSERT ON t BEGIN INSERT INTO audit (n) SELECT count(*) FROM d1_migrations; END;'],
    ['a trigger on another table', 'CREATE TRIGGER log AFTER DELETE ON d1_migrations_old BEGIN SELECT 1; END;'],
  ])('%s is not reported', (_what, sql) => {
    expect(check(ledgerWrite, sql)).toEqual([]);
  });

  test("the binding's migrations_table is the ledger, d1_migrations then is not", () => {
    const ctx = contextOf('DELETE FROM app_migrations;\nDELETE FROM d1_migrations WHERE id = 1;\n');
    const found = ledgerWrite.check({ ...ctx, target: { ...ctx.target, migrationsTable: 'app_migrations' } });
    expect(found.map((f) => f.line)).toEqual([1]);
    expect(found[0]!.message).toContain('deletes rows of app_migrations');
  });

  test('destructive-change leaves the ledger to it (one finding, not two)', () => {
    expect(check(destructiveChange, 'DELETE FROM d1_migrations;\nDROP TABLE d1_migrations;\n')).toEqual([]);
    expect(check(destructiveChange, 'DELETE FROM users;\n')).toHaveLength(1);
    expect(staticFindings(contextOf('DELETE FROM d1_migrations;\n')).map((f) => f.rule)).toEqual(['ledger-write']);
  });

  test('it can be suppressed like any rule', () => {
    expect(staticFindings(contextOf("-- d1-migrate-ignore: ledger-write\nINSERT INTO d1_migrations (name) VALUES ('legacy.sql');\n"))).toEqual([]);
  });
});
