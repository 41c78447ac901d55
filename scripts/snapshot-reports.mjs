// Writes what users see of a validate run — the JSON report, the `--format github` annotations, the text
// output and the action's job summary — for every migration set in the repository and in the corpus, so
// two builds can be compared byte for byte (a refactor must not change behaviour):
//
//   node scripts/snapshot-reports.mjs --out /tmp/before             # the bundle in dist/ (npm run build)
//   node scripts/snapshot-reports.mjs --dist /tmp/old/dist --out /tmp/old-snap
//   diff -r /tmp/before /tmp/after
//
// Durations, the temp directory and process ids are normalised (the parts that differ from run to run). The corpus
// is read from D1_CORPUS_DIR (default ../shared/corpus); without it only the repository's sets are written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { corpusDir } from '../__tests__/support/corpus-location.mjs';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({ options: { out: { type: 'string' }, dist: { type: 'string' } } });
if (!values.out) {
  console.error('usage: node scripts/snapshot-reports.mjs --out DIR [--dist DIR]');
  process.exit(2);
}
const out = resolve(values.out);
const dist = resolve(values.dist ?? join(root, 'dist'));
for (const f of ['index.js', 'cli/index.js']) {
  if (!existsSync(join(dist, f))) {
    console.error(`${join(dist, f)} is missing: run npm run build (or pass --dist).`);
    process.exit(2);
  }
}
const corpus = corpusDir();

/** Every set: a directory with a wrangler config, and the environments to validate (as --env takes them). */
const sets = [];
const fixtures = join(root, '__tests__', 'fixtures', 'sets');
sets.push({ id: 'examples/demo', cwd: join(root, 'examples', 'demo') });
if (existsSync(fixtures)) {
  for (const name of readdirSync(fixtures).sort()) {
    const cwd = join(fixtures, name);
    if (!statSync(cwd).isDirectory()) continue;
    const envFile = join(cwd, 'SNAPSHOT-ENV');
    // SNAPSHOT-ENV: one --env value a line (an empty line is the top level).
    const envs = existsSync(envFile) ? readFileSync(envFile, 'utf8').replace(/\n$/, '').split('\n').map((e) => e || undefined) : [undefined];
    for (const env of envs) sets.push({ id: `fixtures/${name}${env ? `@${env}` : ''}`, cwd, env });
  }
}
/** Corpus sets with environments are validated per environment too (undefined: the top level). */
const CORPUS_ENVS = { 'storacha__w3up__access-api': [undefined, 'dev,staging,production'], 'funvill__cultural-archiver__workers-ab6b4f0': ['production,development'] };
if (corpus !== null) {
  for (const name of readdirSync(corpus).sort()) {
    const cwd = join(corpus, name);
    if (!statSync(cwd).isDirectory()) continue;
    for (const env of CORPUS_ENVS[name] ?? [undefined]) sets.push({ id: `corpus/${name}${env ? `@${env}` : ''}`, cwd, env });
  }
} else {
  console.error('no corpus (D1_CORPUS_DIR or ../shared/corpus): only the repository\'s sets are written.');
}

/** What differs from run to run: durations, the temp directory and the process id in the report's name. */
const normalise = (text, tmp) =>
  text
    .split(tmp)
    .join('<tmp>')
    .replace(/d1-migrate-report-\d+-/g, 'd1-migrate-report-<pid>-')
    .replace(/("duration(?:-ms|Ms)"\s*:\s*)\d+/g, '$10')
    .replace(/(duration-ms<<ghadelimiter\n)\d+/g, '$10')
    .replace(/\b\d+(?:\.\d+)?\s?(ms|s)\b/g, '0 $1');

rmSync(out, { recursive: true, force: true });
for (const set of sets) {
  const dir = join(out, set.id.replace(/\//g, '__'));
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'd1-snapshot-'));
  const envFlag = set.env === undefined ? [] : ['--env', set.env];
  const cli = (format, extra = []) => {
    const r = spawnSync(process.execPath, [join(dist, 'cli', 'index.js'), 'validate', '--cwd', set.cwd, ...envFlag, '--format', format, ...extra], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    return `exit ${r.status}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
  };
  writeFileSync(join(dir, 'report.json'), normalise(cli('json', ['--report', join(tmp, 'report.json')]) + readIfAny(join(tmp, 'report.json')), tmp));
  writeFileSync(join(dir, 'annotations.txt'), normalise(cli('github'), tmp));
  writeFileSync(join(dir, 'text.txt'), normalise(cli('text'), tmp));

  // The action, run as the runner runs it: its log (annotations, groups), outputs and job summary.
  const files = { output: join(tmp, 'output.txt'), summary: join(tmp, 'summary.md') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const inputs = { 'working-directory': set.cwd, phases: 'validate', target: 'local', comment: 'off', environment: set.env ?? '' };
  const env = { ...process.env, GITHUB_WORKSPACE: root, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, RUNNER_TEMP: tmp };
  for (const k of Object.keys(env)) if (k.startsWith('INPUT_') || k.startsWith('GITHUB_EVENT')) delete env[k];
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const action = spawnSync(process.execPath, [join(dist, 'index.js')], { cwd: root, env, encoding: 'utf8' });
  const outputs = readFileSync(files.output, 'utf8').replace(/ghadelimiter_[0-9a-f-]+/g, 'ghadelimiter');
  writeFileSync(join(dir, 'action.txt'), normalise(`exit ${action.status}\n--- log\n${action.stdout}--- stderr\n${action.stderr}--- outputs\n${outputs}`, tmp));
  writeFileSync(join(dir, 'summary.md'), normalise(readFileSync(files.summary, 'utf8'), tmp));
  rmSync(tmp, { recursive: true, force: true });
  console.log(`${set.id}${set.env === undefined ? '' : ` (env ${set.env})`}`);
}
console.log(`${sets.length} set(s) written to ${out}`);

function readIfAny(path) {
  return existsSync(path) ? `--- report file\n${readFileSync(path, 'utf8')}` : '--- no report file\n';
}
