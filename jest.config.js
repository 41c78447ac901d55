/** ESM project: ts-jest in ESM mode, run with --experimental-vm-modules (see package.json "test"). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 120000,
  // Without the real-world corpus, one line says its tests are skipped and how to run them.
  globalSetup: '<rootDir>/__tests__/support/global-setup.mjs',
};
