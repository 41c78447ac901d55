import { LEDGER_PHASES } from '../../options.js';
import type { LedgerPhase, Options } from '../../types.js';
import type { PhaseContext } from '../types.js';
import { baselinePhase } from './baseline.js';
import { markAppliedPhase } from './mark-applied.js';
import { renameAppliedPhase } from './rename-applied.js';
import { unlockPhase } from './unlock.js';

/** A ledger operation runs alone (options.ts makes sure). */
export function isLedgerOperation(options: Pick<Options, 'phases'>): boolean {
  return options.phases.some((p) => (LEDGER_PHASES as readonly string[]).includes(p));
}

const OPERATIONS: Record<LedgerPhase, (ctx: PhaseContext) => Promise<void>> = {
  baseline: baselinePhase,
  'mark-applied': markAppliedPhase,
  'rename-applied': renameAppliedPhase,
  unlock: unlockPhase,
};

export async function ledgerOperationPhase(ctx: PhaseContext): Promise<void> {
  await OPERATIONS[ctx.options.phases[0] as LedgerPhase](ctx);
}
