import * as core from '@actions/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runEngine } from './engine.js';
import { countFindings, decideDatabase } from './outcome.js';
import { getErrorMessage } from './errors.js';
import { failurePayload, notifyFailure } from './notify/webhook.js';
import { INPUT_NAMES, parseOptions, type RawInputs } from './options.js';
import { annotationsFor, ANNOTATION_LIMIT } from './report/annotations.js';
import { toJson } from './report/json.js';
import { preflightOutput } from './report/preflight.js';
import { writeSarifFile } from './report/sarif-file.js';
import { inertText } from './report/inert.js';
import { renderSummary } from './report/summary.js';
import type { EngineIO, Options, Report, RunContext } from './types.js';

/**
 * The action's entry: the only place that reads inputs and writes outputs. Everything else is the
 * engine, shared with the CLI.
 */
export async function run(): Promise<void> {
  const started = Date.now();
  const controller = new AbortController();
  const onSignal = (signal: string) => {
    core.warning(`Received ${signal}: stopping wrangler and recording what was applied.`);
    controller.abort();
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));

  let options: Options;
  try {
    const raw: RawInputs = {};
    for (const name of INPUT_NAMES) raw[name] = core.getInput(name);
    // Mask before anything is logged, including in error messages below.
    for (const secret of [raw['github-token'], raw['cloudflare-api-token'], raw['notify-webhook'], process.env.CLOUDFLARE_API_TOKEN]) {
      if (secret) core.setSecret(secret);
    }
    options = parseOptions(raw, { baseDir: process.env.GITHUB_WORKSPACE || process.cwd(), source: 'action' });
    core.debug(`options: ${JSON.stringify({ ...options, githubToken: undefined, cloudflareApiToken: undefined, notifyWebhook: undefined })}`);
  } catch (error: unknown) {
    core.setOutput('status', 'failed');
    core.setFailed(getErrorMessage(error));
    return;
  }

  const runContext = runContextFrom(process.env);
  // Loaded only on pull-request events: Octokit is most of the bundle, and a deploy job never needs it.
  const loop = isPullRequestEvent(process.env) ? await import('./github/run-pr-loop.js') : undefined;
  let pr: import('./github/run-pr-loop.js').PullRequestContext | undefined;
  if (loop) {
    try {
      // Before the engine: what the pull request changes decides what is judged, before anything is applied.
      pr = await loop.readPullRequest({ env: process.env, token: options.githubToken, cwd: options.cwd, io: actionIO() });
      for (const w of pr?.warnings ?? []) core.warning(w);
    } catch (error: unknown) {
      core.warning(`Could not read the pull request: ${getErrorMessage(error)}`);
    }
  }

  let report: Report;
  try {
    report = await runEngine({ options, io: actionIO(), run: runContext, env: process.env, signal: controller.signal, change: loop?.changeSetOf(pr) });
  } catch (error: unknown) {
    core.setOutput('status', 'failed');
    core.setOutput('duration-ms', String(Date.now() - started));
    core.setFailed(getErrorMessage(error));
    return;
  }

  let comment: { commentId?: number; commentUrl?: string } = {};
  if (loop && pr) {
    try {
      const posted = await loop.postComments(pr, report, options, process.env, actionIO());
      comment = posted;
      for (const w of posted.warnings) core.warning(w);
    } catch (error: unknown) {
      // A comment is a convenience: a broken GitHub API must not hide the migration verdict.
      core.warning(`Could not update the pull-request comment: ${getErrorMessage(error)}`);
    }
  }

  writeAnnotations(report, options);

  if (report.failed && options.notifyWebhook) {
    const db = report.databases.find((d) => decideDatabase(d, options).failsStep);
    if (db) {
      const payload = failurePayload(db, runContext) ?? {
        environment: db.environment,
        database: db.databaseName,
        error: report.failureMessage ?? `${countFindings(db).errors} validation error(s)`,
        runUrl: runContext.runUrl,
        repository: runContext.repository,
        sha: runContext.sha,
      };
      const warning = await notifyFailure(options.notifyWebhook, payload);
      if (warning) core.warning(warning);
    }
  }

  const reportPath = writeReportFile(report, options);
  const sarifPath = writeSarif(report, options);
  setOutputs(report, reportPath, comment, Date.now() - started);
  core.setOutput('sarif', sarifPath ?? '');
  await writeSummary(report, options, runContext, reportPath);

  if (report.failed) {
    core.setFailed(report.failureMessage ?? 'D1 migrations failed');
  } else if (report.status === 'skipped') {
    core.warning('D1 is not available to this account or token; migrations were skipped (fail-mode skip-unavailable).');
  }
}

