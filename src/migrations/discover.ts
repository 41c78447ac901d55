import fs from 'node:fs';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { Minimatch } from 'minimatch';
import { UsageError, getErrorMessage } from '../errors.js';
import { finding } from '../finding.js';
import { isInside, normalizeRelativePath } from '../config/paths.js';
import type { DatabaseTarget, Finding, MigrationFile, MigrationSet, RuleId } from '../types.js';
import { ignoredFileReason } from '../rules/ignored-file.js';
import { leadingDigits, newestWranglerOrder, wrangler486Number, wrangler486Order } from './order.js';

export { newestWranglerOrder, wrangler486Order, compareMigrationPaths } from './order.js';

/**
 * Files wrangler would list but cannot run (a directory named `x.sql`, a dangling link, unreadable,
 * binary or non-UTF-8 content) are reported as `unreadable-file`.
 */
export const UNREADABLE_RULE = 'unreadable-file';

/** One listed entry, before reading. */
interface Entry {
  /** Name relative to the migrations directory (forward slashes). */
  name: string;
  abs: string;
  kind: 'file' | 'symlink' | 'directory' | 'other';
}

/**
 * The migrations of one database exactly as wrangler sees them: which files, their recorded names and
 * the order `wrangler d1 migrations apply` runs them on an empty database.
 *
 * Without `migrations_pattern` this is wrangler 4.86: every directory entry whose name ends in `.sql`
 * (case-sensitive, not recursive, hidden files and symlinks included), ordered by wrangler486Order.
 * With a pattern (wrangler >= 4.98 only) it walks like newest wrangler's listFilesRelative: regular
 * files matching the minimatch glob, named relative to migrations_dir, ordered by compareMigrationPaths.
 *
 * Entries wrangler would list but choke on become error findings instead of exceptions; look-alikes
 * wrangler silently skips become `ignored-file` warnings.
 */
export function discoverMigrations(target: DatabaseTarget, cwd: string): MigrationSet {
  const ctx = new Context(target, path.resolve(cwd));
  const listed = target.migrationsPattern === undefined ? ctx.listFlat() : ctx.listPattern(target.migrationsPattern);
  const order = target.migrationsPattern === undefined ? wrangler486Order(listed.map((e) => e.name)) : newestWranglerOrder(listed.map((e) => e.name));
  const byName = new Map(listed.map((e) => [e.name, e]));
  const files: MigrationFile[] = [];
  for (const name of order) {
    const file = ctx.read(byName.get(name) as Entry);
    if (file !== null) files.push(file);
  }
  return { files, findings: ctx.findings };
}

class Context {
  readonly findings: Finding[] = [];
  private realCwd: string | undefined;

  constructor(
    private readonly target: DatabaseTarget,
    private readonly cwd: string,
  ) {}

  relPath(name: string): string {
    return this.target.migrationsDir === '.' ? name : `${this.target.migrationsDir}/${name}`;
  }

  private add(rule: RuleId, name: string | undefined, message: string, line = 1): void {
    this.findings.push(finding({ rule, message, ...(name !== undefined && { file: this.relPath(name), line }) }));
  }

  private readDir(abs: string): fs.Dirent[] {
    try {
      return fs.readdirSync(abs, { withFileTypes: true });
    } catch (error) {
      throw new UsageError(
        `migrations-dir: cannot list the migrations directory ${abs} (database "${this.target.binding}"): ${getErrorMessage(error)}. ` +
          `wrangler would fail the same way. Check that it exists and is readable.`,
      );
    }
  }

  /** wrangler 4.86 getMigrationNames: `opendirSync` + `dirent.name.endsWith(".sql")`. */
  listFlat(): Entry[] {
    const dir = this.target.migrationsDirAbs;
    const out: Entry[] = [];
    const numberedDirs: string[] = [];
    for (const dirent of this.readDir(dir)) {
      const name = dirent.name;
      const kind = kindOf(dirent);
      if (name.endsWith('.sql')) {
        out.push({ name, abs: path.join(dir, name), kind });
        if (name.startsWith('.') && kind !== 'directory') {
          this.add(
            'ignored-file',
            name,
            `${this.relPath(name)} is a hidden file (its name starts with "."). wrangler 4.86 applies it like any other .sql file, ` +
              `but wrangler 4.98 and later skip hidden files, so whether it runs depends on the wrangler version. Rename it without the leading "." or move it out of ${this.target.migrationsDir}/.`,
          );
        }
        continue;
      }
      if (kind === 'directory') {
        if (/^\d+_/.test(name)) numberedDirs.push(name);
        continue;
      }
      this.checkLookAlike(name);
    }
    if (numberedDirs.length > 0) this.reportNumberedDirs(numberedDirs);
    return out;
  }

