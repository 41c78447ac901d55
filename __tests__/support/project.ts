import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throw-away Worker project: files maps relative paths to contents. */
export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'd1-project-'));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

export const TOML_DB = `name = "t"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "test-db"\ndatabase_id = "11111111-1111-4111-8111-111111111111"\n`;

/** The seed project: two files numbered 0001, the second needing a table the first creates. */
export function seedProject(): string {
  return makeProject({
    'wrangler.toml': `name = "jobmatch"\n\n[[env.development.d1_databases]]\nbinding = "DB"\ndatabase_name = "jobmatch-dev"\ndatabase_id = "8140efd5-9912-4e31-981d-0566f1efe9dc"\n\n[[env.production.d1_databases]]\nbinding = "DB"\ndatabase_name = "jobmatch-prod"\ndatabase_id = "06159734-6a06-4c4c-89f6-267e47cb8d30"\n`,
    'migrations/0001_initial_schema.sql': `CREATE TABLE users (\n  id TEXT PRIMARY KEY,\n  email TEXT NOT NULL UNIQUE\n);\n`,
    'migrations/0001_create_tracked_applications.sql': `-- Tracked applications\nCREATE TABLE tracked_applications (\n  id TEXT PRIMARY KEY,\n  user_id TEXT NOT NULL REFERENCES users(id)\n);\nCREATE INDEX idx_tracked_user ON tracked_applications(user_id);\nINSERT INTO tracked_applications (id, user_id) SELECT 'x', id FROM users WHERE 0;\n`,
    'migrations/README.md': '# migrations\n',
  });
}
