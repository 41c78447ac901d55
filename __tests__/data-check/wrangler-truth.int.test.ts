/**
 * Ground truth for the replay's data check, from REAL wrangler 4.86 and local D1 (workerd):
 *   1. apply the setup migrations, run the seed with `wrangler d1 execute --local` and snapshot every table;
 *   2. add the migration, apply again, and snapshot again;
 *   3. "lost" by the definition in truth.ts (the engine's): a pre-existing table the migration does not
 *      DELETE from / UPDATE / upsert lost rows if, not dropped or renamed away, a row vanished or changed in a
 *      column kept; or, dropped or renamed away and its rows copied, the re-created table has fewer rows.
 *      "fails" = wrangler's apply exits non-zero (and, checked on a fresh database, the same files apply
 *      when no rows are present).
 * The fixtures' `expect` must equal the ground truth, and `replayMigrations({ dataCheck: true })` must
 * predict exactly the same. Offline: local D1 only.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayMigrations } from '../../src/replay/index.js';
import type { Finding } from '../../src/types.js';
import { mfiles } from '../replay/files.js';
import { createLocalProject } from '../support/wrangler-local.js';
import { BOUNDARY_CASES } from './boundary-fixtures.js';
import { DATA_CHECK_CASES, type DataCheckCase } from './fixtures.js';
import { applyToSeeded, migrationFacts, seedProject, tablesOf, type Seeded, type Tables, type Truth } from './truth.js';

const MIGRATIONS_TABLE = 'd1_migrations';

/**
 * Cases with the same setup files and seed start from the same rows: those are applied and seeded once (2
 * wrangler runs), and each case works on a copy of that project, local D1 state included (1-2 runs more).
 */
const seededProjects = new Map<string, Promise<{ dir: string; seeded: Seeded }>>();
afterAll(async () => {
  for (const p of seededProjects.values()) rmSync((await p).dir, { recursive: true, force: true });
});

function seededProject(c: DataCheckCase): Promise<{ dir: string; seeded: Seeded }> {
  const key = JSON.stringify([c.setup, c.seed]);
  let p = seededProjects.get(key);
  if (!p) {
    p = (async () => {
      const dir = createLocalProject({ files: Object.fromEntries(c.setup.map(([n, s]) => [`migrations/${n}`, s])), binding: 'DB' });
      const before = tablesOf((await replayMigrations({ files: mfiles(...c.setup), migrationsTable: MIGRATIONS_TABLE })).schema);
      const seeded = await seedProject({ project: { dir, binding: 'DB', migrationsDir: 'migrations' }, seed: c.seed, before, migrationName: c.migration[0] });
      return { dir, seeded };
    })();
    seededProjects.set(key, p);
  }
  return p;
}

