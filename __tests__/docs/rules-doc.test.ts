/**
 * docs/rules.md is the page every finding links to (`docs/rules.md#<rule-id>`): one section per rule of the
 * catalog, with the catalog's severity, and examples that really do (and, once fixed, do not) trigger the rule.
 */
import fs from 'node:fs';
import path from 'node:path';
import { RULES, RULE_IDS } from '../../src/rule-catalog.js';
import { validateDatabase } from '../../src/phases/validate.js';
import { cleanupProjects, makeProject, targetFor } from '../migrations/fixtures.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const doc = fs.readFileSync(path.join(root, 'docs/rules.md'), 'utf8');

interface Section {
  heading: string;
  body: string;
}

/** The `## ` sections of the page (fenced code is skipped so a `## ` inside an example does not count). */
function sections(markdown: string): Section[] {
  const out: Section[] = [];
  let current: Section | undefined;
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^```/.test(line)) fenced = !fenced;
    const m = !fenced && /^## (.+?)\s*$/.exec(line);
    if (m) {
      current = { heading: m[1]!, body: '' };
      out.push(current);
    } else if (current) {
      current.body += `${line}\n`;
    }
  }
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation other than `-` and `_` removed, spaces to `-`. */
function githubAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Files of the example marked `<!-- example: kind -->`: each `-- file: path` line starts a file. */
function example(body: string, kind: 'triggers' | 'fixed'): Record<string, string> | undefined {
  const m = new RegExp(`<!-- example: ${kind} -->\\s*\\n\`\`\`sql\\n([\\s\\S]*?)\\n\`\`\``).exec(body);
  if (!m) return undefined;
  const files: Record<string, string> = {};
  let currentFile: string | undefined;
  for (const line of m[1]!.split('\n')) {
    const header = /^-- file: (\S+)\s*$/.exec(line);
    if (header) {
      currentFile = header[1]!;
      files[currentFile] = '';
    } else if (currentFile !== undefined) {
      files[currentFile] += `${line}\n`;
    } else {
      throw new Error(`example "${kind}" has SQL before its first "-- file:" line`);
    }
  }
  return files;
}

async function rulesReported(files: Record<string, string>): Promise<string[]> {
  const project = makeProject({ 'wrangler.toml': 'name = "docs"\n', ...files });
  const result = await validateDatabase(targetFor(project), { cwd: project, numbering: 'sequential', disabled: new Set() });
  return result.findings.map((f) => f.rule);
}

const all = sections(doc);
const byId = new Map(all.map((s) => [s.heading, s]));

/** Rules that need a database ledger or a pull request: their examples are prose, not files. */
const NOT_VALIDATE_PHASE = new Set([
  'applied-file-missing',
  'applied-file-changed',
  'out-of-order',
  'modified-migration',
  'schema-drift',
  'replay-unverified',
  // Counts of the target's own rows: the preview phase, against a database (__tests__/preflight/).
  'preflight-rows-lost',
  'preflight-fails',
  'preflight-large-rewrite',
]);
/** The example would be 100 KB of SQL, or is in the bytes or the file system rather than in SQL text. */
const NO_FILE_EXAMPLE = new Set([...NOT_VALIDATE_PHASE, 'statement-too-large', 'unreadable-file']);

afterEach(cleanupProjects);

describe('docs/rules.md', () => {
  test('every rule in the catalog has exactly one section whose heading is the rule id', () => {
    for (const rule of RULES) {
      const matching = all.filter((s) => s.heading === rule.id);
      expect({ rule: rule.id, sections: matching.length }).toEqual({ rule: rule.id, sections: 1 });
    }
  });

  test('there is no section for a rule id the catalog does not know', () => {
    const unknown = all.map((s) => s.heading).filter((h) => !RULE_IDS.has(h));
    expect(unknown).toEqual([]);
  });

  test('each section heading produces exactly the anchor the CLI links to', () => {
    for (const rule of RULES) expect(githubAnchor(rule.id)).toBe(rule.id);
    for (const s of all) expect(githubAnchor(s.heading)).toBe(s.heading);
  });

  test('the sections are in the order the catalog lists the rules', () => {
    expect(all.map((s) => s.heading)).toEqual(RULES.map((r) => r.id));
  });

  test.each(RULES.map((r) => [r.id, r.severity] as const))('the %s section states the default severity %s', (id, severity) => {
    const body = byId.get(id)?.body ?? '';
    const stated = [...body.matchAll(/\*\*Default severity:\*\* (\w+)/g)].map((m) => m[1]);
    expect(stated).toEqual([severity]);
  });

  test.each(RULES.map((r) => [r.id] as const))('the %s section says what it catches, why, how to fix and how to suppress', (id) => {
    const body = byId.get(id)?.body ?? '';
    for (const part of ['**What it catches.**', '**Why.**', '**Example', '**How to fix.**', '**How to suppress.**']) {
      expect({ id, part, present: body.includes(part) }).toEqual({ id, part, present: true });
    }
  });

  test('the suppression comments the page documents are the ones the parser understands', async () => {
    const { parseIgnoreComment } = await import('../../src/sql/suppress.js');
    expect(doc).toContain('-- d1-migrate-ignore: rule-id');
    expect(doc).toContain('-- d1-migrate-ignore-file: rule-id');
    expect(parseIgnoreComment('-- d1-migrate-ignore: destructive-change -- legacy table, archived in R2 first', 'statement')).toEqual(['destructive-change']);
    expect(parseIgnoreComment('-- d1-migrate-ignore-file: duplicate-number', 'file')).toEqual(['duplicate-number']);
  });

  test('the statement-too-large example (2,000 INSERTs of about 60 bytes) triggers the rule', async () => {
    expect(byId.get('statement-too-large')?.body).toContain('2,000 `INSERT` statements of 60 bytes');
    const row = (i: number) => `INSERT INTO events (id, kind) VALUES (${String(i).padStart(6, '0')}, 'page_view');\n`;
    const sql = 'CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT);\n' + Array.from({ length: 2000 }, (_, i) => row(i + 1)).join('');
    expect(row(1).length).toBe(60);
    expect(await rulesReported({ 'migrations/0001_events.sql': sql })).toContain('statement-too-large');
  });

  const withExamples = RULES.filter((r) => !NO_FILE_EXAMPLE.has(r.id)).map((r) => [r.id] as const);

  test.each(withExamples)('the "triggers" example of %s makes validate report that rule', async (id) => {
    const files = example(byId.get(id)?.body ?? '', 'triggers');
    expect(files).toBeDefined();
    expect(await rulesReported(files!)).toContain(id);
  });

  test.each(withExamples)('the "fixed" example of %s passes without that rule or any error', async (id) => {
    const files = example(byId.get(id)?.body ?? '', 'fixed');
    expect(files).toBeDefined();
    const project = makeProject({ 'wrangler.toml': 'name = "docs"\n', ...files });
    const result = await validateDatabase(targetFor(project), { cwd: project, numbering: 'sequential', disabled: new Set() });
    expect(result.findings.filter((f) => f.rule === id || f.severity === 'error')).toEqual([]);
  });
});
