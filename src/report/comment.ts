/**
 * The sticky pull-request comment for one database in one environment. Pure: markdown in, markdown out.
 *
 * One comment per environment/database (not one combined comment): a matrix of environments usually runs
 * as separate jobs, and a combined comment would be overwritten by whichever job finished last. The hidden
 * marker on the first line (`<!-- d1-migrate-action:comment:<environment or top>:<binding> -->`) is how a
 * later run finds the comment to edit, so it must stay stable across runs and releases.
 *
 * Everything that comes from the repository (file names, SQL, messages) goes through escape.ts.
 */
import { DATA_LOSS_RULES, ruleDocsUrl } from '../rule-catalog.js';
import type { DatabaseReport, Finding, Target } from '../types.js';
import { cut, escapeMarkdown, inlineCode } from './escape.js';
import { countByRule, partitionFindings, settledWhere } from './groups.js';
import { preflightSection } from './preflight.js';
import { renderSchemaDiffLines, type SchemaChange } from './schema-diff.js';

/** GitHub rejects comment bodies over 65,536 characters; the margin covers the marker and cut notices. */
export const COMMENT_LIMIT = 60_000;

export interface CommentPullRequest {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  /** Links to files the PR deletes point at the base commit, where they still exist. */
  baseSha?: string;
}

export interface CommentInput {
  db: DatabaseReport;
  pr: CommentPullRequest;
  /** GITHUB_SERVER_URL; default https://github.com. */
  serverUrl?: string;
  /** Link to the workflow run, whose job summary has the full report. */
  runUrl?: string;
  /** Working directory relative to the repository root ('' or undefined when the same): finding paths are relative to it. */
  repoPrefix?: string;
  /** Migrations this PR adds compared with the base branch (used when `db.pending` is unknown). */
  added: string[];
  /** Working-directory-relative paths the PR deletes. */
  removed?: string[];
  /** Schema diff base → PR; an error string when it could not be computed; undefined to leave it out. */
  schema?: { changes: SchemaChange[] } | { error: string };
  /** Where the pending list came from, for its label. */
  target?: Target;
  /** The CLI command shown under "Reproduce locally"; built from the database when absent. */
  reproduce?: string;
  /** Maximum body length; COMMENT_LIMIT by default. */
  maxLength?: number;
}

/** Hidden first line identifying the comment of one environment/database. */
export function commentMarker(environment: string | null, binding: string): string {
  // encodeURIComponent keeps `-->` and newlines out of the HTML comment and keeps distinct names distinct.
  return `<!-- d1-migrate-action:comment:${encodeURIComponent(environment ?? 'top')}:${encodeURIComponent(binding)} -->`;
}

const MAX_TEXT = 1_000;
const MAX_NAME = 300;
const LIST_BUDGET = 12_000;

const md = (text: string, max = MAX_TEXT) => escapeMarkdown(cut(text, max));
const code = (text: string, max = MAX_NAME) => inlineCode(cut(text, max), { table: false });

/** Lines that fit into `budget` characters (each counted with its newline), and how many did not. */
function fit(lines: string[], budget: number): { lines: string[]; omitted: number } {
  let used = 0;
  const out: string[] = [];
  for (const line of lines) {
    if (used + line.length + 1 > budget) break;
    out.push(line);
    used += line.length + 1;
  }
  return { lines: out, omitted: lines.length - out.length };
}

const size = (lines: string[]) => lines.reduce((n, l) => n + l.length + 1, 0);

