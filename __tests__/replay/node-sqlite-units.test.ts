/**
 * Suites that test node:sqlite connections directly skip that half on a Node without node:sqlite — the Node 20
 * this suite runs on: alter.test.ts (ADD COLUMN without a reload, where node:sqlite cannot pause foreign keys)
 * and backends.test.ts (the replay's whole result on node:sqlite against the WASM build, every fixture, edge
 * and corpus set). Here they run again under Node 24 (tools/compat), so the node:sqlite half is tested on every
 * run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NODE24 } from '../support/action-runner.js';

const SUITES = ['__tests__/replay/alter.test.ts', '__tests__/replay/backends.test.ts'];
const hasNodeSqlite = Number(process.versions.node.split('.')[0]) >= 24;

interface JestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { message: string }[];
}

if (hasNodeSqlite) test.skip('this Node has node:sqlite: the suites test it in place', () => undefined);
else if (!existsSync(NODE24)) test.skip(`needs Node 24 at ${NODE24} (npm ci in tools/compat)`, () => undefined);
else {
  test.each(SUITES)('%s passes under Node 24 (node:sqlite)', (suite) => {
    const dir = mkdtempSync(join(tmpdir(), 'd1m-node24-units-'));
    try {
      const out = join(dir, 'result.json');
      const jest = resolve('node_modules/jest/bin/jest.js');
      const r = spawnSync(NODE24, ['--experimental-vm-modules', jest, '--runTestsByPath', suite, '--json', `--outputFile=${out}`], {
        encoding: 'utf8',
        timeout: 400_000,
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      expect(existsSync(out)).toBe(true);
      const result = JSON.parse(readFileSync(out, 'utf8')) as JestJson;
      const failures = result.testResults.map((t) => t.message).filter(Boolean).join('\n');
      expect({ failed: result.numFailedTests, failures, status: r.status }).toEqual({ failed: 0, failures: '', status: 0 });
      expect(result.numPassedTests).toBe(result.numTotalTests);
      expect(result.numTotalTests).toBeGreaterThan(0);
      // The suites say so when node:sqlite could not be loaded (they then test only the WASM build).
      expect(r.stderr).not.toMatch(/node:sqlite is not usable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 450_000);
}
