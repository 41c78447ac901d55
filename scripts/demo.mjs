// `npm run demo`: runs the bundled action exactly as the Actions runner does (INPUT_* variables,
// GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) on examples/demo against a fresh local D1, then prints what a
// user would see on the job page: the log, the outputs and the summary.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const tmp = mkdtempSync(join(tmpdir(), 'd1-migrate-demo-'));
const files = { output: join(tmp, 'output.txt'), summary: join(tmp, 'summary.md') };
for (const f of Object.values(files)) writeFileSync(f, '');

const inputs = {
  'working-directory': 'examples/demo',
  target: 'local',
  'persist-to': join(tmp, 'state'),
  phases: 'validate,preview,apply,history',
  wrangler: join(root, 'node_modules', '.bin', 'wrangler'),
  comment: 'off',
};
const env = { ...process.env, GITHUB_WORKSPACE: root, GITHUB_OUTPUT: files.output, GITHUB_STEP_SUMMARY: files.summary, RUNNER_TEMP: tmp };
for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;

console.log(`$ node dist/index.js   # with ${Object.entries(inputs).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
const result = spawnSync(process.execPath, [join(root, 'dist', 'index.js')], { cwd: root, env, encoding: 'utf8' });
// Show the log the way the job page does: debug lines hidden, groups as headings, annotations as messages.
for (const line of `${result.stdout}`.split('\n')) {
  if (line.startsWith('::debug::') || line.startsWith('::add-mask::') || line === '::endgroup::') continue;
  const group = /^::group::(.*)$/.exec(line);
  const annotation = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
  if (group) console.log(`▸ ${group[1]}`);
  else if (annotation) console.log(`${annotation[1] === 'error' ? '✖ Error' : '⚠ Warning'}${annotation[2] ? ` (${annotation[2]})` : ''}: ${annotation[3]}`);
  else console.log(line);
}
if (result.stderr) process.stderr.write(result.stderr);
console.log('\n──── outputs (GITHUB_OUTPUT) ────');
const outputs = readFileSync(files.output, 'utf8').replace(/<<ghadelimiter_[^\n]+\n([\s\S]*?)\nghadelimiter_[^\n]+/g, ' = $1');
console.log(outputs.trim());
console.log('\n──── job summary (GITHUB_STEP_SUMMARY) ────');
console.log(readFileSync(files.summary, 'utf8'));
process.exit(result.status ?? 1);
