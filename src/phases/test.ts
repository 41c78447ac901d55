import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLiveSchema } from '../wrangler/schema.js';
import { d1Args, openSession, succeeded } from '../wrangler/session.js';
import { failureLine } from './failure-line.js';
import type { PhaseContext } from './types.js';
import { finding } from '../finding.js';
import { recordFindings } from './record.js';

/**
 * Applies every migration to a throw-away local D1 (real wrangler, a temporary --persist-to folder deleted
 * afterwards) and lists the resulting schema: the PR check that needs no credentials.
 */
export async function testPhase(ctx: PhaseContext): Promise<void> {
  const { report, io } = ctx;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd1-migrate-test-'));
  try {
    const session = openSession(ctx, { where: 'local', persistTo: dir });
    if (session.command.problem) {
      report.failure ??= { phase: 'test', kind: 'wrangler-missing', message: session.command.problem };
      return;
    }
    const applied = await session.run(d1Args(session, ['migrations', 'apply']));
    if (!succeeded(applied)) {
      const failure = session.classify(applied);
      const detail = failure.sqliteMessage ?? failure.message;
      const file = failure.migration ? ctx.migrations.find((m) => m.name === failure.migration) : undefined;
      const where = failure.migration ? `${failure.migration}: ${detail}` : detail;
      if (file && report.scope?.settled.includes(file.relPath)) {
        // A migration that already ran (or that the change leaves alone) does not apply to an empty database:
        // the history's base schema came from elsewhere. That is a fact about the repository (the replay
        // reports it once), not a failure of this change: wrangler cannot get to the new migrations on a fresh
        // database, the replay did.
        const message = `test: wrangler cannot apply the existing migrations to a fresh local D1 (${where}); the new migrations were checked by the replay only.`;
        report.notes.push(message.replace(/^test: /, ''));
        io.warning(message);
        return;
      }
      if (file) {
        const line = failureLine(file.sql, detail);
        recordFindings(ctx, [
          finding({
            rule: 'replay-error',
            file: file.relPath,
            ...(line ? { line } : {}),
            message: `Applying the migrations to a fresh local D1 with wrangler failed at ${file.name}: ${detail}`,
          }),
        ]);
      }
      report.failure ??= { phase: 'test', kind: failure.kind, message: where };
      io.warning(`test: applying to a fresh local D1 failed: ${report.failure.message}`);
      return;
    }
    const read = await readLiveSchema(session);
    if (!read.ok) {
      report.failure ??= { phase: 'test', kind: read.failure.kind, message: `reading the schema failed: ${read.failure.message}` };
      return;
    }
    report.schema = read.objects;
    io.info(`test: ${ctx.migrations.length} migrations applied to a fresh local D1; ${report.schema.length} schema objects`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
