// Reads jest's --json result for .ci/run and prints its last line, `tests: N passed, N failed`. With the
// real-world corpus present (D1_CORPUS_DIR or ../shared/corpus), every corpus test (a block named
// "[corpus] ...") must have run: skipped ones count as one more failure and the exit status is 1.
import { readFileSync } from 'node:fs';
import { corpusDir } from '../__tests__/support/corpus-location.mjs';

const [file] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/test-result.mjs <jest --json output file>');
  process.exit(2);
}
const result = JSON.parse(readFileSync(file, 'utf8'));
let failed = result.numFailedTests + (result.numRuntimeErrorTestSuites || 0);

const corpusTests = result.testResults.flatMap((suite) =>
  suite.assertionResults.filter((a) => a.ancestorTitles.some((t) => t.startsWith('[corpus]'))).map((a) => ({ suite: suite.name, test: a })),
);
const dir = corpusDir();
let corpusOk = true;
if (dir === null) {
  console.log(`corpus: not present; ${corpusTests.length} corpus test block(s) skipped`);
} else {
  const notRun = corpusTests.filter(({ test }) => test.status !== 'passed' && test.status !== 'failed');
  if (corpusTests.length === 0 || notRun.length > 0) {
    corpusOk = false;
    failed += 1;
    console.log(`corpus: present at ${dir}, but ${corpusTests.length === 0 ? 'no corpus test ran' : `${notRun.length} corpus test(s) were skipped`}:`);
    for (const { suite, test } of notRun.slice(0, 20)) console.log(`  ${test.status}: ${suite} › ${test.fullName}`);
  } else {
    console.log(`corpus: present at ${dir}; ${corpusTests.length} corpus test(s) ran`);
  }
}
console.log(`tests: ${result.numPassedTests} passed, ${failed} failed`);
process.exit(corpusOk ? 0 : 1);
