import { checkFilenames } from '../../src/rules/filename-rules.js';
import { ignoredFileReason } from '../../src/rules/ignored-file.js';
import type { Finding } from '../../src/types.js';
import { filesFromNames } from '../migrations/fixtures.js';

const rules = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);

describe('duplicate-number', () => {
  test('the seed case flags both files and spells out the order wrangler applies them in', () => {
    const files = filesFromNames(['0001_initial_schema.sql', '0001_create_tracked_applications.sql']);
    const dups = rules(checkFilenames(files, 'sequential'), 'duplicate-number');
    expect(dups.map((f) => f.file)).toEqual(['migrations/0001_create_tracked_applications.sql', 'migrations/0001_initial_schema.sql']);
    for (const f of dups) {
      expect(f).toMatchObject({ severity: 'error', line: 1 });
      expect(f.message).toContain('wrangler applies both, in name order');
      expect(f.message).toContain('wrangler applies 0001_create_tracked_applications.sql before 0001_initial_schema.sql');
      expect(f.message).toContain('the next free number is 0002');
    }
  });

  test('numbers compare numerically, so 01 and 1 collide and the message says why', () => {
    const dups = rules(checkFilenames(filesFromNames(['01_a.sql', '1_b.sql', '2_c.sql']), 'unique'), 'duplicate-number');
    expect(dups).toHaveLength(2);
    expect(dups[0]!.message).toContain('"01" and "1" are the same number to wrangler');
  });

  test('date_time names sharing the date run in name order, which is their time order: no finding', () => {
    // wrangler reads 20250420 for both and applies them in name order (stable sort after a name sort).
    const files = filesFromNames(['20250420_172315_add_grades.sql', '20250420_120404_init.sql', '20250421_080000_more.sql']);
    expect(files.map((f) => f.name)).toEqual(['20250420_120404_init.sql', '20250420_172315_add_grades.sql', '20250421_080000_more.sql']);
    expect(checkFilenames(files, 'sequential')).toEqual([]);
    expect(checkFilenames(filesFromNames(['2025_04_20_1204_a.sql', '2025_04_20_1723_b.sql', '2025_05_01_0000_c.sql']), 'sequential')).toEqual([]);
    // Sub-numbers of one number, padded, are read the same way.
    expect(checkFilenames(filesFromNames(['0001_01_a.sql', '0001_02_b.sql', '0002_c.sql']), 'sequential')).toEqual([]);
  });

  test('date_time names whose whole prefixes are equal collide', () => {
    const dups = rules(checkFilenames(filesFromNames(['20250420_120404_a.sql', '20250420_120404_b.sql', '20250420_172315_c.sql']), 'sequential'), 'duplicate-number');
    expect(dups.map((f) => f.file)).toEqual(['migrations/20250420_120404_a.sql', 'migrations/20250420_120404_b.sql']);
    expect(dups[0]).toMatchObject({ severity: 'error', line: 1 });
    expect(dups[0]!.message).toContain('has the same numeric prefix, 20250420_120404, as 20250420_120404_b.sql');
    expect(dups[0]!.message).toContain('give it a later timestamp');
  });

  test('names sharing a number whose name order contradicts the rest of the prefix make the order ambiguous', () => {
    const files = filesFromNames(['20250420_9_a.sql', '20250420_10_b.sql']);
    expect(files.map((f) => f.name)).toEqual(['20250420_10_b.sql', '20250420_9_a.sql']);
    const dups = rules(checkFilenames(files, 'sequential'), 'duplicate-number');
    expect(dups).toHaveLength(1);
    expect(dups[0]).toMatchObject({ file: 'migrations/20250420_9_a.sql', severity: 'error' });
    expect(dups[0]!.message).toContain('20250420_9_a.sql runs after 20250420_10_b.sql, although its numeric prefix 20250420_9 is smaller than 20250420_10');
    // A bare number beside a sub-numbered one: `0001_2_b.sql` sorts before `0001_a.sql`.
    const bare = rules(checkFilenames(filesFromNames(['0001_a.sql', '0001_2_b.sql']), 'sequential'), 'duplicate-number');
    expect(bare.map((f) => f.file)).toEqual(['migrations/0001_a.sql']);
  });

  test('three files with one number are all flagged with the full order', () => {
    const dups = rules(checkFilenames(filesFromNames(['0003_c.sql', '0003_a.sql', '0003_b.sql']), 'sequential'), 'duplicate-number');
    expect(dups).toHaveLength(3);
    expect(dups[0]!.message).toContain('wrangler applies 0003_a.sql before 0003_b.sql before 0003_c.sql');
  });
});

