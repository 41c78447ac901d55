/**
 * Cases for the data check's second way (src/replay/data/boundary.ts): copies that apply while every column
 * holds a value, and fail on a real database where one row holds NULL, '' or 0 — values the table has
 * allowed all along. Proven against REAL wrangler 4.86 local D1 by wrangler-truth.test.ts, with seeds that
 * hold such rows (an ungraded submission, a user without a nickname, a free product), each with a safe
 * counterpart seeded the same way.
 */
import type { DataCheckCase } from './fixtures.js';

const USERS_SUBMISSIONS: [string, string] = [
  '0000_init.sql',
  `CREATE TABLE \`users\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`email\` text NOT NULL,
\t\`nickname\` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);--> statement-breakpoint
CREATE TABLE \`submissions\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`user_id\` integer NOT NULL,
\t\`body\` text NOT NULL,
\t\`grade\` integer,
\tFOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE cascade
);
`,
];

const USERS_SUBMISSIONS_SEED = `INSERT INTO users (id, email, nickname) VALUES
  (1, 'ada@example.com', 'ada'),
  (2, 'grace@example.com', NULL),
  (3, 'linus@example.com', NULL);
INSERT INTO submissions (id, user_id, body, grade) VALUES
  (10, 1, 'essay one', 87),
  (11, 2, 'essay two', NULL),
  (12, 3, 'essay three', 92);
`;

/** drizzle-kit's rebuild of `submissions` making `grade` NOT NULL; `copy` is the grade expression. */
const submissionsGradeNotNull = (copy: string) => `PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE \`__new_submissions\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`user_id\` integer NOT NULL,
\t\`body\` text NOT NULL,
\t\`grade\` integer DEFAULT 0 NOT NULL,
\tFOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO \`__new_submissions\`("id", "user_id", "body", "grade") SELECT "id", "user_id", "body", ${copy} FROM \`submissions\`;--> statement-breakpoint
DROP TABLE \`submissions\`;--> statement-breakpoint
ALTER TABLE \`__new_submissions\` RENAME TO \`submissions\`;--> statement-breakpoint
PRAGMA foreign_keys=ON;
`;

/** A rebuild of `users` (no table references it... except submissions, rebuilt in the same file, children first). */
const usersNickname = (column: string, copy: string) => `PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE \`__new_users\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`email\` text NOT NULL,
\t\`nickname\` ${column}
);
--> statement-breakpoint
INSERT INTO \`__new_users\`("id", "email", "nickname") SELECT "id", "email", ${copy} FROM \`users\`;--> statement-breakpoint
CREATE TABLE \`__new_submissions\` (
\t\`id\` integer PRIMARY KEY NOT NULL,
\t\`user_id\` integer NOT NULL,
\t\`body\` text NOT NULL,
\t\`grade\` integer,
\tFOREIGN KEY (\`user_id\`) REFERENCES \`__new_users\`(\`id\`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO \`__new_submissions\`("id", "user_id", "body", "grade") SELECT "id", "user_id", "body", "grade" FROM \`submissions\`;--> statement-breakpoint
DROP TABLE \`submissions\`;--> statement-breakpoint
DROP TABLE \`users\`;--> statement-breakpoint
ALTER TABLE \`__new_users\` RENAME TO \`users\`;--> statement-breakpoint
ALTER TABLE \`__new_submissions\` RENAME TO \`submissions\`;--> statement-breakpoint
CREATE UNIQUE INDEX \`users_email_unique\` ON \`users\` (\`email\`);
`;

const PRODUCTS: [string, string] = [
  '0000_products.sql',
  `CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  price_cents INTEGER NOT NULL
);
`,
];

const PRODUCTS_SEED = `INSERT INTO products (id, name, price_cents) VALUES
  (1, 'Sticker pack', 0),
  (2, 'T-shirt', 2500),
  (3, 'Mug', 1200);
`;

const productsCheck = (check: string) => `CREATE TABLE products_new (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (${check})
);
INSERT INTO products_new (id, name, price_cents) SELECT id, name, price_cents FROM products;
DROP TABLE products;
ALTER TABLE products_new RENAME TO products;
`;

export const BOUNDARY_CASES: DataCheckCase[] = [
  {
    id: 'boundary-null-into-not-null',
    description: 'drizzle rebuild making a long-nullable column NOT NULL, copied as is: an ungraded submission (NULL) fails the copy',
    setup: [USERS_SUBMISSIONS],
    seed: USERS_SUBMISSIONS_SEED,
    migration: ['0001_grade_not_null.sql', submissionsGradeNotNull('"grade"')],
    expect: { lost: [], fails: true, error: 'NOT NULL constraint failed: __new_submissions.grade', fill: 'NULL in submissions.grade' },
  },
  {
    id: 'boundary-null-into-not-null-safe-coalesce',
    description: 'safe counterpart: the copy says coalesce("grade", 0)',
    setup: [USERS_SUBMISSIONS],
    seed: USERS_SUBMISSIONS_SEED,
    migration: ['0001_grade_not_null.sql', submissionsGradeNotNull('coalesce("grade", 0)')],
    expect: { lost: [], fails: false },
  },
  {
    id: 'boundary-coalesce-into-unique',
    description: "rebuild making nickname NOT NULL UNIQUE with coalesce(nickname, ''): two users without one collide on ''",
    setup: [USERS_SUBMISSIONS],
    seed: USERS_SUBMISSIONS_SEED,
    migration: ['0001_nickname_unique.sql', usersNickname("text DEFAULT '' NOT NULL UNIQUE", `coalesce("nickname", '')`)],
    expect: { lost: [], fails: true, error: 'UNIQUE constraint failed: __new_users.nickname', fill: 'NULL in users.nickname' },
  },
  {
    id: 'boundary-unique-safe-nullable',
    description: 'safe counterpart: nickname stays nullable and UNIQUE, NULLs are copied as NULLs (which never collide)',
    setup: [USERS_SUBMISSIONS],
    seed: USERS_SUBMISSIONS_SEED,
    migration: ['0001_nickname_unique.sql', usersNickname('text UNIQUE', '"nickname"')],
    expect: { lost: [], fails: false },
  },
  {
    id: 'boundary-zero-into-check',
    description: 'rebuild adding CHECK (price_cents > 0): a free product (0), which the table always allowed, fails the copy',
    setup: [PRODUCTS],
    seed: PRODUCTS_SEED,
    migration: ['0001_price_check.sql', productsCheck('price_cents > 0')],
    expect: { lost: [], fails: true, error: 'CHECK constraint failed', fill: '0 in products.price_cents' },
  },
  {
    id: 'boundary-check-safe',
    description: 'safe counterpart: CHECK (price_cents >= 0) keeps the free product',
    setup: [PRODUCTS],
    seed: PRODUCTS_SEED,
    migration: ['0001_price_check.sql', productsCheck('price_cents >= 0')],
    expect: { lost: [], fails: false },
  },
];
