/**
 * Cases for the replay's data check (`rows-lost`, `fails-with-data`), each proven against REAL wrangler 4.86
 * local D1 by wrangler-truth.int.test.ts: setup migrations are applied, `seed` fills them with realistic rows
 * (the seed is NOT a migration), then `migration` is applied and the rows are compared.
 *
 * `expect.lost`: pre-existing tables that lose rows by the rule's definition (see truth.ts): the migration
 * does not DELETE from, UPDATE or upsert them, and either (not dropped or renamed away) a row vanished or
 * changed in a column kept, or (dropped or renamed away, its rows copied) the re-created table has fewer
 * rows. `expect.fails`: the migration applies on an empty database but fails with the rows present.
 * `expect.error`: a fragment of SQLite's message wrangler prints when it fails.
 *
 * Every risky case has a safe counterpart (lost: [], fails: false). Seeds have >= 2 rows per setup table,
 * consistent with the foreign keys. Migrations that only hit rows matching a WHERE are avoided on purpose:
 * the replay fills tables with synthetic rows, so the statements here touch every row.
 */

export interface DataCheckCase {
  id: string;
  description: string;
  /** Migrations applied before the seed. */
  setup: [string, string][];
  /** SQL inserting realistic rows into the setup tables (run with `wrangler d1 execute`, not a migration). */
  seed: string;
  /** The migration under test. */
  migration: [string, string];
  expect: {
    /** Pre-existing tables that lose rows (the definition in truth.ts), sorted. */
    lost: string[];
    /** The migration fails with the seeded rows present (it succeeds on an empty database). */
    fails: boolean;
    /** A fragment of the SQLite error wrangler reports when `fails`. */
    error?: string;
    /** The boundary value the replay's fails-with-data names (`NULL in submissions.grade`; see boundary.ts). */
    fill?: string;
  };
}

// ---- shared schemas (drizzle-kit style, as generated for D1) -------------------------------------------

const USERS_SESSIONS_CASCADE: [string, string] = [
  '0000_init.sql',
  `CREATE TABLE \`users\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`email\` text NOT NULL,
\t\`name\` text,
\t\`created_at\` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);--> statement-breakpoint
CREATE TABLE \`sessions\` (
\t\`id\` text PRIMARY KEY NOT NULL,
\t\`user_id\` integer NOT NULL,
\t\`expires_at\` integer NOT NULL,
\tFOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX \`sessions_user_id_idx\` ON \`sessions\` (\`user_id\`);
`,
];

const USERS_SESSIONS_SEED = `INSERT INTO users (id, email, name, created_at) VALUES
  (1, 'Alice@Example.com', 'Alice', 1718000000),
  (2, 'bob@example.com', 'Bob', 1718003600),
  (3, 'Carol.Smith@Example.org', NULL, 1718007200);
INSERT INTO sessions (id, user_id, expires_at) VALUES
  ('sess_9f2c1a', 1, 1720000000),
  ('sess_4be771', 1, 1720003600),
  ('sess_0d81aa', 2, 1720007200),
  ('sess_77c3e0', 3, 1720010800);
`;

/** drizzle-kit's rebuild of `users` (here: `name` becomes NOT NULL with a default). */
const DRIZZLE_REBUILD_USERS = `PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE \`__new_users\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`email\` text NOT NULL,
\t\`name\` text DEFAULT '' NOT NULL,
\t\`created_at\` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
INSERT INTO \`__new_users\`("id", "email", "name", "created_at") SELECT "id", "email", coalesce("name", ''), "created_at" FROM \`users\`;--> statement-breakpoint
DROP TABLE \`users\`;--> statement-breakpoint
ALTER TABLE \`__new_users\` RENAME TO \`users\`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);
`;

const USERS_POSTS = (onDelete: string, authorNotNull = false): [string, string] => [
  '0000_init.sql',
  `CREATE TABLE \`users\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`email\` text NOT NULL,
\t\`name\` text,
\t\`created_at\` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);--> statement-breakpoint
CREATE TABLE \`posts\` (
\t\`id\` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
\t\`author_id\` integer${authorNotNull ? ' NOT NULL' : ''},
\t\`title\` text NOT NULL,
\t\`body\` text,
\tFOREIGN KEY (\`author_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE ${onDelete}
);
`,
];

