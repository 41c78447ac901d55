/** The production preflight in the reports: the output, the job summary and the PR comment. */
import type { PreflightEntry } from '../../src/preflight/types.js';
import { renderComment } from '../../src/report/comment.js';
import { preflightOutput, preflightSection } from '../../src/report/preflight.js';
import { renderSummary } from '../../src/report/summary.js';
import type { DatabaseReport, Report } from '../../src/types.js';

const entry = (over: Partial<PreflightEntry>): PreflightEntry => ({ migration: '0002_x.sql', file: 'migrations/0002_x.sql', line: 4, table: 'sessions', question: 'rows of sessions that `DROP TABLE users` (line 4) deletes', effect: 'lost', rows: 48_211, ...over });

function db(over: Partial<DatabaseReport> = {}): DatabaseReport {
  return { environment: 'production', binding: 'DB', databaseName: 'shop', migrationsDir: 'migrations', migrationsTable: 'd1_migrations', migrations: ['0002_x.sql'], findings: [], status: 'invalid', notes: [], durationMs: 1, pending: ['0002_x.sql'], ...over };
}
const report = (d: DatabaseReport): Report => ({ status: d.status, errors: 1, warnings: 0, informational: 0, databases: [d], durationMs: 1, failed: true, exitCode: 1 });

test('the section: the counts that matter first, escaped; zeros only counted; why a question went unanswered', () => {
  const hostile = '<img src=x onerror=alert(1)>|`x`';
  const d = db({
    preflight: {
      requests: 1,
      entries: [
        entry({ effect: 'info', table: 'drafts', rows: 12, question: 'rows of drafts the DELETE deletes (on purpose)' }),
        entry({ rows: 0, table: 'notes' }),
        entry({ table: hostile, question: `rows of ${hostile}` }),
        entry({ effect: 'fails', rows: 37, table: 'users', line: 7, question: 'rows of users that duplicate another row\'s (email)' }),
        entry({ rows: null, why: 'what audit holds at that point is not known: a trigger', table: 'audit' }),
      ],
    },
  });
  const lines = preflightSection(d, '#### Production preflight');
  const text = lines.join('\n');
  expect(text).toContain('4 question(s) answered by the database in 1 read-only request(s): **2 with rows lost or a failure**, 1 answered 0, 1 not answered.');
  const rows = lines.filter((l) => l.startsWith('| `'));
  expect(rows[0]).toBe("| `0002_x.sql` | 7 | `users` | rows of users that duplicate another row's (email) | 37 (fails) |");
  expect(rows[1]).toContain('48,211 (rows lost)');
  // Names go into code spans (rendered as text), prose is escaped.
  expect(rows[1]).toContain('| `` <img src=x onerror=alert(1)>\\|`x` `` | rows of &lt;img src=x onerror=alert(1)&gt;\\|\\`x\\` |');
  expect(rows[2]).toContain('12 (on purpose)');
  expect(rows[3]).toContain('not answered: what audit holds at that point is not known: a trigger');
  expect(rows.some((r) => r.includes('`notes`'))).toBe(false);
  expect(renderSummary({ report: report(d), run: {}, target: 'remote' })).toContain(text);
  expect(renderComment({ db: d, pr: { owner: 'o', repo: 'r', number: 1, headSha: 'a'.repeat(40) }, added: [] })).toContain('#### Production preflight');
});

test('nothing asked: one line saying why no request was made; no preflight (no preview): no section', () => {
  expect(preflightSection(db({ preflight: { requests: 0, entries: [] } }), '## P').join('\n')).toContain('Nothing to ask: no pending statement can lose rows or fail on the rows the database holds (new tables are empty), so no request was made.');
  expect(preflightSection(db(), '## P')).toEqual([]);
  expect(renderSummary({ report: report(db()), run: {}, target: 'remote' })).not.toContain('Production preflight');
});

test('the output: every question of every database, counts only', () => {
  const d = db({ preflight: { requests: 1, entries: [entry({}), entry({ rows: null, why: 'D1 did not answer: timeout' })] } });
  expect(preflightOutput(report(d))).toEqual([
    { environment: 'production', database: 'DB', migration: '0002_x.sql', line: 4, question: 'rows of sessions that `DROP TABLE users` (line 4) deletes', table: 'sessions', effect: 'lost', rows: 48_211 },
    { environment: 'production', database: 'DB', migration: '0002_x.sql', line: 4, question: 'rows of sessions that `DROP TABLE users` (line 4) deletes', table: 'sessions', effect: 'lost', rows: null, why: 'D1 did not answer: timeout' },
  ]);
});

test('the section stays small whatever the migration names: cells are cut', () => {
  const long = 'x'.repeat(10_000);
  const d = db({ preflight: { requests: 1, entries: Array.from({ length: 50 }, () => entry({ table: long, question: long, migration: long })) } });
  const lines = preflightSection(d, '#### Production preflight');
  expect(lines.filter((l) => l.startsWith('| `'))).toHaveLength(20);
  expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(1_000);
  expect(lines.join('\n')).toContain('… 30 more in the JSON report and the `preflight` output');
});
