import fs from 'node:fs';
import path from 'node:path';
import { getStaticTOMLValue, ParseError, parseTOML, type AST } from 'toml-eslint-parser';
import { getErrorMessage, UsageError } from '../errors.js';
import { RULE_IDS } from '../rule-catalog.js';
import type { NumberingMode, Severity } from '../types.js';
import { findConfig } from './find-config.js';
import { isInside } from './paths.js';
import { isPlainObject } from './read-config.js';
import { repositoryRoot } from './repo-root.js';

/**
 * `.d1-migrate.toml`: the project's rule policy, read by the action and the CLI alike. Its keys are listed here
 * once; the published JSON schema (schema/d1-migrate.schema.json) is tested against these lists.
 */
export const PROJECT_CONFIG_FILE = '.d1-migrate.toml';

export type RuleSetting = Severity | 'off';
export const RULE_SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'off'];
export const NUMBERING_MODES: readonly NumberingMode[] = ['sequential', 'unique', 'off'];

/** Keys of a settings section: the top level and each `[env.<name>]`. */
export const SECTION_KEYS = ['rules', 'numbering', 'data-check', 'exclude'] as const;
/** Keys only the top level has: `$schema` (for editors; Taplo also reads a `#:schema` comment) and `env`. */
export const TOP_LEVEL_ONLY_KEYS = ['$schema', 'env'] as const;

/** What one section says; absent keys are undefined (a lower level or the default decides). */
export interface PolicySettings {
  /** `[rules]`: rule id → severity, in file order. */
  rules: Map<string, RuleSetting>;
  numbering?: NumberingMode;
  dataCheck?: boolean;
  /** Glob patterns, relative to the config file's directory, of files whose findings are dropped. */
  exclude: string[];
}

export interface ProjectConfig {
  /** Absolute path of the file. */
  path: string;
  top: PolicySettings;
  /** `[env.<name>]` sections (wrangler environment names), in file order. */
  environments: Map<string, PolicySettings>;
}

/**
 * Finds and reads the project's `.d1-migrate.toml`: beside the wrangler config first, then in the working
 * directory and each directory above it up to the repository root (never above it). Undefined when there is none.
 * `wranglerConfig` is the `config` input; a wrangler config that cannot be found is the engine's error to
 * report, not this one's, so it only narrows the search.
 */
export function loadProjectConfig(args: { cwd: string; wranglerConfig?: string; env?: NodeJS.ProcessEnv }): ProjectConfig | undefined {
  const file = findProjectConfig(args);
  return file === undefined ? undefined : readProjectConfig(file, args.cwd);
}

export function findProjectConfig(args: { cwd: string; wranglerConfig?: string; env?: NodeJS.ProcessEnv }): string | undefined {
  const cwd = path.resolve(args.cwd);
  const dirs: string[] = [];
  try {
    dirs.push(path.dirname(findConfig(cwd, args.wranglerConfig)));
  } catch {
    // No wrangler config here: the engine says so with its own message.
  }
  const root = repositoryRoot(cwd, args.env);
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    dirs.push(dir);
    if (root === undefined || dir === root || path.dirname(dir) === dir) break;
  }
  for (const dir of dirs) {
    const candidate = path.join(dir, PROJECT_CONFIG_FILE);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not there
    }
  }
  return undefined;
}

