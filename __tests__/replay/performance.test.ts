import { replayMigrations } from '../../src/replay/index.js';
import type { MigrationFile } from '../../src/types.js';
import { mfile } from './files.js';

/**
 * Files of the kind real projects have: a new table with a foreign key and an index every `tableEvery`
 * files, an ALTER TABLE ADD COLUMN every `alterEvery` files, and seed INSERT/UPDATEs in every file.
 */
function migrationSet(n: number, tableEvery: number, alterEvery: number): MigrationFile[] {
  const files: MigrationFile[] = [mfile('0000_root.sql', 'CREATE TABLE "t0" ("id" integer PRIMARY KEY, "name" text NOT NULL);\n')];
  let tables = 1;
  for (let i = 1; i < n; i++) {
    const lines = [`-- Migration ${i}`];
    if (i % tableEvery === 0) {
      const parent = `t${tables - 1}`;
      lines.push(
        `CREATE TABLE "t${tables}" (`,
        `  "id" integer PRIMARY KEY AUTOINCREMENT,`,
        `  "${parent}_id" integer NOT NULL REFERENCES "${parent}"("id") ON DELETE CASCADE,`,
        `  "title" text NOT NULL DEFAULT '',`,
        `  "created_at" integer DEFAULT (unixepoch()) NOT NULL`,
        `);`,
        `CREATE INDEX "t${tables}_${parent}_idx" ON "t${tables}" ("${parent}_id");`,
      );
      tables++;
    }
    const target = `t${i % tables}`;
    if (i % alterEvery === 0) {
      lines.push(`ALTER TABLE "${target}" ADD COLUMN "note_${i}" text;`, `UPDATE "${target}" SET "note_${i}" = 'x' WHERE "id" = 1;`);
    } else {
      lines.push(`CREATE INDEX "idx_${i}" ON "${target}" ("id");`);
    }
    lines.push(`INSERT INTO "t0" ("name") VALUES ('seed ${i}');`, '');
    files.push(mfile(`${String(i).padStart(4, '0')}_migration_${i}.sql`, lines.join('\n')));
  }
  return files;
}

async function timeReplay(files: MigrationFile[]): Promise<number> {
  const t0 = performance.now();
  const r = await replayMigrations({ files, migrationsTable: 'd1_migrations' });
  const ms = performance.now() - t0;
  expect(r.findings).toEqual([]);
  expect(r.replayed).toHaveLength(files.length);
  return ms;
}

beforeAll(async () => {
  // Module initialisation (~40 ms, once per process) is not part of a replay.
  await replayMigrations({ files: [], migrationsTable: 'd1_migrations' });
});

test('replays 1,000 realistic migrations (a new table every 5th file, an ALTER every 3rd) in about a second', async () => {
  const ms = await timeReplay(migrationSet(1000, 5, 3));
  console.log(`replay of 1,000 files, 200 tables, 333 ALTERs: ${ms.toFixed(0)} ms`);
  // About 0.8-1.1 s on a quiet 2-core machine, most of it SQLite's own schema reloads (raw SQLite running
  // the same files takes 0.6-0.75 s); the bound leaves room for loaded CI machines.
  expect(ms).toBeLessThan(3000);
});

test('stress: a new table and an ALTER in every one of 1,000 files', async () => {
  // Every ALTER TABLE makes SQLite re-parse the whole schema, which grows to 2,000 objects here: that
  // O(ALTERs x schema) cost is SQLite's own (workerd pays it too), so this only guards against blow-ups.
  const ms = await timeReplay(migrationSet(1000, 1, 1));
  console.log(`replay of 1,000 files, 1,000 tables, 1,000 ALTERs: ${ms.toFixed(0)} ms`);
  expect(ms).toBeLessThan(10000);
});
