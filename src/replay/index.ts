export { replayMigrations, schemaOf } from './replay.js';
export { describeSchema, normaliseSql, sortSchema } from './schema.js';
export type { ReplayInput, ReplayResult } from './types.js';
