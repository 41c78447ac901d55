/**
 * The sarif input and output of the bundled action, and the CLI's --sarif: a file code scanning can take, with
 * paths from the repository root (GITHUB_WORKSPACE) when the Worker project is in a subfolder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runAction, runCli } from '../support/action-runner.js';
import { makeProject, TOML_DB } from '../support/project.js';
import type { SarifLog } from '../support/sarif/sarif-log.js';
import { sarifSchemaErrors } from '../support/sarif/validate.js';

const files = {
  'apps/api/wrangler.toml': TOML_DB,
  'apps/api/migrations/0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY);\nBEGIN TRANSACTION;\nCREATE TABLE jobs (id INTEGER);\nCOMMIT;\n',
};

describe('SARIF from the bundled action and CLI', () => {
  test('the sarif input writes a valid SARIF file, its path is the sarif output, paths start at the workspace', async () => {
    const workspace = makeProject(files);
    const r = await runAction({ 'working-directory': 'apps/api', phases: 'validate', comment: 'off', sarif: 'out/d1-migrate.sarif' }, { cwd: workspace });
    expect(r.code).toBe(1);
    expect(r.outputs.sarif).toBe(join(workspace, 'apps', 'api', 'out', 'd1-migrate.sarif'));
    expect(existsSync(r.outputs.sarif!)).toBe(true);
    const log = JSON.parse(readFileSync(r.outputs.sarif!, 'utf8')) as SarifLog;
    expect(sarifSchemaErrors(log)).toEqual([]);
    const results = log.runs[0]!.results;
    expect(results.map((x) => [x.ruleId, x.level, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['transaction-statement', 'error', 'apps/api/migrations/0001_init.sql', 2],
      ['transaction-statement', 'error', 'apps/api/migrations/0001_init.sql', 4],
    ]);
  });

  test('without the input no file is written and the output is empty', async () => {
    const workspace = makeProject(files);
    const r = await runAction({ 'working-directory': 'apps/api', phases: 'validate', comment: 'off' }, { cwd: workspace });
    expect(r.outputs.sarif).toBe('');
  });

  test('a sarif path that is not a .sarif file is refused, naming the input and what is allowed', async () => {
    const r = await runAction({ 'working-directory': makeProject({ 'wrangler.toml': TOML_DB }), phases: 'validate', comment: 'off', sarif: 'true' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`::error::Invalid input 'sarif': "true". Give a file path ending in .sarif (or .sarif.json), e.g. d1-migrate.sarif.`);
  });

  test('the CLI writes the same file with --sarif, next to its usual output', async () => {
    const workspace = makeProject({ ...files, '.git/HEAD': 'ref: refs/heads/main\n' });
    const r = await runCli(['validate', '--cwd', join(workspace, 'apps', 'api'), '--sarif', 'd1.sarif']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^migrations\/0001_init\.sql:2(:\d+)?: error \[transaction-statement\]/m);
    const log = JSON.parse(readFileSync(join(workspace, 'apps', 'api', 'd1.sarif'), 'utf8')) as SarifLog;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('apps/api/migrations/0001_init.sql');
  });
});
