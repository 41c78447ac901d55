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

async function replayAll(files: MigrationFile[]): Promise<void> {
  const r = await replayMigrations({ files, migrationsTable: 'd1_migrations' });
  expect(r.findings).toEqual([]);
  expect(r.replayed).toHaveLength(files.length);
  expect(r.notReplayed).toEqual([]);
}

// Speed is measured by `npm run bench` (whole process, min/median), never asserted here.
test('replays 1,000 realistic migrations (a new table every 5th file, an ALTER every 3rd) without a finding', async () => {
  await replayAll(migrationSet(1000, 5, 3));
});

test('stress: a new table and an ALTER in every one of 1,000 files replays cleanly', async () => {
  // Every ALTER TABLE makes SQLite re-parse the whole schema, which grows to 2,000 objects here.
  await replayAll(migrationSet(1000, 1, 1));
});
