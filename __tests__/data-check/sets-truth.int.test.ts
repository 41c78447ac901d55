/**
 * The data check (`rows-lost`, `fails-with-data`) on whole migration sets — the fixture sets always, the
 * real-world corpus when present — against REAL wrangler 4.86 and local D1:
 *   - every set is replayed with `dataCheck: true`; the files checked are those with a data finding (or
 *     whose data check was skipped) and those the set names (truthAlso), then those a static rule
 *     (drop-referenced-table) says fail with data, then table rebuilds and other files with DROP TABLE /
 *     RENAME TO, round-robin over the sets, up to TRUTH_LIMIT per source (default 12, `all` for every
 *     candidate; CORPUS_TRUTH_LIMIT is read too) — files with findings always;
 *   - for each such file F, the replay dumps the rows its data check holds just before F (`dumpDataBefore`);
 *     wrangler applies the files before F, `d1 execute --file` puts the same rows in, every table is
 *     snapshotted, F is applied, and truth.ts derives what was lost (the rows-lost definition) and whether
 *     F failed;
 *   - the data check's findings on F must match exactly: rows-lost tables == lost tables; fails-with-data iff
 *     wrangler failed, quoting the SQLite message wrangler printed.
 * Every data finding in a set is verified (none is left on a file not checked). Offline: local D1 only.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { replayMigrations } from '../../src/replay/index.js';
import type { Finding, MigrationFile } from '../../src/types.js';
import type { ReplayResult } from '../../src/replay/types.js';
import { CORPUS_DIR, describeCorpus } from '../support/corpus.js';
import { applyEnv, CORPUS_SETS, FIXTURE_SETS, FIXTURES_DIR, type SetSpec } from '../support/sets.js';
import { createLocalProject } from '../support/wrangler-local.js';
import { groundTruth, isBoundaryFailure, quotedError, tablesOf, wranglerFiles, type Truth } from './truth.js';

const MIGRATIONS_TABLE = 'd1_migrations';
const limitSetting = process.env.TRUTH_LIMIT ?? process.env.CORPUS_TRUTH_LIMIT;
const LIMIT = limitSetting === 'all' ? Infinity : Number(limitSetting ?? 12);

type DataFinding = Finding & { table?: string };
const isData = (f: Finding) => f.rule === 'rows-lost' || f.rule === 'fails-with-data';

// ---- which files to check ------------------------------------------------------------------------------

interface Replayed {
  s: SetSpec;
  files: MigrationFile[];
  replay: ReplayResult;
}

interface Chosen {
  id: string;
  s: SetSpec;
  files: MigrationFile[];
  file: MigrationFile;
  why: string;
}

async function replaySets(root: string, sets: SetSpec[]): Promise<Replayed[]> {
  const out: Replayed[] = [];
  for (const s of sets) {
    const files = wranglerFiles(join(root, s.set), s.migrationsDir);
    out.push({ s, files, replay: await replayMigrations({ files, migrationsTable: MIGRATIONS_TABLE, dataCheck: true }) });
  }
  return out;
}

const noComments = (sql: string) => sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');

/** Round-robin over the sets, so a set with many rebuilds does not crowd out the others. */
function interleave(list: Chosen[]): Chosen[] {
  const bySet = new Map<string, Chosen[]>();
  for (const c of list) bySet.set(c.s.set, [...(bySet.get(c.s.set) ?? []), c]);
  const out: Chosen[] = [];
  for (let round = 0; out.length < list.length; round++) {
    for (const group of bySet.values()) {
      const c = group[round];
      if (c) out.push(c);
    }
  }
  return out;
}

