/**
 * Which compiler the WASM build runs on (db/wasm.ts wasmTiering): Node 20 keeps light runs on V8's baseline
 * code (it waits at exit for optimising compilations a short run never needs); heavier runs and newer Node
 * keep V8's default; the diagnostic switch pins either way and nothing else.
 */
import { wasmTiering } from '../../src/replay/db/wasm.js';

const KB = 1024;

describe('wasmTiering', () => {
  it.each([
    // [work bytes, node version, pinned, expected]
    [3 * KB, '20.20.2', undefined, 'baseline'],
    [3 * KB, 'v20.20.2', undefined, 'baseline'],
    [799 * KB, '20.20.2', undefined, 'baseline'],
    [800 * KB, '20.20.2', undefined, 'default'],
    [2048 * KB, '20.20.2', undefined, 'default'],
    [3 * KB, '21.7.3', undefined, 'baseline'],
    [3 * KB, '22.0.0', undefined, 'default'],
    [3 * KB, '24.21.0', undefined, 'default'],
    [undefined, '20.20.2', undefined, 'default'],
    [2048 * KB, '24.21.0', 'baseline', 'baseline'],
    [3 * KB, '20.20.2', 'default', 'default'],
    [3 * KB, '20.20.2', 'liftoff', 'baseline'],
    [3 * KB, '24.21.0', '--liftoff-only', 'default'],
    [3 * KB, '20.20.2', '', 'baseline'],
  ] as const)('%s bytes on Node %s, pinned %s: %s', (bytes, node, pinned, expected) => {
    expect(wasmTiering(bytes === undefined ? undefined : { bytes }, node, pinned)).toBe(expected);
  });

  // Two threads side by side (the data check's twin in a worker): the baseline code pays for longer.
  it.each([
    [900 * KB, '20.20.2', 'baseline'],
    [1279 * KB, '20.20.2', 'baseline'],
    [1280 * KB, '20.20.2', 'default'],
    [900 * KB, '24.21.0', 'default'],
  ] as const)('%s bytes per thread, two threads, on Node %s: %s', (bytes, node, expected) => {
    expect(wasmTiering({ bytes, parallel: true }, node, undefined)).toBe(expected);
  });
});