async function truthFor(c: DataCheckCase, after: Tables): Promise<Truth> {
  const template = await seededProject(c);
  const dir = mkdtempSync(join(tmpdir(), 'd1-migrate-truth-'));
  cpSync(template.dir, dir, { recursive: true });
  try {
    const truth = await applyToSeeded({ dir, binding: 'DB', migrationsDir: 'migrations' }, template.seeded, {
      after,
      migration: { name: c.migration[0], sql: c.migration[1] },
      checkEmpty: true,
    });
    for (const [t, n] of truth.seededRows) if (n < 2) throw new Error(`${c.id}: seed leaves ${n} row(s) in ${t} (need >= 2)`);
    return truth;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type DataFinding = Finding & { table?: string };
const summary: string[] = [];

afterAll(() => {
  const all = [...DATA_CHECK_CASES, ...BOUNDARY_CASES];
  summary.sort((a, b) => all.findIndex((c) => a.startsWith(`| ${c.id} |`)) - all.findIndex((c) => b.startsWith(`| ${c.id} |`)));
  console.log(['| case | wrangler: lost | wrangler: fails | changed but excluded | replay: lost | replay: fails |', '|---|---|---|---|---|---|', ...summary].join('\n'));
});

/** One case: real wrangler with the seed's rows proves the fixture, and the replay's data check predicts it. */
async function checkCase(c: DataCheckCase): Promise<void> {
  const input = { files: mfiles(...c.setup, c.migration), migrationsTable: MIGRATIONS_TABLE, dataCheck: true };
  const replay = await replayMigrations(input);
  const truth = await truthFor(c, tablesOf(replay.schema));
  const row = [c.id, truth.lost.join(', ') || '—', String(truth.fails), truth.excluded.join(', ') || '—'];

  // 1. Ground truth proves the fixture.
  const context = `${c.id}: ${c.description}\n--- wrangler output ---\n${truth.output}`;
  expect({ context, lost: truth.lost, fails: truth.fails }).toEqual({ context, lost: c.expect.lost, fails: c.expect.fails });
  if (c.expect.error) expect(truth.output).toContain(c.expect.error);

  // 2. The replay's data check predicts it.
  const data = replay.findings.filter((f) => f.rule === 'rows-lost' || f.rule === 'fails-with-data') as DataFinding[];
  const migrationFile = `migrations/${c.migration[0]}`;
  const onMigration = data.filter((f) => f.file === migrationFile);
  const predictedLost = [...new Set(onMigration.filter((f) => f.rule === 'rows-lost').map((f) => f.table ?? '?'))].sort();
  const failsWithData = onMigration.filter((f) => f.rule === 'fails-with-data');
  summary.push(`| ${[...row, predictedLost.join(', ') || '—', String(failsWithData.length > 0)].join(' | ')} |`);

  const replayContext = `${c.id}: replay findings\n${JSON.stringify(replay.findings, null, 2)}\nnotes:\n${replay.notes.join('\n')}`;
  expect({ replayContext, blocking: replay.findings.filter((f) => f.rule === 'sql-syntax' || f.rule === 'replay-error'), failedAt: replay.failedAt ?? null }).toEqual({
    replayContext,
    blocking: [],
    failedAt: null,
  });
  expect({ replayContext, lost: predictedLost, fails: failsWithData.length > 0, onSetup: data.filter((f) => f.file !== migrationFile) }).toEqual({
    replayContext,
    lost: truth.lost,
    fails: truth.fails,
    onSetup: [],
  });
  for (const f of onMigration) expect(f.severity).toBe('error');

  // 3. A rebuild is reported as kept (one folded warning, rules/fold.ts) exactly when wrangler kept every row
  // and nothing failed: the tables the migration drops or renames away, copies and creates again.
  const facts = migrationFacts(c.migration[1]);
  const afterTables = new Set(tablesOf(replay.schema).all.map((t) => t.toLowerCase()));
  const rebuilt = [...facts.removed].filter((t) => facts.copied.has(t) && truth.seededRows.has(t) && afterTables.has(t)).sort();
  const kept = (replay.keptRebuilds ?? []).filter((k) => k.file === migrationFile).map((k) => k.table.toLowerCase()).sort();
  expect({ replayContext, kept }).toEqual({ replayContext, kept: truth.lost.length === 0 && !truth.fails ? rebuilt : [] });
  if (c.expect.error) expect(failsWithData.map((f) => f.message).join('\n')).toContain(c.expect.error);
  if (c.expect.fill) expect(failsWithData.map((f) => f.message).join('\n')).toContain(`Fails once ${/^UNIQUE/.test(c.expect.error ?? '') ? 'rows hold' : 'a row holds'} ${c.expect.fill},`);
}

// Each case has its own project and local database, so they run side by side (jest's maxConcurrency).
describe('data check cases', () => {
  test.concurrent.each([...DATA_CHECK_CASES, ...BOUNDARY_CASES])('$id: real wrangler matches the fixture, and the replay data check predicts it', (c) => checkCase(c));
});
