/**
 * The data check (`rows-lost`, `fails-with-data`) on REAL-WORLD migration sets (../shared/corpus), against
 * REAL wrangler 4.86 and local D1:
 *   - every set is replayed with `dataCheck: true`; the files checked are those with a data finding (or
 *     whose data check was skipped), those a static rule (drop-referenced-table) says fail with data, then
 *     table rebuilds and other files with DROP TABLE / RENAME TO, round-robin over the sets, up to
 *     CORPUS_TRUTH_LIMIT (default 12, `all` for every candidate) — files with findings always;
 *   - for each such file F, the replay dumps the rows its data check holds just before F (`dumpDataBefore`);
 *     wrangler applies the files before F, `d1 execute --file` puts the same rows in, every table is
 *     snapshotted, F is applied, and truth.ts derives what was lost (the rows-lost definition) and whether
 *     F failed;
 *   - the data check's findings on F must match exactly: rows-lost tables == lost tables; fails-with-data iff
 *     wrangler failed, quoting the SQLite message wrangler printed.
 * Every data finding in the corpus is verified (none is left on a file not checked). Offline: local D1 only.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { replayMigrations } from '../../src/replay/index.js';
import type { Finding, MigrationFile } from '../../src/types.js';
import type { ReplayResult } from '../../src/replay/types.js';
import { createLocalProject } from '../support/wrangler-local.js';
import { groundTruth, quotedError, tablesOf, wranglerFiles } from './truth.js';

const corpus = resolve(process.cwd(), '../shared/corpus');
const MIGRATIONS_TABLE = 'd1_migrations';
const LIMIT = process.env.CORPUS_TRUTH_LIMIT === 'all' ? Infinity : Number(process.env.CORPUS_TRUTH_LIMIT ?? 12);

interface CorpusSet {
  set: string;
  /** The set's own config, copied; a minimal wrangler.toml for `binding` otherwise. */
  config?: string;
  binding: string;
  env?: string;
  migrationsDir: string;
}

const SETS: CorpusSet[] = [
  // wrangler 4 rejects wildebeest's own config (node_compat), so it gets a minimal one.
  { set: 'cloudflare__wildebeest', binding: 'DATABASE', migrationsDir: 'migrations' },
  { set: 'cloudflare__templates__d1-template', config: 'wrangler.json', binding: 'DB', migrationsDir: 'migrations' },
  { set: 'cloudflare__templates__saas-admin-template', config: 'wrangler.jsonc', binding: 'DB', migrationsDir: 'migrations' },
  { set: 'beilunyang__moemail', config: 'wrangler.toml', binding: 'DB', migrationsDir: 'drizzle' },
  { set: 'redwoodjs__sdk__experiments-billable', config: 'wrangler.toml', binding: 'DB', migrationsDir: 'migrations' },
  { set: 'storacha__w3up__access-api', config: 'wrangler.toml', binding: '__D1_BETA__', migrationsDir: 'migrations' },
  { set: 'zpg6__better-auth-cloudflare__examples-hono', config: 'wrangler.toml', binding: 'DATABASE', migrationsDir: 'drizzle' },
  { set: 'funvill__cultural-archiver__workers-ab6b4f0', config: 'wrangler.toml', binding: 'DB', env: 'production', migrationsDir: 'migrations' },
];

type DataFinding = Finding & { table?: string };
const isData = (f: Finding) => f.rule === 'rows-lost' || f.rule === 'fails-with-data';

// ---- which files to check ------------------------------------------------------------------------------

interface Replayed {
  s: CorpusSet;
  files: MigrationFile[];
  replay: ReplayResult;
}

interface Chosen {
  id: string;
  s: CorpusSet;
  files: MigrationFile[];
  file: MigrationFile;
  why: string;
}

const replayed: Replayed[] = [];
for (const s of SETS) {
  const files = wranglerFiles(join(corpus, s.set), s.migrationsDir);
  replayed.push({ s, files, replay: await replayMigrations({ files, migrationsTable: MIGRATIONS_TABLE, dataCheck: true }) });
}

/**
 * Files worth checking that the tiers below would not pick: wildebeest 0009 inserts rows into a table whose
 * triggers keep an FTS5 index up to date (the index's shadow tables are rewritten: not data loss).
 */
const ALWAYS = new Map([['cloudflare__wildebeest/migrations/0009_add_admin.sql', 'DML firing FTS5 triggers (shadow tables rewritten)']]);

const noComments = (sql: string) => sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
const tiers: Chosen[][] = [[], [], [], []];
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
    // A file whose data check faulted has no findings to trust: check it against wrangler too.
    if (ALWAYS.has(id)) tiers[0]!.push(c(ALWAYS.get(id)!));
    else if (skippedNote) tiers[0]!.push(c(`data check skipped (${skippedNote.slice(skippedNote.indexOf(':') + 2)})`));
    else if (data.length) tiers[0]!.push(c(`data findings: ${data.map((f) => `${f.rule}${(f as DataFinding).table ? ` ${(f as DataFinding).table}` : ''}`).join(', ')}`));
    else if (drops.length) tiers[1]!.push(c(`static drop-referenced-table finding`));
    else if (rebuild) tiers[2]!.push(c('table rebuild (DROP/RENAME + INSERT … SELECT)'));
    else if (dropOrRename) tiers[3]!.push(c('DROP TABLE / RENAME TO'));
  }
}

