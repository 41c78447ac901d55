import type { LockRequest } from '../ledger-state/lock.js';
import type { LedgerState } from '../ledger-state/table.js';
import type { DatabaseReport, DatabaseTarget, EngineIO, LedgerEntry, MigrationFile, Options, RunContext, SchemaObject } from '../types.js';

/**
 * What every phase gets for one database in one environment. Phases record what they learn on
 * `report` (status, pending, applied, failed, history, bookmark, findings, notes, failure) and never
 * throw for an expected failure: they classify it into `report.failure` so the fail mode can decide.
 */
export interface PhaseContext {
  options: Options;
  target: DatabaseTarget;
  /** Migration files in wrangler's apply order (from validate's discovery). */
  migrations: MigrationFile[];
  report: DatabaseReport;
  io: EngineIO;
  run: RunContext;
  /** Process environment for wrangler (already holding CLOUDFLARE_* from inputs); never logged. */
  env: NodeJS.ProcessEnv;
  /** Aborted when the job is cancelled (SIGTERM/SIGINT): stop wrangler, then re-read the ledger. */
  signal?: AbortSignal;
  /** Set by preview: the ledger as read before apply, to detect concurrent changes. */
  ledgerBefore?: LedgerEntry[];
  /** Set by preview (in the same request as the ledger): the target's schema before apply. */
  liveSchemaBefore?: SchemaObject[];
  /** Set by apply: the ledger read back after wrangler ran, which apply verified and history shows. */
  ledgerAfter?: LedgerEntry[];
  /** Set by preview when the state is on: the tool's state rows (checksums, a lock) as read. */
  state?: LedgerState;
  /** Applied files without a recorded checksum (applied before the tool kept them): recorded by apply. */
  unhashed?: MigrationFile[];
  /** The lock this run took in preview's request (a run that applies), and whether it still holds it. */
  lock?: { request: LockRequest; held: boolean };
  /** `--to`: the files up to and including that migration (apply gives wrangler only these). */
  applyUpTo?: MigrationFile[];
  /** Set by the engine when the gate held apply back: a held-back run writes nothing but the lock's release. */
  heldBack?: boolean;
}
