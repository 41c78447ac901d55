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

/** A Slack-compatible incoming-webhook message: `text` for any client, blocks-free so every clone accepts it. */
export function slackMessage(p: FailurePayload): Record<string, unknown> {
  const where = `${p.database}${p.environment ? ` (${p.environment})` : ''}`;
  const lines = [
    `:x: D1 migration failed on ${where}`,
    p.migration ? `Migration: ${p.migration}` : undefined,
    `Error: ${p.error}`,
    p.repository ? `Repository: ${p.repository}${p.sha ? ` @ ${p.sha.slice(0, 7)}` : ''}` : undefined,
    p.runUrl ? `Run: ${p.runUrl}` : undefined,
  ].filter(Boolean);
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
