/**
 * Every workflow users copy (examples/*.yml, the README's yaml blocks) and every workflow this repository runs
 * (.github/workflows/*.yml) passes the GitHub workflow schema check of @action-validator/core, and uses only
 * the inputs and outputs action.yml declares.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { parseCli } from '../../src/cli/args.js';
import { readProjectConfig } from '../../src/config/project-config.js';
import { PROJECT_CONFIG_SCHEMA_URL } from '../../src/config/project-config-schema.js';

interface ValidationState {
  actionType: 'action' | 'workflow';
  errors: unknown[];
}
const validator = createRequire(import.meta.url)('@action-validator/core') as {
  validateAction(src: string): ValidationState;
  validateWorkflow(src: string): ValidationState;
};

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const read = (rel: string): string => fs.readFileSync(path.join(root, rel), 'utf8');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Mapping = { [key: string]: Json };
/** A YAML scalar that should be text (a step's `run`), or '' when it is absent or not text. */
const textOf = (value: Json | undefined): string => (typeof value === 'string' ? value : '');

function parseYaml(text: string, label: string): Mapping {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new Error(`${label}: ${doc.errors.map((e) => e.message).join('\n')}`);
  const value = doc.toJS() as Json;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${label}: not a mapping`);
  return value;
}

const action = parseYaml(read('action.yml'), 'action.yml');
const INPUTS = new Set(Object.keys(action.inputs as Mapping));
const OUTPUTS = new Set(Object.keys(action.outputs as Mapping));

/** `org/d1-migrate-action@v1` (any owner, any ref); in this repository's own workflows also `./`. */
function isThisAction(uses: unknown, allowLocal: boolean): boolean {
  if (typeof uses !== 'string') return false;
  return /^[\w.-]+\/d1-migrate-action@[\w.-]+$/.test(uses) || (allowLocal && (uses === './' || uses === '.'));
}

function strings(value: Json | undefined, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/**
 * Problems with how a workflow uses the action: unknown inputs, outputs action.yml does not declare, references
 * to step ids or jobs that do not exist, unbalanced `${{ }}`. Empty when all is well.
 */
function actionUsageProblems(workflow: Mapping, allowLocal: boolean): string[] {
  const problems: string[] = [];
  const jobs = (workflow.jobs ?? {}) as Record<string, Mapping>;
  for (const [jobId, job] of Object.entries(jobs)) {
    const steps = (job.steps ?? []) as Mapping[];
    const ids = new Set<string>();
    const ours = new Set<string>();
    steps.forEach((step, index) => {
      if (typeof step.id === 'string') ids.add(step.id);
      if (!isThisAction(step.uses, allowLocal)) return;
      if (typeof step.id === 'string') ours.add(step.id);
      for (const input of Object.keys((step.with ?? {}) as Mapping)) {
        if (!INPUTS.has(input)) problems.push(`jobs.${jobId}.steps[${index}] passes input "${input}", which action.yml does not declare`);
      }
    });
    for (const text of strings(job)) {
      if ((text.match(/\$\{\{/g) ?? []).length !== (text.match(/\}\}/g) ?? []).length) {
        problems.push(`jobs.${jobId}: unbalanced expression in ${JSON.stringify(text)}`);
      }
      for (const m of text.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const [, id, name] = m as unknown as [string, string, string];
        if (!ids.has(id)) problems.push(`jobs.${jobId} reads steps.${id}.outputs.${name}, but the job has no step with id "${id}"`);
        else if (ours.has(id) && !OUTPUTS.has(name)) problems.push(`jobs.${jobId} reads output "${name}" of the action, which action.yml does not declare`);
      }
      for (const m of text.matchAll(/\bneeds\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        const [, other, name] = m as unknown as [string, string, string];
        const needs = typeof job.needs === 'string' ? [job.needs] : ((job.needs ?? []) as string[]);
        const declared = (jobs[other]?.outputs ?? {}) as Mapping;
        if (!needs.includes(other)) problems.push(`jobs.${jobId} reads needs.${other}.outputs.${name} without needs: ${other}`);
        else if (!(name in declared)) problems.push(`jobs.${jobId} reads needs.${other}.outputs.${name}, which job ${other} does not declare`);
      }
    }
  }
  return problems;
}

/** Steps of a workflow that use the action. */
function actionSteps(workflow: Mapping): Mapping[] {
  const out: Mapping[] = [];
  for (const job of Object.values((workflow.jobs ?? {}) as Record<string, Mapping>)) {
    for (const step of (job.steps ?? []) as Mapping[]) if (isThisAction(step.uses, false)) out.push(step);
  }
  return out;
}

const exampleFiles = fs
  .readdirSync(path.join(root, 'examples'))
  .filter((n) => n.endsWith('.yml') || n.endsWith('.yaml'))
  .map((n) => `examples/${n}`);
const repoWorkflows = fs
  .readdirSync(path.join(root, '.github/workflows'))
  .filter((n) => n.endsWith('.yml') || n.endsWith('.yaml'))
  .map((n) => `.github/workflows/${n}`);

/** README ```yaml blocks that are workflows (contain `jobs:`), labelled by their line number. */
function readmeWorkflows(): [string, string][] {
  const out: [string, string][] = [];
  const lines = read('README.md').split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const block = lines.slice(start, end).join('\n');
    if (/^jobs:/m.test(block)) out.push([`README.md line ${i + 1}`, block]);
    i = end;
  }
  return out;
}

