import { runEngine } from '../engine.js';
import { getErrorMessage, UsageError } from '../errors.js';
import { parseOptions } from '../options.js';
import { annotationsFor, workflowCommand } from '../report/annotations.js';
import { toJson } from '../report/json.js';
import { toText } from '../report/text.js';
import { RULES, ruleDocsUrl } from '../rule-catalog.js';
import type { EngineIO, Phase } from '../types.js';
import { HELP, parseCli, type Command } from './args.js';
import { newMigration } from './new-migration.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const COMMAND_PHASES: Partial<Record<Command, Phase[]>> = {
  validate: ['validate'],
  preview: ['preview'],
  apply: ['apply'],
  history: ['history'],
  test: ['validate', 'test'],
  restore: ['restore'],
  drift: ['drift'],
};

/** Runs one CLI command; returns the exit status (0 ok, 1 findings/failure, 2 usage or config error). */
export async function main(argv: string[], baseDir: string, out = process.stdout, err = process.stderr): Promise<number> {
  try {
    const args = parseCli(argv);
    if (args.command === 'help') {
      out.write(HELP);
      return 0;
    }
    if (args.command === 'rules') {
      out.write(args.format === 'json' ? JSON.stringify(RULES.map((r) => ({ ...r, docs: ruleDocsUrl(r.id) })), null, 2) + '\n' : rulesText());
      return 0;
    }
    if (args.command === 'new') {
      const created = newMigration({ raw: args.raw, baseDir, description: args.positionals.join(' ') });
      out.write(args.format === 'json' ? JSON.stringify(created) + '\n' : `created ${created.file}\n`);
      return 0;
    }
    const raw = { ...args.raw };
    if (!raw.target) raw.target = 'local';
    if (args.command !== 'run') {
      if (raw.phases) throw new UsageError(`--phases is only for "run"; "${args.command}" runs its own phase.`);
      raw.phases = COMMAND_PHASES[args.command]!.join(',');
    }
    const options = parseOptions(raw, { baseDir, source: 'cli' });
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
      report = await runEngine({ options, io, signal: controller.signal });
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
    if (args.format === 'json') out.write(JSON.stringify(toJson(report, { validateOnly })) + '\n');
    else if (args.format === 'github') for (const a of annotationsFor(report, options.failMode)) out.write(workflowCommand(a) + '\n');
    else out.write(toText(report, { color: Boolean((out as NodeJS.WriteStream).isTTY) && !process.env.NO_COLOR, validateOnly }));
    return report.failed ? 1 : 0;
  } catch (error: unknown) {
    err.write(`d1-migrate: ${getErrorMessage(error)}\n`);
    return 2;
  }
}

function rulesText(): string {
  const width = Math.max(...RULES.map((r) => r.id.length));
  return RULES.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.summary}\n${' '.repeat(width + 11)}${ruleDocsUrl(r.id)}`).join('\n') + '\n';
}
