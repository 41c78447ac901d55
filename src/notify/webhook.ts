import type { DatabaseReport, RunContext } from '../types.js';

export interface FailurePayload {
  environment: string | null;
  database: string;
  migration?: string;
  error: string;
  runUrl?: string;
  repository?: string;
  sha?: string;
}

const TIMEOUT_MS = 10_000;

/** The notification for a failed database, or undefined when it did not fail. */
export function failurePayload(report: DatabaseReport, run: RunContext): FailurePayload | undefined {
  if (!report.failure) return undefined;
  return {
    environment: report.environment,
    database: report.databaseName,
    migration: report.failed?.name,
    error: report.failed?.message ?? report.failure.message,
    runUrl: run.runUrl,
    repository: run.repository,
    sha: run.sha,
  };
}

/**
 * Text from the pull request (file, database and environment names, error messages) made inert for a
 * Slack-compatible `text`: Slack reads `<!channel>`, `<@U1>`, `<https://x|label>` as mentions and disguised
 * links, so `& < >` are escaped as Slack documents; Mattermost and Discord-compatible endpoints also ping
 * on plain `@channel`/`@here`/`@everyone`/`@name`, so every `@` before a name gets a zero-width space.
 */
export function slackText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(?=[\p{L}\p{N}_.-])/gu, '@\u200b');
}

/** One line of untrusted text: a line break in a file name must not start a line that looks like ours. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return slackText(text).replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ');
}

/** A Slack-compatible incoming-webhook message: `text` for any client, blocks-free so every clone accepts it. */
export function slackMessage(p: FailurePayload): Record<string, unknown> {
  const where = `${oneLine(p.database)}${p.environment ? ` (${oneLine(p.environment)})` : ''}`;
  // The error may span lines: each is quoted, so none can pass for one of the message's own lines.
  const error = slackText(p.error.replace(/\r\n?/g, '\n'))
    .split(/[\n\u0085\u2028\u2029]/)
    .map((line) => `> ${line}`)
    .join('\n');
  const lines = [
    `:x: D1 migration failed on ${where}`,
    p.migration ? `Migration: ${oneLine(p.migration)}` : undefined,
    `Error:\n${error}`,
    p.repository ? `Repository: ${oneLine(p.repository)}${p.sha ? ` @ ${oneLine(p.sha.slice(0, 7))}` : ''}` : undefined,
    p.runUrl ? `Run: ${p.runUrl}` : undefined,
  ].filter(Boolean);
  // The other fields are data for non-Slack consumers, as they are.
  return { text: lines.join('\n'), environment: p.environment, database: p.database, migration: p.migration ?? null, error: p.error, run_url: p.runUrl ?? null };
}

/**
 * POSTs one message to the webhook. Never throws: a failing webhook is returned as a warning (without the
 * URL, which is a secret) and must never be why a run fails.
 */
export async function notifyFailure(url: string, payload: FailurePayload, fetchImpl: typeof fetch = fetch): Promise<string | undefined> {
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(slackMessage(payload)),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) return `notify-webhook: the webhook answered HTTP ${response.status}; no notification was sent.`;
    return undefined;
  } catch (error) {
    const reason = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : errorName(error);
    return `notify-webhook: could not post the failure notification (${reason}).`;
  }
}

/** The kind of error only: messages of fetch errors can contain the URL. */
function errorName(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code ?? error.name;
  }
  return 'unknown error';
}
