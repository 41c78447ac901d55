// Writes schema/d1-migrate.schema.json (the JSON schema of .d1-migrate.toml) from src/config/project-config-schema.ts,
// which builds it from the same lists the parser checks against. __tests__/config/project-config-schema.test.ts
// fails when the committed file differs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
// Inside the checkout (build/ is git-ignored) so that the compiled modules find node_modules.
mkdirSync(join(root, 'build'), { recursive: true });
const out = mkdtempSync(join(root, 'build', 'schema-'));
try {
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', out], { cwd: root, stdio: 'inherit' });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  const { projectConfigSchema } = await import(pathToFileURL(join(out, 'src', 'config', 'project-config-schema.js')).href);
  mkdirSync(join(root, 'schema'), { recursive: true });
  writeFileSync(join(root, 'schema', 'd1-migrate.schema.json'), JSON.stringify(projectConfigSchema(), null, 2) + '\n');
  console.log('wrote schema/d1-migrate.schema.json');
} finally {
  rmSync(out, { recursive: true, force: true });
}
