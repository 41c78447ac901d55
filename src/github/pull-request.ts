/**
 * The pull request a run belongs to (from the event payload the runner writes to GITHUB_EVENT_PATH) and
 * the files it changes (from the REST API, every page).
 */
import { readFileSync } from 'node:fs';
import type { ChangedFile } from '../types.js';
import type { GitHubClient } from './client.js';

export interface PullRequestEvent {
  eventName: 'pull_request' | 'pull_request_target';
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  /** Full name (`owner/repo`) of the repository the head branch lives in; differs from the base on a fork. */
  headRepo: string | null;
  baseSha: string;
  baseRef: string;
  /** True when the head branch is in another repository: GITHUB_TOKEN is then read-only on `pull_request`. */
  fork: boolean;
}

/** One entry of `GET /repos/{owner}/{repo}/pulls/{pull_number}/files`, as far as this action reads it. */
export type PullRequestFile = ChangedFile;

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * The pull request of this run, or null when the event is not a pull request or the payload is missing
 * or unreadable (the PR loop then does nothing: a comment is never worth failing a run).
 */
export function readPullRequestEvent(env: NodeJS.ProcessEnv): PullRequestEvent | null {
  const eventName = env.GITHUB_EVENT_NAME;
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') return null;
  if (!env.GITHUB_EVENT_PATH) return null;
  let payload: Json | undefined;
  try {
    payload = obj(JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')));
  } catch {
    return null;
  }
  const pr = obj(payload?.pull_request);
  const head = obj(pr?.head);
  const base = obj(pr?.base);
  const number = typeof pr?.number === 'number' ? pr.number : typeof payload?.number === 'number' ? payload.number : undefined;
  // The base repository is where the PR (and its comments) live; GITHUB_REPOSITORY is the same on both events.
  const repository = str(obj(base?.repo)?.full_name) ?? str(obj(payload?.repository)?.full_name) ?? str(env.GITHUB_REPOSITORY);
  const headSha = str(head?.sha);
  if (!pr || number === undefined || !repository || !headSha) return null;
  const [owner, repo] = repository.split('/');
  if (!owner || !repo) return null;
  const headRepo = str(obj(head?.repo)?.full_name) ?? null;
  return {
    eventName,
    owner,
    repo,
    number,
    headSha,
    headRepo,
    baseSha: str(base?.sha) ?? '',
    baseRef: str(base?.ref) ?? '',
    fork: headRepo !== null && headRepo.toLowerCase() !== repository.toLowerCase(),
  };
}

/** The most files GitHub's list-files endpoint returns for one pull request. */
export const PR_FILES_LIMIT = 3_000;

/**
 * Every file the pull request changes, all pages. The endpoint returns at most PR_FILES_LIMIT files; a list
 * that long may miss some, so the change set built from it settles nothing (run-pr-loop.ts changeSetOf).
 */
export async function listPullRequestFiles(octokit: GitHubClient, event: PullRequestEvent): Promise<PullRequestFile[]> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: event.owner,
    repo: event.repo,
    pull_number: event.number,
    per_page: 100,
  });
  return files.map((f) => ({
    filename: f.filename,
    status: f.status,
    previous_filename: f.previous_filename,
    patch: f.patch,
  }));
}
