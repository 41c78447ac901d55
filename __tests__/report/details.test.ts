/**
 * Finding.details (folded findings, src/rules/fold.ts) in the CLI's text and JSON output: the JSON report
 * carries them; text names them on one line, or prints each with --verbose.
 */
import { toJson } from '../../src/report/json.js';
import { toText } from '../../src/report/text.js';
import type { Report } from '../../src/types.js';

const report: Report = {
  status: 'valid',
  errors: 0,
  warnings: 1,
  informational: 0,
  durationMs: 1,
  failed: false,
  exitCode: 0,
  databases: [
    {
      environment: null,
      binding: 'DB',
      databaseName: 'db',
      migrationsDir: 'migrations',
      migrationsTable: 'd1_migrations',
      migrations: ['0002_sessions.sql'],
      status: 'valid',
      notes: [],
      durationMs: 1,
      findings: [
        {
          rule: 'destructive-change',
          severity: 'warning',
          file: 'migrations/0002_sessions.sql',
          line: 4,
          message: 'Table rebuild of `sessions`: every row was kept.',
          details: ['destructive-change, line 4: the long explanation.', 'foreign-keys-pragma, line 1: `PRAGMA foreign_keys = OFF` has no effect on D1.'],
        },
        { rule: 'number-gap', severity: 'warning', file: 'migrations/0002_sessions.sql', line: 1, message: 'gap' },
      ],
    },
  ],
};

test('text names what was folded on one line; with details on, each in full', () => {
  const short = toText(report, { color: false, validateOnly: true });
  expect(short).toContain('migrations/0002_sessions.sql:4: warning [destructive-change] Table rebuild of `sessions`: every row was kept.\n    ↳ folded: destructive-change, line 4; foreign-keys-pragma, line 1 (-v shows them)\n');
  expect(short).not.toContain('the long explanation');
  const full = toText(report, { color: false, validateOnly: true, details: true });
  expect(full).toContain('    ↳ destructive-change, line 4: the long explanation.\n    ↳ foreign-keys-pragma, line 1: `PRAGMA foreign_keys = OFF` has no effect on D1.\n');
});

test('the JSON report carries details (and a rows-lost table) only where there are some', () => {
  const doc = toJson(report, { validateOnly: true }) as { databases: { findings: Record<string, unknown>[] }[] };
  expect(doc.databases[0]!.findings[0]!.details).toEqual(report.databases[0]!.findings[0]!.details);
  expect('details' in doc.databases[0]!.findings[1]!).toBe(false);
  const lost = toJson({ ...report, databases: [{ ...report.databases[0]!, findings: [{ rule: 'rows-lost', severity: 'error', table: 'sessions', message: 'm' }] }] }, { validateOnly: true }) as {
    databases: { findings: Record<string, unknown>[] }[];
  };
  expect(lost.databases[0]!.findings[0]!.table).toBe('sessions');
});
