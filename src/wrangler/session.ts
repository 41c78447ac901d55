import type { PhaseContext } from '../phases/types.js';
import type { DatabaseTarget, Target } from '../types.js';
import { classifyFailure, type Classified, type ClassifyContext } from './classify.js';
import { locateWrangler, type WranglerCommand } from './locate.js';
import { secretsOf } from './redact.js';
import { describeRun, runWrangler, type RunResult } from './run.js';

/** Everything needed to run wrangler for one database of one phase context. */
export interface WranglerSession {
  command: WranglerCommand;
  target: DatabaseTarget;
  where: Target;
  persistTo?: string;
  run(args: string[], extra?: RunExtra): Promise<RunResult>;
  classify(result: RunResult, context?: ClassifyContext): Classified;
}

export interface RunExtra {
  timeoutMs?: number;
  /** null = run even though the job was cancelled (a last, short ledger read after a kill). */
  signal?: AbortSignal | null;
  onStdout?: (chunk: string) => void;
  /** Log wrangler's output at info level (apply) instead of debug. */
  verbose?: boolean;
}

const located = new Map<string, WranglerCommand>();

/** locateWrangler, once per (cwd, option): it may spawn `node --version`. */
export function wranglerCommandFor(cwd: string, option: string | undefined, pathEnv: string | undefined): WranglerCommand {
  const key = `${cwd}\0${option ?? ''}\0${pathEnv ?? ''}`;
  let cmd = located.get(key);
  if (!cmd) {
    cmd = locateWrangler(cwd, option, pathEnv);
    located.set(key, cmd);
  }
  return cmd;
}

export function openSession(ctx: PhaseContext, override?: { where?: Target; persistTo?: string }): WranglerSession {
  const { options } = ctx;
  const command = wranglerCommandFor(options.cwd, options.wrangler, ctx.env.PATH);
  const where = override?.where ?? options.target;
  const persistTo = override?.persistTo ?? (where === 'local' ? options.persistTo : undefined);
  const secrets = secretsOf(options, ctx.env);
  return {
    command,
    target: ctx.target,
    where,
    persistTo,
    async run(args, extra = {}) {
      ctx.io.debug(`running ${describeRun(command, args)}`);
      const result = await runWrangler(command, args, {
        cwd: options.cwd,
        env: ctx.env,
        timeoutMs: extra.timeoutMs ?? options.timeoutMs,
        signal: extra.signal === null ? undefined : (extra.signal ?? ctx.signal),
        secrets,
        onStdout: extra.onStdout,
      });
      const log = extra.verbose ? ctx.io.info.bind(ctx.io) : ctx.io.debug.bind(ctx.io);
      const out = `${result.stdout}${result.stderr ? `\n${result.stderr}` : ''}`.trim();
      if (out) log(out);
      ctx.io.debug(`wrangler exit ${result.exitCode ?? result.signal ?? 'none'} in ${result.durationMs} ms`);
      return result;
    },
    classify(result, context) {
      return classifyFailure({ ...result, timeoutMs: options.timeoutMs }, context);
    },
  };
}

/** True when the run succeeded (exit 0, not stopped). */
export function succeeded(result: RunResult): boolean {
  return result.exitCode === 0 && !result.timedOut && !result.cancelled && !result.spawnError;
}

/**
 * Arguments for a `wrangler d1 <command> <binding>` that acts on the database: always an explicit
 * `--remote`/`--local` (wrangler defaults to local since 3.33, the wrong database in CI), `--env` and
 * `--config` so it reads the same config discovery did.
 */
export function d1Args(session: Pick<WranglerSession, 'target' | 'where' | 'persistTo'>, command: string[], rest: string[] = []): string[] {
  const { target, where, persistTo } = session;
  const args = ['d1', ...command, target.binding, where === 'remote' ? '--remote' : '--local'];
  if (where === 'local' && persistTo) args.push('--persist-to', persistTo);
  return [...args, ...commonArgs(target), ...rest];
}

/** Time Travel commands act on the remote database only and take no --remote/--local. */
export function timeTravelArgs(target: DatabaseTarget, command: 'info' | 'restore', rest: string[] = []): string[] {
  return ['d1', 'time-travel', command, target.binding, ...rest, '--json', ...commonArgs(target)];
}

function commonArgs(target: DatabaseTarget): string[] {
  const args: string[] = [];
  if (target.environment) args.push('--env', target.environment);
  args.push('--config', target.configPath);
  return args;
}
