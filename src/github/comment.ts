/**
 * Creates the sticky comment once and edits it on every later run, found by its hidden marker AND its author:
 * anyone can post a comment that starts with the marker (a forged "✅ valid"), so only a comment written by
 * the token's own identity is ever edited; with any other, a new comment is created.
 */
import { createClient, describeApiError, isAuthor, viewerLogin, type ClientOptions, type GitHubClient } from './client.js';
import type { PullRequestEvent } from './pull-request.js';

export interface UpsertCommentInput {
  token: string;
  /** GITHUB_API_URL (GHES or a test emulator); default https://api.github.com. */
  apiUrl?: string;
  event: Pick<PullRequestEvent, 'owner' | 'repo' | 'number' | 'fork'>;
  /** The hidden first line (report/comment.ts `commentMarker`). */
  marker: string;
  body: string;
  /** A client to reuse (the loop makes one for all its requests); built from token/apiUrl otherwise. */
  client?: GitHubClient;
  clientOptions?: ClientOptions;
}

export type UpsertCommentResult = { id: number; url: string; created: boolean } | { warning: string };

/**
 * Never throws: a comment is a convenience, and a fork's read-only token (403), a deleted PR (404) or an
 * API outage must not fail a migration check. Failures come back as a warning to show.
 */
export async function upsertComment(input: UpsertCommentInput): Promise<UpsertCommentResult> {
  const { event, marker, body, token } = input;
  const client = input.client ?? createClient(token, input.apiUrl, input.clientOptions);
  const where = { owner: event.owner, repo: event.repo };
  let existing: { id: number } | undefined;
  try {
    const comments = await client.paginate(client.rest.issues.listComments, { ...where, issue_number: event.number, per_page: 100 });
    // Only the first line counts: someone quoting our comment elsewhere must not become the one we edit.
    const marked = comments.filter((c) => (c.body ?? '').split('\n', 1)[0]?.trim() === marker);
    // Who we are is asked only when there is a candidate; unknown means no comment is trusted.
    const me = marked.length ? await viewerLogin(client) : undefined;
    existing = me === undefined ? undefined : marked.find((c) => isAuthor(c.user, me));
  } catch (error: unknown) {
    return { warning: explain('read the comments of', error, input) };
  }
  try {
    if (existing) {
      const res = await client.rest.issues.updateComment({ ...where, comment_id: existing.id, body });
      return { id: res.data.id, url: res.data.html_url, created: false };
    }
    const res = await client.rest.issues.createComment({ ...where, issue_number: event.number, body });
    return { id: res.data.id, url: res.data.html_url, created: true };
  } catch (error: unknown) {
    return { warning: explain(existing ? 'update the comment on' : 'comment on', error, input) };
  }
}

function explain(action: string, error: unknown, input: UpsertCommentInput): string {
  const { status, message } = describeApiError(error, input.token);
  let hint = '';
  if (status === 403 || status === 404 || status === 401) {
    hint = input.event.fork
      ? ' This pull request comes from a fork, where the workflow token is read-only; the job summary has the full report.'
      : " The token needs `pull-requests: write` (workflow `permissions:`); the job summary has the full report.";
  }
  return `Could not ${action} pull request #${input.event.number} (${message}).${hint}`;
}
