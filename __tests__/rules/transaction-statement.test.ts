import { transactionStatement } from '../../src/rules/transaction-statement.js';
import { check } from './helpers.js';

describe('transaction-statement', () => {
  test('each BEGIN, COMMIT, END, ROLLBACK, SAVEPOINT and RELEASE statement is reported with its line', () => {
    const sql = 'BEGIN TRANSACTION;\nCREATE TABLE a(x);\nCOMMIT;\nbegin immediate;\nEND TRANSACTION;\nSAVEPOINT s;\nRELEASE s;\nROLLBACK TO s;\nROLLBACK;';
    const found = check(transactionStatement, sql);
    expect(found.map((f) => f.line)).toEqual([1, 3, 4, 5, 6, 7, 8, 9]);
    expect(found[0]).toMatchObject({ rule: 'transaction-statement', severity: 'error', file: 'migrations/0001_m.sql', column: 1 });
  });

  test('the message explains the local/remote difference and says to delete the line', () => {
    const [f] = check(transactionStatement, 'BEGIN TRANSACTION;');
    expect(f!.message).toContain('state.storage.transaction()');
    expect(f!.message).toContain('strips one literal `BEGIN TRANSACTION;`');
    expect(f!.message).toMatch(/atomically: delete this line/);
  });

  test('trigger bodies, RAISE(ROLLBACK, ...) and CASE ... END are not transaction statements', () => {
    const sql = `CREATE TRIGGER tr BEFORE INSERT ON a BEGIN
  SELECT RAISE(ROLLBACK, 'nope') WHERE new.x < 0;
  UPDATE a SET y = CASE WHEN new.x > 0 THEN 1 ELSE 0 END;
END;
SELECT CASE WHEN 1 THEN 2 END;`;
    expect(check(transactionStatement, sql)).toEqual([]);
  });

  test('transaction keywords in comments, strings and names are ignored', () => {
    const sql = "-- BEGIN TRANSACTION;\n/* COMMIT; */\nINSERT INTO log(msg) VALUES ('BEGIN; COMMIT;');\nCREATE TABLE \"commit\"(\"begin\" TEXT);";
    expect(check(transactionStatement, sql)).toEqual([]);
  });

  test('CRLF files report the right lines', () => {
    expect(check(transactionStatement, '-- x\r\nBEGIN TRANSACTION;\r\nSELECT 1;\r\nCOMMIT;\r\n').map((f) => f.line)).toEqual([2, 4]);
  });
});