const USERS_POSTS_SEED = `INSERT INTO users (id, email, name, created_at) VALUES
  (1, 'Alice@Example.com', 'Alice', 1718000000),
  (2, 'bob@example.com', 'Bob', 1718003600);
INSERT INTO posts (author_id, title, body) VALUES
  (1, 'Hello D1', 'First post'),
  (1, 'Migrations', NULL),
  (2, 'Foreign keys', 'They are always on');
`;

const ORDERS_TRIGGER: [string, string] = [
  '0000_orders.sql',
  `CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  customer TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'new',
  total REAL NOT NULL
);
CREATE TABLE order_cache (
  order_id INTEGER PRIMARY KEY REFERENCES orders(id),
  summary TEXT NOT NULL,
  cached_at INTEGER NOT NULL
);
CREATE TRIGGER orders_invalidate_cache AFTER UPDATE OF status ON orders
BEGIN
  DELETE FROM order_cache WHERE order_id = OLD.id;
END;
`,
];

const ORDERS_SEED = `INSERT INTO orders (id, customer, status, total) VALUES
  (100, 'ACME Corp', 'new', 19.99),
  (101, 'Globex', 'shipped', 250.00),
  (102, 'Initech', 'delivered', 7.50);
INSERT INTO order_cache (order_id, summary, cached_at) VALUES
  (100, '1 item, 19.99', 1718000000),
  (101, '3 items, 250.00', 1718000100),
  (102, '1 item, 7.50', 1718000200);
`;

// ---- the cases -----------------------------------------------------------------------------------------

