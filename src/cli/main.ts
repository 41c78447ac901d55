import { runEngine } from '../engine.js';
import { getErrorMessage, UsageError } from '../errors.js';
import { parseOptions } from '../options.js';
import { annotationsFor, workflowCommand } from '../report/annotations.js';
import { toJson } from '../report/json.js';
import { sarifLog, writeSarifFile } from '../report/sarif-file.js';
import { toText } from '../report/text.js';
import type { EngineIO, Phase } from '../types.js';
import { HELP, parseCli, type Command } from './args.js';
import { gitChangeSet } from './git-changes.js';
import { newMigration } from './new-migration.js';
import { rulesCommand } from './rules-command.js';
import { VERSION } from '../version.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { inertJson, inertText } from '../report/inert.js';

const COMMAND_PHASES: Partial<Record<Command, Phase[]>> = {
  validate: ['validate'],
  preview: ['preview'],
  apply: ['apply'],
  history: ['history'],
  test: ['validate', 'test'],
  restore: ['restore'],
  drift: ['drift'],
  baseline: ['baseline'],
  'mark-applied': ['mark-applied'],
  'rename-applied': ['rename-applied'],
  unlock: ['unlock'],
};

/** Commands that take their arguments as positionals (ledger operations). */
const LEDGER_COMMANDS: ReadonlySet<Command> = new Set(['baseline', 'mark-applied', 'rename-applied', 'unlock']);

/** Runs one CLI command; returns the exit status (0 ok, 1 findings/failure, 2 usage or config error). */
export async function main(argv: string[], baseDir: string, stdout: Writable = process.stdout, stderr: Writable = process.stderr): Promise<number> {
  // The CLI runs in CI steps (`npm run migrate:check`), where the runner reads both streams for workflow
  // commands: everything written, except the CLI's own `--format github` commands, goes out inert.
  const out = { write: (s: string) => stdout.write(inertText(s)), raw: (s: string) => stdout.write(s) };
  const err = { write: (s: string) => stderr.write(inertText(s)) };
  try {
    const args = parseCli(argv);
    if (args.command === 'help') {
      out.write(HELP);
      return 0;
    }
    if (args.command === 'version') {
      out.write(`${VERSION}\n`);
      return 0;
    }
    if (args.command === 'rules') {
      out.write(rulesCommand({ raw: args.raw, baseDir, json: args.format === 'json' }));
      return 0;
    }
    if (args.command === 'new') {
      const created = newMigration({ raw: args.raw, baseDir, description: args.positionals.join(' ') });
      if (args.format === 'json') out.raw(inertJson(JSON.stringify(created)) + '\n');
      else out.write(`created ${created.file}\n`);
      return 0;
    }
    const raw = { ...args.raw };
    if (!raw.target) raw.target = 'local';
    if (args.command !== 'run') {
      if (raw.phases) throw new UsageError(`--phases is only for "run"; "${args.command}" runs its own phase.`);
      raw.phases = COMMAND_PHASES[args.command]!.join(',');
    }
    const options = parseOptions(raw, { baseDir, source: 'cli', ...(LEDGER_COMMANDS.has(args.command) ? { ledgerArgs: args.positionals } : {}) });
    const io: EngineIO = {
      info: (m) => (args.verbose ? err.write(m + '\n') : undefined),
      warning: (m) => err.write(`warning: ${m}\n`),
      debug: (m) => (args.verbose ? err.write(m + '\n') : undefined),
      group: async (name, fn) => {
        if (args.verbose) err.write(`── ${name}\n`);
        return fn();
      },
    };
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    let report;
    try {
      const change = args.since !== undefined ? gitChangeSet(options.cwd, args.since) : undefined;
      report = await runEngine({ options, io, signal: controller.signal, change });
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    const validateOnly = args.command === 'validate';
    if (options.reportPath) {
      try {
        mkdirSync(dirname(options.reportPath), { recursive: true });
        writeFileSync(options.reportPath, JSON.stringify(toJson(report, { validateOnly: false }), null, 2) + '\n');
      } catch (error: unknown) {
        throw new UsageError(`--report: cannot write the JSON report to "${args.raw.report}" (${options.reportPath}): ${getErrorMessage(error)}. Set --report to a writable file path.`);
      }
    }
    if (options.sarifPath) writeSarifFile(report, { ...options, sarifPath: options.sarifPath });
    // JSON and SARIF keep their values exactly (inertJson escapes inside strings); the github format is our own
    // commands, whose data and properties workflowCommand escapes.
    if (args.format === 'json') out.raw(inertJson(JSON.stringify(toJson(report, { validateOnly }))) + '\n');
    else if (args.format === 'sarif') out.raw(inertJson(JSON.stringify(sarifLog(report, options), null, 2)) + '\n');
    else if (args.format === 'github') for (const a of annotationsFor(report, options.failMode)) out.raw(workflowCommand(a) + '\n');
    else out.write(toText(report, { color: Boolean((stdout as NodeJS.WriteStream).isTTY) && !process.env.NO_COLOR, validateOnly, details: args.verbose }));
    // A request that does not fit the database (`--to` naming no pending migration, a ledger operation's
    // file) is a usage error, found only once the ledger was read.
    return report.databases.some((d) => d.failure?.kind === 'usage') ? 2 : report.exitCode;
  } catch (error: unknown) {
    err.write(`d1-migrate: ${getErrorMessage(error)}\n`);
    return 2;
  }
}