describe('number-gap', () => {
  test('one finding per gap, on the file after it', () => {
    const gaps = rules(checkFilenames(filesFromNames(['0001_a.sql', '0002_b.sql', '0004_d.sql', '0009_e.sql']), 'sequential'), 'number-gap');
    expect(gaps.map((f) => [f.file, f.severity])).toEqual([
      ['migrations/0004_d.sql', 'warning'],
      ['migrations/0009_e.sql', 'warning'],
    ]);
    expect(gaps[0]!.message).toContain('number 3 is missing between 0002_b.sql and 0004_d.sql');
    expect(gaps[1]!.message).toContain('numbers 5 to 8 (4) are missing');
  });

  test('the first number may be anything: 0000 and a history starting at 0020 are fine', () => {
    expect(checkFilenames(filesFromNames(['0000_a.sql', '0001_b.sql']), 'sequential')).toEqual([]);
    expect(checkFilenames(filesFromNames(['0020_a.sql', '0021_b.sql']), 'sequential')).toEqual([]);
  });

  test('timestamp names give no gap findings, with numbering unique or sequential', () => {
    const files = filesFromNames(['20240101120000_a.sql', '20240305093000_b.sql', '20241224000000_c.sql']);
    expect(checkFilenames(files, 'unique')).toEqual([]);
    expect(checkFilenames(files, 'sequential')).toEqual([]);
    // Unix seconds (drizzle-kit prefix "unix") and date_time names too.
    expect(checkFilenames(filesFromNames(['1718366890_a.sql', '1719000000_b.sql']), 'sequential')).toEqual([]);
    expect(checkFilenames(filesFromNames(['20250420_120404_a.sql', '20250501_090000_b.sql']), 'sequential')).toEqual([]);
  });

  test('a folder that is not wholly timestamp-named is still checked for gaps', () => {
    const gaps = rules(checkFilenames(filesFromNames(['0001_a.sql', '20240101120000_b.sql']), 'sequential'), 'number-gap');
    expect(gaps.map((f) => f.file)).toEqual(['migrations/20240101120000_b.sql']);
    // 0019 is no date: a gap between 0017 and 0019 is reported.
    expect(rules(checkFilenames(filesFromNames(['0017_a.sql', '0019_b.sql']), 'sequential'), 'number-gap')).toHaveLength(1);
  });

  test('a duplicated number does not also count as a gap', () => {
    expect(rules(checkFilenames(filesFromNames(['0001_a.sql', '0001_b.sql', '0002_c.sql']), 'sequential'), 'number-gap')).toEqual([]);
  });
});

describe('bad-filename', () => {
  test('a template, README or init.sql that wrangler will run is an error saying where it lands and to move it', () => {
    const files = filesFromNames(['0001_a.sql', '0002_b.sql', 'ROLLBACK_TEMPLATE.sql', 'README.sql', 'init.sql']);
    const bad = rules(checkFilenames(files, 'sequential'), 'bad-filename');
    expect(bad.map((f) => f.file)).toEqual(['migrations/README.sql', 'migrations/ROLLBACK_TEMPLATE.sql', 'migrations/init.sql']);
    const rollback = bad[1];
    expect(rollback).toMatchObject({ severity: 'error', line: 1 });
    expect(rollback!.message).toContain('wrangler WILL run it');
    expect(rollback!.message).toContain('wrangler applies it 4th of 5, after README.sql and before init.sql');
    expect(rollback!.message).toContain('move it out of migrations/');
    expect(rollback!.message).toContain('0003_<description>.sql');
  });

  test('a number without the underscore is explained with the number wrangler reads', () => {
    const bad = rules(checkFilenames(filesFromNames(['0001-init.sql', '0002_b.sql']), 'sequential'), 'bad-filename');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.message).toContain('wrangler reads its number as 1');
  });
});

