/**
 * double-quoted-string against REAL wrangler 4.86 and local D1 with rows: a drizzle rebuild copy that names
 * columns the old table does not have applies without an error and writes the names, as text, into every
 * copied row (what the replay reports as an error, and what its data check says it saw); the safe copy
 * (NULL for the new columns) keeps NULLs; an UPDATE … SET col = "name" writes the name into every row.
 * Offline: local D1 only.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayMigrations } from '../../src/replay/index.js';
import { mfiles } from '../replay/files.js';
import { createLocalProject, wranglerApplyLocal } from '../support/wrangler-local.js';
import { wranglerExecLocal } from './truth.js';

const SETUP = `CREATE TABLE \`message\` (\`id\` text PRIMARY KEY NOT NULL, \`email_id\` text NOT NULL, \`from_address\` text NOT NULL, \`subject\` text NOT NULL, \`status\` text);\n`;
const SEED = `INSERT INTO message (id, email_id, from_address, subject, status) VALUES
  ('m1', 'e1', 'ada@example.com', 'Hello', 'new'),
  ('m2', 'e1', 'grace@example.com', 'Re: Hello', 'read'),
  ('m3', 'e2', 'linus@example.com', 'Patch', NULL);`;

const rebuild = (copy: string) => `CREATE TABLE \`__new_message\` (\`id\` text PRIMARY KEY NOT NULL, \`email_id\` text NOT NULL, \`from_address\` text, \`to_address\` text, \`subject\` text NOT NULL, \`status\` text, \`sent_at\` integer);
--> statement-breakpoint
INSERT INTO \`__new_message\`("id", "email_id", "from_address", "to_address", "subject", "status", "sent_at") SELECT ${copy} FROM \`message\`;--> statement-breakpoint
DROP TABLE \`message\`;--> statement-breakpoint
ALTER TABLE \`__new_message\` RENAME TO \`message\`;
`;

interface Case {
  id: string;
  migration: string;
  /** The replay's double-quoted-string severity, or null for none. */
  severity: 'error' | 'warning' | null;
  /** SELECT over message after the migration, and the rows wrangler's D1 must hold. */
  query: string;
  rows: Record<string, unknown>[];
}

const CASES: Case[] = [
  {
    id: 'drizzle copy naming new columns: every copied row holds the names as text',
    migration: rebuild('"id", "email_id", "from_address", "to_address", "subject", "status", "sent_at"'),
    severity: 'error',
    query: 'SELECT DISTINCT to_address, sent_at FROM message',
    rows: [{ to_address: 'to_address', sent_at: 'sent_at' }],
  },
  {
    id: 'safe counterpart: NULL for the new columns',
    migration: rebuild('"id", "email_id", "from_address", NULL, "subject", "status", NULL'),
    severity: null,
    query: 'SELECT DISTINCT to_address, sent_at FROM message',
    rows: [{ to_address: null, sent_at: null }],
  },
  {
    id: 'UPDATE … SET status = "archived": every row holds the text',
    migration: 'UPDATE message SET status = "archived";\n',
    severity: 'error',
    query: 'SELECT DISTINCT status FROM message',
    rows: [{ status: 'archived' }],
  },
  {
    id: 'the same name in a WHERE only compares (a warning): rows keep their values',
    migration: `UPDATE message SET subject = subject || ' (old)' WHERE status = "archived";\n`,
    severity: 'warning',
    query: 'SELECT count(*) AS n FROM message WHERE subject LIKE \'% (old)\'',
    rows: [{ n: 0 }],
  },
];

describe.each(CASES)('$id', (c) => {
  test('real wrangler does it, and the replay reports it so', async () => {
    const replay = await replayMigrations({ files: mfiles(['0000_init.sql', SETUP], ['0001_change.sql', c.migration]), migrationsTable: 'd1_migrations', dataCheck: true });
    const found = replay.findings.filter((f) => f.rule === 'double-quoted-string');
    expect(found.map((f) => f.severity)).toEqual(c.severity ? [c.severity] : []);
    if (c.severity === 'error' && c.rows.length === 1 && Object.values(c.rows[0]!).every((v) => typeof v === 'string')) {
      // The data check saw what wrangler does below: every row holds the text.
      expect(found[0]!.message).toMatch(/The data check ran the file on rows: afterwards all \d+ rows of message hold /);
    }

    const dir = createLocalProject({ files: { 'migrations/0000_init.sql': SETUP }, binding: 'DB' });
    try {
      const project = { dir, binding: 'DB', migrationsDir: 'migrations' };
      expect((await wranglerApplyLocal(dir, 'DB')).exitCode).toBe(0);
      await wranglerExecLocal(project, SEED);
      writeFileSync(join(dir, 'migrations', '0001_change.sql'), c.migration);
      const run = await wranglerApplyLocal(dir, 'DB');
      expect({ exit: run.exitCode, out: run.exitCode ? run.stdout + run.stderr : '' }).toEqual({ exit: 0, out: '' });
      const [result] = await wranglerExecLocal(project, `${c.query};`);
      expect(result!.results).toEqual(c.rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
