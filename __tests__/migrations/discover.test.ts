import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { discoverMigrations, newestWranglerOrder, UNREADABLE_RULE } from '../../src/migrations/discover.js';
import { cleanupProjects, makeProject, targetFor } from './fixtures.js';

afterEach(cleanupProjects);

function discover(files: Record<string, string | Buffer | null>, dir = 'migrations') {
  const root = makeProject({ [`${dir}/.keep-dir`]: null, ...files });
  fs.rmdirSync(path.join(root, dir, '.keep-dir'));
  return { root, set: discoverMigrations(targetFor(root, dir), root) };
}

const names = (set: { files: { name: string }[] }) => set.files.map((f) => f.name);

describe('discoverMigrations (wrangler 4.86 listing and order)', () => {
  test('lists .sql files with name, paths, number, number text, size and content as wrangler reads them', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('CREATE TABLE a(x);\r\n')]);
    const { root, set } = discover({ 'migrations/0002_b.sql': bom, 'migrations/0001_a.sql': 'SELECT 1;\n' });
    expect(set.findings).toEqual([]);
    expect(set.files[0]).toEqual({
      name: '0001_a.sql',
      path: path.join(root, 'migrations/0001_a.sql'),
      relPath: 'migrations/0001_a.sql',
      number: 1,
      numberText: '0001',
      sql: 'SELECT 1;\n',
      bytes: 10,
    });
    // The BOM and CRLF are kept, exactly as readFileSync(p, 'utf8') returns them.
    expect(set.files[1]!.sql).toBe('\uFEFFCREATE TABLE a(x);\r\n');
    expect(set.files[1]!.bytes).toBe(bom.length);
  });

  test('applies by parsed number, so 9_a.sql runs before 10_b.sql although it sorts after it by name', () => {
    const { set } = discover({ 'migrations/10_b.sql': '', 'migrations/9_a.sql': '', 'migrations/1_c.sql': '' });
    expect(names(set)).toEqual(['1_c.sql', '9_a.sql', '10_b.sql']);
  });

  test('files sharing a number keep name order, and an unnumbered file lands where wrangler 4.86 puts it', () => {
    const { set } = discover({
      'migrations/0001_initial_schema.sql': '',
      'migrations/0001_create_tracked_applications.sql': '',
      'migrations/ROLLBACK_TEMPLATE.sql': '',
      'migrations/0002_more.sql': '',
    });
    expect(names(set)).toEqual(['0001_create_tracked_applications.sql', '0001_initial_schema.sql', '0002_more.sql', 'ROLLBACK_TEMPLATE.sql']);
    expect(set.files[3]!.number).toBeNull();
    expect(set.files[3]!.numberText).toBeNull();
  });

  test('only names ending in lower-case .sql are listed; look-alikes get ignored-file warnings', () => {
    const { set } = discover({
      'migrations/0001_a.sql': '',
      'migrations/0002_b.SQL': '',
      'migrations/0003_x.sql.txt': '',
      'migrations/0004_y.sql.bak': '',
      'migrations/0005_z.psql': '',
      'migrations/README.md': '',
      'migrations/local.sqlite': '',
      'migrations/meta/_journal.json': '{}',
    });
    expect(names(set)).toEqual(['0001_a.sql']);
    const ignored = set.findings.filter((f) => f.rule === 'ignored-file');
    expect(ignored.map((f) => f.file).sort()).toEqual([
      'migrations/0002_b.SQL',
      'migrations/0003_x.sql.txt',
      'migrations/0004_y.sql.bak',
      'migrations/0005_z.psql',
    ]);
    expect(ignored.every((f) => f.severity === 'warning' && f.line === 1)).toBe(true);
    expect(ignored.find((f) => f.file === 'migrations/0002_b.SQL')?.message).toContain('lower-case ".sql"');
  });

  test('the listing is not recursive, and numbered folders get one warning with the migrations_pattern to use', () => {
    const { set } = discover({
      'migrations/0001_init/migration.sql': '',
      'migrations/0002_users/migration.sql': '',
      'migrations/nested/0003_x.sql': '',
    });
    expect(names(set)).toEqual([]);
    expect(set.findings).toHaveLength(1);
    expect(set.findings[0]).toMatchObject({ rule: 'ignored-file', severity: 'warning' });
    expect(set.findings[0]!.file).toBeUndefined();
    expect(set.findings[0]!.message).toContain('0001_init, 0002_users');
    expect(set.findings[0]!.message).toContain('migrations_pattern = "migrations/*/migration.sql"');
  });

  test('a directory named x.sql is an error finding (wrangler 4.86 crashes with EISDIR) and is not in the set', () => {
    const { set } = discover({ 'migrations/0001_a.sql': '', 'migrations/0002_x.sql': null });
    expect(names(set)).toEqual(['0001_a.sql']);
    expect(set.findings).toEqual([
      expect.objectContaining({ rule: UNREADABLE_RULE, severity: 'error', file: 'migrations/0002_x.sql', line: 1 }),
    ]);
    expect(set.findings[0]!.message).toContain('EISDIR');
  });

  test('a dangling symlink is an error finding naming its target', () => {
    const root = makeProject({ 'migrations/0001_a.sql': '' });
    fs.symlinkSync('gone.sql', path.join(root, 'migrations/0002_b.sql'));
    const set = discoverMigrations(targetFor(root), root);
    expect(names(set)).toEqual(['0001_a.sql']);
    expect(set.findings[0]).toMatchObject({ rule: UNREADABLE_RULE, severity: 'error', file: 'migrations/0002_b.sql' });
    expect(set.findings[0]!.message).toContain('"gone.sql", which does not exist');
  });

  test('a symlink to a file inside the project is applied (as wrangler 4.86 does) with a version warning', () => {
    const root = makeProject({ 'migrations/0001_a.sql': '', 'shared/b.sql': 'SELECT 2;' });
    fs.symlinkSync('../shared/b.sql', path.join(root, 'migrations/0002_b.sql'));
    const set = discoverMigrations(targetFor(root), root);
    expect(set.files[1]).toMatchObject({ name: '0002_b.sql', sql: 'SELECT 2;' });
    expect(set.findings).toEqual([expect.objectContaining({ rule: 'ignored-file', file: 'migrations/0002_b.sql' })]);
    expect(set.findings[0]!.message).toContain('wrangler 4.98 and later list only regular files');
  });

  test('a symlink leading outside the working directory is not read', () => {
    const outside = makeProject({ 'secret.sql': 'SECRET' });
    const root = makeProject({ 'migrations/0001_a.sql': '' });
    fs.symlinkSync(path.join(outside, 'secret.sql'), path.join(root, 'migrations/0002_b.sql'));
    const set = discoverMigrations(targetFor(root), root);
    expect(names(set)).toEqual(['0001_a.sql']);
    expect(set.findings[0]!.message).toContain('outside the working directory');
  });

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  (isRoot ? test.skip : test)('an unreadable file is an error finding, not a crash', () => {
    const root = makeProject({ 'migrations/0001_a.sql': 'SELECT 1;' });
    fs.chmodSync(path.join(root, 'migrations/0001_a.sql'), 0o000);
    const set = discoverMigrations(targetFor(root), root);
    expect(names(set)).toEqual([]);
    expect(set.findings[0]!.message).toContain('EACCES');
  });

  test('a FIFO named like a migration is reported without blocking on it', () => {
    const root = makeProject({ 'migrations/0001_a.sql': '' });
    try {
      execFileSync('mkfifo', [path.join(root, 'migrations/0002_pipe.sql')]);
    } catch {
      return; // no mkfifo on this system
    }
    const set = discoverMigrations(targetFor(root), root);
    expect(names(set)).toEqual(['0001_a.sql']);
    expect(set.findings[0]!.message).toContain('not a regular file');
  });

  test('binary content and UTF-16 are error findings and are left out of the set', () => {
    const { set } = discover({
      'migrations/0001_db.sql': Buffer.from('SQLite format 3\0\0\0'),
      'migrations/0002_u16.sql': Buffer.from('\uFEFFSELECT 1;', 'utf16le'),
    });
    expect(names(set)).toEqual([]);
    expect(set.findings.map((f) => f.message)).toEqual([
      expect.stringContaining('contains NUL bytes'),
      expect.stringContaining('encoded as UTF-16'),
    ]);
  });

  test('invalid UTF-8 is an error on the line of the first bad byte, and the file keeps the text wrangler would send', () => {
    const { set } = discover({ 'migrations/0001_latin1.sql': Buffer.from("SELECT 1;\nINSERT INTO t VALUES ('caf\xe9');\n", 'latin1') });
    expect(set.files[0]!.sql).toContain("'caf\uFFFD'");
    expect(set.findings).toEqual([expect.objectContaining({ rule: UNREADABLE_RULE, file: 'migrations/0001_latin1.sql', line: 2 })]);
    expect(set.findings[0]!.message).toContain('not valid UTF-8');
  });

  test('hidden .sql files are applied by wrangler 4.86 and get a warning that newer wrangler skips them', () => {
    const { set } = discover({ 'migrations/0001_a.sql': '', 'migrations/.0002_b.sql': '' });
    expect(names(set)).toContain('.0002_b.sql');
    expect(set.findings).toEqual([expect.objectContaining({ rule: 'ignored-file', file: 'migrations/.0002_b.sql' })]);
  });

  test('names with spaces, quotes, <, |, backticks and non-ASCII letters are listed exactly as written', () => {
    const odd = ['0001_with space.sql', "0002_it's.sql", '0003_a<b.sql', '0004_a|b.sql', '0005_`tick`.sql', '0006_café_ñ.sql', '0007_"dq".sql'];
    const { set } = discover(Object.fromEntries(odd.map((n) => [`migrations/${n}`, 'SELECT 1;'])));
    expect(names(set)).toEqual(odd);
    expect(set.findings).toEqual([]);
  });

  test('a migrations directory equal to the working directory gives bare relative paths', () => {
    const root = makeProject({ '0001_a.sql': '' });
    const set = discoverMigrations(targetFor(root, '.', { migrationsDirAbs: root }), root);
    expect(set.files[0]!.relPath).toBe('0001_a.sql');
  });

  test('10,000 files in one folder are all discovered, in order (speed: npm run bench)', () => {
    const root = makeProject({ migrations: null });
    for (let i = 1; i <= 10_000; i++) fs.writeFileSync(path.join(root, 'migrations', `${String(i).padStart(5, '0')}_m.sql`), `SELECT ${i};`);
    const set = discoverMigrations(targetFor(root), root);
    expect(set.files).toHaveLength(10_000);
    expect(set.files[9_999]!.name).toBe('10000_m.sql');
  });
});

