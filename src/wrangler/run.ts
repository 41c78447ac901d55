import { spawn, type ChildProcess } from 'node:child_process';
import { wranglerChildEnv } from './child-env.js';
import type { WranglerCommand } from './locate.js';
import { redact } from './redact.js';

export interface RunOptions {
  cwd: string;
  /** Base environment; CLOUDFLARE_API_TOKEN / CLOUDFLARE_ACCOUNT_ID come from here, never from argv. */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Values removed from everything captured or streamed. */
  secrets: readonly string[];
  /** Called with each (redacted) chunk of stdout as it arrives, for progress. */
  onStdout?: (chunk: string) => void;
}

export interface RunResult {
  args: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  cancelled: boolean;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: { code?: string; message: string };
  durationMs: number;
}

/** Grace period between SIGTERM and SIGKILL when stopping wrangler. */
const KILL_GRACE_MS = 3_000;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/** If this process exits (e.g. the job is cancelled) while wrangler runs, wrangler must not outlive it. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child, 'SIGKILL');
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // wrangler is started in its own process group, so npx → node → workerd all go together.
    process.kill(process.platform === 'win32' ? child.pid : -child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * The environment wrangler runs with (src/wrangler/child-env.ts): an allow-list of what it needs, Cloudflare
 * credentials only for commands that reach the API (every command but a `--local` one), npm's settings only
 * when started through npx.
 */
export function wranglerEnv(base: NodeJS.ProcessEnv, cmd: Pick<WranglerCommand, 'source'>, args: readonly string[]): NodeJS.ProcessEnv {
  return wranglerChildEnv(base, { remote: !args.includes('--local'), npx: cmd.source === 'npx' });
}

/** Runs wrangler with `args` (no shell), capturing output, with a timeout and cancellation. Never rejects. */
export function runWrangler(cmd: WranglerCommand, args: string[], options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const argv = [...cmd.prefixArgs, ...args];
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let cancelled = false;
    let spawnError: RunResult['spawnError'];
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      running.delete(child);
      resolve({
        args,
        exitCode,
        signal,
        stdout: redact(stdout, options.secrets),
        stderr: redact(stderr, options.secrets),
        timedOut,
        cancelled,
        spawnError,
        durationMs: Date.now() - started,
      });
    };

    const stop = (): void => {
      killGroup(child, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = (): void => {
      cancelled = true;
      stop();
    };

    const child = spawn(cmd.command, argv, {
      cwd: options.cwd,
      env: wranglerEnv(options.env, cmd, args),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      shell: false,
      windowsHide: true,
    });
    running.add(child);
    installExitHook();

    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(redact(chunk, options.secrets));
    });
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = { code: error.code, message: error.message };
      finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}

/** For logs: the wrangler command line of a run (arguments only; the token is never in them). */
export function describeRun(cmd: WranglerCommand, args: string[]): string {
  return [cmd.display, ...args.map((a) => (/[\s"'$`\\]/.test(a) ? JSON.stringify(a) : a))].join(' ');
}
