/** Runs preview → apply → history the way the engine does, against the D1 emulator or local D1. */
import { decideDatabase } from '../../src/outcome.js';
import { applyPhase } from '../../src/phases/apply.js';
import { historyPhase } from '../../src/phases/history.js';
import { previewPhase } from '../../src/phases/preview.js';
import type { PhaseContext } from '../../src/phases/types.js';
import type { Options } from '../../src/types.js';
import type { D1Emulator } from '../support/d1-emulator.js';
import { phaseContext, TempProject, type CapturedIO } from '../support/temp-project.js';

export type Ctx = PhaseContext & { io: CapturedIO };

export async function runPhases(ctx: Ctx): Promise<Ctx> {
  await previewPhase(ctx);
  if (!ctx.report.failure) await applyPhase(ctx);
  if (!(ctx.report.failure && ctx.report.failure.phase === 'preview')) await historyPhase(ctx);
  // The phases record facts; the status is decided in one place, as the engine does.
  ctx.report.status = decideDatabase(ctx.report, ctx.options).status;
  return ctx;
}

export const THREE = {
  '0001_users.sql': 'CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n',
  '0002_posts.sql': 'CREATE TABLE posts(id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id));\n',
  '0003_index.sql': 'CREATE INDEX posts_user ON posts(user_id);\n',
};

export interface RemoteSetup {
  project: TempProject;
  uuid: string;
  ctx(options?: Partial<Options>, env?: Record<string, string>): Ctx;
}

/** A project whose DB binding points at a fresh emulated database. */
export function remoteProject(emulator: D1Emulator, wrangler: string, files: Record<string, string>): RemoteSetup {
  const name = `db-${Math.random().toString(36).slice(2, 10)}`;
  const uuid = emulator.createDatabase(name);
  const project = new TempProject({ databaseId: uuid, databaseName: name, files });
  return {
    project,
    uuid,
    ctx: (options = {}, env = {}) =>
      phaseContext(project, { target: 'remote', wrangler, cloudflareApiToken: emulator.token, ...options }, { ...emulator.env(), ...env }),
  };
}