/** Round-robin over the sets, so a set with many rebuilds does not crowd out the others. */
function interleave(list: Chosen[]): Chosen[] {
  const bySet = new Map<string, Chosen[]>();
  for (const c of list) bySet.set(c.s.set, [...(bySet.get(c.s.set) ?? []), c]);
  const out: Chosen[] = [];
  for (let round = 0; out.length < list.length; round++) for (const group of bySet.values()) if (group[round]) out.push(group[round]!);
  return out;
}

// Files with data findings always; the rest up to the limit.
const CHOSEN: Chosen[] = [...tiers[0]!];
for (const c of [...tiers[1]!, ...interleave(tiers[2]!), ...interleave(tiers[3]!)]) if (CHOSEN.length < LIMIT) CHOSEN.push(c);
const skipped = [...tiers[1]!, ...tiers[2]!, ...tiers[3]!].filter((c) => !CHOSEN.includes(c));
console.log(
  [
    `corpus-truth: checking ${CHOSEN.length} file(s) against wrangler (CORPUS_TRUTH_LIMIT=${LIMIT}):`,
    ...CHOSEN.map((c) => `  ✔ ${c.id} — ${c.why}`),
    ...(skipped.length ? [`not checked (over the limit):`, ...skipped.map((c) => `  · ${c.id} — ${c.why}`)] : []),
  ].join('\n'),
);

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

describe('corpus replay with the data check', () => {
  test.each(replayed.map((r) => [r.s.set, r] as const))('%s replays cleanly', (_set, r) => {
    const blocking = r.replay.findings.filter((f) => f.rule === 'sql-syntax' || f.rule === 'replay-error');
    expect({ blocking, failedAt: r.replay.failedAt ?? null }).toEqual({ blocking: [], failedAt: null });
  });

  test('the data check ran on every file (no "Data check skipped" note)', () => {
    const skipped = replayed.flatMap((r) => r.replay.notes.filter((n) => n.startsWith('Data check skipped')).map((n) => `${r.s.set}: ${n}`));
    expect(skipped).toEqual([]);
  });

  test('every data finding is on a file checked against wrangler', () => {
    const checked = new Set(CHOSEN.map((c) => c.id));
    const unchecked = replayed.flatMap((r) => r.replay.findings.filter(isData).map((f) => ({ id: `${r.s.set}/${f.file}`, f }))).filter((x) => !checked.has(x.id));
    expect(unchecked).toEqual([]);
  });
});

describe.each(CHOSEN.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  test('the data check predicts what real wrangler does with the same rows', async () => {
    const { s, files, file } = c;
    const at = files.indexOf(file);
    const dump = await replayMigrations({ files, migrationsTable: MIGRATIONS_TABLE, dataCheck: true, dumpDataBefore: file.name });
    expect(typeof dump.dataSeed).toBe('string');
    const seed = dump.dataSeed ?? '';
    const onFile = dump.findings.filter((f) => isData(f) && f.file === file.relPath) as DataFinding[];
    const predictedLost = [...new Set(onFile.filter((f) => f.rule === 'rows-lost').map((f) => f.table ?? '?'))].sort();
    const failsWithData = onFile.filter((f) => f.rule === 'fails-with-data');

    const before = tablesOf((await replayMigrations({ files: files.slice(0, at), migrationsTable: MIGRATIONS_TABLE })).schema);
    const after = tablesOf((await replayMigrations({ files: files.slice(0, at + 1), migrationsTable: MIGRATIONS_TABLE })).schema);

    const src = join(corpus, s.set);
    const dir = createLocalProject({
      copy: s.config ? { [s.config]: join(src, s.config) } : {},
      files: Object.fromEntries(files.slice(0, at).map((f) => [f.relPath, f.sql])),
      binding: s.binding,
      migrationsDir: s.migrationsDir,
    });
    try {
      mkdirSync(join(dir, s.migrationsDir), { recursive: true });
      const truth = await groundTruth({
        project: { dir, binding: s.binding, env: s.env, migrationsDir: s.migrationsDir, migrationsTable: MIGRATIONS_TABLE },
        seed,
        before,
        after,
        migration: { name: file.name, sql: file.sql },
      });
      summary.push(
        `| ${c.id} | ${predictedLost.join(', ') || '—'} | ${failsWithData.length ? (quotedError(failsWithData[0]!.message) ?? 'yes') : '—'} | ${truth.lost.join(', ') || '—'} | ${truth.fails ? 'fails' : 'applies'} | ${truth.excluded.join(', ') || '—'} |`,
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
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
