import path from 'node:path';
import { minimatch } from 'minimatch';
import type { PolicySettings, ProjectConfig, RuleSetting } from '../config/project-config.js';
import type { Finding, NumberingMode, Options } from '../types.js';
import { RULES } from '../rule-catalog.js';

/** Where a rule's setting comes from, strongest first: an input or flag, `[env.<name>]`, the config's top level, the catalog. */
export type SettingSource = 'disable-rules' | `env.${string}` | 'config' | 'default';

/** The effective rule settings for one environment: what validate runs and how its findings count. */
export interface RulePolicy {
  environment: string | null;
  numbering: NumberingMode;
  dataCheck: boolean;
  /** Every catalog rule's effective setting. */
  rules: ReadonlyMap<string, RuleSetting>;
  /** Where each rule's setting came from. */
  sources: ReadonlyMap<string, SettingSource>;
  /** Rules that are off: not run where that can be skipped, and their findings dropped. */
  off: ReadonlySet<string>;
  /** Severity of the rules whose setting is not the catalog's: their findings take it. */
  severity: ReadonlyMap<string, 'error' | 'warning'>;
  /** Files whose findings are dropped (the replay still runs them). */
  exclude?: ExcludeSet;
}

export interface ExcludeSet {
  patterns: string[];
  /** Absolute directory the patterns are relative to (that of .d1-migrate.toml). */
  base: string;
  /** Absolute working directory, which findings' paths are relative to. */
  cwd: string;
}

/** What applyRulePolicy needs; a bare `{ off }` is the disable-rules input alone. */
export type PolicyFilter = Pick<RulePolicy, 'off'> & Partial<Pick<RulePolicy, 'severity' | 'exclude'>>;

type PolicyInputs = Pick<Options, 'cwd' | 'numbering' | 'dataCheck' | 'disableRules' | 'projectConfig'>;

/**
 * The one place that decides each rule's severity, numbering and data check for an environment. Precedence:
 * an input or flag > `[env.<name>]` of .d1-migrate.toml > its top level > the catalog's default. The
 * `disable-rules` input turns a rule off whatever the file says.
 */
export function rulePolicy(options: PolicyInputs, environment: string | null): RulePolicy {
  const config = options.projectConfig;
  const layers: [SettingSource, PolicySettings][] = [];
  const envSection = environment === null ? undefined : config?.environments.get(environment);
  if (envSection) layers.push([`env.${environment}`, envSection]);
  if (config) layers.push(['config', config.top]);

  const rules = new Map<string, RuleSetting>();
  const sources = new Map<string, SettingSource>();
  const severity = new Map<string, 'error' | 'warning'>();
  const off = new Set<string>();
  for (const rule of RULES) {
    let setting: RuleSetting = rule.severity;
    let source: SettingSource = 'default';
    const layer = layers.find(([, s]) => s.rules.has(rule.id));
    if (layer) [source, setting] = [layer[0], layer[1].rules.get(rule.id)!];
    if (options.disableRules.includes(rule.id)) [source, setting] = ['disable-rules', 'off'];
    rules.set(rule.id, setting);
    sources.set(rule.id, source);
    if (setting === 'off') off.add(rule.id);
    else if (source !== 'default') severity.set(rule.id, setting);
  }

  const first = <K extends 'numbering' | 'dataCheck'>(k: K): PolicySettings[K] | undefined => layers.map(([, s]) => s[k]).find((v) => v !== undefined);
  const patterns = layers.flatMap(([, s]) => s.exclude);
  return {
    environment,
    numbering: options.numbering ?? first('numbering') ?? 'sequential',
    dataCheck: options.dataCheck ?? first('dataCheck') ?? true,
    rules,
    sources,
    off,
    severity,
    exclude: config && patterns.length ? { patterns: [...new Set(patterns)], base: path.dirname(config.path), cwd: options.cwd } : undefined,
  };
}

/**
 * Applies a policy to findings: drops those of rules that are off and those in excluded files, and gives the
 * others the severity the policy sets. Pure: every producer of findings (validate, the ledger, the pull-request
 * check) passes them through here.
 */
export function applyRulePolicy(findings: Finding[], policy: PolicyFilter): Finding[] {
  const excluded = policy.exclude ? excluder(policy.exclude) : () => false;
  const out: Finding[] = [];
  for (const f of findings) {
    if (policy.off.has(f.rule)) continue;
    if (f.file !== undefined && excluded(f.file)) continue;
    const severity = policy.severity?.get(f.rule);
    out.push(severity && severity !== f.severity ? { ...f, severity } : f);
  }
  return out;
}

/**
 * Whether a finding's file (relative to the working directory) matches a pattern, or lies in a folder that does:
 * `migrations/legacy` and `migrations/legacy/**` both exclude everything below that folder.
 */
function excluder(set: ExcludeSet): (file: string) => boolean {
  const matchers = set.patterns.map((p) => p.replace(/\/+$/, '')).filter((p) => p !== '');
  const cache = new Map<string, boolean>();
  return (file) => {
    let hit = cache.get(file);
    if (hit === undefined) {
      const rel = path.relative(set.base, path.resolve(set.cwd, file)).split(path.sep).join('/');
      const parts = rel.split('/');
      hit = !rel.startsWith('../') && parts.some((_, i) => matchers.some((m) => minimatch(parts.slice(0, i + 1).join('/'), m, { dot: true })));
      cache.set(file, hit);
    }
    return hit;
  };
}

/** The settings of a project config other than its rules, for `d1-migrate rules`. */
export function describeSource(source: SettingSource, config: ProjectConfig | undefined): string {
  if (source === 'default') return 'default';
  if (source === 'disable-rules') return 'disable-rules';
  const file = config ? path.basename(config.path) : '.d1-migrate.toml';
  return source === 'config' ? `${file} [rules]` : `${file} [${source}.rules]`;
}
