import { finding } from '../../src/finding.js';
import { isRuleId, RULES, type RuleId } from '../../src/rule-catalog.js';

describe('finding()', () => {
  test('takes every rule’s severity from the catalog', () => {
    for (const r of RULES) expect(finding({ rule: r.id, message: 'm' }).severity).toBe(r.severity);
  });

  test('leaves out the places it is not given', () => {
    expect(finding({ rule: 'number-gap', message: 'm', file: undefined, line: 3 })).toStrictEqual({ rule: 'number-gap', severity: 'warning', line: 3, message: 'm' });
    expect(Object.keys(finding({ rule: 'rows-lost', message: 'm', file: 'a.sql', line: 1, column: 2, endLine: 4, table: 't' }))).toEqual([
      'rule',
      'severity',
      'file',
      'line',
      'column',
      'endLine',
      'table',
      'message',
    ]);
  });

  test('a mistyped rule id does not compile (npm run typecheck) and throws if forced through', () => {
    // Each @ts-expect-error below fails `npm run typecheck` as soon as the line after it compiles, i.e. as
    // soon as a string that is not in the catalog is accepted as a rule id.
    // @ts-expect-error -- 'destructive-changes' is not a rule id
    const typo: RuleId = 'destructive-changes';
    // @ts-expect-error -- nor is 'rows-lots'
    expect(() => finding({ rule: 'rows-lots', message: 'm' })).toThrow('unknown rule id rows-lots');
    expect(isRuleId(typo)).toBe(false);
    expect(isRuleId('destructive-change')).toBe(true);
  });
});