  /** Newest wrangler listFilesRelative: regular files only, pruned with minimatch's partial matching. */
  listPattern(pattern: string): Entry[] {
    const root = this.target.migrationsDirAbs;
    const dirPrefix = normalizeRelativePath(this.target.migrationsDirSetting);
    const relativePattern = dirPrefix === '.' ? pattern : pattern.startsWith(`${dirPrefix}/`) ? pattern.slice(dirPrefix.length + 1) : pattern;
    const matcher = new Minimatch(relativePattern, { dot: false });
    const caseless = new Minimatch(relativePattern, { dot: false, nocase: true });
    const out: Entry[] = [];
    const stack: { abs: string; rel: string }[] = [{ abs: root, rel: '' }];
    while (stack.length > 0) {
      const { abs, rel } = stack.pop() as { abs: string; rel: string };
      // wrangler skips a subdirectory it cannot list; only the root must be readable.
      let entries: fs.Dirent[];
      if (rel === '') entries = this.readDir(abs);
      else {
        try {
          entries = fs.readdirSync(abs, { withFileTypes: true });
        } catch {
          continue;
        }
      }
      for (const dirent of entries) {
        const childRel = rel === '' ? dirent.name : `${rel}/${dirent.name}`;
        const childAbs = path.join(abs, dirent.name);
        if (dirent.isDirectory()) {
          if (matcher.match(childRel, true)) stack.push({ abs: childAbs, rel: childRel });
        } else if (dirent.isFile()) {
          if (matcher.match(childRel)) out.push({ name: childRel, abs: childAbs, kind: 'file' });
          else if (caseless.match(childRel))
            this.add(
              'ignored-file',
              childRel,
              `${this.relPath(childRel)} matches migrations_pattern "${pattern}" only when letter case is ignored; wrangler matches case-sensitively and skips it. Rename it to match the pattern exactly if it is a migration.`,
            );
          else if (rel === '') this.checkLookAlike(childRel, pattern);
        } else if (dirent.isSymbolicLink() && matcher.match(childRel)) {
          this.add(
            'ignored-file',
            childRel,
            `${this.relPath(childRel)} is a symbolic link. It matches migrations_pattern "${pattern}", but wrangler only lists regular files and skips it. Replace the link with the file itself if it is a migration.`,
          );
        }
      }
    }
    return out;
  }

  /** A non-`.sql` name that looks like a migration: wrangler skips it without a word. */
  private checkLookAlike(name: string, pattern?: string): void {
    const why = ignoredFileReason(name, this.target.migrationsDir, pattern);
    if (why !== null) this.add('ignored-file', name, `${this.relPath(name)} is ignored by wrangler: ${why}`);
  }

