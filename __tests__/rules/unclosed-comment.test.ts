import { emptyMigration } from '../../src/rules/empty-migration.js';
import { unclosedComment } from '../../src/rules/unclosed-comment.js';
import { check } from './helpers.js';

describe('unclosed-comment', () => {
  test.each([
    ['after statements', "INSERT INTO t (a) VALUES ('x');\n/* TODO: more rows\n", 2, 'line 2', 'never recorded'],
    ['over several lines', "CREATE TABLE t (id INTEGER PRIMARY KEY);\n/* later:\nCREATE INDEX t_a ON t(a);\n*\n", 2, 'lines 2–4', 'never recorded'],
    ['without a newline at the end', 'CREATE TABLE t (x);\n/*', 2, 'line 2', 'never recorded'],
    ["'/*/', which SQLite does not read as closed", 'CREATE TABLE t (x);\n/*/\n', 2, 'line 2', 'never recorded'],
    ['in a comments-only file', '-- seed data\n/* TODO: rows\n', 2, 'line 2', 'SQL code did not contain a statement.'],
    ['as the whole file', '/*', 1, 'line 1', 'SQL code did not contain a statement.'],
    ['with CRLF line ends', 'CREATE TABLE t (x);\r\n/* a\r\nb\r\n', 2, 'lines 2–3', 'never recorded'],
  ])('an open /* %s is reported where it starts, with what wrangler then does', (_what, sql, line, span, effect) => {
    const found = check(unclosedComment, sql);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'unclosed-comment', severity: 'error', line, column: 1 });
    expect(found[0]!.message).toContain(`the rest of the file (${span}) as comment`);
    expect(found[0]!.message).toContain(effect);
  });

  test.each([
    ['a closed comment at the end', 'CREATE TABLE t (x);\n/* done */\n'],
    ['an empty block comment', 'CREATE TABLE t (x);\n/**/\n'],
    ['/* inside a -- comment', 'CREATE TABLE t (x);\n-- see /* below\n'],
    ['/* inside a string', "INSERT INTO t VALUES ('/* not a comment');\n"],
    ['/* inside a quoted name', 'CREATE TABLE "/*" (x);\n'],
    ['an open comment closed later', 'CREATE TABLE t (x); /* a\nb */ CREATE TABLE u (y);\n'],
  ])('%s is not reported', (_what, sql) => {
    expect(check(unclosedComment, sql)).toEqual([]);
  });

  test('a comments-only file whose comment is open is not also "harmless" (empty-migration)', () => {
    expect(check(emptyMigration, '/* TODO\n')).toEqual([]);
    expect(check(emptyMigration, '/* TODO */\n')).toHaveLength(1);
  });

  test('the message repeats nothing of the comment (a pull request writes it)', () => {
    const found = check(unclosedComment, 'CREATE TABLE t (x);\n/* ](https://evil.example) @org/team <img src=x>\n');
    expect(found[0]!.message).not.toMatch(/evil|@org|<img/);
  });
});
