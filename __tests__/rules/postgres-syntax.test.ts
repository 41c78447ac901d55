import { postgresSyntax } from '../../src/rules/postgres-syntax.js';
import { check } from './helpers.js';

const messages = (sql: string) => check(postgresSyntax, sql).map((f) => f.message);

describe('postgres-syntax', () => {
  test.each([
    ['CREATE TABLE a (id SERIAL PRIMARY KEY);', 'INTEGER PRIMARY KEY AUTOINCREMENT'],
    ['CREATE TABLE a (id BIGSERIAL);', 'INTEGER PRIMARY KEY AUTOINCREMENT'],
    ['ALTER TABLE a ADD COLUMN doc JSONB;', '`TEXT` with SQLite\'s JSON functions'],
    ['CREATE TABLE a (at TIMESTAMPTZ NOT NULL);', 'unixepoch()'],
    ["SELECT '1'::integer;", 'CAST(x AS integer)'],
    ['CREATE TABLE a (at TEXT DEFAULT (now()));', 'CURRENT_TIMESTAMP'],
    ['CREATE TABLE a (id TEXT DEFAULT (gen_random_uuid()));', 'lower(hex(randomblob(16)))'],
    ['INSERT INTO a VALUES (uuid_generate_v4());', 'lower(hex(randomblob(16)))'],
    ['CREATE EXTENSION IF NOT EXISTS pgcrypto;', 'CREATE EXTENSION'],
    ['CREATE SCHEMA app;', 'single schema'],
    ["CREATE TYPE mood AS ENUM ('a', 'b');", 'CHECK (col IN'],
    ["SELECT * FROM a WHERE name ILIKE 'x%';", 'use `LIKE`'],
    ['SET search_path TO app;', 'no SET statement'],
    ["COMMENT ON TABLE a IS 'x';", 'COMMENT ON'],
    ['ALTER TABLE a ALTER COLUMN b TYPE TEXT;', 'Rebuild the table'],
    ['ALTER TABLE a ADD CONSTRAINT u UNIQUE (b);', 'CREATE UNIQUE INDEX'],
    ['CREATE INDEX i ON a USING gin (doc);', 'USING gin'],
    ['CREATE OR REPLACE VIEW v AS SELECT 1;', 'DROP VIEW IF EXISTS'],
    ["DO $$ BEGIN RAISE NOTICE 'x'; END $$;", 'anonymous code block'],
    ['CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1 $body$ LANGUAGE sql;', 'Dollar quoting'],
    ['TRUNCATE TABLE a;', 'DELETE FROM table'],
    ['CREATE TABLE a (tags TEXT[]);', 'no arrays'],
  ])('%s is reported with the SQLite equivalent', (sql, hint) => {
    const found = check(postgresSyntax, sql);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ rule: 'postgres-syntax', severity: 'error', line: 1 });
    expect(found.map((f) => f.message).join('\n')).toContain(hint);
  });

  test('SQLite features that look like PostgreSQL pass: RETURNING, BOOLEAN, DEFAULT true, VARCHAR(n), jsonb(), ->>', () => {
    const sql = `CREATE TABLE a (id INTEGER PRIMARY KEY AUTOINCREMENT, ok BOOLEAN DEFAULT true, name VARCHAR(255) NOT NULL, doc TEXT, created TEXT DEFAULT CURRENT_TIMESTAMP);
INSERT INTO a (doc) VALUES (jsonb('{}')) RETURNING id;
SELECT doc ->> '$.x', $param, :named FROM a WHERE name LIKE 'x%';
ALTER TABLE a ADD COLUMN extra TEXT;
CREATE VIRTUAL TABLE s USING fts5(body);`;
    expect(messages(sql)).toEqual([]);
  });

  test('columns named like PostgreSQL types or functions are not types', () => {
    expect(messages('CREATE TABLE devices (serial TEXT NOT NULL, jsonb TEXT, now INTEGER);\nSELECT serial, now FROM devices;')).toEqual([]);
  });

  test('PostgreSQL syntax in comments and strings is ignored', () => {
    expect(messages("-- id SERIAL, x::text, now()\nINSERT INTO notes VALUES ('use x::int and now() with SERIAL');")).toEqual([]);
  });

  test('a construct repeated in one statement is reported once', () => {
    expect(check(postgresSyntax, "SELECT '1'::int, '2'::int, '3'::int;")).toHaveLength(1);
  });
});
