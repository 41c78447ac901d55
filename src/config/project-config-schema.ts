import { RULES } from '../rule-catalog.js';
import { NUMBERING_MODES, RULE_SETTINGS, SECTION_KEYS } from './project-config.js';

/** Where the published schema lives, for the `#:schema` line of a .d1-migrate.toml. */
export const PROJECT_CONFIG_SCHEMA_URL = 'https://raw.githubusercontent.com/d1-migrate/d1-migrate-action/v1/schema/d1-migrate.schema.json';

/**
 * The JSON schema of .d1-migrate.toml (draft-07, which Taplo / Even Better TOML read), built from the lists the
 * parser checks against, so editors complete exactly what the action accepts. `npm run schema` writes it to
 * schema/d1-migrate.schema.json; a test keeps the file, this function and the parser in agreement.
 */
export function projectConfigSchema(): object {
  const section = (where: string) => ({
    rules: {
      type: 'object',
      description: `Severity per rule id${where}: "error" fails the step, "warning" is reported only, "off" turns the rule off. See docs/rules.md.`,
      additionalProperties: false,
      properties: Object.fromEntries(
        RULES.map((r) => [r.id, { description: `${r.summary} (default: ${r.severity})`, enum: [...RULE_SETTINGS] }]),
      ),
    },
    numbering: {
      description: `sequential: unique numbers and no gaps; unique: no duplicates only (timestamp names); off: no numbering checks${where}. Default: sequential. The numbering input or --numbering wins.`,
      enum: [...NUMBERING_MODES],
    },
    'data-check': {
      description: `Run each migration on tables holding synthetic rows (rows-lost, fails-with-data)${where}. Default: true. The data-check input or --no-data-check wins.`,
      type: 'boolean',
    },
    exclude: {
      description: `Glob patterns, relative to this file's directory, of files whose findings are not reported${where} (they are still replayed), e.g. "migrations/legacy/**". A pattern naming a folder covers everything below it.`,
      type: 'array',
      // No look-arounds: Taplo's regex engine has none. Same rules as the parser's patternProblem.
      items: { type: 'string', pattern: '\\S', not: { pattern: '^/|^[A-Za-z]:/|\\\\|(^|/)\\.\\.(/|$)' } },
    },
  });
  const top = section('');
  const perEnvironment = section(' (this environment; overrides the top level, exclude adds to it)');
  const keysInOrder = (props: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, props[k]]));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: PROJECT_CONFIG_SCHEMA_URL,
    title: '.d1-migrate.toml',
    description: 'Rule policy of d1-migrate (the GitHub Action and the CLI): per-rule severity, numbering, data check and excluded paths, with per-environment overrides. Inputs and flags override it.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The JSON schema of this file, for editors (a "#:schema <url>" comment works too).' },
      ...keysInOrder(top, SECTION_KEYS),
      env: {
        type: 'object',
        description: 'Per-environment overrides: [env.<name>] as in the wrangler config (wrangler --env).',
        additionalProperties: false,
        patternProperties: {
          '^[A-Za-z0-9_-]+$': { type: 'object', additionalProperties: false, properties: keysInOrder(perEnvironment, SECTION_KEYS) },
        },
      },
    },
  };
}
