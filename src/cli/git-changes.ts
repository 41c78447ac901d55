import { execFileSync } from 'node:child_process';
import { relative, resolve, sep } from 'node:path';
import { isInside } from '../config/paths.js';
import { getErrorMessage, UsageError } from '../errors.js';
import type { ChangedFile, ChangeSet } from '../types.js';

/**
 * `--since <ref>`: the files changed between `ref` and the working tree (committed, staged, unstaged and
 * untracked), as a change set the engine judges — the CLI's counterpart of a pull request's file list,
 * for pre-push hooks. git is asked with `-z`, so file names with newlines or quotes come through intact.
 */
export function gitChangeSet(cwd: string, ref: string): ChangeSet {
  if (ref.startsWith('-') || /[\0\n]/.test(ref)) {
    throw new UsageError(`Invalid --since: "${ref}". Give a git ref or commit (a branch like origin/main, a tag, a SHA).`);
  }
  const git = (args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel']).trim();
  } catch (error: unknown) {
    throw new UsageError(`--since needs a git repository, but ${cwd} is not inside one (${firstLine(error)}).`);
  }
  try {
    git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`Invalid --since: "${ref}" is not a commit in this repository. Give a branch (origin/main), a tag or a SHA; fetch it first in a shallow clone.`);
  }
  const files: ChangedFile[] = [];
  const diff = git(['diff', '--name-status', '-z', '-M', '--no-color', '--end-of-options', ref, '--']).split('\0');
  for (let i = 0; i < diff.length - 1; ) {
    const status = diff[i++] ?? '';
    if (status.startsWith('R') || status.startsWith('C')) {
      const previous = diff[i++] ?? '';
      const filename = diff[i++] ?? '';
      files.push({ filename, previous_filename: previous, status: status.startsWith('R') ? 'renamed' : 'copied' });
    } else {
      const filename = diff[i++] ?? '';
      files.push({ filename, status: status === 'A' ? 'added' : status === 'D' ? 'removed' : 'modified' });
    }
  }
  for (const filename of git(['ls-files', '-z', '--others', '--exclude-standard', '--full-name', ':/']).split('\0')) {
    if (filename) files.push({ filename, status: 'added' });
  }
  // isInside tests whole segments: a working directory named `..db` is below the top, not above it.
  const prefix = isInside(resolve(top), resolve(cwd)) ? relative(resolve(top), resolve(cwd)).split(sep).join('/') : '';
  return { basis: 'since', base: ref, repoPrefix: prefix, files };
}

function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: unknown }).stderr;
  return (typeof stderr === 'string' && stderr.trim() ? stderr : getErrorMessage(error)).trim().split('\n')[0] ?? '';
}