/** Parses and checks a `.d1-migrate.toml`. Every problem is a UsageError that starts with `file:line:`. */
export function readProjectConfig(file: string, cwd: string = process.cwd()): ProjectConfig {
  const shown = displayPath(file, cwd);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error: unknown) {
    throw new UsageError(`${shown}: cannot read the d1-migrate config: ${getErrorMessage(error)}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text);
  } catch (error: unknown) {
    if (error instanceof ParseError) throw new UsageError(`${shown}:${error.lineNumber}:${error.column + 1}: invalid TOML: ${error.message}`);
    throw new UsageError(`${shown}: invalid TOML: ${getErrorMessage(error)}`);
  }
  return checkConfig(getStaticTOMLValue(ast), new Lines(ast), shown, file);
}

function checkConfig(raw: Record<string, unknown>, lines: Lines, shown: string, file: string): ProjectConfig {
  const fail = (at: (string | number)[], message: string): never => {
    throw new UsageError(`${shown}:${lines.of(at)}: ${message}`);
  };
  // getStaticTOMLValue drops a "__proto__" key silently; no key of this file may be one, so say so.
  const proto = lines.paths().find((p) => p.includes('__proto__'));
  if (proto) fail(proto, `key "__proto__" is not allowed here. Allowed keys: ${[...SECTION_KEYS, 'env'].join(', ')}.`);
  for (const key of Object.keys(raw)) {
    if (!(SECTION_KEYS as readonly string[]).includes(key) && !(TOP_LEVEL_ONLY_KEYS as readonly string[]).includes(key)) {
      fail([key], `unknown key ${quote(key)} at the top level. Allowed keys: ${[...SECTION_KEYS, 'env'].join(', ')}.`);
    }
  }
  if (raw.$schema !== undefined && typeof raw.$schema !== 'string') fail(['$schema'], `"$schema" must be a string (the URL or path of the JSON schema).`);
  const top = checkSection(raw, [], 'at the top level', fail);
  const environments = new Map<string, PolicySettings>();
  if (raw.env !== undefined) {
    if (!isPlainObject(raw.env)) fail(['env'], `"env" must be a table of environments: [env.production] (found ${kind(raw.env)}).`);
    for (const [name, section] of Object.entries(raw.env as Record<string, unknown>)) {
      if (!/^[A-Za-z0-9_-]+$/.test(name)) {
        fail(['env', name], `environment name ${quote(name)} in [env.${name}]: a wrangler environment name contains only letters, digits, '-' and '_'.`);
      }
      if (!isPlainObject(section)) fail(['env', name], `[env.${name}] must be a table (found ${kind(section)}).`);
      const where = `in [env.${name}]`;
      for (const key of Object.keys(section as Record<string, unknown>)) {
        if (!(SECTION_KEYS as readonly string[]).includes(key)) {
          fail(['env', name, key], `unknown key ${quote(key)} ${where}. Allowed keys: ${SECTION_KEYS.join(', ')}.`);
        }
      }
      environments.set(name, checkSection(section as Record<string, unknown>, ['env', name], where, fail));
    }
  }
  return { path: file, top, environments };
}

type Fail = (at: (string | number)[], message: string) => never;

function checkSection(raw: Record<string, unknown>, at: string[], where: string, fail: Fail): PolicySettings {
  const settings: PolicySettings = { rules: new Map(), exclude: [] };
  const rulesTable = at.length ? `[${[...at, 'rules'].join('.')}]` : '[rules]';
  if (raw.rules !== undefined) {
    if (!isPlainObject(raw.rules)) fail([...at, 'rules'], `"rules" ${where} must be a table of rule = severity: ${rulesTable} (found ${kind(raw.rules)}).`);
    for (const [id, value] of Object.entries(raw.rules)) {
      if (!RULE_IDS.has(id)) fail([...at, 'rules', id], `unknown rule ${quote(id)} in ${rulesTable}. Known rules: ${[...RULE_IDS].join(', ')}.`);
      if (typeof value !== 'string' || !(RULE_SETTINGS as readonly string[]).includes(value)) {
        fail([...at, 'rules', id], `${id} = ${show(value)} in ${rulesTable}: allowed values are "error", "warning" and "off".`);
      }
      settings.rules.set(id, value as RuleSetting);
    }
  }
  if (raw.numbering !== undefined) {
    if (typeof raw.numbering !== 'string' || !(NUMBERING_MODES as readonly string[]).includes(raw.numbering)) {
      fail([...at, 'numbering'], `numbering = ${show(raw.numbering)} ${where}: allowed values are "sequential", "unique" and "off".`);
    }
    settings.numbering = raw.numbering as NumberingMode;
  }
  if (raw['data-check'] !== undefined) {
    if (typeof raw['data-check'] !== 'boolean') fail([...at, 'data-check'], `data-check = ${show(raw['data-check'])} ${where}: allowed values are true and false (TOML booleans, without quotes).`);
    settings.dataCheck = raw['data-check'];
  }
  if (raw.exclude !== undefined) {
    if (!Array.isArray(raw.exclude)) fail([...at, 'exclude'], `exclude ${where} must be an array of glob patterns, e.g. exclude = ["migrations/legacy/**"] (found ${kind(raw.exclude)}).`);
    (raw.exclude as unknown[]).forEach((pattern, i) => {
      const problem = patternProblem(pattern);
      if (problem) fail([...at, 'exclude', i], `exclude ${where}: ${show(pattern)} ${problem}`);
      settings.exclude.push(pattern as string);
    });
  }
  return settings;
}

/** Why an exclude pattern is refused, or undefined. Patterns are paths below the config file's directory. */
function patternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return 'is not a string: each pattern is a quoted glob such as "migrations/legacy/**".';
  if (pattern.trim() === '') return 'is empty.';
  if (pattern.startsWith('/') || /^[A-Za-z]:[\\/]/.test(pattern)) return 'is absolute: write it relative to the directory of .d1-migrate.toml.';
  if (pattern.split(/[\\/]/).includes('..')) return 'leaves the directory of .d1-migrate.toml (".."): patterns match files below it.';
  if (pattern.includes('\\')) return 'contains "\\": use "/" between folders.';
  return undefined;
}

/** Line of each key (and array element) in the file, by its path of keys: for errors that point at the line. */
class Lines {
  private readonly lines = new Map<string, number>();

  constructor(ast: AST.TOMLProgram) {
    for (const node of ast.body[0].body) {
      if (node.type === 'TOMLTable') {
        this.set(node.resolvedKey, node.loc.start.line);
        for (const kv of node.body) this.keyValue(kv, node.resolvedKey);
      } else {
        this.keyValue(node, []);
      }
    }
  }

  /** Every key path of the file, as written (before any value is built). */
  paths(): (string | number)[][] {
    return [...this.lines.keys()].map((k) => k.split('\u0000'));
  }

  /** The line of the longest known prefix of `at` (a missing key points at its table); 1 if none. */
  of(at: (string | number)[]): number {
    for (let n = at.length; n > 0; n--) {
      const line = this.lines.get(key(at.slice(0, n)));
      if (line !== undefined) return line;
    }
    return 1;
  }

  private keyValue(kv: AST.TOMLKeyValue, base: (string | number)[]): void {
    const names = kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
    for (let n = 1; n <= names.length; n++) this.set([...base, ...names.slice(0, n)], kv.key.loc.start.line);
    this.value(kv.value, [...base, ...names]);
  }

  private value(node: AST.TOMLContentNode, at: (string | number)[]): void {
    if (node.type === 'TOMLInlineTable') for (const kv of node.body) this.keyValue(kv, at);
    else if (node.type === 'TOMLArray') node.elements.forEach((e, i) => (this.set([...at, i], e.loc.start.line), this.value(e, [...at, i])));
  }

  private set(at: (string | number)[], line: number): void {
    const k = key(at);
    if (!this.lines.has(k)) this.lines.set(k, line);
  }
}

const key = (at: (string | number)[]) => at.map(String).join('\u0000');

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' || !isInside(cwd, file) ? file : rel.split(path.sep).join('/');
}

/** A key as written in TOML: bare when it can be, else quoted (a hostile key cannot break the message). */
function quote(k: string): string {
  return JSON.stringify(k.length > 80 ? `${k.slice(0, 80)}…` : k);
}

function show(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a date';
  if (isPlainObject(value)) return 'a table';
  return `${typeof value} ${show(value)}`;
}