export const DATA_CHECK_CASES: DataCheckCase[] = [
  // 1. cascade via DROP
  {
    id: 'cascade-drop-rebuild',
    description: 'drizzle rebuild of users; sessions.user_id ON DELETE CASCADE: DROP TABLE users deletes every session',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: ['0001_users_name_not_null.sql', DRIZZLE_REBUILD_USERS],
    expect: { lost: ['sessions'], fails: false },
  },
  {
    id: 'cascade-safe-add-column',
    description: 'safe counterpart: ALTER TABLE users ADD COLUMN instead of a rebuild',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: ['0001_users_role.sql', "ALTER TABLE `users` ADD `role` text DEFAULT 'member' NOT NULL;\n"],
    expect: { lost: [], fails: false },
  },
  {
    id: 'cascade-safe-rebuild-children-too',
    description:
      'safe counterpart: rebuild users AND sessions in one file, child first dropped, new child referencing __new_users (the rename re-points it to users)',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: [
      '0001_rebuild_users_and_sessions.sql',
      `PRAGMA foreign_keys=OFF;
CREATE TABLE \`__new_users\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`email\` text NOT NULL,
\t\`name\` text DEFAULT '' NOT NULL,
\t\`created_at\` integer DEFAULT (unixepoch()) NOT NULL
);
INSERT INTO \`__new_users\`("id", "email", "name", "created_at") SELECT "id", "email", coalesce("name", ''), "created_at" FROM \`users\`;
CREATE TABLE \`__new_sessions\` (
\t\`id\` text PRIMARY KEY NOT NULL,
\t\`user_id\` integer NOT NULL,
\t\`expires_at\` integer NOT NULL,
\tFOREIGN KEY (\`user_id\`) REFERENCES \`__new_users\`(\`id\`) ON UPDATE no action ON DELETE cascade
);
INSERT INTO \`__new_sessions\`("id", "user_id", "expires_at") SELECT "id", "user_id", "expires_at" FROM \`sessions\`;
DROP TABLE \`sessions\`;
DROP TABLE \`users\`;
ALTER TABLE \`__new_users\` RENAME TO \`users\`;
ALTER TABLE \`__new_sessions\` RENAME TO \`sessions\`;
PRAGMA foreign_keys=ON;
CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);
CREATE INDEX \`sessions_user_id_idx\` ON \`sessions\` (\`user_id\`);
`,
    ],
    expect: { lost: [], fails: false },
  },

  {
    id: 'rebuild-both-parent-first',
    description:
      'drizzle rebuilds users, THEN sessions (REFERENCES users ON DELETE CASCADE): DROP TABLE users cascades into sessions before sessions is copied, so the rebuilt sessions is empty',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: [
      '0001_rebuild_users_then_sessions.sql',
      `PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE \`__new_users\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`email\` text NOT NULL,
\t\`name\` text DEFAULT '' NOT NULL,
\t\`created_at\` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
INSERT INTO \`__new_users\`("id", "email", "name", "created_at") SELECT "id", "email", coalesce("name", ''), "created_at" FROM \`users\`;--> statement-breakpoint
DROP TABLE \`users\`;--> statement-breakpoint
ALTER TABLE \`__new_users\` RENAME TO \`users\`;--> statement-breakpoint
CREATE TABLE \`__new_sessions\` (
\t\`id\` text PRIMARY KEY NOT NULL,
\t\`user_id\` integer NOT NULL,
\t\`expires_at\` integer NOT NULL,
\t\`ip\` text,
\tFOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO \`__new_sessions\`("id", "user_id", "expires_at") SELECT "id", "user_id", "expires_at" FROM \`sessions\`;--> statement-breakpoint
DROP TABLE \`sessions\`;--> statement-breakpoint
ALTER TABLE \`__new_sessions\` RENAME TO \`sessions\`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);--> statement-breakpoint
CREATE INDEX \`sessions_user_id_idx\` ON \`sessions\` (\`user_id\`);
`,
    ],
    expect: { lost: ['sessions'], fails: false },
  },
  {
    id: 'rebuild-both-children-first',
    description:
      'safe counterpart: both new tables created first (the new child REFERENCES __new_users), parent then child copied, the old child dropped before the old parent, then both renamed',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: [
      '0001_rebuild_users_and_sessions.sql',
      `PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE \`__new_users\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`email\` text NOT NULL,
\t\`name\` text DEFAULT '' NOT NULL,
\t\`created_at\` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
CREATE TABLE \`__new_sessions\` (
\t\`id\` text PRIMARY KEY NOT NULL,
\t\`user_id\` integer NOT NULL,
\t\`expires_at\` integer NOT NULL,
\t\`ip\` text,
\tFOREIGN KEY (\`user_id\`) REFERENCES \`__new_users\`(\`id\`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO \`__new_users\`("id", "email", "name", "created_at") SELECT "id", "email", coalesce("name", ''), "created_at" FROM \`users\`;--> statement-breakpoint
INSERT INTO \`__new_sessions\`("id", "user_id", "expires_at") SELECT "id", "user_id", "expires_at" FROM \`sessions\`;--> statement-breakpoint
DROP TABLE \`sessions\`;--> statement-breakpoint
DROP TABLE \`users\`;--> statement-breakpoint
ALTER TABLE \`__new_users\` RENAME TO \`users\`;--> statement-breakpoint
ALTER TABLE \`__new_sessions\` RENAME TO \`sessions\`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);--> statement-breakpoint
CREATE INDEX \`sessions_user_id_idx\` ON \`sessions\` (\`user_id\`);
`,
    ],
    expect: { lost: [], fails: false },
  },

  // 2. SET NULL via DROP
  {
    id: 'set-null-drop-rebuild',
    description: 'drizzle rebuild of users; posts.author_id ON DELETE SET NULL: every post loses its author',
    setup: [USERS_POSTS('set null')],
    seed: USERS_POSTS_SEED,
    migration: ['0001_users_name_not_null.sql', DRIZZLE_REBUILD_USERS],
    expect: { lost: ['posts'], fails: false },
  },
  {
    id: 'set-null-safe-rebuild-child',
    description: 'safe counterpart: rebuild the child (posts) — nothing references it, users is untouched',
    setup: [USERS_POSTS('set null')],
    seed: USERS_POSTS_SEED,
    migration: [
      '0001_posts_title_default.sql',
      `PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE \`__new_posts\` (
\t\`id\` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
\t\`author_id\` integer,
\t\`title\` text DEFAULT 'untitled' NOT NULL,
\t\`body\` text,
\tFOREIGN KEY (\`author_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO \`__new_posts\`("id", "author_id", "title", "body") SELECT "id", "author_id", "title", "body" FROM \`posts\`;--> statement-breakpoint
DROP TABLE \`posts\`;--> statement-breakpoint
ALTER TABLE \`__new_posts\` RENAME TO \`posts\`;--> statement-breakpoint
PRAGMA foreign_keys=ON;
`,
    ],
    expect: { lost: [], fails: false },
  },
  {
    id: 'set-null-not-null-child-drop-rebuild',
    description: 'ON DELETE SET NULL on a NOT NULL column: the DROP cannot null the children and the migration fails',
    setup: [USERS_POSTS('set null', true)],
    seed: USERS_POSTS_SEED,
    migration: ['0001_users_name_not_null.sql', DRIZZLE_REBUILD_USERS],
    expect: { lost: [], fails: true, error: 'NOT NULL constraint failed' },
  },

  // 3. REPLACE conflict
  {
    id: 'replace-conflict',
    description:
      'INSERT OR REPLACE over existing ids: each users row is deleted (cascading to sessions) and re-inserted with unlisted columns reset to defaults',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: ['0001_lowercase_emails.sql', 'INSERT OR REPLACE INTO users (id, email) SELECT id, lower(email) FROM users;\n'],
    expect: { lost: ['sessions', 'users'], fails: false },
  },
  {
    id: 'replace-safe-update',
    description: 'safe counterpart: UPDATE users SET email = lower(email)',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: ['0001_lowercase_emails.sql', 'UPDATE users SET email = lower(email);\n'],
    expect: { lost: [], fails: false },
  },

  // 4. trigger delete
  {
    id: 'trigger-delete',
    description: 'UPDATE orders SET status fires AFTER UPDATE OF status, which deletes from order_cache',
    setup: [ORDERS_TRIGGER],
    seed: ORDERS_SEED,
    migration: ['0001_status_upper.sql', 'UPDATE orders SET status = upper(status);\n'],
    expect: { lost: ['order_cache'], fails: false },
  },
  {
    id: 'trigger-safe-other-column',
    description: 'safe counterpart: updating total does not fire the AFTER UPDATE OF status trigger',
    setup: [ORDERS_TRIGGER],
    seed: ORDERS_SEED,
    migration: ['0001_total_cents.sql', 'UPDATE orders SET total = round(total * 100);\n'],
    expect: { lost: [], fails: false },
  },

  // 5. rename-to-old then drop
  {
    id: 'rename-old-drop',
    description:
      'ALTER TABLE users RENAME TO users_old re-points sessions to users_old; DROP TABLE users_old then cascades into sessions',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: [
      '0001_users_rebuild_old.sql',
      `ALTER TABLE users RENAME TO users_old;
CREATE TABLE users (
  id integer PRIMARY KEY NOT NULL,
  email text NOT NULL,
  name text DEFAULT '' NOT NULL,
  created_at integer DEFAULT (unixepoch()) NOT NULL
);
INSERT INTO users (id, email, name, created_at) SELECT id, email, coalesce(name, ''), created_at FROM users_old;
DROP TABLE users_old;
CREATE UNIQUE INDEX users_email_unique ON users (email);
`,
    ],
    expect: { lost: ['sessions'], fails: false },
  },
  {
    id: 'rename-old-safe-child',
    description: 'safe counterpart: the same rename-to-old rebuild of sessions, which nothing references',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: [
      '0001_sessions_rebuild_old.sql',
      `ALTER TABLE sessions RENAME TO sessions_old;
CREATE TABLE sessions (
  id text PRIMARY KEY NOT NULL,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  expires_at integer NOT NULL,
  ip text
);
INSERT INTO sessions (id, user_id, expires_at) SELECT id, user_id, expires_at FROM sessions_old;
DROP TABLE sessions_old;
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
`,
    ],
    expect: { lost: [], fails: false },
  },

  // 6. NO ACTION rebuild
  {
    id: 'no-action-rebuild-deferred',
    description:
      'drizzle rebuild of users with PRAGMA defer_foreign_keys = on; posts.author_id NO ACTION: fails at the end of the file',
    setup: [USERS_POSTS('no action')],
    seed: USERS_POSTS_SEED,
    migration: ['0001_users_name_not_null.sql', `PRAGMA defer_foreign_keys = on;\n${DRIZZLE_REBUILD_USERS}`],
    expect: { lost: [], fails: true, error: 'FOREIGN KEY constraint failed' },
  },
  {
    id: 'no-action-rebuild-deferred-then-off',
    description:
      "prisma's RedefineTables shape: the same rebuild between PRAGMA defer_foreign_keys = on and = off. Turning the pragma off discards the violations counted at the DROP (SQLite resets its deferred-immediate counter), so the file applies and posts keep their rows",
    setup: [USERS_POSTS('no action')],
    seed: USERS_POSTS_SEED,
    migration: ['0001_users_name_not_null.sql', `PRAGMA defer_foreign_keys = on;\n${DRIZZLE_REBUILD_USERS}PRAGMA defer_foreign_keys = off;\n`],
    expect: { lost: [], fails: false },
  },
  {
    id: 'no-action-rebuild',
    description: 'the same rebuild without defer_foreign_keys: fails at DROP TABLE users',
    setup: [USERS_POSTS('no action')],
    seed: USERS_POSTS_SEED,
    migration: ['0001_users_name_not_null.sql', DRIZZLE_REBUILD_USERS],
    expect: { lost: [], fails: true, error: 'FOREIGN KEY constraint failed' },
  },
  {
    id: 'no-action-safe-add-column',
    description: 'safe counterpart: ALTER TABLE users ADD COLUMN',
    setup: [USERS_POSTS('no action')],
    seed: USERS_POSTS_SEED,
    migration: ['0001_users_bio.sql', 'PRAGMA defer_foreign_keys = on;\nALTER TABLE `users` ADD `bio` text;\n'],
    expect: { lost: [], fails: false },
  },

  // 7. fails only with rows present
  {
    id: 'add-not-null-column',
    description: 'ADD COLUMN ... NOT NULL without a default: SQLite >= 3.37 rejects it only when the table has rows',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: ['0001_users_tenant.sql', 'ALTER TABLE `users` ADD `tenant_id` integer NOT NULL;\n'],
    expect: { lost: [], fails: true, error: 'Cannot add a NOT NULL column with default value NULL' },
  },
  {
    id: 'add-not-null-column-safe-default',
    description: 'safe counterpart: ADD COLUMN ... NOT NULL DEFAULT 0',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: ['0001_users_tenant.sql', 'ALTER TABLE `users` ADD `tenant_id` integer DEFAULT 0 NOT NULL;\n'],
    expect: { lost: [], fails: false },
  },
  {
    id: 'unique-index-on-defaulted-column',
    description: "ADD COLUMN slug DEFAULT '' then CREATE UNIQUE INDEX on it: every row has '' — duplicates",
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: [
      '0001_users_slug.sql',
      "ALTER TABLE `users` ADD `slug` text DEFAULT '' NOT NULL;--> statement-breakpoint\nCREATE UNIQUE INDEX `users_slug_unique` ON `users` (`slug`);\n",
    ],
    expect: { lost: [], fails: true, error: 'UNIQUE constraint failed' },
  },
  {
    id: 'unique-index-on-null-column-safe',
    description: 'safe counterpart: the new column defaults to NULL, and NULLs never collide in a UNIQUE index',
    setup: [USERS_SESSIONS_CASCADE],
    seed: USERS_SESSIONS_SEED,
    migration: ['0001_users_slug.sql', 'ALTER TABLE `users` ADD `slug` text;--> statement-breakpoint\nCREATE UNIQUE INDEX `users_slug_unique` ON `users` (`slug`);\n'],
    expect: { lost: [], fails: false },
  },
];
