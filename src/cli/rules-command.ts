import path from 'node:path';
import { UsageError } from '../errors.js';
import { parseOptions, type RawInputs } from '../options.js';
import { RULES, ruleDocsUrl } from '../rule-catalog.js';
import { describeSource, rulePolicy } from '../rules/policy.js';

/**
 * `d1-migrate rules`: every rule with its effective severity for one environment (default: the top level), after
 * .d1-migrate.toml and the flags, and where that setting comes from.
 */
export function rulesCommand(args: { raw: RawInputs; baseDir: string; json: boolean }): string {
  const options = parseOptions({ ...args.raw, phases: 'validate' }, { baseDir: args.baseDir, source: 'cli' });
  if (options.environments.length > 1) {
    throw new UsageError(`"rules" shows one environment at a time (got --env ${options.environments.join(',')}).`);
  }
  const environment = options.environments[0] ?? null;
  const policy = rulePolicy(options, environment);
  const config = options.projectConfig;
  const rows = RULES.map((r) => ({
    id: r.id,
    title: r.title,
    severity: policy.rules.get(r.id)!,
    defaultSeverity: r.severity,
    source: describeSource(policy.sources.get(r.id)!, config),
    summary: r.summary,
    docs: ruleDocsUrl(r.id),
  }));
  if (args.json) return JSON.stringify(rows, null, 2) + '\n';

  const where = environment === null ? 'the top level' : `environment ${environment}`;
  const from = config ? `${path.relative(options.cwd, config.path) || config.path} applied` : 'no .d1-migrate.toml found: catalog defaults';
  const lines = [
    `Rules for ${where} (${from}); numbering ${policy.numbering}, data check ${policy.dataCheck ? 'on' : 'off'}` +
      (policy.exclude ? `; findings in ${policy.exclude.patterns.join(', ')} are not reported` : '') +
      '.',
    '',
  ];
  const width = Math.max(...rows.map((r) => r.id.length));
  const indent = ' '.repeat(width + 11);
  for (const r of rows) {
    lines.push(`${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.summary}`);
    if (r.source !== 'default') lines.push(`${indent}set by ${r.source} (default: ${r.defaultSeverity})`);
    lines.push(`${indent}${r.docs}`);
  }
  return lines.join('\n') + '\n';
}
