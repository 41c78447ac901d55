// Where the real-world corpus is: the one rule, shared by the tests (support/corpus.ts), jest's global setup
// (the skip line), .ci/run (which fails when the corpus is there but its tests were skipped) and
// scripts/snapshot-reports.mjs. Plain JavaScript so the shell scripts can use it without a build.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Beside the checkout, as the project's workspaces have it. */
export const DEFAULT_CORPUS_DIR = join(REPO_ROOT, '..', 'shared', 'corpus');

/** The one line a run without the corpus prints: why its tests are skipped and how to run them. */
export const CORPUS_SKIP_LINE =
  'corpus tests skipped: no real-world corpus at ../shared/corpus and D1_CORPUS_DIR is not set; ' +
  'set D1_CORPUS_DIR or put the corpus at ../shared/corpus to run them (how to get it: __tests__/corpus/README.md). ' +
  'The fixtures in __tests__/fixtures/sets cover the same capabilities.';

/**
 * The corpus directory, or null when there is none. D1_CORPUS_DIR wins (relative to the current directory);
 * a D1_CORPUS_DIR that names no directory is an error, not a reason to skip: whoever set it wants the tests.
 */
export function corpusDir(env = process.env) {
  const given = env.D1_CORPUS_DIR;
  if (given) {
    const abs = resolve(given);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) {
      throw new Error(`D1_CORPUS_DIR="${given}" is not a directory (${abs}). Point it at the folder holding the corpus sets, or unset it to use ../shared/corpus when present.`);
    }
    return abs;
  }
  return existsSync(DEFAULT_CORPUS_DIR) ? DEFAULT_CORPUS_DIR : null;
}
