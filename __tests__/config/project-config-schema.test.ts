/**
 * The published JSON schema of .d1-migrate.toml (schema/d1-migrate.schema.json) is what the parser accepts: the
 * same keys, rule ids and values, and the same verdict on each sample file, checked with a real JSON schema
 * validator (ajv) rather than by comparing by hand.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import { projectConfigSchema } from '../../src/config/project-config-schema.js';
import { NUMBERING_MODES, readProjectConfig, RULE_SETTINGS, SECTION_KEYS, TOP_LEVEL_ONLY_KEYS } from '../../src/config/project-config.js';
import { RULE_IDS } from '../../src/rule-catalog.js';

const require = createRequire(import.meta.url);
const Ajv = require('ajv') as typeof import('ajv').default;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
/** What these tests read of a section (the top level, or one [env.<name>]) of the published schema. */
type SchemaSection = {
  rules: { properties: Record<string, { enum?: unknown }> };
  numbering: { enum?: unknown };
  'data-check': { type?: unknown };
};
/** The published schema as these tests read it; the first test checks all of it against projectConfigSchema(). */
type PublishedSchema = {
  properties: SchemaSection & { env: { patternProperties: Record<string, { properties: SchemaSection }> } };
};
const published = JSON.parse(fs.readFileSync(path.join(root, 'schema/d1-migrate.schema.json'), 'utf8')) as PublishedSchema;

describe('schema/d1-migrate.schema.json', () => {
  test('is what `npm run schema` writes from the parser\'s lists (run it after adding a rule or a key)', () => {
    expect(published).toEqual(projectConfigSchema());
  });

  test('has exactly the keys, rule ids and values the parser accepts', () => {
    expect(Object.keys(published.properties).sort()).toEqual([...SECTION_KEYS, ...TOP_LEVEL_ONLY_KEYS].sort());
    const [envSection] = Object.values(published.properties.env.patternProperties);
    expect(Object.keys(envSection!.properties).sort()).toEqual([...SECTION_KEYS].sort());
    for (const section of [published.properties, envSection!.properties]) {
      expect(Object.keys(section.rules.properties).sort()).toEqual([...RULE_IDS].sort());
      for (const rule of Object.values(section.rules.properties)) expect(rule.enum).toEqual([...RULE_SETTINGS]);
      expect(section.numbering.enum).toEqual([...NUMBERING_MODES]);
      expect(section['data-check'].type).toBe('boolean');
    }
  });

  // Each sample: TOML text, and whether it is a valid config.
  const samples: [string, boolean][] = [
    ['', true],
    ['"$schema" = "./schema/d1-migrate.schema.json"\n', true],
    ['numbering = "unique"\ndata-check = false\nexclude = ["migrations/legacy/**", "a/b.sql"]\n[rules]\ndestructive-change = "error"\nnumber-gap = "off"\n', true],
    ['[env.production]\nnumbering = "off"\nexclude = ["x/**"]\n[env.production.rules]\nrows-lost = "warning"\n[env.dev-1_x]\ndata-check = true\n', true],
    ['numbring = "off"\n', false],
    ['[rules]\nnot-a-rule = "off"\n', false],
    ['[rules]\nnumber-gap = "fatal"\n', false],
    ['[rules]\nnumber-gap = 1\n', false],
    ['numbering = "timestamp"\n', false],
    ['data-check = "false"\n', false],
    ['exclude = "x"\n', false],
    ['exclude = [1]\n', false],
    ['exclude = [""]\n', false],
    ['exclude = ["  "]\n', false],
    ['exclude = ["/abs/**"]\n', false],
    ['exclude = ["C:/abs/**"]\n', false],
    ['exclude = ["a\\\\b"]\n', false],
    ['exclude = ["../up"]\n', false],
    ['exclude = ["a/../b"]\n', false],
    ['exclude = ["a/..b/c", "..a", "a.."]\n', true],
    ['[env.production]\nenv = {}\n', false],
    ['[env.production]\nunknown = 1\n', false],
    ['[env."prod uction"]\nnumbering = "off"\n', false],
    ['env = { production = "strict" }\n', false],
    ['"$schema" = 1\n', false],
    ['[[rules]]\nnumber-gap = "off"\n', false],
  ];

  const ajv = new Ajv({ strict: true, allErrors: true });
  const validate = ajv.compile(published);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd1m-schema-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(samples)('schema and parser agree on %j', (text, valid) => {
    const schemaSays = validate(getStaticTOMLValue(parseTOML(text)));
    const file = path.join(dir, '.d1-migrate.toml');
    fs.writeFileSync(file, text);
    let parserSays = true;
    try {
      readProjectConfig(file, dir);
    } catch {
      parserSays = false;
    }
    expect({ schema: schemaSays, parser: parserSays }).toEqual({ schema: valid, parser: valid });
  });
});
