// jest testSequencer: the slowest files start first, so no long one is left for last while the other
// workers sit idle. SLOWEST lists the files that take the most time (real wrangler with rows, real wrangler
// on whole sets, the fault and apply paths) in that order — measured, and kept by hand: a file missing here
// only starts a little later. Then the other integration files (*.int.test.ts: real wrangler, the bundle,
// the emulators), then the unit tests; within each group jest's own order (last run's failures, then the
// slowest of the last run from its cache, or the largest file without one).
import Sequencer from '@jest/test-sequencer';

const SLOWEST = [
  'data-check/wrangler-truth.int.test.ts',
  'data-check/sets-truth.int.test.ts',
  'integration/wrangler-agreement.int.test.ts',
  'phases/remote-faults.int.test.ts',
  'phases/remote-apply.int.test.ts',
  'hardening/bad-input.int.test.ts',
  'action/remote.int.test.ts',
  'phases/drift.int.test.ts',
];

function rank(test) {
  const path = test.path.replace(/\\/g, '/');
  const i = SLOWEST.findIndex((f) => path.endsWith(`/__tests__/${f}`));
  if (i >= 0) return i;
  return /\.int\.test\.ts$/.test(path) ? SLOWEST.length : SLOWEST.length + 1;
}

export default class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    // Array.prototype.sort is stable: jest's order stays within each rank.
    return super.sort(tests).sort((a, b) => rank(a) - rank(b));
  }
}
