/**
 * Hardening, issue 6 item 1: a table-driven bad-input suite. Every row (cases.ts) builds a fixed project in
 * a temp directory, runs the CLI entry `main(argv, baseDir, out, err)` in-process with string-collecting
 * streams, and asserts the exact outcome: exit status (0 ok / 1 findings / 2 usage or config error), the
 * message for usage errors (naming the input or file, the value, and what is allowed or what exists), and
 * the exact findings (rule, file, line) otherwise. Valid-but-unusual inputs are also run through REAL
 * `wrangler d1 migrations apply DB --local` (4.86, the pinned devDependency; 4 runs in this file) and the
 * verdicts compared. A 10 MB migration runs through the bundled CLI in a child process with a hard time cap,
 * and a few rows run the bundled action (dist/index.js) the way the Actions runner does.
 *
 * ROWS THAT FAIL UNTIL A BUG IN src/ IS FIXED (the expectation written here is the correct one):
 *   B1 "rejects a timeout below the one second its message promises"
 *        src/options.ts parseOptions: `seconds <= 0` lets 0.0001 through (timeoutMs rounds to 0).
 *   B2 "rejects a working directory that does not exist instead of searching the parent for a config"
 *        src/config/find-config.ts findConfig: cwd is never checked, so the search walks up from a missing
 *        directory and can pick up a parent's wrangler.toml (the error then blames migrations_dir).
 *   B3 "rejects an environment name wrangler cannot take, naming the --env flag the user typed"
 *        src/options.ts label(): prints --environment / --working-directory, flags the CLI does not have.
 *   B4 "names --report and the path when the JSON report cannot be written"
 *        src/cli/main.ts: writeFileSync(options.reportPath) error surfaces as a bare ENOENT/ENOTDIR.
 *   B5 "rejects a d1_databases entry without a binding, saying the key is missing"
 *        src/config/read-config.ts describe(undefined) renders "undefined undefined".
 *   B6 "finds statement-too-large in a 10 MB migration within seconds"
 *        src/replay/statements.ts: SqlText.hasByte scans to the end of the file and prepare() passes a
 *        length without the NUL terminator, so SQLite copies the rest of the file per statement:
 *        quadratic, ~190 s for 10 MB. (Runs dist/cli: passes once src is fixed AND dist rebuilt.)
 */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { DIST_CLI, runAction } from '../support/action-runner.js';
import { wranglerApplyLocal } from '../support/wrangler-local.js';
import { buildProject, CREATED, CONFIG_CASES, FILE_CASES, INPUT_CASES, MIG1, tenMegabytes, type CliCase, type JsonDoc } from './cases.js';

class Sink {
  text = '';
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }
}

async function runMain(argv: string[], baseDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new Sink();
  const err = new Sink();
  const code = await main(argv, baseDir, out as unknown as typeof process.stdout, err as unknown as typeof process.stderr);
  return { code, stdout: out.text, stderr: err.text };
}

function findingKeys(doc: JsonDoc): string[] {
  return doc.databases.flatMap((d) => d.findings.map((f) => `${f.rule} ${f.file ?? '-'}:${f.line ?? '-'}`)).sort();
}

async function runRow(c: CliCase): Promise<void> {
  const dir = buildProject(c);
  const argv = typeof c.argv === 'function' ? c.argv(dir) : [...c.argv];
  if (!argv.includes('--format')) argv.push('--format', 'json');
  const r = await runMain(argv, dir);
  const context = `argv: ${JSON.stringify(argv)}\nstdout: ${r.stdout.slice(0, 2000)}\nstderr: ${r.stderr.slice(0, 2000)}`;

  if (c.exit === 2) {
    expect({ code: r.code, stdout: r.stdout, context }).toEqual({ code: 2, stdout: '', context });
    // One clear line of text, never a stack trace.
    expect(r.stderr).toMatch(/^d1-migrate: /);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
    for (const re of typeof c.error === 'function' ? c.error(dir) : c.error ?? []) expect(r.stderr).toMatch(re);
    return;
  }

  expect({ code: r.code, context }).toEqual({ code: c.exit, context });
  expect(r.stderr).not.toMatch(/^d1-migrate: /m);
  for (const re of c.stdout ?? []) expect(r.stdout).toMatch(re);
  if (argv[argv.indexOf('--format') + 1] === 'json') {
    const doc = JSON.parse(r.stdout) as JsonDoc;
    expect(doc.status).toBe(c.exit === 0 ? 'valid' : 'invalid');
    if (c.findings) expect(findingKeys(doc)).toEqual([...c.findings].sort());
    if (c.findingMessage && c.findings?.length) {
      const [rule, where] = c.findings[0]!.split(' ');
      const f = doc.databases.flatMap((d) => d.findings).find((x) => x.rule === rule && `${x.file}:${x.line}` === where);
      for (const re of c.findingMessage) expect(f?.message).toMatch(re);
    }
    c.check?.(doc, dir);
  }

  if (c.wrangler) {
    // Same project, same files: real wrangler's local apply is the ground truth for the verdict.
    const w = await wranglerApplyLocal(dir, 'DB');
    const wranglerOutput = (w.stdout + w.stderr).slice(-3000);
    expect({ wranglerSucceeded: w.exitCode === 0, ourVerdictValid: r.code === 0, wranglerOutput }).toEqual({
      wranglerSucceeded: c.exit === 0,
      ourVerdictValid: c.exit === 0,
      wranglerOutput,
    });
    if (c.wrangler.failedMigration) expect(w.failedMigration).toBe(c.wrangler.failedMigration);
  }
}

