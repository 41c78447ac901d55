/**
 * The pull-request loop, in two halves around the engine (src/main.ts runs them):
 * - `readPullRequest` before it: the pull request of this run and the files it changes, so the engine
 *   judges the migrations the pull request touches (and reports edits of existing ones) before anything
 *   is decided or applied;
 * - `postComments` after it: one sticky comment per environment/database, from the report alone.
 * Neither throws for GitHub API problems: those come back as warnings.
 */
import { relative, resolve, sep } from 'node:path';
import { isInside } from '../config/paths.js';
import { databaseLabel } from '../report/label.js';
import { commentMarker, renderComment } from '../report/comment.js';
import type { ChangeSet, EngineIO, Options, Report } from '../types.js';
import { createClient, describeApiError, type ClientOptions, type GitHubClient } from './client.js';
import { upsertComment } from './comment.js';
import { listPullRequestFiles, PR_FILES_LIMIT, readPullRequestEvent, type PullRequestEvent, type PullRequestFile } from './pull-request.js';

export interface PullRequestInput {
  /** process.env: GITHUB_EVENT_NAME/PATH, GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_WORKSPACE, run ids. */
  env: NodeJS.ProcessEnv;
  token?: string;
  /** The working directory (options.cwd): pull-request paths are relative to the repository root. */
  cwd: string;
  io: EngineIO;
  /** Octokit tuning (shorter waits in tests). */
  client?: ClientOptions;
}

/** The pull request of this run, as read before the engine. */
export interface PullRequestContext {
  event: PullRequestEvent;
  token?: string;
  client?: GitHubClient;
  /** The working directory relative to the repository root ('' when the same). */
  repoPrefix: string;
  /** The files it changes; null when they could not be listed (no token, API error). */
  files: PullRequestFile[] | null;
  /** Warnings to show (no token, API errors); never fatal. */
  warnings: string[];
}

export interface PostedComment {
  environment: string | null;
  binding: string;
  id: number;
  url: string;
  created: boolean;
}

export interface PullRequestLoopResult {
  /** The first database's comment (the only one in the common single-database case); the `comment-id` output. */
  commentId?: number;
  commentUrl?: string;
  /** Every comment posted, in report order. */
  comments: PostedComment[];
  /** Warnings to show (fork without write access, API errors); never fatal. */
  warnings: string[];
}

/** Before the engine: undefined outside pull-request events (or without a readable event payload). */
export async function readPullRequest(input: PullRequestInput): Promise<PullRequestContext | undefined> {
  const { env, io, token } = input;
  const event = readPullRequestEvent(env);
  if (!event) {
    io.debug('pull-request loop: not a pull_request event (or no readable payload); skipped');
    return undefined;
  }
  const context: PullRequestContext = { event, repoPrefix: repoPrefixOf(env, input.cwd), files: null, warnings: [] };
  if (!token) {
    context.warnings.push(
      'No github-token: the pull request\'s file list could not be read, so every migration is judged (not only the ones it changes), edits of existing migrations are not detected, and no comment is posted.',
    );
    return context;
  }
  context.token = token;
  context.client = createClient(token, env.GITHUB_API_URL, { log: (m) => io.info(m), ...input.client });
  try {
    context.files = await listPullRequestFiles(context.client, event);
    io.info(`pull request #${event.number}: ${context.files.length} changed file(s)`);
    if (context.files.length >= PR_FILES_LIMIT) {
      context.warnings.push(
        `Pull request #${event.number} changes ${PR_FILES_LIMIT.toLocaleString('en-US')} or more files, the most GitHub lists: every migration is judged (not only the ones it changes), and edits of existing migrations past that cut are not detected.`,
      );
    }
  } catch (error: unknown) {
    const { message } = describeApiError(error, token);
    context.warnings.push(
      `Could not list the files of pull request #${event.number} (${message}); every migration is judged and edits of existing migrations are not detected.`,
    );
  }
  return context;
}

/** The change the engine judges: the pull request's files, when they could be listed. */
export function changeSetOf(pr: PullRequestContext | undefined): ChangeSet | undefined {
  if (!pr?.files) return undefined;
  return {
    basis: 'pull-request',
    base: pr.event.baseRef || undefined,
    repoPrefix: pr.repoPrefix,
    files: pr.files,
    ...(pr.files.length >= PR_FILES_LIMIT && { incomplete: true }),
  };
}

/** After the engine: create or edit one sticky comment per environment/database. */
export async function postComments(pr: PullRequestContext, report: Report, options: Options, env: NodeJS.ProcessEnv, io: EngineIO): Promise<PullRequestLoopResult> {
  const result: PullRequestLoopResult = { comments: [], warnings: [] };
  // comment: off turns off the comment only: an edited migration is an error whether or not anyone comments.
  if (options.comment === 'off') {
    io.debug('pull-request loop: comment is off; no comment posted');
    return result;
  }
  if (!pr.token || !pr.client) return result;
  const { event } = pr;
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const runUrl = env.GITHUB_RUN_ID ? `${serverUrl}/${event.owner}/${event.repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  for (const db of report.databases) {
    const body = renderComment({
      db,
      pr: { owner: event.owner, repo: event.repo, number: event.number, headSha: event.headSha, baseSha: event.baseSha },
      serverUrl,
      runUrl,
      repoPrefix: pr.repoPrefix,
      added: db.changes?.added ?? [],
      removed: db.changes?.removed,
      schema: db.changes ? db.schemaChanges : undefined,
      target: options.target,
    });
    const posted = await upsertComment({ token: pr.token, event, marker: commentMarker(db.environment, db.binding), body, client: pr.client });
    if ('warning' in posted) {
      result.warnings.push(posted.warning);
      continue;
    }
    io.info(`${posted.created ? 'Created' : 'Updated'} the pull-request comment for ${databaseLabel(db)}: ${posted.url}`);
    result.comments.push({ environment: db.environment, binding: db.binding, id: posted.id, url: posted.url, created: posted.created });
  }
  const first = result.comments[0];
  if (first) {
    result.commentId = first.id;
    result.commentUrl = first.url;
  }
  return result;
}

/** The working directory relative to the checkout root: PR file paths are repository-relative. */
function repoPrefixOf(env: NodeJS.ProcessEnv, cwd: string): string {
  const root = env.GITHUB_WORKSPACE;
  if (!root) return '';
  // isInside tests whole segments: a working directory named `..db` is below the root, not above it.
  if (!isInside(resolve(root), resolve(cwd))) return '';
  const rel = relative(resolve(root), resolve(cwd));
  return rel.split(sep).join('/');
}
