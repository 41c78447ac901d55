import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEngine } from '../../src/engine.js';
import { changeSetOf, postComments, readPullRequest, type PullRequestLoopResult } from '../../src/github/run-pr-loop.js';
import type { ClientOptions } from '../../src/github/client.js';
import { parseOptions, type RawInputs } from '../../src/options.js';
import type { EngineIO, Options, Report } from '../../src/types.js';

export const OWNER = 'acme';
export const REPO = 'shop';
export const PR = 42;
export const HEAD_SHA = '0123456789abcdef0123456789abcdef01234567';
export const BASE_SHA = 'fedcba9876543210fedcba9876543210fedcba98';
export const TOKEN = 'ghs_FAKEtoken1234567890recognisable';

/** An EngineIO that records every line, to scan for secrets. */
export function recordingIO(): EngineIO & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
    group: async (name, fn) => {
      lines.push(`group: ${name}`);
      return fn();
    },
  };
}

/** A pull_request event payload written to a temp file; returns the env the runner would set. */
export function prEnv(apiUrl: string, opts: { fork?: boolean; workspace?: string; eventName?: string } = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'd1-event-'));
  const path = join(dir, 'event.json');
  const headRepo = opts.fork ? `contributor/${REPO}` : `${OWNER}/${REPO}`;
  writeFileSync(
    path,
    JSON.stringify({
      action: 'synchronize',
      number: PR,
      pull_request: {
        number: PR,
        head: { sha: HEAD_SHA, ref: 'feature', repo: { full_name: headRepo } },
        base: { sha: BASE_SHA, ref: 'main', repo: { full_name: `${OWNER}/${REPO}` } },
      },
      repository: { full_name: `${OWNER}/${REPO}` },
    }),
  );
  return {
    GITHUB_EVENT_NAME: opts.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: path,
    GITHUB_API_URL: apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_RUN_ID: '777',
    GITHUB_WORKSPACE: opts.workspace,
  };
}

/** Options and a validate-only report for a project directory, as main.ts would have them. */
export async function validateReport(cwd: string, raw: RawInputs = {}): Promise<{ options: Options; report: Report }> {
  const options = parseOptions({ phases: 'validate', 'github-token': TOKEN, ...raw }, { baseDir: cwd, source: 'action', env: {} });
  const report = await runEngine({ options, io: recordingIO(), env: {} });
  return { options, report };
}

/**
 * The pull-request loop as src/main.ts runs it: read the pull request, run the engine on what it changes,
 * post the comments. `result.warnings` holds the warnings of both halves.
 */
export async function prRun(
  cwd: string,
  env: NodeJS.ProcessEnv,
  opts: { raw?: RawInputs; token?: string | null; io?: EngineIO; client?: ClientOptions; options?: Partial<Options> } = {},
): Promise<{ result: PullRequestLoopResult; report: Report; options: Options }> {
  const token = opts.token === null ? undefined : (opts.token ?? TOKEN);
  const parsed = parseOptions({ phases: 'validate', ...(token ? { 'github-token': token } : {}), ...opts.raw }, { baseDir: cwd, source: 'action', env: {} });
  const options = { ...parsed, ...opts.options };
  const io = opts.io ?? recordingIO();
  const pr = await readPullRequest({ env, token, cwd: options.cwd, io, client: opts.client });
  const report = await runEngine({ options, io, env: {}, change: changeSetOf(pr) });
  const posted = pr ? await postComments(pr, report, options, env, io) : { comments: [], warnings: [] };
  return { result: { ...posted, warnings: [...(pr?.warnings ?? []), ...posted.warnings] }, report, options };
}
