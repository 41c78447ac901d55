import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isInformational } from '../outcome.js';
import { DATA_LOSS_RULES, RULES, ruleDocsUrl, type RuleInfo } from '../rule-catalog.js';
import type { Finding, Report } from '../types.js';

/** Where the tool lives, for SARIF's `informationUri`. */
export const TOOL_URL = 'https://github.com/d1-migrate/d1-migrate-action';
export const SARIF_SCHEMA_URL = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Name of our partial fingerprint; the `/v1` changes only if the way it is computed ever does. */
export const FINGERPRINT_KEY = 'd1MigrateFinding/v1';
const WHOLE_FILE: ReadonlySet<string> = new Set((RULES as readonly RuleInfo[]).filter((r) => r.wholeFile).map((r) => r.id));

export interface SarifContext {
  version: string;
  /** Absolute working directory: findings' paths are relative to it. */
  cwd: string;
  /** Absolute repository root: SARIF paths are relative to it, so code scanning maps them to files. */
  repoRoot: string;
  /** Absolute path of the wrangler config: where findings about no file (schema drift, the ledger) point. */
  configPath?: string;
  /** Text of a file by absolute path, or undefined when it cannot be read (for the fingerprints). */
  readText: (absPath: string) => string | undefined;
}

interface Located {
  finding: Finding;
  uri: string;
  databases: string[];
  /** Informational in every database it came from (src/outcome.ts). */
  informational: boolean;
}

/**
 * The report as a SARIF 2.1.0 log for GitHub code scanning and any SARIF viewer: every rule of the catalog
 * in `tool.driver.rules`, one result per finding (a finding several environments share once), paths relative
 * to the repository root, and a fingerprint that follows the finding's line text rather than its number, so an
 * alert stays the same alert when lines are added above it.
 */
export function toSarif(report: Report, ctx: SarifContext): object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const located = locate(report, ctx);
  const lineText = lineReader(ctx);
  const seen = new Map<string, number>();
  const results = located.map(({ finding: f, uri, databases, informational }) => {
    const text = f.file !== undefined && f.line !== undefined && !WHOLE_FILE.has(f.rule) ? lineText(path.resolve(ctx.cwd, f.file), f.line) : '';
    // Same rule, file and line text (e.g. two identical DROP statements): told apart by their order.
    const basis = f.file !== undefined ? [f.rule, uri, text, f.table ?? ''] : [f.rule, databases.join(','), f.message];
    const basisKey = basis.join('\u0000');
    const occurrence = (seen.get(basisKey) ?? 0) + 1;
    seen.set(basisKey, occurrence);
    return {
      ruleId: f.rule,
      ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
      // A finding in a migration that already ran (or that the change leaves alone) never blocks: a note.
      level: informational ? 'note' : f.severity,
      message: { text: f.message },
      locations: uri === '' ? [] : [{ physicalLocation: physicalLocation(f, uri) }],
      partialFingerprints: { [FINGERPRINT_KEY]: hash([...basis, String(occurrence)]) },
      properties: { databases, ...(informational ? { informational: true } : {}) },
    };
  });
  return {
    $schema: SARIF_SCHEMA_URL,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'd1-migrate',
            version: ctx.version,
            semanticVersion: ctx.version,
            informationUri: TOOL_URL,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.summary },
              helpUri: ruleDocsUrl(r.id),
              help: { text: `${r.summary} See ${ruleDocsUrl(r.id)}`, markdown: `${r.summary}\n\n[How to fix and how to suppress](${ruleDocsUrl(r.id)})` },
              defaultConfiguration: { level: r.severity },
              properties: { tags: DATA_LOSS_RULES.has(r.id) ? ['d1', 'migrations', 'data-loss'] : ['d1', 'migrations'] },
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(ctx.repoRoot + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** One entry per distinct finding (several environments check the same files), with the databases it came from. */
function locate(report: Report, ctx: SarifContext): Located[] {
  const byKey = new Map<string, Located>();
  const configUri = ctx.configPath ? artifactUri(ctx.configPath, ctx.repoRoot) : '';
  for (const db of report.databases) {
    const database = `${db.environment ?? 'top level'}/${db.binding}`;
    for (const f of db.findings) {
      const uri = f.file !== undefined ? artifactUri(path.resolve(ctx.cwd, f.file), ctx.repoRoot) : configUri;
      const key = [f.rule, f.severity, uri, f.line, f.column, f.message].join('\u0000');
      const known = byKey.get(key);
      const informational = isInformational(f, db.scope);
      if (known) {
        if (!known.databases.includes(database)) known.databases.push(database);
        known.informational &&= informational;
      } else {
        byKey.set(key, { finding: f, uri, databases: [database], informational });
      }
    }
  }
  return [...byKey.values()];
}

function physicalLocation(f: Finding, uri: string): object {
  const relative = !uri.startsWith('file:');
  return {
    artifactLocation: relative ? { uri, uriBaseId: 'SRCROOT' } : { uri },
    region: {
      // A finding about a whole file, or about no file (pointed at the wrangler config), is shown on line 1.
      startLine: f.file !== undefined && f.line !== undefined && f.line >= 1 ? f.line : 1,
      ...(f.file !== undefined && f.line !== undefined && f.column !== undefined && f.column >= 1 ? { startColumn: f.column } : {}),
      ...(f.file !== undefined && f.line !== undefined && f.endLine !== undefined && f.endLine >= f.line ? { endLine: f.endLine } : {}),
    },
  };
}

/**
 * A path relative to the repository root as a URI reference (each segment percent-encoded: a file name may hold
 * spaces, `#`, `%` or a newline), or a file: URI for a file outside the repository.
 */
export function artifactUri(absPath: string, repoRoot: string): string {
  const rel = path.relative(repoRoot, absPath);
  if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return pathToFileURL(absPath).href;
  return rel.split(path.sep).map(encodeURIComponent).join('/');
}

/** The text of a line, whitespace collapsed, so re-indenting a statement does not make a new alert. */
function lineReader(ctx: SarifContext): (absPath: string, line: number) => string {
  const files = new Map<string, string[] | undefined>();
  return (absPath, line) => {
    if (!files.has(absPath)) files.set(absPath, ctx.readText(absPath)?.split(/\r?\n/));
    const text = files.get(absPath)?.[line - 1] ?? '';
    return text.trim().replace(/\s+/g, ' ');
  };
}

function hash(parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32);
}