function choose(label: string, replayed: Replayed[]): Chosen[] {
  const tiers: [Chosen[], Chosen[], Chosen[], Chosen[]] = [[], [], [], []];
  for (const { s, files, replay } of replayed) {
    for (const file of files) {
      const on = replay.findings.filter((f) => f.file === file.relPath);
      const data = on.filter(isData);
      const skippedNote = replay.notes.find((n) => n.startsWith(`Data check skipped for ${file.name}:`));
      const drops = on.filter((f) => f.rule === 'drop-referenced-table');
      const sql = noComments(file.sql);
      const dropOrRename = /DROP\s+TABLE|RENAME\s+TO/i.test(file.sql);
      const rebuild = /DROP\s+TABLE|RENAME\s+TO/i.test(sql) && /INSERT\s[\s\S]*?\bSELECT\b/i.test(sql);
      const id = `${s.set}/${file.relPath}`;
      const c = (why: string): Chosen => ({ id, s, files, file, why });
      const also = s.truthAlso?.[file.relPath];
      // A file whose data check faulted has no findings to trust: check it against wrangler too.
      if (also) tiers[0].push(c(also));
      else if (skippedNote) tiers[0].push(c(`data check skipped (${skippedNote.slice(skippedNote.indexOf(':') + 2)})`));
      else if (data.length) tiers[0].push(c(`data findings: ${data.map((f) => `${f.rule}${(f as DataFinding).table ? ` ${(f as DataFinding).table}` : ''}`).join(', ')}`));
      else if (drops.length) tiers[1].push(c(`static drop-referenced-table finding`));
      else if (rebuild) tiers[2].push(c('table rebuild (DROP/RENAME + INSERT … SELECT)'));
      else if (dropOrRename) tiers[3].push(c('DROP TABLE / RENAME TO'));
    }
  }
  // Files with data findings always; the rest up to the limit.
  const chosen: Chosen[] = [...tiers[0]];
  for (const c of [...tiers[1], ...interleave(tiers[2]), ...interleave(tiers[3])]) if (chosen.length < LIMIT) chosen.push(c);
  const skipped = [...tiers[1], ...tiers[2], ...tiers[3]].filter((c) => !chosen.includes(c));
  console.log(
    [
      `${label}: checking ${chosen.length} file(s) against wrangler (TRUTH_LIMIT=${LIMIT}):`,
      ...chosen.map((c) => `  ✔ ${c.id} — ${c.why}`),
      ...(skipped.length ? [`not checked (over the limit):`, ...skipped.map((c) => `  · ${c.id} — ${c.why}`)] : []),
    ].join('\n'),
  );
  return chosen;
}

// ---- the tests -----------------------------------------------------------------------------------------

const summary: string[] = [];
afterAll(() => {
  console.log(
    [
      '| file | replay: rows-lost | replay: fails-with-data | wrangler: lost | wrangler: fails | changed but excluded |',
      '|---|---|---|---|---|---|',
      ...summary,
    ].join('\n'),
  );
});

