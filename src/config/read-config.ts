import fs from 'node:fs';
import path from 'node:path';
import jsonc from 'jsonc-parser';
import { parse as parseToml, TomlError } from 'smol-toml';
import { UsageError, getErrorMessage } from '../errors.js';

export type ConfigFormat = 'toml' | 'json' | 'jsonc';

/** The D1-relevant part of one scope (top level or `env.<name>`), still unvalidated. */
export interface RawD1Scope {
  /** `d1_databases` exactly as written; `undefined` when the key is absent. */
  d1Databases: unknown;
}

/**
 * What the engine needs from a wrangler config, and nothing else: a config that wrangler rejects for
 * an unrelated key (wildebeest's `node_compat`, removed in wrangler 4) must still validate.
 */
export interface WranglerConfig {
  /** Absolute path of the file. */
  path: string;
  format: ConfigFormat;
  name?: string;
  accountId?: string;
  /** Pages projects (`pages_build_output_dir`) fall back to the top level for an undeclared env. */
  isPages: boolean;
  topLevel: RawD1Scope;
  /** Every `env.<name>` section, in file order. */
  environments: Map<string, RawD1Scope>;
}

/**
 * Deepest nesting of objects/arrays (or TOML tables) accepted. A wrangler config needs about six levels; the
 * parsers (jsonc-parser) and every walker over the value (JSON.stringify in messages) recurse, so a file
 * nested tens of thousands deep would end in "Maximum call stack size exceeded" instead of a message.
 */
export const MAX_CONFIG_DEPTH = 100;

// wrangler's removeBOMAndValidate rejects these outright rather than misreading the file.
const UNSUPPORTED_BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32 BE' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32 LE' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16 BE' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16 LE' },
];

export function configFormat(configPath: string): ConfigFormat | null {
  if (configPath.endsWith('.toml')) return 'toml';
  if (configPath.endsWith('.jsonc')) return 'jsonc';
  if (configPath.endsWith('.json')) return 'json';
  return null;
}

/** Reads and parses a wrangler config file. Any problem is a UsageError naming the file. */
export function readConfig(configPath: string): WranglerConfig {
  const { raw, format } = readRawConfig(configPath);

  const environments = new Map<string, RawD1Scope>();
  const env = raw['env'];
  if (env !== undefined) {
    if (!isPlainObject(env)) {
      throw new UsageError(
        `config: "env" in ${configPath} must be a table of environments (e.g. [env.production]), but it is ${describe(env)}.`,
      );
    }
    for (const [envName, section] of Object.entries(env)) {
      if (!isPlainObject(section)) {
        throw new UsageError(`config: "env.${envName}" in ${configPath} must be a table/object, but it is ${describe(section)}.`);
      }
      environments.set(envName, { d1Databases: section['d1_databases'] });
    }
  }

  return {
    path: configPath,
    format,
    name: typeof raw['name'] === 'string' ? raw['name'] : undefined,
    accountId: typeof raw['account_id'] === 'string' ? raw['account_id'] : undefined,
    isPages: raw['pages_build_output_dir'] !== undefined,
    topLevel: { d1Databases: raw['d1_databases'] },
    environments,
  };
}

/** The whole parsed config, every key as written (for a copy of one binding, e.g. `--to`'s scoped config). */
export function readRawConfig(configPath: string): { raw: Record<string, unknown>; format: ConfigFormat } {
  const format = configFormat(configPath);
  if (format === null) {
    throw new UsageError(
      `config: "${configPath}" is not a wrangler configuration file: the name must end in .toml, .json or .jsonc (wrangler ignores any other file and would find no D1 databases).`,
    );
  }
  const text = readText(configPath);
  const raw = format === 'toml' ? parseTomlText(text, configPath) : parseJsoncText(text, configPath);
  if (!isPlainObject(raw)) {
    throw new UsageError(`config: ${configPath} must contain an object at the top level, but it holds ${describe(raw)}.`);
  }
  return { raw, format };
}

