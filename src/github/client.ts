/**
 * The Octokit client of the PR loop: @actions/github's (proxy-aware, GHES-aware through `baseUrl`) plus
 * the retry and throttling plugins, so rate limits and transient 5xx are handled by Octokit rather than
 * by hand-written loops.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  /** Retries of a failed request (5xx, 429 without rate-limit headers); default 3. */
  retries?: number;
  /** Retries after a primary or secondary rate limit; default 2. */
  rateLimitRetries?: number;
  /** A rate limit that asks to wait longer than this is not waited for (the run would stall); default 60 s. */
  maxRateLimitWaitSeconds?: number;
  /** Milliseconds per unit of `retry-after` / backoff (1000 in production; tests shorten it). */
  retryAfterBaseValue?: number;
  /**
   * Least milliseconds between two write requests, and between two that notify people (a comment): by
   * default Octokit's 1000 and 3000, the spacing GitHub asks integrations to keep; tests shorten it.
   */
  writeSpacingMs?: number;
  /** Where rate-limit waits are reported (never with request headers, so the token cannot leak). */
  log?: (message: string) => void;
}

export function createClient(token: string, apiUrl: string | undefined, opts: ClientOptions = {}): GitHubClient {
  const rateLimitRetries = opts.rateLimitRetries ?? 2;
  const maxWait = opts.maxRateLimitWaitSeconds ?? 60;
  const base = opts.retryAfterBaseValue ?? 1000;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
      const what = `${options.method ?? ''} ${options.url ?? ''}`.trim();
      if (retryCount >= rateLimitRetries || retryAfter > maxWait) {
        opts.log?.(`GitHub API ${kind} rate limit on ${what}; not retrying (asked to wait ${retryAfter}s).`);
        return false;
      }
      opts.log?.(`GitHub API ${kind} rate limit on ${what}; retrying after ${retryAfter}s.`);
      return true;
    };
  return getOctokit(
    token,
    {
      baseUrl: (apiUrl || 'https://api.github.com').replace(/\/+$/, ''),
      // Set on the plugins rather than `request`: replacing `request` would drop @actions/github's proxy fetch.
      retry: { retries: opts.retries ?? 3, retryAfterBaseValue: base },
      throttle: {
        retryAfterBaseValue: base,
        fallbackSecondaryRateRetryAfter: 60,
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        ...(opts.writeSpacingMs !== undefined && {
          write: new Bottleneck.Group({ maxConcurrent: 1, minTime: opts.writeSpacingMs }),
          notifications: new Bottleneck.Group({ maxConcurrent: 1, minTime: opts.writeSpacingMs }),
        }),
      },
      // Octokit's default logger writes request failures to the console; the loop reports them as warnings.
      log: { debug: () => {}, info: () => {}, warn: (m: string) => opts.log?.(m), error: (m: string) => opts.log?.(m) },
    },
    retry,
    throttling,
  );
}

/** An error message fit for a warning: HTTP status and GitHub's message, with the token scrubbed just in case. */
export function describeApiError(error: unknown, token?: string): { status?: number; message: string } {
  const e = error as { status?: unknown; message?: unknown; response?: { data?: { message?: unknown } } };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  let message = typeof e?.response?.data?.message === 'string' ? e.response.data.message : typeof e?.message === 'string' ? e.message : String(error);
  if (token) message = message.split(token).join('***');
  return { status, message: status ? `HTTP ${status}: ${message}` : message };
}

const viewers = new WeakMap<GitHubClient, Promise<string | undefined>>();

/**
 * The login the token acts as, asked once per client (so once per run): GraphQL's `viewer` answers for a
 * personal or OAuth token (the user) and for an app installation token (`<app>[bot]`, `github-actions[bot]`
 * for the job's GITHUB_TOKEN), where REST `GET /user` is refused. undefined when it cannot be told; the
 * caller then trusts no existing comment.
 */
export function viewerLogin(client: GitHubClient): Promise<string | undefined> {
  let login = viewers.get(client);
  if (!login) {
    login = client
      .graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }')
      .then((r) => (typeof r?.viewer?.login === 'string' && r.viewer.login ? r.viewer.login : undefined))
      .catch(() => undefined);
    viewers.set(client, login);
  }
  return login;
}

/**
 * True when a comment's author is the token's identity. GraphQL may name a bot with or without the `[bot]`
 * suffix that REST shows, so a Bot author `<login>[bot]` matches the viewer `<login>` too; a user never does.
 */
export function isAuthor(user: { login?: string; type?: string } | null | undefined, viewer: string): boolean {
  const login = user?.login?.toLowerCase();
  if (!login) return false;
  const me = viewer.toLowerCase();
  return login === me || (user?.type === 'Bot' && login === `${me}[bot]`);
}
