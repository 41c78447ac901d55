/**
 * The pull-request loop, run by src/main.ts after the engine: detect edited migrations from the PR's file
 * list, then create or edit one sticky comment per environment/database.
 *
 * Contract with the caller: `report` is updated in place. modified-migration findings are appended to
 * each DatabaseReport, and database and run status, counts, `failed` and `failureMessage` are recomputed
 * with the engine's own rules, so annotations, the job summary, the JSON report and the exit status written
 * afterwards include them. It never throws for GitHub API problems: those come back in `warnings`.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { databaseStatus, summarise } from '../engine.js';
import { leadingDigits, wrangler486Number } from '../migrations/order.js';
import { schemaOf } from '../replay/index.js';
import { commentMarker, renderComment } from '../report/comment.js';
import { diffSchemas, type SchemaChange } from '../report/schema-diff.js';
import type { DatabaseReport, EngineIO, MigrationFile, Options, Report } from '../types.js';
import { createClient, describeApiError, type ClientOptions } from './client.js';
import { upsertComment } from './comment.js';
import { migrationChanges, MODIFIED_MIGRATION_RULE, type MigrationChanges } from './modified-migrations.js';
import { listPullRequestFiles, readPullRequestEvent, type PullRequestFile } from './pull-request.js';

export interface PullRequestLoopInput {
  /** process.env: GITHUB_EVENT_NAME/PATH, GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_WORKSPACE, run ids. */
  env: NodeJS.ProcessEnv;
  token?: string;
  report: Report;
  options: Options;
  io: EngineIO;
  /** Octokit tuning (shorter waits in tests). */
  client?: ClientOptions;
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
  /** Warnings to show (no token, fork without write access, API errors); never fatal. */
  warnings: string[];
}

const REPLAY_BLOCKERS = new Set(['replay-error', 'sql-syntax']);

/** Migrations table the schema replay hides; DatabaseReport does not carry the configured one. */
const DEFAULT_MIGRATIONS_TABLE = 'd1_migrations';

export async function runPullRequestLoop(input: PullRequestLoopInput): Promise<PullRequestLoopResult> {
  const { env, report, options, io } = input;
  const result: PullRequestLoopResult = { comments: [], warnings: [] };
  const event = readPullRequestEvent(env);
  if (!event) {
    io.debug('pull-request loop: not a pull_request event (or no readable payload); skipped');
    return result;
  }
  const token = input.token;
  if (!token) {
    result.warnings.push('No github-token: the pull-request comment and the modified-migration check were skipped.');
    return result;
  }

  const log = (m: string) => io.info(m);
  const client = createClient(token, env.GITHUB_API_URL, { log, ...input.client });
  const repoPrefix = repoPrefixOf(env, options.cwd);

  let files: PullRequestFile[] | null = null;
  try {
    files = await listPullRequestFiles(client, event);
    io.info(`pull request #${event.number}: ${files.length} changed file(s)`);
  } catch (error: unknown) {
    const { message } = describeApiError(error, token);
    result.warnings.push(`Could not list the files of pull request #${event.number} (${message}); the modified-migration check was skipped.`);
  }

  const changes = new Map<DatabaseReport, MigrationChanges>();
  if (files) {
    const checkEdits = !options.disableRules.includes(MODIFIED_MIGRATION_RULE);
    let addedFindings = false;
    for (const db of report.databases) {
      const c = migrationChanges(files, db, { repoPrefix, baseRef: event.baseRef });
      changes.set(db, c);
      if (!checkEdits || c.findings.length === 0) continue;
      // Idempotent if the caller runs the loop twice on one report.
      const seen = new Set(db.findings.filter((f) => f.rule === MODIFIED_MIGRATION_RULE).map((f) => f.file));
      const fresh = c.findings.filter((f) => !seen.has(f.file));
      if (fresh.length === 0) continue;
      db.findings.push(...fresh);
      db.status = databaseStatus(db, options);
      addedFindings = true;
    }
    if (addedFindings) Object.assign(report, summarise(report.databases, options, report.durationMs));
  }

  // comment: off turns off the comment only: an edited migration is an error whether or not anyone comments.
  if (options.comment === 'off') {
    io.debug('pull-request loop: comment is off; no comment posted');
    return result;
  }
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const runUrl = env.GITHUB_RUN_ID ? `${serverUrl}/${event.owner}/${event.repo}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  for (const db of report.databases) {
    const c = changes.get(db);
    const schema = c ? await schemaDiff(db, c, options.cwd, io) : undefined;
    const body = renderComment({
      db,
      pr: { owner: event.owner, repo: event.repo, number: event.number, headSha: event.headSha, baseSha: event.baseSha },
      serverUrl,
      runUrl,
      repoPrefix,
      added: c?.added ?? [],
      removed: c?.removed,
      schema,
      target: options.target,
    });
    const posted = await upsertComment({ token, event, marker: commentMarker(db.environment, db.binding), body, client });
    if ('warning' in posted) {
      result.warnings.push(posted.warning);
      continue;
    }
    io.info(`${posted.created ? 'Created' : 'Updated'} the pull-request comment for ${db.environment ?? 'top level'} · ${db.binding}: ${posted.url}`);
    result.comments.push({ environment: db.environment, binding: db.binding, id: posted.id, url: posted.url, created: posted.created });
  }
  const first = result.comments[0];
  if (first) {
    result.commentId = first.id;
    result.commentUrl = first.url;
  }
  return result;
}

/**
 * Schema before and after this PR's added migrations: the current files minus the added ones, replayed,
 * against all of them. Edits to existing files are already an error of their own, so "before" uses the
 * files as they are in the PR rather than fetching the base versions.
 */
async function schemaDiff(
  db: DatabaseReport,
  c: MigrationChanges,
  cwd: string,
  io: EngineIO,
): Promise<{ changes: SchemaChange[] } | { error: string } | undefined> {
  if (c.added.length === 0) return { changes: [] };
  // A replay that stops at a broken statement would present a half-applied schema as the PR's effect.
  if (db.findings.some((f) => REPLAY_BLOCKERS.has(f.rule) && f.severity === 'error')) {
    return { error: 'the migrations do not replay cleanly (see the findings).' };
  }
  try {
    const files = db.migrations.map((name) => migrationFile(cwd, db.migrationsDir, name));
    const added = new Set(c.added);
    const before = await schemaOf(files.filter((f) => !added.has(f.name)), DEFAULT_MIGRATIONS_TABLE);
    const after = await schemaOf(files, DEFAULT_MIGRATIONS_TABLE);
    return { changes: diffSchemas(before, after) };
  } catch (error: unknown) {
    io.debug(`schema diff failed: ${describeApiError(error).message}`);
    return { error: 'the migrations could not be replayed (see the findings).' };
  }
}

function migrationFile(cwd: string, migrationsDir: string, name: string): MigrationFile {
  const path = resolve(cwd, migrationsDir, name);
  const sql = readFileSync(path, 'utf8');
  const relPath = relative(cwd, path).split(sep).join('/');
  return { name, path, relPath, number: wrangler486Number(name), numberText: leadingDigits(name), sql, bytes: statSync(path).size };
}

/** The working directory relative to the checkout root: PR file paths are repository-relative. */
function repoPrefixOf(env: NodeJS.ProcessEnv, cwd: string): string {
  const root = env.GITHUB_WORKSPACE;
  if (!root) return '';
  const rel = relative(resolve(root), resolve(cwd));
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return '';
  return rel.split(sep).join('/');
}
