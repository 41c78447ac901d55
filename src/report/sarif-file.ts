import fs from 'node:fs';
import path from 'node:path';
import { findConfig } from '../config/find-config.js';
import { repositoryRoot } from '../config/repo-root.js';
import { getErrorMessage, UsageError } from '../errors.js';
import type { Options, Report } from '../types.js';
import { VERSION } from '../version.js';
import { toSarif } from './sarif.js';

/** The SARIF log of a run, reading the migration files for the fingerprints and finding the repository root. */
export function sarifLog(report: Report, options: Pick<Options, 'cwd' | 'config'>, env: NodeJS.ProcessEnv = process.env): object {
  let configPath: string | undefined;
  try {
    configPath = findConfig(options.cwd, options.config);
  } catch {
    configPath = undefined; // the run already said why; findings about no file then carry no location
  }
  return toSarif(report, {
    version: VERSION,
    cwd: options.cwd,
    repoRoot: repositoryRoot(options.cwd, env) ?? options.cwd,
    configPath,
    readText: (p) => {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
  });
}

/** Writes the SARIF log to `options.sarifPath`; returns the path. A path that cannot be written is a UsageError. */
export function writeSarifFile(report: Report, options: Pick<Options, 'cwd' | 'config'> & { sarifPath: string }, env: NodeJS.ProcessEnv = process.env): string {
  try {
    fs.mkdirSync(path.dirname(options.sarifPath), { recursive: true });
    fs.writeFileSync(options.sarifPath, JSON.stringify(sarifLog(report, options, env), null, 2) + '\n');
    return options.sarifPath;
  } catch (error: unknown) {
    throw new UsageError(`sarif: cannot write the SARIF file ${options.sarifPath}: ${getErrorMessage(error)}. Set it to a writable file path.`);
  }
}
