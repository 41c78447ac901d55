import fs from 'node:fs';
import path from 'node:path';
import { isInside } from './paths.js';

/**
 * The repository root a working directory belongs to: GITHUB_WORKSPACE when the directory lies inside it (the
 * checkout on a runner), else the nearest directory holding `.git` (a directory, or the file of a worktree or a
 * submodule: what `git rev-parse --show-toplevel` answers, without running git), else undefined.
 *
 * Code scanning maps a SARIF location to a file by its path from the repository root, and `.d1-migrate.toml`
 * may sit there when the Worker project lives in a subfolder.
 */
export function repositoryRoot(cwd: string, env: NodeJS.ProcessEnv = {}): string | undefined {
  const start = path.resolve(cwd);
  const workspace = env.GITHUB_WORKSPACE ? path.resolve(env.GITHUB_WORKSPACE) : undefined;
  if (workspace && isInside(workspace, start)) return workspace;
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}
