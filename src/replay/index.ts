export { replayMigrations, schemaOf } from './replay.js';
export { sortSchema } from './schema.js';
export type { ReplayInput, ReplayResult } from './types.js';
