import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { wranglerChildEnv } from './child-env.js';
import { splitCommandLine } from './split.js';
import { satisfiesNodeRange } from './node-range.js';

/** How wrangler will be started: an executable plus the words that come before wrangler's own arguments. */
export interface WranglerCommand {
  command: string;
  prefixArgs: string[];
  /** Where it came from: the `wrangler` option, the project's node_modules, or npx. */
  source: 'option' | 'project' | 'npx';
  /** For logs: the command line as it will be run. */
  display: string;
  /** wrangler's version, when its package.json was found. */
  version?: string;
  /** Set when this wrangler cannot run on the Node.js that would run it; phases fail with it up front. */
  problem?: string;
}

export const NPX_WRANGLER = ['--yes', 'wrangler@4'];

/**
 * Finds wrangler: the `wrangler` option (a path or a command line, relative to cwd), else
 * `node_modules/.bin/wrangler` in cwd or a parent folder, else `npx --yes wrangler@4`.
 */
export function locateWrangler(cwd: string, option?: string, pathEnv: string | undefined = process.env.PATH): WranglerCommand {
  if (option && option.trim()) {
    const words = splitCommandLine(option.trim());
    if (words.length === 0) throw new Error('the wrangler option is empty');
    const [first, ...rest] = words as [string, ...string[]];
    const resolved = looksLikePath(first) ? path.resolve(cwd, first) : first;
    const resolvedRest = rest.map((w) => (looksLikePath(w) && fs.existsSync(path.resolve(cwd, w)) ? path.resolve(cwd, w) : w));
    return describe({ command: resolved, prefixArgs: resolvedRest, source: 'option' }, pathEnv);
  }
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', '.bin', process.platform === 'win32' ? 'wrangler.cmd' : 'wrangler');
    if (fs.existsSync(bin)) return describe({ command: bin, prefixArgs: [], source: 'project' }, pathEnv);
    if (path.dirname(dir) === dir) break;
  }
  return describe({ command: 'npx', prefixArgs: [...NPX_WRANGLER], source: 'npx' }, pathEnv);
}

function looksLikePath(word: string): boolean {
  return word.includes('/') || word.includes('\\') || word.startsWith('.');
}

function describe(base: Pick<WranglerCommand, 'command' | 'prefixArgs' | 'source'>, pathEnv: string | undefined): WranglerCommand {
  const display = [base.command, ...base.prefixArgs].map((w) => (/\s/.test(w) ? JSON.stringify(w) : w)).join(' ');
  const cmd: WranglerCommand = { ...base, display };
  if (base.source === 'npx') return cmd;
  const runsWithNode = isNodeBinary(base.command);
  const script = runsWithNode ? base.prefixArgs.find((a) => !a.startsWith('-')) : base.command;
  const pkg = script ? wranglerPackageOf(script) : undefined;
  if (!pkg) return cmd;
  cmd.version = pkg.version;
  // A `#!/usr/bin/env node` script runs on the first node on PATH, which need not be the one running us.
  const node = runsWithNode ? base.command : findOnPath('node', pathEnv);
  const nodeVersion = node ? nodeVersionOf(node) : process.version;
  if (pkg.engines && nodeVersion && !satisfiesNodeRange(nodeVersion, pkg.engines)) {
    cmd.problem =
      `wrangler ${pkg.version ?? '(unknown version)'} needs Node.js ${pkg.engines} but this is ${nodeVersion}; ` +
      `pin wrangler@4.86.0 or set up Node ${minimumMajor(pkg.engines) ?? 'a newer version'}` +
      ` (wrangler found at ${script})`;
  }
  return cmd;
}

function isNodeBinary(command: string): boolean {
  return /^node(\.exe)?$/i.test(path.basename(command));
}

function findOnPath(name: string, pathEnv: string | undefined): string | undefined {
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? `${name}.exe` : name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

function nodeVersionOf(nodeBinary: string): string | undefined {
  if (nodeBinary === process.execPath) return process.version;
  try {
    if (fs.realpathSync(nodeBinary) === fs.realpathSync(process.execPath)) return process.version;
  } catch {
    /* not a file path: ask it */
  }
  // The node that will run wrangler may be the project's own: it gets wrangler's allow-list, no job secrets.
  const r = spawnSync(nodeBinary, ['--version'], { encoding: 'utf8', timeout: 10_000, env: wranglerChildEnv(process.env, { remote: false, npx: false }) });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The package.json of the wrangler package a script belongs to (follows the .bin symlink). */
function wranglerPackageOf(script: string): { version?: string; engines?: string } | undefined {
  let real: string;
  try {
    real = fs.realpathSync(script);
  } catch {
    return undefined;
  }
  for (let dir = path.dirname(real), i = 0; i < 4; dir = path.dirname(dir), i++) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string; engines?: { node?: string } };
      if (pkg.name === 'wrangler') return { version: pkg.version, engines: pkg.engines?.node };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function minimumMajor(range: string): number | undefined {
  const m = /(\d+)/.exec(range);
  return m ? Number(m[1]) : undefined;
}
