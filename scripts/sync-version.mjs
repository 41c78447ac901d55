// Run by `npm version` (the "version" script, which then rebuilds dist/): writes package.json's version into
// src/version.ts, so that `d1-migrate --version` and the SARIF tool version say what npm publishes.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const file = join(root, 'src', 'version.ts');
const text = readFileSync(file, 'utf8');
const next = text.replace(/export const VERSION = '[^']*';/, `export const VERSION = '${version}';`);
if (next === text && !text.includes(`'${version}'`)) throw new Error('src/version.ts has no VERSION constant to update');
writeFileSync(file, next);
console.log(`src/version.ts: ${version}`);
