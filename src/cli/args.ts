import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';
import type { RawInputs } from '../options.js';

export const COMMANDS = [
  'validate',
  'preview',
  'apply',
  'history',
  'run',
  'restore',
  'test',
  'drift',
  'baseline',
  'mark-applied',
  'rename-applied',
  'unlock',
  'rules',
  'new',
  'help',
  'version',
] as const;
export type Command = (typeof COMMANDS)[number];
export type Format = 'text' | 'json' | 'github' | 'sarif';
const FORMATS: readonly Format[] = ['text', 'json', 'github', 'sarif'];

export interface CliArgs {
  command: Command;
  raw: RawInputs;
  format: Format;
  verbose: boolean;
  positionals: string[];
  /** `--since <ref>`: judge only the migrations changed since this git ref (CLI only). */
  since?: string;
}

/** Flags mirror the action's inputs one to one, so a CI step and a laptop run read the same. */
const FLAG_TO_INPUT = {
  cwd: 'working-directory',
  config: 'config',
  env: 'environment',
  database: 'database',
  'migrations-dir': 'migrations-dir',
  phases: 'phases',
  target: 'target',
  'fail-mode': 'fail-mode',
  numbering: 'numbering',
  'disable-rules': 'disable-rules',
  wrangler: 'wrangler',
  'persist-to': 'persist-to',
  'cache-dir': 'cache-dir',
  bookmark: 'bookmark',
  report: 'report',
  sarif: 'sarif',
  timeout: 'timeout',
  to: 'to',
} as const;

export function parseCli(argv: string[]): CliArgs {
  const [first, ...rest] = argv;
  if (!first || first === '--help' || first === '-h') return { command: 'help', raw: {}, format: 'text', verbose: false, positionals: [] };
  if (first === '--version' || first === '-V') return { command: 'version', raw: {}, format: 'text', verbose: false, positionals: [] };
  if (!COMMANDS.includes(first as Command)) {
    throw new UsageError(`Unknown command "${first}". Commands: ${COMMANDS.join(', ')}.`);
  }
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {
    format: { type: 'string' },
    verbose: { type: 'boolean', short: 'v' },
    'rollback-on-failure': { type: 'boolean' },
    'no-data-check': { type: 'boolean' },
    force: { type: 'boolean' },
    'no-ledger-state': { type: 'boolean' },
    since: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'V' },
  };
  for (const flag of Object.keys(FLAG_TO_INPUT)) options[flag] = { type: 'string', multiple: flag === 'env' };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (error: unknown) {
    throw new UsageError(`${(error as Error).message}. Run "d1-migrate help" for the flags.`);
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (values.help) return { command: 'help', raw: {}, format: 'text', verbose: false, positionals: [] };
  if (values.version) return { command: 'version', raw: {}, format: 'text', verbose: false, positionals: [] };
  const raw: RawInputs = {};
  for (const [flag, input] of Object.entries(FLAG_TO_INPUT)) {
    const v = values[flag];
    if (v === undefined) continue;
    raw[input] = Array.isArray(v) ? v.join(',') : String(v);
  }
  if (values['rollback-on-failure']) raw['rollback-on-failure'] = 'true';
  if (values['no-data-check']) raw['data-check'] = 'false';
  if (values.force) raw.force = 'true';
  if (values['no-ledger-state']) raw['ledger-state'] = 'false';
  const format = (values.format as string | undefined) ?? 'text';
  if (!FORMATS.includes(format as Format)) {
    throw new UsageError(`Invalid --format: "${format}". Allowed values: ${FORMATS.join(', ')}.`);
  }
  const since = values.since as string | undefined;
  return {
    command: first as Command,
    raw,
    format: format as Format,
    verbose: Boolean(values.verbose),
    positionals: parsed.positionals,
    ...(since !== undefined ? { since } : {}),
  };
}

export const HELP = `d1-migrate — validate, preview, apply and audit Cloudflare D1 migrations (the engine of d1-migrate-action)

Usage: d1-migrate <command> [flags]

Commands:
  validate   check migration files: naming, SQL rules, replay on a D1-like SQLite (no network, no credentials)
  preview    list applied and pending migrations of the target database
  apply      validate, then apply pending migrations with wrangler
  history    show the migrations ledger
  run        the action's job: validate, preview, apply, history (or --phases)
  test       apply everything to a throw-away local D1 and list the schema
  restore    restore a remote database to a Time Travel --bookmark
  rules      list every rule id, its severity (after .d1-migrate.toml and flags) and rationale

Ledger operations (each runs alone; rows written exactly as wrangler writes them; see README "Ledger operations"):
  baseline --to M [--force]      record every migration up to and including M as applied without running
                                 them, on a database that already has that schema (refused when the live
                                 schema or the ledger disagrees; --force records despite schema differences)
  mark-applied M [--force]       record one pending migration as applied without running it (same checks);
                                 on an applied one whose file changed, --force accepts the edit
  rename-applied OLD NEW         move the ledger record of a renamed applied file to its new name (the fix
                                 for applied-file-missing after a deliberate rename)
  unlock                         remove the apply lock a killed run left behind
  new        create the next migration file: d1-migrate new "add jobs table"
  version    print the version (also --version, -V)

Flags (same meaning as the action inputs):
  --cwd DIR               working directory (default .)
  --config FILE           wrangler.json|jsonc|toml (default: found the way wrangler finds it)
  --env NAME[,NAME]       wrangler environment(s), processed in order
  --database NAME|all     binding or database_name (default: the only D1 binding)
  --migrations-dir DIR    override migrations_dir
  --target local|remote   CLI default: local (safe on a laptop); the action defaults to remote
  --fail-mode MODE        strict | skip-unavailable | warn
  --numbering MODE        sequential | unique | off
  --disable-rules a,b     rule ids to turn off
  --no-data-check         skip running each migration on synthetic rows (rows-lost, fails-with-data)
  --cache-dir DIR         keep the replay of unchanged migrations in DIR (outside the checkout) and
                          replay only the files after them next time
  --since REF             judge only the migrations changed since the git REF (e.g. origin/main, for a
                          pre-push hook); findings in the others are informational
  --phases a,b            for run: validate,preview,apply,history,test
  --persist-to DIR        local D1 state directory (target local)
  --wrangler CMD          how to run wrangler (default: the project's, else npx wrangler@4)
  --to MIGRATION          apply/run: apply the pending migrations up to and including MIGRATION (a file
                          name, or its number when unique), nothing after; baseline: the last one to record
  --no-ledger-state       no state table: no applied-file checksums, no apply lock (docs/ledger.md)
  --bookmark ID           for restore
  --rollback-on-failure   restore the Time Travel bookmark when apply fails midway
  --report FILE           also write the JSON report to FILE
  --sarif FILE.sarif      also write the findings as SARIF 2.1.0 (code scanning) to FILE
  --timeout SECONDS       per wrangler call (default 600)
  --format text|json|github|sarif
  -v, --verbose

Exit status: 0 no errors, 1 errors found or a phase failed, 2 usage or config error.
`;
