#!/usr/bin/env node
// Findings per migration on the shared real-world corpus (../shared/corpus), by rule and set: the noise
// figure of the validate phase. Runs the built CLI (`npm run build` first) the way a user would:
//
//   node bench/corpus-findings.mjs [--dist DIR] [--json OUT] [--compare BEFORE.json]
//
//   --dist DIR        the build to run (default ./dist)
//   --json OUT        also write the raw counts (set → rule → severity → n) to OUT
//   --compare FILE    print a before/after table against counts written earlier with --json
//
// Each set is validated with the config, binding and environment its README row names (corpus/README.md).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const argv = process.argv.slice(2);
const value = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
const DIST = resolve(value('--dist') ?? join(ROOT, 'dist'));
const CLI = join(DIST, 'cli', 'index.js');
const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');

if (!existsSync(CORPUS)) {
  console.error(`corpus-findings: no corpus at ${CORPUS} (it sits beside the clone as ../shared/corpus)`);
  process.exit(2);
}
if (!existsSync(CLI)) {
  console.error(`corpus-findings: ${CLI} is missing: run npm run build`);
  process.exit(2);
}

/** set → CLI flags (README table: config / binding / environment). */
const SETS = {
  cloudflare__wildebeest: ['--database', 'DATABASE'],
  'cloudflare__templates__d1-template': ['--config', 'wrangler.json', '--database', 'DB'],
  'cloudflare__templates__saas-admin-template': ['--config', 'wrangler.jsonc', '--database', 'DB'],
  beilunyang__moemail: ['--config', 'wrangler.toml', '--database', 'DB'],
  'redwoodjs__sdk__experiments-billable': ['--config', 'wrangler.toml', '--database', 'DB'],
  'storacha__w3up__access-api': ['--config', 'wrangler.toml', '--database', '__D1_BETA__'],
  'zpg6__better-auth-cloudflare__examples-hono': ['--config', 'wrangler.toml', '--database', 'DATABASE'],
  'funvill__cultural-archiver__workers-ab6b4f0': ['--config', 'wrangler.toml', '--database', 'DB', '--env', 'production'],
};

const counts = {};
const files = {};
for (const [set, flags] of Object.entries(SETS)) {
  const r = spawnSync(process.execPath, [CLI, 'validate', '--format', 'json', '--cwd', join(CORPUS, set), ...flags], { encoding: 'utf8', maxBuffer: 64 << 20 });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    console.error(`corpus-findings: ${set}: no JSON (exit ${r.status})\n${r.stdout}\n${r.stderr}`);
    process.exit(1);
  }
  const db = report.databases[0];
  files[set] = db.migrations.length;
  counts[set] = {};
  for (const f of db.findings) {
    const byRule = (counts[set][f.rule] ??= {});
    byRule[f.severity] = (byRule[f.severity] ?? 0) + 1;
  }
}
const out = { files, counts };
if (value('--json')) writeFileSync(value('--json'), `${JSON.stringify(out, null, 2)}\n`);

const before = value('--compare') ? JSON.parse(readFileSync(value('--compare'), 'utf8')) : undefined;
const total = (c) => Object.values(c ?? {}).reduce((n, s) => n + Object.values(s).reduce((a, b) => a + b, 0), 0);
const cell = (c) => (c ? Object.entries(c).map(([sev, n]) => `${n} ${sev === 'error' ? 'E' : sev === 'warning' ? 'W' : sev}`).join(' + ') : '—');
const short = (set) => set.split('__').slice(1).join('/') || set;

const rules = [...new Set([...Object.values(counts), ...Object.values(before?.counts ?? {})].flatMap((c) => Object.keys(c)))].sort();
const sets = Object.keys(SETS);
console.log(`| rule | ${sets.map(short).join(' | ')} |`);
console.log(`|---|${sets.map(() => '---').join('|')}|`);
for (const rule of rules) {
  const row = sets.map((s) => {
    const now = cell(counts[s][rule]);
    if (!before) return now;
    const was = cell(before.counts[s]?.[rule]);
    return was === now ? now : `${was} → ${now}`;
  });
  console.log(`| ${rule} | ${row.join(' | ')} |`);
}
const perFile = (c, n) => (n ? (total(c) / n).toFixed(2) : '0');
console.log(`| **files** | ${sets.map((s) => files[s]).join(' | ')} |`);
console.log(
  `| **findings / migration** | ${sets
    .map((s) => (before ? `${perFile(before.counts[s], before.files[s])} → ${perFile(counts[s], files[s])}` : perFile(counts[s], files[s])))
    .join(' | ')} |`,
);
const all = (d) => ({ n: Object.values(d.files).reduce((a, b) => a + b, 0), f: Object.values(d.counts).reduce((a, c) => a + total(c), 0) });
const now = all(out);
const was = before ? all(before) : undefined;
console.log(
  `\nWhole corpus: ${was ? `${was.f} findings on ${was.n} migrations (${(was.f / was.n).toFixed(2)}/migration) → ` : ''}${now.f} findings on ${now.n} migrations (${(now.f / now.n).toFixed(2)}/migration)`,
);