describe('action.yml', () => {
  test('passes the action schema check', () => {
    expect(validator.validateAction(read('action.yml')).errors).toEqual([]);
  });
});

describe('workflow files', () => {
  test('the examples folder holds the documented scenarios', () => {
    for (const name of ['deploy.yml', 'matrix.yml', 'staging-then-production.yml', 'code-scanning.yml']) expect(exampleFiles).toContain(`examples/${name}`);
  });

  test.each(exampleFiles)('%s parses and passes the workflow schema check', (file) => {
    parseYaml(read(file), file);
    expect(validator.validateWorkflow(read(file)).errors).toEqual([]);
  });

  test.each(exampleFiles)('%s uses the action with declared inputs and outputs only', (file) => {
    const workflow = parseYaml(read(file), file);
    expect(actionSteps(workflow).length).toBeGreaterThan(0);
    expect(actionUsageProblems(workflow, false)).toEqual([]);
  });

  test.each(repoWorkflows)('%s parses, passes the workflow schema check and uses the action correctly', (file) => {
    const workflow = parseYaml(read(file), file);
    expect(validator.validateWorkflow(read(file)).errors).toEqual([]);
    expect(actionUsageProblems(workflow, true)).toEqual([]);
  });

  test('the usage check itself catches an unknown input, an undeclared output and a missing step id', () => {
    const workflow = parseYaml(
      [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: org/d1-migrate-action@v1',
        '        id: m',
        '        with: { enviroment: production }',
        '      - run: echo "${{ steps.m.outputs.applied_count }} ${{ steps.nope.outputs.status }}"',
      ].join('\n'),
      'inline',
    );
    const problems = actionUsageProblems(workflow, false);
    expect(problems).toEqual([
      expect.stringContaining('"enviroment"'),
      expect.stringContaining('"applied_count"'),
      expect.stringContaining('no step with id "nope"'),
    ]);
  });
});

/**
 * For each action the examples, the README and this repository's workflows use: the first major whose published
 * action.yml says `runs.using: node24` (read from the repositories' tags: actions/checkout v5, v6 and v7 say
 * node24, v4 node20; actions/setup-node likewise; github/codeql-action v4 says node24, v3 node20; actions/cache v5
 * runs on node24, v4 on node20). A `node20`
 * major makes every job that uses it carry the runner's "Node.js 20 actions are deprecated" annotation.
 */