describe('discoverMigrations with migrations_pattern (wrangler 4.98+)', () => {
  const pattern = (root: string, glob: string) => targetFor(root, 'migrations', { migrationsPattern: glob });

  test('matches files in subfolders, names them relative to migrations_dir and orders them like compareMigrationPaths', () => {
    const root = makeProject({
      'migrations/10_c/migration.sql': '',
      'migrations/2_b/migration.sql': '',
      'migrations/0001_a/migration.sql': '',
      'migrations/0001_a/notes.md': '',
      'migrations/meta/_journal.json': '',
    });
    const set = discoverMigrations(pattern(root, 'migrations/*/migration.sql'), root);
    expect(names(set)).toEqual(['0001_a/migration.sql', '2_b/migration.sql', '10_c/migration.sql']);
    expect(set.files[2]).toMatchObject({ number: 10, numberText: '10', relPath: 'migrations/10_c/migration.sql' });
    expect(set.findings).toEqual([]);
  });

  test('files the pattern skips are reported: a stray top-level .sql, a case mismatch, a symlink', () => {
    const root = makeProject({
      'migrations/0001_a/migration.sql': '',
      'migrations/0002_b/MIGRATION.SQL': '',
      'migrations/0099_stray.sql': '',
      'real.sql': '',
    });
    fs.mkdirSync(path.join(root, 'migrations/0003_c'));
    fs.symlinkSync(path.join(root, 'real.sql'), path.join(root, 'migrations/0003_c/migration.sql'));
    const set = discoverMigrations(pattern(root, 'migrations/*/migration.sql'), root);
    expect(names(set)).toEqual(['0001_a/migration.sql']);
    const byFile = new Map(set.findings.map((f) => [f.file, f.message]));
    expect(byFile.get('migrations/0099_stray.sql')).toContain('does not match migrations_pattern');
    expect(byFile.get('migrations/0002_b/MIGRATION.SQL')).toContain('only when letter case is ignored');
    expect(byFile.get('migrations/0003_c/migration.sql')).toContain('symbolic link');
  });
});

describe('newestWranglerOrder', () => {
  test('orders numerically per path segment, numbered before unnumbered, then by name', () => {
    expect(newestWranglerOrder(['b.sql', '10_a.sql', '9_z.sql', 'a.sql', '9_a.sql', '1_x/b.sql', '1_x/a.sql'])).toEqual([
      '1_x/a.sql',
      '1_x/b.sql',
      '9_a.sql',
      '9_z.sql',
      '10_a.sql',
      'a.sql',
      'b.sql',
    ]);
  });
});
