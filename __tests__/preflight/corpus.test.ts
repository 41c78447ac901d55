/**
 * The production preflight on REAL-WORLD migration sets (../shared/corpus), against what applying each file
 * really does: for every file F of every set, the migrations before F form the target (schema), holding the
 * rows the data check gives its tables just before F (at least two per table, constraints satisfied); the
 * preflight asks its questions of that database exactly as the request would, then F is applied to it the
 * way D1 runs a file (atomic, foreign keys on, `PRAGMA foreign_keys` ignored). In-process SQLite: fast.
 *
 *  - every question compiles on the live schema and is answered;
 *  - no false alarm: a `fails` count above 0 only where F really fails;
 *  - no silence: F failing on these rows is either answered by a `fails` count or said (a note why the
 *    preflight stopped, a question not answered);
 *  - every table F empties of rows without deleting from, updating or dropping it on purpose has a `lost`
 *    count of exactly the rows it lost.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deriveProbes } from '../../src/preflight/derive.js';
import { prepareRequest } from '../../src/preflight/request.js';
import { fileFacts } from '../../src/replay/data/file-facts.js';
import { replayMigrations, schemaOf } from '../../src/replay/replay.js';
import { readSchema, seedSchema } from '../../src/replay/schema.js';
import { loadSqlite, openD1Like, schemaDb, tryExec } from '../../src/replay/sqlite.js';
import { parseMigration } from '../../src/sql/split.js';
import { wranglerFiles } from '../support/wrangler-local.js';

const corpus = resolve(process.cwd(), '../shared/corpus');
const SETS: [string, string][] = [
  ['cloudflare__wildebeest', 'migrations'],
  ['cloudflare__templates__saas-admin-template', 'migrations'],
  ['beilunyang__moemail', 'drizzle'],
  ['redwoodjs__sdk__experiments-billable', 'migrations'],
  ['storacha__w3up__access-api', 'migrations'],
  ['zpg6__better-auth-cloudflare__examples-hono', 'drizzle'],
  ['funvill__cultural-archiver__workers-ab6b4f0', 'migrations'],
];

interface Case {
  id: string;
  compiled: boolean;
  answered: boolean;
  fails: number;
  unanswered: number;
  notes: string[];
  lost: Map<string, number>;
  truthFailed?: string;
  truthLost: Map<string, number>;
}

async function check(set: string, dir: string): Promise<Case[]> {
  const sqlite3 = await loadSqlite();
  const files = wranglerFiles(join(corpus, set), dir);
  const out: Case[] = [];
  for (let k = 1; k < files.length; k++) {
    const f = files[k]!;
    const seed = await replayMigrations({ files: files.slice(0, k + 1), migrationsTable: 'd1_migrations', dataCheck: true, dumpDataBefore: f.name });
    const db = openD1Like(sqlite3);
    try {
      seedSchema(schemaDb(sqlite3, db), await schemaOf(files.slice(0, k), 'd1_migrations'));
      for (const stmt of (seed.dataSeed ?? '').split('\n')) if (stmt) tryExec(sqlite3, db, stmt);
      const live = readSchema(schemaDb(sqlite3, db), 'd1_migrations');
      const parsed = parseMigration(f);
      const derived = deriveProbes({ sqlite3, live, migrationsTable: 'd1_migrations', pending: [parsed] });
      const prepared = prepareRequest(sqlite3, live, derived.probes);
      const answers = new Map<number, number | { error: string }>();
      for (const part of prepared.parts) for (const [i, a] of part.parse(part.statements.map((sql) => ({ results: db.selectObjects(sql) })))) answers.set(i, a);
      const rows = (i: number) => (typeof answers.get(i) === 'number' ? (answers.get(i) as number) : 0);
      const lost = new Map<string, number>();
      derived.probes.forEach((p, i) => {
        if (p.effect === 'lost' && /deletes through/.test(p.question)) lost.set(p.table.toLowerCase(), (lost.get(p.table.toLowerCase()) ?? 0) + rows(i));
      });
      // What really happens.
      const count = (t: string) => Number(db.selectArrays(`SELECT count(*) FROM "${t.replace(/"/g, '""')}"`)[0]![0]);
      const before = new Map(db.selectArrays(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).map(([t]) => [String(t), count(String(t))]));
      db.exec('SAVEPOINT f');
      let failed: string | undefined;
      for (const s of parsed.statements) {
        if (/^PRAGMA\s+foreign_keys\b/i.test(s.text)) continue;
        failed = tryExec(sqlite3, db, s.text);
        if (failed !== undefined) break;
      }
      failed ??= tryExec(sqlite3, db, 'RELEASE f');
      const truthLost = new Map<string, number>();
      const onPurpose = fileFacts(parsed).rowTargets;
      if (failed === undefined) {
        for (const [t, n] of before) {
          const still = db.selectArrays(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1`, [t]).length > 0;
          if (still && !onPurpose.has(t.toLowerCase()) && count(t) < n) truthLost.set(t.toLowerCase(), n - count(t));
        }
      }
      out.push({
        id: `${set}/${f.name}`,
        compiled: prepared.dropped.size === 0,
        answered: [...answers.values()].every((a) => typeof a === 'number'),
        fails: derived.probes.reduce((n, p, i) => n + (p.effect === 'fails' ? rows(i) : 0), 0),
        unanswered: derived.unanswerable.length,
        notes: derived.notes,
        lost,
        ...(failed !== undefined && { truthFailed: failed }),
        truthLost,
      });
    } finally {
      db.close();
    }
  }
  return out;
}

const available = existsSync(corpus);
if (!available) console.log(`preflight corpus test skipped: no corpus at ${corpus} (a clone of the project alone does not have it)`);

(available ? describe : describe.skip)('production preflight on the real-world corpus', () => {
  test.each(SETS)('%s: every question compiles and is answered; counts agree with applying each file', async (set, dir) => {
    for (const c of await check(set, dir)) {
      const at = c.id;
      expect({ at, compiled: c.compiled, answered: c.answered }).toEqual({ at, compiled: true, answered: true });
      // No false alarm.
      if (c.fails > 0) expect({ at, failed: c.truthFailed !== undefined }).toEqual({ at, failed: true });
      // No silence: a failure is counted, or the preflight says why it could not count it.
      if (c.truthFailed !== undefined) expect({ at, said: c.fails > 0 || c.unanswered > 0 || c.notes.length > 0 }).toEqual({ at, said: true });
      // Rows lost by cascades: exactly those tables, exactly those counts.
      expect({ at, lost: [...c.truthLost] }).toEqual({ at, lost: [...c.lost].filter(([, n]) => n > 0) });
    }
  }, 300_000);
});
