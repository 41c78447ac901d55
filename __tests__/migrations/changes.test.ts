import { firstChangedLine, migrationChanges } from '../../src/migrations/changes.js';

const DB = { migrationsDir: 'migrations', migrations: ['0001_a.sql', '0002_b.sql', '0003_c.sql'] };

describe('migrationChanges', () => {
  it('lists added migrations in apply order and ignores other files', () => {
    const c = migrationChanges(
      [
        { filename: 'migrations/0003_c.sql', status: 'added' },
        { filename: 'migrations/0002_b.sql', status: 'added' },
        { filename: 'migrations/notes.md', status: 'added' },
        { filename: 'other/0009_z.sql', status: 'modified' },
        { filename: 'migrations-old/0001_a.sql', status: 'modified' },
      ],
      DB,
    );
    expect(c.added).toEqual(['0002_b.sql', '0003_c.sql']);
    expect(c.findings).toEqual([]);
  });

  it('treats a file renamed into the folder as added, and out of it as removed', () => {
    const c = migrationChanges(
      [
        { filename: 'migrations/0003_c.sql', status: 'renamed', previous_filename: 'drafts/c.sql' },
        { filename: 'archive/0000_old.sql', status: 'renamed', previous_filename: 'migrations/0000_old.sql' },
      ],
      DB,
      { baseRef: 'main' },
    );
    expect(c.added).toEqual(['0003_c.sql']);
    expect(c.removed).toEqual(['migrations/0000_old.sql']);
    expect(c.findings).toHaveLength(1);
    expect(c.findings[0]).toMatchObject({ rule: 'modified-migration', severity: 'error', file: 'migrations/0000_old.sql' });
    expect(c.findings[0]!.message).toMatch(/exists on the base branch \(main\) and this pull request moves it out of the migrations folder/);
  });

  it('flags modified, changed, removed and renamed migrations', () => {
    const c = migrationChanges(
      [
        { filename: 'migrations/0001_a.sql', status: 'modified', patch: '@@ -10,4 +12,5 @@ CREATE\n ctx\n ctx\n+added' },
        { filename: 'migrations/0002_b.sql', status: 'changed' },
        { filename: 'migrations/0004_gone.sql', status: 'removed' },
        { filename: 'migrations/0003_c.sql', status: 'renamed', previous_filename: 'migrations/0003_old.sql' },
      ],
      DB,
    );
    expect(c.findings.map((f) => [f.file, f.line])).toEqual([
      ['migrations/0001_a.sql', 14],
      ['migrations/0002_b.sql', undefined],
      ['migrations/0004_gone.sql', undefined],
      ['migrations/0003_c.sql', undefined],
    ]);
    expect(c.findings[0]!.message).toMatch(/new migration/);
    expect(c.findings[2]!.message).toMatch(/deletes it/);
    expect(c.findings[3]!.message).toMatch(/0003_old.sql .*renames it to 0003_c.sql/);
    expect(c.added).toEqual([]);
  });

  it('maps repository paths through the working-directory prefix', () => {
    const c = migrationChanges([{ filename: 'apps/api/migrations/0001_a.sql', status: 'modified' }, { filename: 'migrations/0002_b.sql', status: 'modified' }], DB, {
      repoPrefix: 'apps/api',
    });
    expect(c.findings.map((f) => f.file)).toEqual(['migrations/0001_a.sql']);
  });

  it('keeps the leading dot of a hidden folder: what the change adds in `.d1/migrations` is judged, not settled', () => {
    // clean() once stripped any leading `.`: `.d1/migrations` became `d1/migrations`, no pull request path
    // matched, and every migration (the change's own included) counted as settled, i.e. informational.
    const hidden = { migrationsDir: '.d1/migrations', migrations: ['0001_a.sql', '0002_b.sql'] };
    const c = migrationChanges([{ filename: '.d1/migrations/0002_b.sql', status: 'added' }, { filename: '.d1/migrations/0001_a.sql', status: 'modified' }], hidden);
    expect(c.added).toEqual(['0002_b.sql']);
    expect(c.findings.map((f) => f.file)).toEqual(['.d1/migrations/0001_a.sql']);
    const below = migrationChanges([{ filename: '..db/migrations/0001_a.sql', status: 'modified' }], DB, { repoPrefix: '..db' });
    expect(below.findings.map((f) => f.file)).toEqual(['migrations/0001_a.sql']);
  });

  it('works when the migrations folder is the working directory', () => {
    const c = migrationChanges([{ filename: '0001_a.sql', status: 'modified' }], { migrationsDir: '.', migrations: ['0001_a.sql'] });
    expect(c.findings.map((f) => f.file)).toEqual(['0001_a.sql']);
  });
});

describe('firstChangedLine', () => {
  it('finds the first added or removed line in new-file numbering', () => {
    expect(firstChangedLine('@@ -1,3 +1,3 @@\n a\n-b\n+c')).toBe(2);
    expect(firstChangedLine('@@ -0,0 +1 @@\n+x')).toBe(1);
    expect(firstChangedLine(undefined)).toBeUndefined();
    expect(firstChangedLine('Binary files differ')).toBeUndefined();
  });
});