const FIRST_NODE24_MAJOR: Record<string, number> = {
  'actions/cache': 5,
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'github/codeql-action/upload-sarif': 4,
};

/** `uses:` of every step that is not this action, as `[owner/repo[/path], major]`. */
function otherActions(workflow: Mapping): [string, string][] {
  const out: [string, string][] = [];
  for (const job of Object.values((workflow.jobs ?? {}) as Record<string, Mapping>)) {
    for (const step of (job.steps ?? []) as Mapping[]) {
      if (typeof step.uses !== 'string' || isThisAction(step.uses, true)) continue;
      const [name, ref = ''] = step.uses.split('@');
      out.push([name!, ref]);
    }
  }
  return out;
}

describe('no deprecated node20 actions in what users copy or this repository runs', () => {
  const files: [string, string][] = [
    ...[...exampleFiles, ...repoWorkflows].map((f): [string, string] => [f, read(f)]),
    ...readmeWorkflows(),
  ];

  test.each(files)('%s uses only actions whose major runs on node24', (label, text) => {
    const used = otherActions(parseYaml(text, label));
    for (const [name, ref] of used) {
      expect({ name, known: name in FIRST_NODE24_MAJOR }).toEqual({ name, known: true });
      const major = /^v(\d+)$/.exec(ref);
      expect({ name, ref, major: major !== null }).toEqual({ name, ref, major: true });
      expect({ name, ref, node24: Number(major![1]) >= FIRST_NODE24_MAJOR[name]! }).toEqual({ name, ref, node24: true });
    }
  });

  test('the check itself rejects actions/checkout@v4 and an unknown action', () => {
    const workflow = parseYaml('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n', 'inline');
    const [[name, ref]] = otherActions(workflow) as [[string, string]];
    expect(Number(ref.slice(1)) >= FIRST_NODE24_MAJOR[name]!).toBe(false);
    expect('actions/upload-artifact' in FIRST_NODE24_MAJOR).toBe(false);
  });
});