describe('ambiguous-order', () => {
  test('mixed-width numbers get one warning on the file whose position differs from name order', () => {
    const names = Array.from({ length: 9 }, (_, i) => `${i + 1}_m${i + 1}.sql`).concat('10_last.sql');
    const amb = rules(checkFilenames(filesFromNames(names), 'sequential'), 'ambiguous-order');
    expect(amb).toHaveLength(1);
    expect(amb[0]!.file).toBe('migrations/10_last.sql');
    expect(amb[0]!.message).toContain('listed 1st by name (before 1_m1.sql), but wrangler applies it 10th of 10, after 9_m9.sql');
    expect(amb[0]!.message).toContain('0010_last.sql');
  });

  test('9_a.sql and 10_b.sql: the message states the order wrangler applies', () => {
    const amb = rules(checkFilenames(filesFromNames(['10_b.sql', '9_a.sql']), 'sequential'), 'ambiguous-order');
    expect(amb).toHaveLength(1);
    expect(amb[0]!.message).toMatch(/wrangler applies it (1st of 2, before 10_b\.sql|2nd of 2, after 9_a\.sql)/);
  });

  test('a name without a number gets its real 4.86 position and what newer wrangler does', () => {
    const amb = rules(checkFilenames(filesFromNames(['0001_a.sql', 'seed.sql', '0002_b.sql']), 'off'), 'ambiguous-order');
    expect(amb).toHaveLength(1);
    expect(amb[0]!.file).toBe('migrations/seed.sql');
    expect(amb[0]!.message).toContain('wrangler 4.86 applies it 3rd of 3, after 0002_b.sql');
    expect(amb[0]!.message).toContain('wrangler 4.98 and later apply it at the same position');
  });

  test('when wrangler 4.86 and newest wrangler disagree the warning says so', () => {
    // 4.86 reads "0x03" as 3 (parseInt without radix), newest as 0.
    const amb = rules(checkFilenames(filesFromNames(['0001_a.sql', '0x03_hex.sql', '0002_b.sql']), 'off'), 'ambiguous-order');
    expect(amb.some((f) => f.message.includes('wrangler 4.86 and wrangler 4.98+ apply these migrations in different orders'))).toBe(true);
  });

  test('plain zero-padded names give no warning', () => {
    expect(checkFilenames(filesFromNames(['0001_a.sql', '0002_b.sql', '0003_c.sql']), 'sequential')).toEqual([]);
  });
});

describe('numbering off', () => {
  test('disables duplicate-number, number-gap and bad-filename', () => {
    const files = filesFromNames(['0001_a.sql', '0001_b.sql', '0005_c.sql', 'zz_template.sql']);
    const ids = new Set(checkFilenames(files, 'off').map((f) => f.rule));
    expect(ids.has('duplicate-number')).toBe(false);
    expect(ids.has('number-gap')).toBe(false);
    expect(ids.has('bad-filename')).toBe(false);
    expect(ids.has('ambiguous-order')).toBe(true);
  });
});

describe('ignored-file reasons', () => {
  test('look-alikes are recognised and plain non-migrations are not', () => {
    expect(ignoredFileReason('0001_a.SQL', 'migrations')).toContain('lower-case ".sql"');
    expect(ignoredFileReason('0003_x.sql.txt', 'migrations')).toContain('goes on after ".sql"');
    expect(ignoredFileReason('0004_x.psql', 'migrations')).toContain('numbered like a migration');
    expect(ignoredFileReason('README.md', 'migrations')).toBeNull();
    expect(ignoredFileReason('dev.sqlite', 'migrations')).toBeNull();
    expect(ignoredFileReason('0001_notes.md', 'migrations')).toBeNull();
  });
});
