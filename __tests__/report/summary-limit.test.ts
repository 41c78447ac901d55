/**
 * Issue 13 point 10: the job summary fits GitHub's 1 MiB counted in bytes, is cut only where the markdown
 * stays whole, and says where it was cut and where the rest is.
 */
import { fitSummary, SUMMARY_MAX_BYTES } from '../../src/report/summary-limit.js';
import { renderSummary } from '../../src/report/summary.js';
import type { DatabaseReport, Report } from '../../src/types.js';
import { rng } from '../support/rng.js';

const bytes = (s: string) => new TextEncoder().encode(s).length;


/** Markdown the way the summary is built: headings, paragraphs, tables, fences and <details> blocks. */
function randomMarkdown(next: () => number, blocks: number): string {
  const word = () => ['表', 'ü', 'x', '🙂', 'name', '`', '|'][Math.floor(next() * 7)]!.repeat(1 + Math.floor(next() * 30));
  const out: string[] = ['## ✅ D1 migrations: valid'];
  for (let b = 0; b < blocks; b++) {
    const kind = Math.floor(next() * 5);
    out.push('');
    if (kind === 0) out.push(`### ${word()}`);
    else if (kind === 1) out.push(`p ${word()} ${word()}`);
    else if (kind === 2) {
      out.push('| a | b |', '| --- | --- |');
      for (let r = 0; r < 1 + next() * 40; r++) out.push(`| ${word()} | ${word()} |`);
    } else if (kind === 3) {
      out.push('```diff');
      for (let r = 0; r < 1 + next() * 20; r++) out.push(`+ ${word()}`, '');
      out.push('```');
    } else {
      out.push('<details><summary>schema</summary>', '');
      for (let r = 0; r < 1 + next() * 20; r++) out.push(`| ${word()} |`, '');
      out.push('</details>');
    }
  }
  return out.join('\n') + '\n';
}

function assertWhole(prefix: string): void {
  const lines = prefix.split('\n');
  expect(lines.filter((l) => /^```(?=[^`]*$)/.test(l)).length % 2).toBe(0);
  const open = (prefix.match(/<details>/g) ?? []).length;
  expect((prefix.match(/<\/details>/g) ?? []).length).toBe(open);
  // A table header is never the last line kept (the delimiter row would be missing).
  const last = lines.filter((l) => l.trim() !== '').pop() ?? '';
  if (last.startsWith('|')) expect(lines.some((l) => /^\| ---/.test(l))).toBe(true);
}

test('fuzz: the result fits in the bytes given, is a line prefix of the input, and is whole markdown', () => {
  const next = rng(10);
  for (let i = 0; i < 300; i++) {
    const md = randomMarkdown(next, 5 + Math.floor(next() * 60));
    const max = 1500 + Math.floor(next() * bytes(md));
    const out = fitSummary(md, { maxBytes: max, reportPath: 'd1-report.json' });
    expect(bytes(out)).toBeLessThanOrEqual(Math.max(max, bytes(md) <= max ? bytes(md) : max));
    if (bytes(md) <= max) {
      expect(out).toBe(md);
      continue;
    }
    const cut = out.indexOf('\n\n> [!WARNING]\n> The summary was cut here');
    expect(cut).toBeGreaterThanOrEqual(0);
    const prefix = out.slice(0, cut);
    expect(md.startsWith(prefix)).toBe(true);
    expect(['\n', undefined]).toContain(md[prefix.length]);
    assertWhole(prefix);
    expect(out).toContain('`d1-report.json`');
  }
});

test('renderSummary counts bytes: a report of non-ASCII messages over 1 MiB (but under 1 Mi characters) is cut and says where', () => {
  const message = '表'.repeat(1500); // 4,500 bytes, 1,500 characters
  const db = (binding: string): DatabaseReport => ({
    environment: 'production',
    binding,
    databaseName: `${binding}-db`,
    migrationsDir: 'migrations',
    migrationsTable: 'd1_migrations',
    migrations: ['0001_a.sql'],
    findings: Array.from({ length: 200 }, (_, i) => ({ rule: 'destructive-change', severity: 'warning' as const, file: 'migrations/0001_a.sql', line: i + 1, message })),
    status: 'valid',
    notes: [],
    durationMs: 1,
  });
  const report: Report = { status: 'valid', errors: 0, warnings: 600, informational: 0, databases: [db('DB'), db('AUDIT'), db('LOGS')], durationMs: 1, failed: false, exitCode: 0 };
  const md = renderSummary({ report, run: {}, target: 'remote', reportPath: 'out/d1-report.json' });
  expect(md.length).toBeLessThan(SUMMARY_MAX_BYTES);
  expect(bytes(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES);
  expect(md).toMatch(/The summary was cut here in the section “✅ production · `\w+` \(\w+-db\): valid”: GitHub accepts at most 1 MiB \(1,048,576 bytes\) per step summary, and this one has [\d,]+ bytes; [\d,]+ are shown\. Everything is in the JSON report `out\/d1-report\.json`/);
  // The first database is whole; the cut is between table rows.
  assertWhole(md.slice(0, md.indexOf('\n\n> [!WARNING]')));
});