  private reportNumberedDirs(dirs: string[]): void {
    const sorted = [...dirs].sort();
    const withMigrationSql = sorted.filter((d) => fs.existsSync(path.join(this.target.migrationsDirAbs, d, 'migration.sql')));
    const shown = sorted.slice(0, 5).join(', ') + (sorted.length > 5 ? `, … (${sorted.length} in all)` : '');
    const hint =
      withMigrationSql.length > 0
        ? `They hold migration.sql files (a prisma/drizzle folder layout). wrangler 4.98 and later can run them with ` +
          `migrations_pattern = "${normalizeRelativePath(`${this.target.migrationsDirSetting}/*/migration.sql`)}" (and migrations_dir = "${this.target.migrationsDirSetting}") on the D1 binding; older wrangler cannot.`
        : `If they hold migrations, move the .sql files up into ${this.target.migrationsDir}/ or set migrations_pattern (wrangler 4.98 and later).`;
    this.findings.push(finding({
      rule: 'ignored-file',
      message: `${this.target.migrationsDir}/ contains numbered folders (${shown}). wrangler does not look inside folders of the migrations directory, so nothing in them is applied. ${hint}`,
    }));
  }

  /** Reads an entry the way wrangler does (`readFileSync(p, "utf8")`); a problem becomes a finding and null. */
  read(entry: Entry): MigrationFile | null {
    const shown = this.relPath(entry.name);
    if (entry.kind === 'directory') {
      this.add(
        UNREADABLE_RULE,
        entry.name,
        `${shown} is a directory whose name ends in ".sql". wrangler 4.86 lists it as a migration and then fails with "EISDIR: illegal operation on a directory" when it gets to it, so it and every later migration are never applied (wrangler 4.98 and later skip it). Rename the directory so its name does not end in ".sql", or move it out of ${this.target.migrationsDir}/.`,
      );
      return null;
    }
    if (entry.kind === 'other') {
      this.add(
        UNREADABLE_RULE,
        entry.name,
        `${shown} is not a regular file (a FIFO, socket or device). wrangler would try to read it as a migration and hang or fail. Remove it from ${this.target.migrationsDir}/.`,
      );
      return null;
    }
    if (entry.kind === 'symlink' && !this.checkSymlink(entry)) return null;

    let buffer: Buffer;
    try {
      buffer = fs.readFileSync(entry.abs);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const what = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : getErrorMessage(error);
      this.add(
        UNREADABLE_RULE,
        entry.name,
        `${shown} cannot be read (${code ?? 'error'}: ${what}). wrangler would fail with the same error when it reaches this migration, leaving it and every later one unapplied. Make the file readable (e.g. chmod a+r ${shown}).`,
      );
      return null;
    }

    if (buffer.includes(0)) {
      const utf16 = buffer.length >= 2 && ((buffer[0] === 0xff && buffer[1] === 0xfe) || (buffer[0] === 0xfe && buffer[1] === 0xff));
      this.add(
        UNREADABLE_RULE,
        entry.name,
        utf16
          ? `${shown} is encoded as UTF-16 (it starts with a UTF-16 byte order mark). wrangler reads migrations as UTF-8, so D1 would receive unreadable SQL and the migration would fail. Re-save the file as UTF-8.`
          : `${shown} contains NUL bytes: it is binary, not SQL text (a database file or an archive with a .sql name?). wrangler would send it to D1 as text and the migration would fail. Move it out of ${this.target.migrationsDir}/.`,
      );
      return null;
    }

    const sql = buffer.toString('utf8');
    if (!isUtf8(buffer)) {
      const index = sql.indexOf('\uFFFD');
      const line = index < 0 ? 1 : countLines(sql, index);
      this.add(
        UNREADABLE_RULE,
        entry.name,
        `${shown} is not valid UTF-8 (first bad byte on line ${line}). wrangler reads it as UTF-8 and replaces each invalid byte with U+FFFD (�), so the SQL D1 runs differs from the file and text in string literals is stored corrupted. Re-save the file as UTF-8 (it is probably Latin-1 or Windows-1252).`,
        line,
      );
    }

    const first = entry.name.split('/')[0]!;
    return {
      name: entry.name,
      path: entry.abs,
      relPath: shown,
      number: entry.name.includes('/') ? finiteOrNull(parseInt(first.split('_')[0]!, 10)) : wrangler486Number(entry.name),
      numberText: leadingDigits(first),
      sql,
      bytes: buffer.length,
    };
  }

  /** A symlink is only followed when its target exists, is a file and stays inside the working directory. */
  private checkSymlink(entry: Entry): boolean {
    const shown = this.relPath(entry.name);
    let real: string;
    try {
      real = fs.realpathSync(entry.abs);
    } catch {
      let target = '?';
      try {
        target = fs.readlinkSync(entry.abs);
      } catch {
        // keep '?': the link vanished between listing and reading
      }
      this.add(
        UNREADABLE_RULE,
        entry.name,
        `${shown} is a symbolic link to "${target}", which does not exist. wrangler 4.86 lists it and fails with ENOENT when it reaches it, so it and every later migration are never applied. Remove the link or restore the file it points to.`,
      );
      return false;
    }
    this.realCwd ??= fs.realpathSync(this.cwd);
    if (!isInside(this.realCwd, real)) {
      this.add(
        UNREADABLE_RULE,
        entry.name,
        `${shown} is a symbolic link to ${real}, outside the working directory ${this.realCwd}; it was not read. Replace the link with the migration file itself.`,
      );
      return false;
    }
    if (fs.statSync(real).isDirectory()) {
      this.add(
        UNREADABLE_RULE,
        entry.name,
        `${shown} is a symbolic link to a directory. wrangler 4.86 lists it as a migration and fails with "EISDIR: illegal operation on a directory" when it reaches it. Remove the link or rename it so it does not end in ".sql".`,
      );
      return false;
    }
    this.add(
      'ignored-file',
      entry.name,
      `${shown} is a symbolic link. wrangler 4.86 applies the file it points to, but wrangler 4.98 and later list only regular files and skip it, so whether it runs depends on the wrangler version. Replace the link with a copy of the file.`,
    );
    return true;
  }
}

function kindOf(dirent: fs.Dirent): Entry['kind'] {
  if (dirent.isFile()) return 'file';
  if (dirent.isSymbolicLink()) return 'symlink';
  if (dirent.isDirectory()) return 'directory';
  return 'other';
}

function finiteOrNull(n: number): number | null {
  return Number.isNaN(n) ? null : n;
}

function countLines(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