describe('README workflow blocks', () => {
  const blocks = readmeWorkflows();

  test('the README shows at least one workflow', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  test.each(blocks)('%s parses and passes the workflow schema check', (label, block) => {
    parseYaml(block, label);
    expect(validator.validateWorkflow(block).errors).toEqual([]);
  });

  test.each(blocks)('%s uses the action with declared inputs and outputs only', (label, block) => {
    expect(actionUsageProblems(parseYaml(block, label), false)).toEqual([]);
  });
});

describe('README command lines', () => {
  /** `npx d1-migrate ...` lines of the README's sh blocks, split as a shell would (double quotes, # comments). */
  const lines = [...read('README.md').matchAll(/^```sh\n([\s\S]*?)^```$/gm)]
    .flatMap((m) => m[1]!.split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('npx d1-migrate'));

  test('the README shows the CLI', () => {
    expect(lines.length).toBeGreaterThan(4);
  });

  test.each(lines)('%s is a command line the CLI accepts', (line) => {
    const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(2);
    const parsed = parseCli(words);
    expect(parsed.command).toBe(words[0] === '--version' ? 'version' : words[0]);
  });
});

describe('README .d1-migrate.toml blocks', () => {
  const blocks = [...read('README.md').matchAll(/^```toml\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

  test('the README shows a .d1-migrate.toml', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  test.each(blocks)('%s is a valid .d1-migrate.toml whose #:schema line names the published schema', (block) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-readme-toml-'));
    try {
      fs.writeFileSync(path.join(dir, '.d1-migrate.toml'), block);
      expect(() => readProjectConfig(path.join(dir, '.d1-migrate.toml'), dir)).not.toThrow();
      const schema = /^#:schema (\S+)/m.exec(block)?.[1];
      expect(schema).toBe(PROJECT_CONFIG_SCHEMA_URL);
      expect(PROJECT_CONFIG_SCHEMA_URL.endsWith('/schema/d1-migrate.schema.json')).toBe(true);
      expect(fs.existsSync(path.join(root, 'schema/d1-migrate.schema.json'))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what each scenario promises', () => {
  const jobsOf = (file: string) => parseYaml(read(file), file).jobs as Record<string, Mapping>;

  test('the deploy workflow skips only an unavailable D1, queues per environment and deploys unless the migration failed', () => {
    const [job] = Object.values(jobsOf('examples/deploy.yml'));
    expect(job!.concurrency).toEqual({ group: 'd1-migrations-production', 'cancel-in-progress': false });
    const steps = job!.steps as Mapping[];
    const migrate = steps.find((s) => isThisAction(s.uses, false))!;
    expect((migrate.with as Mapping)['fail-mode']).toBe('skip-unavailable');
    expect((migrate.with as Mapping).phases).toBe('validate,preview,apply,history');
    const deploy = steps.slice(steps.indexOf(migrate) + 1).find((s) => textOf(s.run).includes('wrangler deploy'))!;
    expect(deploy.if).toBe(`\${{ steps.${migrate.id as string}.outputs.status != 'failed' }}`);
    expect(parseYaml(read('examples/deploy.yml'), 'deploy').permissions).toEqual({ contents: 'read' });
  });

  test('the matrix workflow covers three environments, does not fail fast and has one concurrency group per environment', () => {
    const [job] = Object.values(jobsOf('examples/matrix.yml'));
    const strategy = job!.strategy as Mapping;
    expect(strategy['fail-fast']).toBe(false);
    expect((strategy.matrix as Mapping).environment).toEqual(['development', 'staging', 'production']);
    expect((job!.concurrency as Mapping).group).toContain('${{ matrix.environment }}');
  });

  test('the code-scanning workflow writes SARIF and uploads it even when validate fails', () => {
    const workflow = parseYaml(read('examples/code-scanning.yml'), 'code-scanning');
    expect(workflow.permissions).toEqual({ contents: 'read', 'security-events': 'write' });
    const [job] = Object.values(workflow.jobs as Record<string, Mapping>);
    const steps = job!.steps as Mapping[];
    const migrate = steps.find((s) => isThisAction(s.uses, false))!;
    expect((migrate.with as Mapping).sarif).toMatch(/\.sarif$/);
    const upload = steps.find((s) => textOf(s.uses).startsWith('github/codeql-action/upload-sarif@'))!;
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.indexOf(migrate));
    // upload-sarif v4's action.yml declares sarif_file and category.
    expect(Object.keys(upload.with as Mapping).sort()).toEqual(['category', 'sarif_file']);
    expect((upload.with as Mapping).sarif_file).toBe(`\${{ steps.${migrate.id as string}.outputs.sarif }}`);
    expect(textOf(upload.if)).toContain('!cancelled()');
  });

  test('the staging-then-production workflow gates production on staging and an approval environment, and restores by hand', () => {
    const workflow = parseYaml(read('examples/staging-then-production.yml'), 'staging-then-production');
    const jobs = workflow.jobs as Record<string, Mapping>;
    expect(jobs.production!.needs).toBe('staging');
    expect(jobs.production!.environment).toBe('production');
    expect((jobs.production!.outputs as Mapping).bookmark).toBe('${{ steps.migrate.outputs.bookmark }}');
    expect(Object.keys((workflow.on as Mapping).workflow_dispatch as Mapping)).toContain('inputs');
    expect(jobs.restore!.if).toContain("github.event_name == 'workflow_dispatch'");
    const restore = (jobs.restore!.steps as Mapping[]).find((s) => isThisAction(s.uses, false))!;
    expect(restore.with).toMatchObject({ phases: 'restore', bookmark: '${{ inputs.bookmark }}' });
  });
});

describe('examples/package-scripts.json', () => {
  const scripts = (JSON.parse(read('examples/package-scripts.json')) as { scripts: Record<string, string> }).scripts;

  test('defines the four migrate scripts', () => {
    expect(Object.keys(scripts).sort()).toEqual(['migrate:check', 'migrate:local', 'migrate:new', 'migrate:status']);
  });

  test.each(Object.entries(scripts))('the %s script is a d1-migrate command line the CLI accepts', (name, command) => {
    const [bin, ...args] = command.split(/\s+/);
    expect(bin).toBe('d1-migrate');
    // `npm run migrate:new -- "add jobs table"` appends the description.
    const parsed = parseCli(name === 'migrate:new' ? [...args, 'add jobs table'] : args);
    expect(parsed.command).toBe(args[0]);
  });

  test('the scripts do what their names say', () => {
    expect(parseCli(scripts['migrate:local']!.split(/\s+/).slice(1)).raw.target).toBe('local');
    expect(parseCli(scripts['migrate:status']!.split(/\s+/).slice(1)).raw).toMatchObject({ target: 'remote', environment: 'production' });
    expect(parseCli(scripts['migrate:check']!.split(/\s+/).slice(1)).command).toBe('validate');
  });
});

describe('the test workflow', () => {
  test('runs exactly the commands at the top of README.md, on Node 20 and 24', () => {
    const readme = read('README.md');
    const block = /^```sh\n([\s\S]*?)^```/m.exec(readme)![1]!;
    const commands = block
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter(Boolean)
      .flatMap((line) => line.split('&&').map((c) => c.trim()));
    const workflow = parseYaml(read('.github/workflows/test.yml'), 'test.yml');
    const job = (workflow.jobs as Record<string, Mapping>).test!;
    const runs = (job.steps as Mapping[]).filter((s) => s.run !== undefined).map((s) => textOf(s.run).trim());
    expect(commands).toEqual(['npm ci', 'npm run demo', 'npm test', 'npm run typecheck', 'npm run lint']);
    expect(runs).toEqual(commands);
    expect(((job.strategy as Mapping).matrix as Mapping).node).toEqual([20, 24]);
  });
});

describe('release plumbing', () => {
  const release = parseYaml(read('.github/workflows/release.yml'), 'release.yml');
  const steps = Object.values(release.jobs as Record<string, Mapping>)[0]!.steps as Mapping[];
  const runOf = (name: string): string => textOf(steps.find((s) => s.name === name)?.run);
  const sh = (script: string, env: Record<string, string>, cwd: string): string =>
    execFileSync('bash', ['-euo', 'pipefail', '-c', script], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });

  test('the release workflow runs on version tags with contents: write and id-token: write and runs the CI script', () => {
    expect((release.on as Mapping).push).toEqual({ tags: ['v*.*.*'] });
    expect(release.permissions).toEqual({ contents: 'write', 'id-token': 'write' });
    expect(steps.some((s) => s.run === 'bash .ci/run')).toBe(true);
    expect(runOf('Create the GitHub release')).toContain('gh release create');
    // Checked before the slow CI check; published after it, before the major tag moves.
    const names = steps.map((s) => textOf(s.name ?? s.run ?? s.uses));
    const at = (n: string) => names.indexOf(n);
    expect(at('Check the tag is the package version')).toBeLessThan(at('CI check'));
    expect(at('CI check')).toBeLessThan(at('Publish to npm'));
    expect(at('Publish to npm')).toBeLessThan(at('Move the major tag'));
    const publish = steps.find((s) => s.name === 'Publish to npm')!;
    expect((publish.env as Mapping).NODE_AUTH_TOKEN).toBe('${{ secrets.NPM_TOKEN }}');
  });

  test('the version check refuses a tag that is not package.json\'s version', () => {
    const script = runOf('Check the tag is the package version');
    const version = (JSON.parse(read('package.json')) as { version: string }).version;
    expect(() => sh(script, { TAG: `v${version}` }, root)).not.toThrow();
    expect(() => sh(script, { TAG: 'v99.0.0' }, root)).toThrow();
  });

  test('the publish step publishes with provenance, pre-releases under next, and not twice', () => {
    const script = runOf('Publish to npm');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-publish-'));
    try {
      // A stand-in npm on PATH that records its arguments; `npm view` says whether the version is published.
      const log = path.join(tmp, 'npm.log');
      fs.writeFileSync(path.join(tmp, 'npm'), `#!/bin/sh\necho "$*" >> "${log}"\n[ "$1" = view ] && exit "\${VIEW_EXIT:-1}"\nexit 0\n`, { mode: 0o755 });
      const run = (env: Record<string, string>) => {
        fs.rmSync(log, { force: true });
        sh(script, { PATH: `${tmp}${path.delimiter}${process.env.PATH}`, ...env }, root);
        return fs.readFileSync(log, 'utf8').trim().split('\n');
      };
      expect(run({ TAG: 'v1.2.3' })).toEqual(['view d1-migrate@1.2.3 version', 'publish --provenance --access public --tag latest']);
      expect(run({ TAG: 'v1.3.0-rc.1' })).toEqual(['view d1-migrate@1.3.0-rc.1 version', 'publish --provenance --access public --tag next']);
      expect(run({ TAG: 'v1.2.3', VIEW_EXIT: '0' })).toEqual(['view d1-migrate@1.2.3 version']);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('src/version.ts, which --version and SARIF print, is package.json\'s version', () => {
    const version = (JSON.parse(read('package.json')) as { version: string }).version;
    expect(read('src/version.ts')).toContain(`export const VERSION = '${version}';`);
  });

  test('the release notes step extracts the version section of CHANGELOG.md', () => {
    const script = runOf('Create the GitHub release');
    const extract = script.slice(0, script.indexOf('flags=()'));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-notes-'));
    try {
      const version = (JSON.parse(read('package.json')) as { version: string }).version;
      sh(extract, { TAG: `v${version}`, RUNNER_TEMP: tmp }, root);
      const notes = fs.readFileSync(path.join(tmp, 'notes.md'), 'utf8');
      expect(notes.trim().length).toBeGreaterThan(0);
      expect(notes).not.toMatch(/^## \[/m);
      sh(extract, { TAG: 'v0.0.0-none', RUNNER_TEMP: tmp }, root);
      expect(fs.readFileSync(path.join(tmp, 'notes.md'), 'utf8')).toBe('');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('the major tag step moves v1 to the release commit and leaves it alone for a pre-release', () => {
    const script = runOf('Move the major tag');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-tag-'));
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' }).trim();
    try {
      const origin = path.join(tmp, 'origin.git');
      const work = path.join(tmp, 'work');
      git(tmp, 'init', '-q', '--bare', origin);
      git(tmp, 'init', '-q', work);
      git(work, 'remote', 'add', 'origin', origin);
      git(work, 'commit', '-q', '--allow-empty', '-m', 'one');
      const first = git(work, 'rev-parse', 'HEAD');
      sh(script, { TAG: 'v1.0.0', GITHUB_SHA: first }, work);
      expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(first);
      git(work, 'commit', '-q', '--allow-empty', '-m', 'two');
      const second = git(work, 'rev-parse', 'HEAD');
      sh(script, { TAG: 'v1.1.0-rc.1', GITHUB_SHA: second }, work);
      expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(first);
      sh(script, { TAG: 'v1.1.0', GITHUB_SHA: second }, work);
      expect(git(origin, 'rev-parse', 'v1^{commit}')).toBe(second);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test('dependabot updates npm (grouped) and github-actions weekly', () => {
    const config = parseYaml(read('.github/dependabot.yml'), 'dependabot.yml');
    expect(config.version).toBe(2);
    const updates = config.updates as Mapping[];
    const npm = updates.find((u) => u['package-ecosystem'] === 'npm')!;
    const actions = updates.find((u) => u['package-ecosystem'] === 'github-actions')!;
    expect((npm.schedule as Mapping).interval).toBe('weekly');
    expect(Object.keys(npm.groups as Mapping).length).toBeGreaterThan(0);
    expect((actions.schedule as Mapping).interval).toBe('weekly');
  });
});