/** The data check's prediction for `c.file` against what real wrangler does with the same rows. */
async function checkAgainstWrangler(root: string, c: Chosen): Promise<void> {
  const { s, files, file } = c;
  const at = files.indexOf(file);
  const dump = await replayMigrations({ files, migrationsTable: MIGRATIONS_TABLE, dataCheck: true, dumpDataBefore: file.name });
  expect(typeof dump.dataSeed).toBe('string');
  const seed = dump.dataSeed ?? '';
  const onFile = dump.findings.filter((f) => isData(f) && f.file === file.relPath) as DataFinding[];
  const predictedLost = [...new Set(onFile.filter((f) => f.rule === 'rows-lost').map((f) => f.table ?? '?'))].sort();
  // A failure that needs boundary values (NULL where a column allows it, ...) is checked in a second run
  // whose rows hold them (dump.dataFill); the first run has the rows as the data check filled them.
  const failsWithData = onFile.filter((f) => f.rule === 'fails-with-data' && !isBoundaryFailure(f.message));
  const boundary = onFile.filter((f) => f.rule === 'fails-with-data' && isBoundaryFailure(f.message));
  expect({ boundary: boundary.length, fill: dump.dataFill !== undefined }).toEqual({ boundary: boundary.length, fill: boundary.length > 0 });

  const before = tablesOf((await replayMigrations({ files: files.slice(0, at), migrationsTable: MIGRATIONS_TABLE })).schema);
  const after = tablesOf((await replayMigrations({ files: files.slice(0, at + 1), migrationsTable: MIGRATIONS_TABLE })).schema);

  const src = join(root, s.set);
  const env = s.ownConfigRejected ? undefined : applyEnv(s);
  const truthWith = async (rows: string): Promise<Truth> => {
    const dir = createLocalProject({
      // A set whose own config wrangler 4 rejects gets a minimal one for its binding and folder.
      copy: s.ownConfigRejected ? {} : { [s.config]: join(src, s.config) },
      files: Object.fromEntries(files.slice(0, at).map((f) => [f.relPath, f.sql])),
      binding: s.binding,
      migrationsDir: s.migrationsDir,
    });
    try {
      mkdirSync(join(dir, s.migrationsDir), { recursive: true });
      return await groundTruth({
        project: { dir, binding: s.binding, env, migrationsDir: s.migrationsDir, migrationsTable: MIGRATIONS_TABLE },
        seed: rows,
        before,
        after,
        migration: { name: file.name, sql: file.sql },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const truth = await truthWith(seed);
  summary.push(
    `| ${c.id} | ${predictedLost.join(', ') || '—'} | ${failsWithData[0] ? (quotedError(failsWithData[0].message) ?? 'yes') : '—'} | ${truth.lost.join(', ') || '—'} | ${truth.fails ? 'fails' : 'applies'} | ${truth.excluded.join(', ') || '—'} |`,
  );

  // The seed put exactly the data check's rows in (rows the migrations inserted themselves are skipped).
  const seedRows = new Map<string, number>();
  for (const m of seed.matchAll(/^INSERT OR IGNORE INTO "((?:[^"]|"")+)" /gm)) {
    const t = m[1]!.replace(/""/g, '"').toLowerCase();
    seedRows.set(t, (seedRows.get(t) ?? 0) + 1);
  }
  const realRows = Object.fromEntries([...seedRows.keys()].map((t) => [t, truth.seededRows.get(t)]));
  expect({ rowsAfterSeed: realRows }).toEqual({ rowsAfterSeed: Object.fromEntries(seedRows) });

  const context = `${c.id} (${c.why})\n--- data check findings on the file ---\n${JSON.stringify(onFile, null, 2)}\n--- wrangler ---\n${truth.output}`;
  expect({ context, lost: predictedLost, fails: failsWithData.length > 0 }).toEqual({ context, lost: truth.lost, fails: truth.fails });
  for (const f of failsWithData) {
    const quoted = quotedError(f.message);
    expect({ context, quoted: quoted !== undefined }).toEqual({ context, quoted: true });
    expect(truth.output).toContain(quoted);
  }
  const first = boundary[0];
  if (first) {
    const withFill = await truthWith(`${seed}\n${dump.dataFill ?? ''}`);
    summary.push(`| ${c.id} + ${(dump.dataFill ?? '').replace(/\n/g, ' ')} | — | ${quotedError(first.message) ?? 'yes'} | — | ${withFill.fails ? 'fails' : 'applies'} | — |`);
    const fillContext = `${c.id} with ${dump.dataFill}\n${first.message}\n--- wrangler ---\n${withFill.output}`;
    expect({ fillContext, fails: withFill.fails }).toEqual({ fillContext, fails: true });
    expect(withFill.output).toContain(quotedError(first.message));
  }
}

function truthTests(label: string, root: string, replayed: Replayed[]): void {
  const chosen = choose(label, replayed);

  test.each(replayed.map((r) => [r.s.set, r] as const))('%s replays cleanly', (_set, r) => {
    const blocking = r.replay.findings.filter((f) => f.rule === 'sql-syntax' || f.rule === 'replay-error');
    expect({ blocking, failedAt: r.replay.failedAt ?? null }).toEqual({ blocking: [], failedAt: null });
  });

  test('the data check ran on every file (no "Data check skipped" note)', () => {
    const skipped = replayed.flatMap((r) => r.replay.notes.filter((n) => n.startsWith('Data check skipped')).map((n) => `${r.s.set}: ${n}`));
    expect(skipped).toEqual([]);
  });

  test('every data finding is on a file checked against wrangler', () => {
    const checked = new Set(chosen.map((c) => c.id));
    const unchecked = replayed.flatMap((r) => r.replay.findings.filter(isData).map((f) => ({ id: `${r.s.set}/${f.file}`, f }))).filter((x) => !checked.has(x.id));
    expect(unchecked).toEqual([]);
  });

  // Each file gets its own project and local database, so they run side by side (jest's maxConcurrency).
  test.concurrent.each(chosen.map((c) => [c.id, c] as const))('%s: the data check predicts what real wrangler does with the same rows', (_id, c) => checkAgainstWrangler(root, c), 600_000);
}

const fixtureSets = await replaySets(FIXTURES_DIR, FIXTURE_SETS);
const corpusSets = CORPUS_DIR ? await replaySets(CORPUS_DIR, CORPUS_SETS) : [];

describe('fixture sets with the data check', () => truthTests('fixture sets', FIXTURES_DIR, fixtureSets));
describeCorpus('real-world sets with the data check', () => truthTests('corpus', CORPUS_DIR!, corpusSets));
