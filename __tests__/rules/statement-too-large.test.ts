import { bookkeepingSuffix, D1_MAX_SQL_BYTES, statementTooLarge } from '../../src/rules/statement-too-large.js';
import { check } from './helpers.js';

function insertsOf(bytes: number): string {
  const row = "INSERT INTO t VALUES ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');\n";
  return row.repeat(Math.ceil(bytes / row.length));
}

describe('statement-too-large', () => {
  test('a file whose request (file plus bookkeeping INSERT) exceeds 100,000 bytes is reported at line 1', () => {
    const found = check(statementTooLarge, insertsOf(100_500));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'statement-too-large', severity: 'error', line: 1 });
    expect(found[0]!.message).toContain('100,000 bytes');
    expect(found[0]!.message).toContain('Split it into several migration files');
  });

  test('the appended bookkeeping INSERT counts towards the limit', () => {
    const suffix = Buffer.byteLength(bookkeepingSuffix('d1_migrations', '0001_m.sql'));
    const exact = 'x'.repeat(D1_MAX_SQL_BYTES - suffix);
    expect(check(statementTooLarge, `--${exact.slice(2)}`)).toEqual([]);
    expect(check(statementTooLarge, `--${exact.slice(2)}y`)).toHaveLength(1);
  });

  test('bytes are counted as UTF-8, not as characters', () => {
    const multibyte = `-- ${'é'.repeat(50_000)}`; // 50,003 characters, 100,003 bytes
    expect(check(statementTooLarge, multibyte)).toHaveLength(1);
  });

  test('a single statement over the limit is also reported at its own line', () => {
    const big = `SELECT 1;\nINSERT INTO t VALUES ${Array.from({ length: 12_000 }, () => "('abcdef')").join(',')};`;
    const found = check(statementTooLarge, big);
    expect(found.map((f) => f.line)).toEqual([1, 2]);
    expect(found[1]!.message).toContain('single statement');
  });

  test('ordinary files pass', () => {
    expect(check(statementTooLarge, insertsOf(90_000))).toEqual([]);
  });
});
