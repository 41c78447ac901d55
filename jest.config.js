/** ESM project: ts-jest in ESM mode, run with --experimental-vm-modules (see package.json "test"). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 120000,
  // test.concurrent cases (real wrangler runs, each on its own local database) run three at a time.
  maxConcurrency: 3,
  // One worker per core (jest's default leaves one free): most of the slow tests wait on wrangler and
  // workerd, which run in processes of their own.
  maxWorkers: '100%',
  testSequencer: '<rootDir>/__tests__/support/slow-first-sequencer.mjs',
  // Without the real-world corpus, one line says its tests are skipped and how to run them.
  globalSetup: '<rootDir>/__tests__/support/global-setup.mjs',
};
