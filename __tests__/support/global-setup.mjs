// jest globalSetup: runs once before the suite. Without the corpus, say so once, with what to do about it.
import { CORPUS_SKIP_LINE, corpusDir } from './corpus-location.mjs';

export default function globalSetup() {
  if (corpusDir() === null) process.stderr.write(`\n${CORPUS_SKIP_LINE}\n\n`);
}
