import fs from 'node:fs';
import path from 'node:path';
import { ApplyProgress } from '../../src/wrangler/progress.js';
import { lastStatusTable } from '../../src/wrangler/status-table.js';
import { REPO_ROOT } from '../support/temp-project.js';

const fixture = (v: string, n: string) =>
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, '__tests__/wrangler/fixtures', v, `${n}.json`), 'utf8')) as { stdout: string };

test.each(['4.86', '4.164'])('progress of a successful apply (wrangler %s), fed in small chunks', (v) => {
  let t = 0;
  const p = new ApplyProgress(() => (t += 10));
  const out = fixture(v, 'apply-ok').stdout;
  for (let i = 0; i < out.length; i += 7) p.push(out.slice(i, i + 7));
  p.end();
  expect(p.started).toBe(true);
  expect(p.applied).toEqual(['0001_a.sql', '0002_b.sql']);
  expect(p.timings.map((x) => x.name)).toEqual(['0001_a.sql', '0002_b.sql']);
  expect(p.timings.every((x) => x.ms > 0)).toBe(true);
});

test('progress of a failed apply (4.86 prints ❌)', () => {
  const p = new ApplyProgress();
  p.push(fixture('4.86', 'apply-sql-error').stdout);
  p.end();
  expect(p.applied).toEqual(['0001_a.sql']);
  expect(p.failed).toBe('0002_b.sql');
  expect(lastStatusTable(fixture('4.86', 'apply-sql-error').stdout).map((r) => r.status)).toEqual(['applied', 'failed', 'pending']);
});

test('up to date', () => {
  const p = new ApplyProgress();
  p.push(fixture('4.164', 'apply-up-to-date').stdout);
  p.end();
  expect(p.upToDate).toBe(true);
  expect(p.applied).toEqual([]);
});
