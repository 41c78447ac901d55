/**
 * Which SQLite the replay runs on: node:sqlite where the running Node has what the replay needs (native, so
 * much faster), else the WASM build. The WASM build is always there too: the data check and everything
 * node:sqlite cannot do exactly run on it (see node.ts), and it is loaded only when first needed.
 */
import { nodeBackend } from './node.js';
import type { Backend } from './types.js';
import { wasmBackend, type WasmBackend, type WasmWork } from './wasm.js';

export type { Backend, BackendName, Control, Prepared, SqlDb, SqlValue, Stmt } from './types.js';
export { NeedsWasm } from './types.js';
export { wasmBackend, type RowChange, type WasmBackend, type WasmDb, type WasmWork } from './wasm.js';

/**
 * `D1_MIGRATE_SQLITE=wasm` (or `node`) pins the backend: a diagnostic switch for the tests that compare the
 * two and for the bench, not an input (an unusable `node` falls back to the WASM build).
 */
const PINNED = process.env.D1_MIGRATE_SQLITE;

let fast: Promise<Backend | undefined> | undefined;

/** The backend the replay starts on (`work`: what it will run, should that be the WASM build; see loadSqlite). */
export async function replayBackend(work?: WasmWork): Promise<Backend> {
  if (PINNED !== 'wasm') {
    fast ??= nodeBackend();
    const b = await fast;
    if (b) return b;
  }
  return wasmBackend(work);
}

/** The WASM build (the data check's, and the fallback for what node:sqlite cannot do exactly). */
export function wasm(work?: WasmWork): Promise<WasmBackend> {
  return wasmBackend(work);
}