function isPullRequestEvent(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_EVENT_NAME === 'pull_request' || env.GITHUB_EVENT_NAME === 'pull_request_target';
}

/**
 * The engine's log. `info` is the one sink that core writes raw (warning/debug/group escape their text into
 * the command's data), and it carries text from the pull request and wrangler's output: made inert here.
 */
function actionIO(): EngineIO {
  return {
    info: (m) => core.info(inertText(m)),
    warning: (m) => core.warning(m),
    debug: (m) => core.debug(m),
    group: (name, fn) => core.group(name, fn),
  };
}

function runContextFrom(env: NodeJS.ProcessEnv): RunContext {
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const runUrl = env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${serverUrl}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  return {
    actor: env.GITHUB_ACTOR,
    sha: env.GITHUB_SHA,
    ref: env.GITHUB_REF,
    repository: env.GITHUB_REPOSITORY,
    eventName: env.GITHUB_EVENT_NAME,
    serverUrl,
    runUrl,
  };
}

function writeAnnotations(report: Report, options: Options): void {
  const annotations = annotationsFor(report, options.failMode);
  for (const a of annotations) {
    const props = { title: a.title, file: a.file, startLine: a.startLine, startColumn: a.startColumn };
    if (a.level === 'error') core.error(a.message, props);
    else core.warning(a.message, props);
  }
  const errors = annotations.filter((a) => a.level === 'error').length;
  const warnings = annotations.length - errors;
  if (errors > ANNOTATION_LIMIT || warnings > ANNOTATION_LIMIT) {
    core.info(`GitHub shows only the first ${ANNOTATION_LIMIT} annotations of each kind; the job summary lists all ${annotations.length}.`);
  }
}

function writeReportFile(report: Report, options: Options): string | undefined {
  if (!options.reportPath) return undefined;
  try {
    mkdirSync(dirname(options.reportPath), { recursive: true });
    writeFileSync(options.reportPath, JSON.stringify(toJson(report, { validateOnly: false }), null, 2) + '\n');
    return options.reportPath;
  } catch (error: unknown) {
    core.warning(`Could not write the JSON report to ${options.reportPath}: ${getErrorMessage(error)}`);
    return undefined;
  }
}

function writeSarif(report: Report, options: Options): string | undefined {
  if (!options.sarifPath) return undefined;
  try {
    return writeSarifFile(report, { ...options, sarifPath: options.sarifPath }, process.env);
  } catch (error: unknown) {
    core.warning(getErrorMessage(error));
    return undefined;
  }
}

function setOutputs(
  report: Report,
  reportPath: string | undefined,
  comment: { commentId?: number; commentUrl?: string },
  durationMs: number,
): void {
  const pending = report.databases.flatMap((d) => d.pending ?? []);
  const applied = report.databases.flatMap((d) => d.applied ?? []);
  const history = report.databases.flatMap((d) =>
    (d.history ?? []).map((h) => ({
      environment: d.environment,
      database: d.binding,
      id: h.id ?? null,
      name: h.name,
      appliedAt: h.appliedAt,
      appliedByThisRun: (d.applied ?? []).includes(h.name),
    })),
  );
  core.setOutput('status', report.status);
  core.setOutput('errors', String(report.errors));
  core.setOutput('warnings', String(report.warnings));
  core.setOutput('informational', String(report.informational));
  core.setOutput('pending', JSON.stringify(pending));
  core.setOutput('pending-count', String(pending.length));
  core.setOutput('applied', JSON.stringify(applied));
  core.setOutput('applied-count', String(applied.length));
  core.setOutput('history', JSON.stringify(history));
  core.setOutput('bookmark', report.databases.find((d) => d.bookmark)?.bookmark ?? '');
  core.setOutput('duration-ms', String(durationMs));
  core.setOutput('report', reportPath ?? '');
  core.setOutput(
    'drift',
    JSON.stringify(report.databases.flatMap((d) => (d.drift ?? []).map((c) => ({ environment: d.environment, database: d.binding, ...c })))),
  );
  core.setOutput('preflight', JSON.stringify(preflightOutput(report)));
  core.setOutput('comment-id', comment.commentId !== undefined ? String(comment.commentId) : '');
  core.setOutput('comment-url', comment.commentUrl ?? '');
}

async function writeSummary(report: Report, options: Options, run: RunContext, reportPath?: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(renderSummary({ report, run, target: options.target, reportPath })).write();
  } catch (error: unknown) {
    core.warning(`Could not write the job summary: ${getErrorMessage(error)}`);
  }
}