function verdict(db: DatabaseReport): { icon: string; text: string } {
  const { judged } = partitionFindings(db);
  const errors = judged.filter((f) => f.severity === 'error').length;
  const warnings = judged.length - errors;
  if (db.status === 'failed') return { icon: '❌', text: 'failed' };
  if (db.status === 'invalid' || errors > 0) return { icon: '❌', text: 'invalid' };
  if (db.status === 'skipped') return { icon: '⚠️', text: 'skipped' };
  if (warnings > 0) return { icon: '⚠️', text: `${db.status} with warnings` };
  return { icon: '✅', text: db.status };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Percent-encodes a path for a link destination, including the `(`, `)` and spaces markdown would stop at. */
function encodePath(path: string): string {
  return path
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[()'*!~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

function shellWord(value: string): string {
  return /^[A-Za-z0-9_./,:=@%+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function reproduceCommand(db: DatabaseReport, repoPrefix?: string): string {
  const parts = ['npx', 'd1-migrate', 'validate'];
  if (repoPrefix) parts.push('--cwd', shellWord(repoPrefix));
  if (db.environment) parts.push('--env', shellWord(db.environment));
  parts.push('--database', shellWord(db.binding));
  return parts.join(' ');
}

export function renderComment(input: CommentInput): string {
  const { db, pr } = input;
  const limit = input.maxLength ?? COMMENT_LIMIT;
  const server = (input.serverUrl || 'https://github.com').replace(/\/+$/, '');
  const prefix = (input.repoPrefix ?? '').replace(/^\.\/?|\/+$/g, '');
  const removed = new Set(input.removed ?? []);
  const blob = (file: string, line?: number) => {
    const sha = removed.has(file) && pr.baseSha ? pr.baseSha : pr.headSha;
    const path = prefix ? `${prefix}/${file}` : file;
    return `${server}/${encodeURIComponent(pr.owner)}/${encodeURIComponent(pr.repo)}/blob/${encodeURIComponent(sha)}/${encodePath(path)}${line ? `#L${line}` : ''}`;
  };

  // Header: always shown in full (except notes, which are capped).
  const v = verdict(db);
  const { judged, informational } = partitionFindings(db);
  const errors = judged.filter((f) => f.severity === 'error').length;
  const warnings = judged.length - errors;
  const where = `${code(db.binding)} (${md(db.databaseName, MAX_NAME)})${db.environment ? ` · ${md(db.environment, MAX_NAME)}` : ''}`;
  const header = [
    commentMarker(db.environment, db.binding),
    `### ${v.icon} D1 migrations: ${where}`,
    '',
    `**${md(v.text)}**: ${plural(db.migrations.length, 'migration')} in ${code(db.migrationsDir)}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${informational.length ? `, ${informational.length} informational` : ''}.`,
  ];
  if (db.failure) header.push('', `**${md(db.failure.phase)} failed** (${code(db.failure.kind)}): ${md(db.failure.message)}`);
  if (db.failed) {
    const line = db.failed.line ? ` line ${db.failed.line}` : '';
    header.push('', `**Failed migration:** ${code(db.failed.name)}${line}: ${md(db.failed.message)}`);
  }
  const notes = fit(db.notes.map((n) => `> ${md(n)}`), 4_000);
  if (notes.lines.length) header.push('', ...notes.lines.flatMap((l, i) => (i ? ['>', l] : [l])));

  // Pending list: the ledger's when preview ran, else what this PR adds.
  const pendingNames = db.pending ?? input.added;
  const label =
    db.pending !== undefined
      ? `Pending on ${md(db.databaseName, MAX_NAME)}${input.target ? ` (${input.target})` : ''}, from the database's ledger`
      : 'Migrations added by this pull request (compared with the base branch)';
  const pendingItems = fit(pendingNames.map((n) => `- ${code(n)}`), LIST_BUDGET);
  const pending = ['', `#### ${label}: ${pendingNames.length}`, ''];
  if (pendingNames.length === 0) pending.push(db.pending !== undefined ? 'Nothing pending: merging applies no migration.' : 'None.');
  pending.push(...pendingItems.lines);
  if (pendingItems.omitted) pending.push(`- … and ${pendingItems.omitted} more`);

  // Schema diff.
  const schema: string[] = [];
  let schemaOmitted = 0;
  if (input.schema) {
    schema.push('', '#### Schema changes (base branch → this pull request)', '');
    if ('error' in input.schema) {
      schema.push(`Not computed: ${md(input.schema.error)}`);
    } else if (input.schema.changes.length === 0) {
      schema.push('No schema changes.');
    } else {
      const items = fit(renderSchemaDiffLines(input.schema.changes), LIST_BUDGET);
      schema.push(...items.lines);
      schemaOmitted = items.omitted;
      if (schemaOmitted) schema.push(`- … and ${schemaOmitted} more`);
    }
  }

  const footerFor = (truncated: boolean) => {
    const summary = input.runUrl ? `[job summary](${input.runUrl})` : 'job summary of this run';
    const out = [''];
    if (truncated) out.push(`> [!NOTE]`, `> This comment was shortened to stay under GitHub's size limit; the ${summary} has the full report.`, '');
    out.push(`Reproduce locally: ${code(input.reproduce ?? reproduceCommand(db, prefix || undefined), 1_000)}`);
    out.push('', `<sub>Updated for ${code(pr.headSha.slice(0, 7))}${input.runUrl ? ` · [run](${input.runUrl})` : ''} · d1-migrate-action</sub>`);
    return out;
  };

  // Data-loss findings come right after the verdict: they are the ones that destroy rows in production.
  const dataFindings = judged.filter((f) => DATA_LOSS_RULES.has(f.rule));
  const dataItems = fit(renderFindings(dataFindings, blob), LIST_BUDGET);
  const dataBlock: string[] = [];
  if (dataFindings.length) {
    dataBlock.push(
      '',
      `#### ⚠️ Data loss: ${plural(dataFindings.length, 'finding')} of the data check`,
      '',
      'Run on tables holding rows, these migrations delete or change rows, or fail; on an empty database (local tests) they pass.',
      '',
      ...dataItems.lines,
    );
    if (dataItems.omitted) dataBlock.push(`- … ${dataItems.omitted} more lines`);
  }

  // Findings take what is left, so a flood of findings cannot push out the pending list or the diff.
  const others = judged.filter((f) => !DATA_LOSS_RULES.has(f.rule));
  const findingLines = renderFindings(others, blob);
  // Findings in migrations the change does not touch (or the database already applied) cannot be fixed in
  // this pull request: one line, so reviewers see what their change introduced.
  const infoBlock = informational.length
    ? ['', `<sub>${plural(informational.length, 'finding')} ${settledWhere(db)} — informational, not blocking: ${md(countByRule(informational), 2_000)}. The job summary lists them.</sub>`]
    : [];
  const preflight = preflightSection(db, '#### Production preflight');
  const fixed = size(header) + size(preflight) + size(dataBlock) + size(pending) + size(schema) + size(infoBlock) + size(footerFor(true));
  const findings = fit(findingLines, Math.max(0, limit - fixed - 200));
  const findingsBlock: string[] = [];
  if (findingLines.length) {
    findingsBlock.push('', `#### ${dataFindings.length ? 'Other findings' : 'Findings'}: ${plural(others.length, 'finding')}`, '', ...findings.lines);
    if (findings.omitted) findingsBlock.push(`- … ${findings.omitted} more lines of findings`);
  }
  findingsBlock.push(...infoBlock);

  const truncated = pendingItems.omitted > 0 || schemaOmitted > 0 || findings.omitted > 0 || notes.omitted > 0 || dataItems.omitted > 0;
  let body = [...header, ...preflight, ...dataBlock, ...pending, ...findingsBlock, ...schema, ...footerFor(truncated)].join('\n');
  if (body.length > limit) {
    // Only reachable with an absurd header (e.g. a huge failure message): cut at a line boundary.
    const tail = footerFor(true).join('\n');
    const head = body.slice(0, Math.max(0, limit - tail.length - 1));
    body = `${head.slice(0, head.lastIndexOf('\n'))}\n${tail}`;
  }
  return body;
}

/** Findings grouped by file (whole-set findings last), one list item each with a link to the line. */
function renderFindings(findings: Finding[], blob: (file: string, line?: number) => string): string[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = f.file ?? '';
    groups.set(k, [...(groups.get(k) ?? []), f]);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
  const lines: string[] = [];
  for (const file of keys) {
    const list = groups.get(file) ?? [];
    list.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    lines.push(file ? `**[${md(file, MAX_NAME)}](${blob(file)})**` : '**The migration set as a whole**');
    for (const f of list) {
      const icon = f.severity === 'error' ? '❌' : '⚠️';
      const at = file && f.line ? ` [line ${f.line}](${blob(file, f.line)})` : '';
      const folded = f.details?.length ? ` <sub>(${plural(f.details.length, 'finding')} folded into this: the job summary lists them)</sub>` : '';
      lines.push(`- ${icon} [${code(f.rule, 100)}](${ruleDocsUrl(encodeURIComponent(f.rule))})${at}: ${md(f.message)}${folded}`);
    }
    lines.push('');
  }
  lines.pop();
  return lines;
}