function readText(configPath: string): string {
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(configPath);
  } catch (error) {
    throw new UsageError(`config: could not read ${configPath}: ${getErrorMessage(error)}`);
  }
  for (const bom of UNSUPPORTED_BOMS) {
    if (buffer.length >= bom.bytes.length && bom.bytes.every((b, i) => buffer[i] === b)) {
      throw new UsageError(
        `config: ${configPath} is encoded as ${bom.encoding} (it starts with a ${bom.encoding} byte order mark); wrangler refuses it too. Save the file as UTF-8.`,
      );
    }
  }
  const text = buffer.toString('utf8');
  // Same as wrangler: a UTF-8 BOM is dropped before parsing.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function parseTomlText(text: string, file: string): unknown {
  let value: unknown;
  try {
    // maxDepth bounds inline arrays and tables; dotted keys and [a.b.c] headers are checked below.
    value = parseToml(text, { maxDepth: MAX_CONFIG_DEPTH });
  } catch (error) {
    if (error instanceof TomlError) {
      // smol-toml appends a code frame after the first line; the first line is the message itself.
      const message = error.message.split('\n')[0];
      throw new UsageError(`config: ${file}:${error.line}:${error.column}: invalid TOML: ${message}`);
    }
    throw new UsageError(`config: ${file}: invalid TOML: ${getErrorMessage(error)}`);
  }
  const deep = tooDeep(value);
  if (deep) {
    const at = tomlKeyLine(text, deep);
    throw new UsageError(
      `config: ${file}${at ? `:${at}:1` : ''}: nesting deeper than ${MAX_CONFIG_DEPTH} levels (at ${truncate(deep.join('.'), 80)}); a wrangler config needs a handful.`,
    );
  }
  return value;
}

/** The key path of the first value nested deeper than MAX_CONFIG_DEPTH, found without recursion. */
function tooDeep(value: unknown): string[] | undefined {
  const stack: { v: unknown; path: string[] }[] = [{ v: value, path: [] }];
  while (stack.length) {
    const { v, path: at } = stack.pop()!;
    if (typeof v !== 'object' || v === null || v instanceof Date) continue;
    if (at.length >= MAX_CONFIG_DEPTH) return at;
    for (const [k, child] of Object.entries(v)) stack.push({ v: child, path: [...at, k] });
  }
  return undefined;
}

/** Best effort: the line of a TOML key or [header] with more dotted parts than the limit (for the message). */
function tomlKeyLine(text: string, keyPath: string[]): number | undefined {
  const first = keyPath[0];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.split('.').length > MAX_CONFIG_DEPTH / 2 && first !== undefined && line.includes(first)) return i + 1;
  }
  return undefined;
}

function parseJsoncText(text: string, file: string): unknown {
  const kind = path.extname(file) === '.jsonc' ? 'JSONC' : 'JSON';
  // jsonc-parser recurses once per level: measure the depth first, with its (iterative) scanner.
  const deep = jsonNestingTooDeep(text);
  if (deep !== undefined) {
    const { line, column } = lineColumn(text, deep);
    throw new UsageError(`config: ${file}:${line}:${column}: invalid ${kind}: nesting deeper than ${MAX_CONFIG_DEPTH} levels of objects and arrays; a wrangler config needs a handful.`);
  }
  const errors: jsonc.ParseError[] = [];
  const data: unknown = jsonc.parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineColumn(text, first.offset);
    throw new UsageError(
      `config: ${file}:${line}:${column}: invalid ${kind}: ${jsonc.printParseErrorCode(first.error)} (comments and trailing commas are allowed, as wrangler allows them).`,
    );
  }
  return data;
}

/** Offset of the first `{` or `[` past MAX_CONFIG_DEPTH levels (strings and comments skipped), if any. */
// jsonc.SyntaxKind values (a const enum, which isolatedModules cannot read).
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

function jsonNestingTooDeep(text: string): number | undefined {
  const scanner = jsonc.createScanner(text, false);
  let depth = 0;
  // The scanner returns SyntaxKind, a const enum; compare its numbers with the numbers above.
  for (let t: number = scanner.scan(); t !== EOF; t = scanner.scan()) {
    if (t === OPEN_BRACE || t === OPEN_BRACKET) {
      if (++depth > MAX_CONFIG_DEPTH) return scanner.getTokenOffset();
    } else if (t === CLOSE_BRACE || t === CLOSE_BRACKET) depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Short description of a config value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'none (the key is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array (${truncate(JSON.stringify(value))})`;
  if (value instanceof Date) return `a date (${value.toString()})`;
  if (typeof value === 'object') return `an object (${truncate(JSON.stringify(value))})`;
  return `${typeof value} ${truncate(JSON.stringify(value))}`;
}

function truncate(s: string | undefined, max = 120): string {
  if (s === undefined) return 'undefined';
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
