import { applySuppressions, parseMigration } from '../../src/sql/split.js';
import type { Finding, RuleId } from '../../src/types.js';
import { migrationFile } from '../rules/helpers.js';

const parse = (sql: string) => parseMigration(migrationFile(sql));
const texts = (sql: string) => parse(sql).statements.map((s) => s.text);

describe('parseMigration', () => {
  test('semicolons split statements and the terminator is not part of the text', () => {
    expect(texts('CREATE TABLE a(x);\nINSERT INTO a VALUES (1);')).toEqual(['CREATE TABLE a(x)', 'INSERT INTO a VALUES (1)']);
  });

  test('a last statement without a semicolon is still a statement', () => {
    expect(texts('SELECT 1; SELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });

  test('semicolons in strings, quoted names and comments do not split', () => {
    expect(texts(`INSERT INTO t VALUES ('a;b', "c;d", [e;f]); -- x; y\n/* z; */ SELECT 1;`)).toEqual([
      `INSERT INTO t VALUES ('a;b', "c;d", [e;f])`,
      'SELECT 1',
    ]);
  });

  test('empty statements between semicolons are dropped', () => {
    expect(texts(';;SELECT 1;; ;')).toEqual(['SELECT 1']);
  });

  test('a trigger body is one statement with its inner semicolons', () => {
    const sql = 'CREATE TRIGGER tr AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 1;\n  DELETE FROM b;\nEND;\nSELECT 2;';
    const st = parse(sql).statements;
    expect(st).toHaveLength(2);
    expect(st[0]!.text).toMatch(/^CREATE TRIGGER tr .*END$/s);
    expect(st[0]!.endLine).toBe(4);
    expect(st[1]).toMatchObject({ text: 'SELECT 2', line: 5 });
  });

  test('CREATE TEMP TRIGGER and EXPLAIN CREATE TRIGGER bodies are kept whole', () => {
    expect(texts('CREATE TEMP TRIGGER t1 AFTER INSERT ON a BEGIN SELECT 1; END; EXPLAIN CREATE TRIGGER t2 AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END; SELECT 3;')).toHaveLength(3);
  });

  test('CASE ... END inside a trigger body does not end the trigger', () => {
    const sql = `CREATE TRIGGER tr AFTER UPDATE ON a BEGIN
  UPDATE a SET s = CASE WHEN new.x > 0 THEN 'pos' ELSE 'neg' END WHERE id = new.id;
  SELECT CASE WHEN 1 THEN RAISE(ROLLBACK, 'no') END;
END;
SELECT 1;`;
    const st = parse(sql).statements;
    expect(st.map((s) => s.line)).toEqual([1, 5]);
  });

  test('a table named trigger and a column named end do not confuse the splitter', () => {
    expect(texts('CREATE TABLE "trigger"(end_ INTEGER, "end" TEXT); SELECT [end] FROM "trigger"; SELECT 1;')).toHaveLength(3);
  });

  test('statement line and column point at the first significant token', () => {
    const st = parse('-- header\n\n   /* c */ CREATE TABLE a(x);\nSELECT 1;').statements;
    expect(st[0]).toMatchObject({ line: 3, column: 12 });
    expect(st[1]).toMatchObject({ line: 4, column: 1 });
  });

  test('CRLF line endings give the same lines as LF', () => {
    const st = parse('-- a\r\nCREATE TABLE a(x);\r\n\r\nSELECT 1;\r\n').statements;
    expect(st.map((s) => [s.line, s.text])).toEqual([[2, 'CREATE TABLE a(x)'], [4, 'SELECT 1']]);
  });

  test('a UTF-8 BOM before the first statement is treated as whitespace', () => {
    const st = parse('\uFEFFCREATE TABLE a(x);').statements;
    expect(st[0]).toMatchObject({ text: 'CREATE TABLE a(x)', line: 1, column: 2 });
  });

  test('files with only comments or whitespace are empty and keep their comments', () => {
    expect(parse('').empty).toBe(true);
    expect(parse(' \n\t\r\n').empty).toBe(true);
    expect(parse('\uFEFF').empty).toBe(true);
    const p = parse('-- nothing yet\n/* later */\n;');
    expect(p.empty).toBe(true);
    expect(p.comments).toHaveLength(2);
    expect(parse('SELECT 1').empty).toBe(false);
  });

  test('statement tokens exclude comments and the terminating semicolon', () => {
    const [s] = parse('SELECT /* x */ 1 -- y\n;').statements;
    expect(s!.tokens.map((t) => t.text)).toEqual(['SELECT', '1']);
  });
});

describe('suppressions', () => {
  test('an ignore comment on the line above suppresses the listed rules for that statement only', () => {
    const p = parse('-- d1-migrate-ignore: destructive-change, postgres-syntax -- we mean it\nDROP TABLE a;\nDROP TABLE b;');
    expect([...p.statements[0]!.suppressed]).toEqual(['destructive-change', 'postgres-syntax']);
    expect(p.statements[1]!.suppressed.size).toBe(0);
  });

  test('a block of comment lines above the statement is searched, but a blank line breaks it', () => {
    const p = parse('-- d1-migrate-ignore: a-rule\n-- because reasons\nDROP TABLE a;\n-- d1-migrate-ignore: b-rule\n\nDROP TABLE b;');
    expect([...p.statements[0]!.suppressed]).toEqual(['a-rule']);
    expect(p.statements[1]!.suppressed.size).toBe(0);
  });

  test('text after an id ends the list, and block comments work too', () => {
    const p = parse('/* d1-migrate-ignore: destructive-change old table is unused */\nDROP TABLE a;');
    expect([...p.statements[0]!.suppressed]).toEqual(['destructive-change']);
  });

  test('an ignore-file comment anywhere suppresses rules for the whole file', () => {
    const p = parse('SELECT 1;\n-- d1-migrate-ignore-file: secret-in-migration, destructive-change\nSELECT 2;');
    expect([...p.fileSuppressed]).toEqual(['secret-in-migration', 'destructive-change']);
    expect(p.statements[1]!.suppressed.size).toBe(0);
  });

  test('ignore comments inside string literals do nothing', () => {
    const p = parse("SELECT '-- d1-migrate-ignore-file: x';\nSELECT '-- d1-migrate-ignore: y'; SELECT 1;");
    expect(p.fileSuppressed.size).toBe(0);
    expect(p.statements.every((s) => s.suppressed.size === 0)).toBe(true);
  });

  test('applySuppressions drops findings in suppressed statements and files and keeps the rest', () => {
    const a = parseMigration(migrationFile('-- d1-migrate-ignore: destructive-change\nDROP TABLE a;\nDROP TABLE b;', '0001_a.sql'));
    const b = parseMigration(migrationFile('-- d1-migrate-ignore-file: unsupported-statement\nDROP TABLE c;', '0002_b.sql'));
    const f = (rule: RuleId, file: string | undefined, line?: number): Finding => ({ rule, severity: 'error', file, line, message: '' });
    const findings = [f('destructive-change', 'migrations/0001_a.sql', 2), f('destructive-change', 'migrations/0001_a.sql', 3), f('unsupported-statement', 'migrations/0001_a.sql', 2), f('unsupported-statement', 'migrations/0002_b.sql', 2), f('destructive-change', 'migrations/0002_b.sql', 2), f('destructive-change', undefined)];
    expect(applySuppressions(findings, [a, b])).toEqual([findings[1], findings[2], findings[4], findings[5]]);
  });
});
