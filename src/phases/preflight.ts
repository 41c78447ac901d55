import { answer, markPredictions } from '../preflight/answers.js';
import { deriveProbes } from '../preflight/derive.js';
import { prepareRequest, type Answers, type ProbePart } from '../preflight/request.js';
import { databaseLabel } from '../report/label.js';
import { loadSqlite } from '../replay/sqlite.js';
import { rulePolicy } from '../rules/policy.js';
import { applySuppressions, parseMigration } from '../sql/split.js';
import type { ParsedMigration } from '../sql/types.js';
import { executeStatements } from '../wrangler/execute.js';
import { openSession, type WranglerSession } from '../wrangler/session.js';
import { pendingMigrations } from './ledger.js';
import { recordFindings } from './record.js';
import type { PhaseContext } from './types.js';

const RISK_RULES = ['preflight-rows-lost', 'preflight-fails'];
/** Statements re-sent one by one after a failed request, to tell which question D1 refused. */
const MAX_RETRIES = 10;

/**
 * Production preflight (part of preview): the pending migrations' data-dependent risks, asked of the target
 * database as read-only counts in one `d1 execute` (src/preflight/). Runs after the pending migrations were
 * judged on the live schema and before apply is decided, so its errors block apply like any other.
 *
 * Only when a pending statement can lose rows or fail on the target's rows is a request made at all: a
 * pending set that only creates tables and indexes on empty tables costs nothing.
 */
export async function preflightPhase(ctx: PhaseContext, parsed: readonly ParsedMigration[] = []): Promise<void> {
  const { report, options, target, io } = ctx;
  const live = ctx.liveSchemaBefore;
  if (!live || !ctx.ledgerBefore || report.failure) return;
  const pending = pendingMigrations(ctx.migrations, ctx.ledgerBefore);
  if (pending.length === 0) return;
  const policy = rulePolicy(options, target.environment);
  if (RISK_RULES.every((r) => policy.off.has(r))) return;
  const where = databaseLabel(target, { name: true });
  const byName = new Map(parsed.map((p) => [p.file.name, p]));
  const files = pending.map((m) => byName.get(m.name) ?? parseMigration(m));
  const sqlite3 = await loadSqlite();
  const dataLoss = new Set(report.findings.filter((f) => f.rule === 'rows-lost' && f.file !== undefined && f.table !== undefined).map((f) => `${f.file}\0${f.table!.toLowerCase()}`));
  const all = deriveProbes({ sqlite3, live, migrationsTable: target.migrationsTable, pending: files, dataLoss });
  // A rule turned off is not asked about at all (its findings would be dropped anyway).
  const off = (effect: string) => (effect === 'lost' && policy.off.has('preflight-rows-lost')) || (effect === 'fails' && policy.off.has('preflight-fails'));
  const derived = { ...all, probes: all.probes.filter((p) => !off(p.effect)), unanswerable: all.unanswerable.filter((u) => !off(u.effect)) };
  report.notes.push(...derived.notes);
  const risky = derived.probes.some((p) => p.effect === 'lost' || p.effect === 'fails');
  if (!risky) {
    report.preflight = { requests: 0, entries: answer([], new Map(), new Map(), derived.unanswerable, where).entries };
    io.info(`preflight: nothing to ask of ${where} (no pending statement can lose rows or fail on the rows it has)`);
    return;
  }
  const prepared = prepareRequest(sqlite3, live, derived.probes);
  const session = openSession(ctx);
  const answers: Answers = new Map();
  let requests = 0;
  for (const part of prepared.parts) {
    const got = await ask(session, part, () => requests++);
    for (const [k, v] of got) answers.set(k, v);
  }
  const answered = answer(derived.probes, answers, prepared.dropped, derived.unanswerable, where);
  report.preflight = { requests, entries: answered.entries };
  recordFindings(ctx, applySuppressions(answered.findings, files));
  report.findings = markPredictions(report.findings, answered.entries, statementsOf(files), where);
  const asked = answered.entries.filter((e) => e.rows !== null).length;
  io.info(`preflight (${session.where}): ${asked} question(s) answered in ${requests} read-only request(s); ${answered.findings.length} finding(s)`);
  // A question D1 did not answer is not a finding (the migration may still be fine), but it must not pass
  // unseen: apply goes ahead without that count.
  const refused = answered.entries.filter((e) => e.rows === null && e.why?.startsWith('D1 did not answer'));
  if (refused.length) {
    const message = `Production preflight: ${refused.length} question(s) were not answered by ${where} (${refused[0]!.why}); apply was not held back by them.`;
    io.warning(message);
    report.notes.push(message);
  }
}

/**
 * Sends one request part. The one wrangler call of the preflight: a lead merging other pre-apply reads into
 * the same request replaces this with one shared executeStatements over all parts.
 */
async function ask(session: WranglerSession, part: ProbePart, counted: () => void): Promise<Answers> {
  counted();
  const done = await executeStatements(session, part.statements);
  if (done.ok) return part.parse(done.results);
  const out = part.unanswered(`D1 did not answer: ${done.failure.message}`);
  // One question D1 refuses (a migration's own expression failing on a real row, the 30 s limit) fails the
  // whole request: ask each statement alone, a few at most, to keep the others.
  if (done.stopped || done.failure.kind !== 'sql-error' || part.statements.length === 1) return out;
  for (let i = 0; i < part.statements.length && i < MAX_RETRIES; i++) {
    const one = part.only(i);
    counted();
    const r = await executeStatements(session, one.statements);
    for (const [k, v] of r.ok ? one.parse(r.results) : one.unanswered(`D1 did not answer: ${r.failure.message}`)) out.set(k, v);
  }
  return out;
}

/** Statement spans per file, to find the statement a finding's line falls in. */
function statementsOf(files: readonly ParsedMigration[]): Map<string, { line: number; endLine: number }[]> {
  return new Map(files.map((p) => [p.file.relPath, p.statements.map((s) => ({ line: s.line, endLine: s.endLine }))]));
}

