/** The CLI's ledger operations on wrangler 4.86's local D1 (the cases: cli-ops.cases.ts). */
import { jest } from '@jest/globals';
import { cliOpsSuite } from './cli-ops.cases.js';

jest.setTimeout(600_000);

describe('wrangler 4.86', () => cliOpsSuite('4.86'));