function table(title: string, rows: CliCase[]): void {
  describe(title, () => {
    for (const c of rows) {
      const name = c.bug ? `${c.name} [bug ${c.bug}]` : c.name;
      if (c.skip) test.skip(name, () => undefined);
      else test(name, () => runRow(c), c.timeoutMs ?? (c.wrangler ? 120_000 : 60_000));
    }
  });
}

afterAll(() => {
  for (const dir of CREATED.splice(0)) rmSync(dir, { recursive: true, force: true });
});

table('bad input values: the CLI exits 2 naming the input, the value and what is allowed', INPUT_CASES);
table('config files: broken or unusual wrangler configs', CONFIG_CASES);
table('migration files: contents, encodings, line endings, odd entries and names', FILE_CASES);

describe('a 10 MB migration (bundled CLI in a child process; a kill after 120 s only guards against a hang)', () => {
  test(
    'finds statement-too-large in a 10 MB migration (once quadratic: bug B6)',
    async () => {
      const dir = buildProject({ files: { 'migrations/0002_big.sql': tenMegabytes() } });
      const r = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, [DIST_CLI, 'validate', '--format', 'json'], { cwd: dir, timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
          resolve({ code: child.exitCode, signal: child.signalCode ?? (error as { signal?: string } | null)?.signal ?? null, stdout, stderr }),
        );
      });
      // SIGKILL: the CLI traps SIGTERM in JS, which cannot run while the replay loop holds the thread.
      expect(r.signal).toBeNull();
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.stdout) as JsonDoc;
      expect(findingKeys(doc)).toEqual(['statement-too-large migrations/0002_big.sql:1']);
      expect(doc.databases[0]!.findings[0]!.message).toMatch(/over D1's limit of 100,000 bytes/);
    },
    150_000,
  );
});

describe('the bundled action fails the step with a clear ::error:: (phases validate, comment off)', () => {
  const base = { phases: 'validate', comment: 'off' };

  test('fails on an unknown comment mode naming the input and the allowed values', async () => {
    const dir = buildProject({});
    const r = await runAction({ ...base, 'working-directory': dir, comment: 'sometimes' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`::error::Invalid input 'comment': "sometimes". Allowed values: auto, off.`);
    expect(r.outputs.status).toBe('failed');
  });

  test('fails on a phase list with one unknown entry naming the entry and the allowed phases', async () => {
    const dir = buildProject({});
    const r = await runAction({ ...base, 'working-directory': dir, phases: 'validate,nope' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`::error::Invalid input 'phases': unknown phase "nope" in "validate,nope". Allowed phases: validate, preview, apply, history, test, restore, drift, baseline, unlock.`);
    expect(r.outputs.status).toBe('failed');
  });

  test('fails on persist-to with the default remote target of the action', async () => {
    const dir = buildProject({});
    const r = await runAction({ ...base, 'working-directory': dir, 'persist-to': '.state' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`::error::input 'persist-to' is only used with target local (got target "remote").`);
    expect(r.outputs.status).toBe('failed');
  });

  test('fails on a database that is not in the config, listing the bindings that exist', async () => {
    const dir = buildProject({});
    const r = await runAction({ ...base, 'working-directory': dir, database: 'PROD_DB' });
    expect(r.code).toBe(1);
    const error = r.annotations.find((a) => a.level === 'error');
    expect(error?.message).toMatch(/database: "PROD_DB" is not a D1 binding or database_name .*Available: binding "DB" \(database_name "test-db"\)/);
    expect(r.outputs.status).toBe('failed');
  });

  test('fails on malformed JSONC naming the file, line and column', async () => {
    const dir = buildProject({ files: { 'wrangler.toml': null, 'wrangler.jsonc': '{\n  "d1_databases": [\n    { "binding": "DB" ]\n}\n' } });
    const r = await runAction({ ...base, 'working-directory': dir });
    expect(r.code).toBe(1);
    const error = r.annotations.find((a) => a.level === 'error');
    expect(error?.message).toMatch(new RegExp(`config: ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/wrangler\\.jsonc:3:\\d+: invalid JSONC: `));
    expect(r.outputs.status).toBe('failed');
  });

  test('warns about an empty migration with an annotation on its file and line, and does not fail', async () => {
    const dir = buildProject({ files: { 'migrations/0002_empty.sql': '' } });
    const r = await runAction({ ...base, 'working-directory': dir });
    expect(r.code).toBe(0);
    expect(r.outputs.errors).toBe('0');
    expect(r.outputs.warnings).toBe('1');
    const annotations = r.annotations.filter((a) => a.props.title);
    expect(annotations.map((a) => [a.level, a.props.title, a.props.file, a.props.line])).toEqual([['warning', 'empty-migration', 'migrations/0002_empty.sql', '1']]);
    expect(r.stdout).not.toMatch(/^::error::/m);
  });

  test('fails a file name with a single quote as wrangler would, naming the file', async () => {
    const dir = buildProject({ files: { "migrations/0002_it's.sql": MIG1.replace(' a ', ' q ') } });
    writeFileSync(join(dir, 'migrations', 'README.md'), '# notes\n');
    const r = await runAction({ ...base, 'working-directory': dir });
    expect(r.code).toBe(1);
    expect(r.outputs.status).toBe('invalid');
    const replay = r.annotations.filter((a) => a.props.title === 'replay-error');
    expect(replay.map((a) => [a.props.file, a.props.line])).toEqual([["migrations/0002_it's.sql", '1']]);
    expect(replay[0]!.message).toMatch(/contains a '/);
  });
});
