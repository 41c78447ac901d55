/**
 * The real-world corpus (migration sets copied from public projects, kept outside the repository): where it
 * is, and `describeCorpus`, which runs a block only when it is there. Every corpus block's name starts with
 * CORPUS_TAG, so .ci/run can tell from jest's JSON result whether corpus tests were skipped.
 */
import { join } from 'node:path';
import { corpusDir } from './corpus-location.mjs';

export { CORPUS_SKIP_LINE, DEFAULT_CORPUS_DIR } from './corpus-location.mjs';

/** The corpus directory, or null without one (jest's global setup prints why the corpus tests are skipped). */
export const CORPUS_DIR: string | null = corpusDir();

export const CORPUS_TAG = '[corpus]';

/**
 * `describe` for tests that read the corpus. Without one, `fn` is not even called (it may list the corpus
 * to build its tests): one skipped placeholder stands for the block, so the run shows what was left out.
 */
export function describeCorpus(name: string, fn: () => void): void {
  if (CORPUS_DIR) describe(`${CORPUS_TAG} ${name}`, fn);
  else describe.skip(`${CORPUS_TAG} ${name}`, () => test('needs the corpus (D1_CORPUS_DIR or ../shared/corpus)', () => {}));
}

/** A path inside the corpus; only for code that runs inside describeCorpus (or after checking CORPUS_DIR). */
export function corpusPath(...parts: string[]): string {
  if (!CORPUS_DIR) throw new Error('corpusPath() called without a corpus: use it inside describeCorpus');
  return join(CORPUS_DIR, ...parts);
}
