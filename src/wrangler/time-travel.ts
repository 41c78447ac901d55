import type { DatabaseTarget } from '../types.js';
import type { Classified } from './classify.js';
import { parseJsonOutput } from './output.js';
import { succeeded, timeTravelArgs, type RunExtra, type WranglerSession } from './session.js';

export type BookmarkResult = { ok: true; bookmark: string } | { ok: false; failure: Classified };
export type RestoreResult = { ok: true; bookmark: string; previousBookmark?: string } | { ok: false; failure: Classified };

/** The database's current Time Travel bookmark (`wrangler d1 time-travel info --json`). */
export async function currentBookmark(session: WranglerSession, extra?: RunExtra): Promise<BookmarkResult> {
  const result = await session.run(timeTravelArgs(session.target, 'info'), extra);
  const json = parseJsonOutput(result.stdout);
  if (succeeded(result) && json?.kind === 'object' && typeof json.value.bookmark === 'string') {
    return { ok: true, bookmark: json.value.bookmark };
  }
  return { ok: false, failure: session.classify(result) };
}

export async function restoreBookmark(session: WranglerSession, bookmark: string, extra?: RunExtra): Promise<RestoreResult> {
  const result = await session.run(timeTravelArgs(session.target, 'restore', [`--bookmark=${bookmark}`]), extra);
  const json = parseJsonOutput(result.stdout);
  if (succeeded(result) && json?.kind === 'object') {
    const previous = json.value.previous_bookmark;
    return {
      ok: true,
      bookmark: typeof json.value.bookmark === 'string' ? json.value.bookmark : bookmark,
      previousBookmark: typeof previous === 'string' ? previous : undefined,
    };
  }
  return { ok: false, failure: session.classify(result) };
}

/** The command a person runs to return the database to `bookmark` (printed in the log and summary). */
export function restoreCommand(target: DatabaseTarget, bookmark: string): string {
  const env = target.environment ? ` --env ${target.environment}` : '';
  return `wrangler d1 time-travel restore ${target.databaseName} --bookmark=${bookmark}${env}`;
}
