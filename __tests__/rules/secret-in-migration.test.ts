import { lintSource } from '@secretlint/core';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';
import { redact, secretInMigration } from '../../src/rules/secret-in-migration.js';
import { scanForSecrets } from '../../src/rules/secretlint-sync.js';
import { check } from './helpers.js';

// Built at run time so that this file itself holds no complete secret.
const GITHUB = `ghp_${'a1B2c3D4e5F6g7H8i9J0'}${'kLmNoPqRsTuVwXyZ'}`;
const SLACK = ['xoxb', '123456789012', '1234567890123', 'AbCdEfGhIjKlMnOpQrStUvWx'].join('-');
const PRIVATE_KEY = ['-----BEGIN RSA PRIVATE ', 'KEY-----\nMIIEowIBAAKCAQEA7', 'x'.repeat(120), '\n-----END RSA PRIVATE ', 'KEY-----'].join('');

describe('secret-in-migration', () => {
  test('a token in a string literal is reported with a redacted form only', () => {
    const found = check(secretInMigration, `INSERT INTO config (k, v) VALUES ('gh', '${GITHUB}');`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'secret-in-migration', severity: 'error', line: 1, column: 41 });
    expect(found[0]!.message).not.toContain(GITHUB);
    expect(found[0]!.message).toContain(`ghp_… (${GITHUB.length} chars)`);
  });

  test('a private key spanning lines is reported at the literal', () => {
    const found = check(secretInMigration, `SELECT 1;\nINSERT INTO keys (pem) VALUES ('${PRIVATE_KEY}');`);
    expect(found.map((f) => f.line)).toEqual([2]);
    expect(found[0]!.message).not.toContain('MIIEow');
  });

  test('secrets in comments and identifiers are not reported', () => {
    expect(check(secretInMigration, `-- token: ${GITHUB}\nCREATE TABLE "${GITHUB}" (a);`)).toEqual([]);
  });

  test('a plain-text password inserted into a password column is reported', () => {
    const found = check(secretInMigration, "INSERT INTO users (id, email, password) VALUES (1, 'a@b.c', 'hunter2'), (2, 'd@e.f', 'correct horse');");
    expect(found.map((f) => f.column)).toEqual([61, 86]);
    expect(found[0]!.message).toContain('`password`');
    expect(found[0]!.message).not.toContain('hunter2');
    expect(found[0]!.message).toContain('hu… (7 chars)');
  });

  test('UPDATE ... SET api_key = literal is reported', () => {
    expect(check(secretInMigration, "UPDATE settings SET api_key = 'sk-live-123456' WHERE id = 1;")).toHaveLength(1);
  });

  test('hashes, placeholders, UUIDs and non-secret columns are not reported', () => {
    const sql = `INSERT INTO users (id, password, password_hash, token_expires_at, reset_token) VALUES
  (1, '$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW', 'hunter2', '2024-01-01', 'b0000000-1000-4000-8000-000000000010'),
  (2, '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA', 'x', '', ''),
  (3, '\${ADMIN_PASSWORD}', NULL, NULL, NULL);`;
    expect(check(secretInMigration, sql)).toEqual([]);
  });

  test('redact never shows more than a third of a short value, nor more than four characters', () => {
    expect(redact('hunter2')).toBe('hu… (7 chars)');
    expect(redact('abcdefghijklmnopqrstuvwxyz')).toBe('abcd… (26 chars)');
  });

  test('the synchronous scan finds what secretlint lintSource finds', async () => {
    const content = [SLACK, GITHUB, PRIVATE_KEY, 'postgres://user:pa55word@db.example.com:5432/app', 'https://admin:s3cr3tpass@example.com/', 'nothing here'].join('\n');
    const result = await lintSource({
      source: { content, filePath: '/x.sql', ext: '.sql', contentType: 'text' },
      options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] }, noPhysicFilePath: true },
    });
    const expected = result.messages.map((m) => [m.ruleId, m.range[0]]).sort();
    const actual = scanForSecrets(content).map((m) => [m.ruleId, m.start]).sort();
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(actual).toEqual(expected);
  });
});
