import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** File names wrangler looks for, in its order of precedence. */
export const CONFIG_FILE_NAMES = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'] as const;

/**
 * Absolute path of the wrangler config file to use.
 *
 * With `explicit` (the `config` input, relative to `cwd`) the file must exist. Otherwise this searches
 * the way wrangler's `findWranglerConfig` does (workers-utils config-helpers.ts, via empathic's
 * `find.file`): for each name in precedence order it walks from `cwd` up to the filesystem root, so
 * a `wrangler.json` in a parent directory wins over a `wrangler.toml` in `cwd`. Matching that exactly
 * matters because the apply phase runs wrangler from the same directory and must read the same file.
 *
 * `.wrangler/deploy/config.json` redirects are deliberately not followed: wrangler only honours them
 * for deploy/dev/versions commands, never for `d1 migrations`.
 */
export function findConfig(cwd: string, explicit?: string): string {
  const base = path.resolve(cwd);
  // Without this, a mistyped working directory silently picks up a config from a parent directory.
  let cwdStat: fs.Stats | undefined;
  try {
    cwdStat = fs.statSync(base);
  } catch {
    cwdStat = undefined;
  }
  if (!cwdStat?.isDirectory()) {
    throw new UsageError(
      `working-directory (--cwd): ${base} ${cwdStat ? 'is a file, not a directory' : 'does not exist'}. Set working-directory to the directory of your Worker project (relative to the workspace).`,
    );
  }
  if (explicit !== undefined && explicit.trim() !== '') {
    const abs = path.resolve(base, explicit);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(
        `config: the file "${explicit}" does not exist (looked for ${abs}, relative to the working directory ${base}). ` +
          `Set config to the path of your wrangler.json, wrangler.jsonc or wrangler.toml relative to the working directory, or leave it empty to search the way wrangler does.`,
      );
    }
    if (!stat.isFile()) {
      throw new UsageError(
        `config: "${explicit}" (${abs}) is a directory, not a file. Set config to the wrangler.json, wrangler.jsonc or wrangler.toml file itself.`,
      );
    }
    return abs;
  }

  const dirs = ancestors(base);
  for (const name of CONFIG_FILE_NAMES) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isFile(candidate)) return candidate;
    }
  }
  throw new UsageError(
    `config: no wrangler configuration file found. Looked for ${CONFIG_FILE_NAMES.join(', ')} in ${dirs.join(', ')} ` +
      `(the working directory and every directory above it, as wrangler does). ` +
      `Set working-directory to your Worker project or set config to the file's path.`,
  );
}

function ancestors(start: string): string[] {
  const out: string[] = [];
  let dir = start;
  for (;;) {
    out.push(dir);
    const parent = path.dirname(dir);
    if (parent === dir) return out;
    dir = parent;
  }
}

// empathic uses statSync(...).isFile(): symlinks to files count, directories named wrangler.toml do not.
function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
