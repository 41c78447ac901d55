/**
 * SARIF 2.1.0 for code scanning: valid against the OASIS schema, every rule described, paths relative to the
 * repository root, and fingerprints that survive unrelated edits above a finding.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { artifactUri, FINGERPRINT_KEY, toSarif, type SarifContext } from '../../src/report/sarif.js';
import { RULES, ruleDocsUrl } from '../../src/rule-catalog.js';
import type { DatabaseReport, Finding, Report } from '../../src/types.js';
import type { SarifLog } from '../support/sarif/sarif-log.js';
import { sarifSchemaErrors } from '../support/sarif/validate.js';

function report(findingsByDb: [string | null, Finding[]][]): Report {
  const databases: DatabaseReport[] = findingsByDb.map(([environment, findings]) => ({
    environment,
    binding: 'DB',
    databaseName: 'db',
    migrationsDir: 'migrations',
    migrationsTable: 'd1_migrations',
    migrations: [],
    findings,
    status: 'invalid',
    notes: [],
    durationMs: 0,
  }));
  const errors = databases.flatMap((d) => d.findings).filter((f) => f.severity === 'error').length;
  return { status: 'invalid', errors, warnings: 0, informational: 0, databases, durationMs: 0, failed: errors > 0, exitCode: errors > 0 ? 1 : 0 };
}

const repo = '/repo';
const ctx = (files: Record<string, string> = {}, extra: Partial<SarifContext> = {}): SarifContext => ({
  version: '9.8.7',
  cwd: '/repo/apps/api',
  repoRoot: repo,
  configPath: '/repo/apps/api/wrangler.toml',
  readText: (p) => files[p],
  ...extra,
});

const drop: Finding = { rule: 'destructive-change', severity: 'warning', file: 'migrations/0002_drop.sql', line: 3, column: 1, message: 'DROP TABLE users deletes the table and its rows.' };

describe('toSarif', () => {
  test('is valid SARIF 2.1.0 by the OASIS schema, with every rule of the catalog in tool.driver', () => {
    const log = toSarif(report([[null, [drop, { rule: 'schema-drift', severity: 'error', message: 'users differs' }]]]), ctx()) as SarifLog;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.version).toBe('2.1.0');
    const driver = log.runs[0]!.tool.driver;
    expect(driver).toMatchObject({ name: 'd1-migrate', version: '9.8.7', semanticVersion: '9.8.7' });
    expect(driver.rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    for (const [i, r] of RULES.entries()) {
      expect(driver.rules[i]).toMatchObject({
        id: r.id,
        shortDescription: { text: r.title },
        fullDescription: { text: r.summary },
        helpUri: ruleDocsUrl(r.id),
        defaultConfiguration: { level: r.severity },
      });
      expect(driver.rules[i]!.helpUri).toMatch(/\/docs\/rules\.md#[a-z-]+$/);
    }
  });

  test('a result carries ruleId, ruleIndex, level, message and a location relative to the repository root', () => {
    const log = toSarif(report([[null, [drop]]]), ctx()) as SarifLog;
    const [result] = log.runs[0]!.results;
    expect(result).toMatchObject({
      ruleId: 'destructive-change',
      ruleIndex: RULES.findIndex((r) => r.id === 'destructive-change'),
      level: 'warning',
      message: { text: drop.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'apps/api/migrations/0002_drop.sql', uriBaseId: 'SRCROOT' }, region: { startLine: 3, startColumn: 1 } } }],
    });
    expect(log.runs[0]!.originalUriBaseIds.SRCROOT?.uri).toBe('file:///repo/');
    expect(Object.keys(result!.partialFingerprints)).toEqual([FINGERPRINT_KEY]);
  });

  test('a finding about no file points at the wrangler config; one several environments share is one result', () => {
    const drift: Finding = { rule: 'schema-drift', severity: 'error', message: 'users differs' };
    const log = toSarif(report([['staging', [drop, drift]], ['production', [drop]]]), ctx()) as SarifLog;
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(2);
    expect(results[0]!.properties.databases).toEqual(['staging/DB', 'production/DB']);
    expect(results[1]!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'apps/api/wrangler.toml', uriBaseId: 'SRCROOT' }, region: { startLine: 1 } });
  });

  test('hostile file names are percent-encoded, never break out of the URI; a file outside the repository gets a file: URI', () => {
    expect(artifactUri('/repo/migrations/0001_a b#c%d\n<x>.sql', repo)).toBe('migrations/0001_a%20b%23c%25d%0A%3Cx%3E.sql');
    expect(artifactUri('/elsewhere/0001_a.sql', repo)).toBe('file:///elsewhere/0001_a.sql');
    const log = toSarif(report([[null, [{ ...drop, file: 'migrations/0001_a b#\n.sql' }]]]), ctx()) as SarifLog;
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  describe('fingerprints', () => {
    const file = '/repo/apps/api/migrations/0002_drop.sql';
    const fp = (text: string, findings: Finding[]) =>
      (toSarif(report([[null, findings]]), ctx({ [file]: text })) as SarifLog).runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);

    test('stay the same when lines are added above the finding or it is re-indented', () => {
      const before = fp('-- drop\nSELECT 1;\nDROP TABLE users;\n', [drop]);
      const after = fp('-- a new comment\n-- and another\n-- drop\nSELECT 1;\n   DROP   TABLE users;\n', [{ ...drop, line: 5 }]);
      expect(after).toEqual(before);
    });

    test('change when the flagged line changes, and tell apart two identical lines by their order', () => {
      const one = fp('SELECT 1;\n\nDROP TABLE users;\n', [drop]);
      const other = fp('SELECT 1;\n\nDROP TABLE jobs;\n', [drop]);
      expect(other).not.toEqual(one);
      const twice = fp('DROP TABLE users;\nDROP TABLE users;\n', [{ ...drop, line: 1 }, { ...drop, line: 2 }]);
      expect(new Set(twice).size).toBe(2);
      // Inserting a line above both keeps both.
      expect(fp('\nDROP TABLE users;\nDROP TABLE users;\n', [{ ...drop, line: 2 }, { ...drop, line: 3 }])).toEqual(twice);
    });

    test('do not depend on the message, the environment or the severity', () => {
      const a = fp('SELECT 1;\n\nDROP TABLE users;\n', [drop]);
      const b = fp('SELECT 1;\n\nDROP TABLE users;\n', [{ ...drop, severity: 'error', message: 'other words' }]);
      expect(b).toEqual(a);
    });
  });
});

describe('the SARIF log of a real run', () => {
  test('validate of a project in a subfolder of a repository', async () => {
    const { runCli } = await import('../support/action-runner.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-sarif-'));
    try {
      fs.mkdirSync(path.join(dir, '.git'));
      const cwd = path.join(dir, 'apps', 'api');
      fs.mkdirSync(path.join(cwd, 'migrations'), { recursive: true });
      fs.writeFileSync(path.join(cwd, 'wrangler.toml'), 'name = "t"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "d"\ndatabase_id = "x"\n');
      fs.writeFileSync(path.join(cwd, 'migrations', '0001_init.sql'), 'CREATE TABLE users (id INTEGER PRIMARY KEY);\nCREATE TABLE jobs (id INTEGER);\n');
      fs.writeFileSync(path.join(cwd, 'migrations', '0003_drop.sql'), 'BEGIN TRANSACTION;\nDROP TABLE jobs;\nCOMMIT;\n');
      const first = await runCli(['validate', '--cwd', cwd, '--format', 'sarif']);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(1);
      const log = JSON.parse(first.stdout) as SarifLog;
      expect(sarifSchemaErrors(log)).toEqual([]);
      const results = log.runs[0]!.results;
      const byRule = (id: string) => results.filter((r) => r.ruleId === id);
      expect(byRule('transaction-statement').map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(['apps/api/migrations/0003_drop.sql', 'apps/api/migrations/0003_drop.sql']);
      expect(byRule('transaction-statement').every((r) => r.level === 'error')).toBe(true);
      expect(byRule('destructive-change')[0]!.locations[0]!.physicalLocation.region.startLine).toBe(2);
      expect(byRule('number-gap')).toHaveLength(1);

      // An unrelated edit above the findings: the same alerts, on new lines.
      fs.writeFileSync(path.join(cwd, 'migrations', '0003_drop.sql'), '-- Remove jobs\n-- (moved to R2)\nBEGIN TRANSACTION;\nDROP TABLE jobs;\nCOMMIT;\n');
      const second = JSON.parse((await runCli(['validate', '--cwd', cwd, '--format', 'sarif'])).stdout) as SarifLog;
      const prints = (l: SarifLog) => l.runs[0]!.results.map((r) => `${r.ruleId} ${r.partialFingerprints[FINGERPRINT_KEY]}`);
      expect(prints(second)).toEqual(prints(log));
      expect(second.runs[0]!.results.find((r) => r.ruleId === 'destructive-change')!.locations[0]!.physicalLocation.region.startLine).toBe(4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
