// Builds dist/: tsc (ESM) → ncc bundles for the action and the CLI → the SQLite WASM files beside them.
// The SQLite module is loaded at run time from dist/sqlite/ rather than bundled: webpack rewrites its
// `await import("node:module")` into something that has no createRequire.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

rmSync(join(root, 'build'), { recursive: true, force: true });
rmSync(join(root, 'dist'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
run(bin('ncc'), ['build', 'build/src/index.js', '-o', 'dist', '--license', 'licenses.txt', '--quiet']);
run(bin('ncc'), ['build', 'build/src/cli/index.js', '-o', 'dist/cli', '--license', 'licenses.txt', '--quiet']);
// The data check's twin in a worker thread (src/replay/data/parallel.ts finds it beside either bundle).
run(bin('ncc'), ['build', 'build/src/replay/data/twin-main.js', '-o', 'dist/twin', '--license', 'licenses.txt', '--quiet']);

const sqliteDir = dirname(createRequire(import.meta.url).resolve('@sqlite.org/sqlite-wasm'));
mkdirSync(join(root, 'dist', 'sqlite'), { recursive: true });
for (const f of ['node.mjs', 'sqlite3.wasm']) copyFileSync(join(sqliteDir, f), join(root, 'dist', 'sqlite', f));

const cli = join(root, 'dist', 'cli', 'index.js');
const code = readFileSync(cli, 'utf8');
if (!code.startsWith('#!')) writeFileSync(cli, '#!/usr/bin/env node\n' + code);
chmodSync(cli, 0o755);
rmSync(join(root, 'build'), { recursive: true, force: true });
