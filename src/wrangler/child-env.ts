/**
 * The environment wrangler is started with: an allow-list, not the job's whole environment. wrangler and its
 * dependency tree are the project's code (often the pull request's), so it gets what it needs to run and
 * reach Cloudflare, and nothing else: never the GitHub token, the webhook URL, the action's inputs
 * (`INPUT_*`), the runner's own tokens (`ACTIONS_*`) or any other secret the workflow put in `env:`.
 */

/** Variables passed by exact name (compared case-insensitively: Windows names are case-insensitive). */
const NAMES = new Set(
  [
    // Finding programs and files.
    'PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'SHELL',
    // Windows: where the profile, AppData and the system are, how commands are found.
    'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'HOMEDRIVE', 'HOMEPATH', 'SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR',
    'COMSPEC', 'PATHEXT', 'PROGRAMDATA', 'PROGRAMFILES', 'PROGRAMFILES(X86)', 'COMMONPROGRAMFILES',
    'NUMBER_OF_PROCESSORS', 'PROCESSOR_ARCHITECTURE', 'OS',
    // Locale and time zone.
    'LANG', 'LANGUAGE', 'TZ',
    // Network: proxies (both spellings are read by different libraries) and certificate stores.
    'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'ALL_PROXY', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
    // wrangler reads CI to stay non-interactive.
    'CI',
  ].map((n) => n.toUpperCase()),
);

/** Families of settings: locale, XDG directories, Node.js, wrangler and its local runtime, Cloudflare. */
const PREFIXES = ['LC_', 'XDG_', 'NODE_', 'WRANGLER_', 'MINIFLARE_', 'CLOUDFLARE_'];

/** Credentials for the Cloudflare API (current and legacy names): for commands that reach the API only. */
const CREDENTIALS = new Set(['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_KEY', 'CLOUDFLARE_EMAIL', 'CF_API_TOKEN', 'CF_API_KEY', 'CF_EMAIL', 'CF_ACCOUNT_ID']);

/**
 * Never passed even though a prefix matches: wrangler falls back to CLOUDFLARE_ENV when `--env` is absent,
 * and the config was resolved without it, so it would act on another environment than the one validated.
 */
const NEVER = new Set(['CLOUDFLARE_ENV']);

export interface ChildEnvOptions {
  /**
   * The command talks to the Cloudflare API. A `--local` command works on a local SQLite file and gets no
   * Cloudflare credentials: a `test` phase on a pull request then runs the PR's wrangler without the token.
   */
  remote: boolean;
  /** wrangler is started through `npx`, which needs npm's own settings (`npm_config_*`: registry, cache, auth file). */
  npx: boolean;
}

/** The allow-listed part of `base`, plus what makes wrangler non-interactive, quiet and colourless. */
export function wranglerChildEnv(base: NodeJS.ProcessEnv, opts: ChildEnvOptions): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || !allowed(name, opts)) continue;
    out[name] = value;
  }
  return { ...out, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' };
}

function allowed(name: string, opts: ChildEnvOptions): boolean {
  const upper = name.toUpperCase();
  if (NEVER.has(upper)) return false;
  if (CREDENTIALS.has(upper) || upper === 'CLOUDFLARE_ACCOUNT_ID') {
    // The account id is not secret, but a local command has no use for it either.
    return opts.remote;
  }
  if (NAMES.has(upper)) return true;
  if (PREFIXES.some((p) => upper.startsWith(p))) return true;
  // npm lower-cases its config variables; npx reads them to find the registry and its cache (its auth
  // settings stay behind: wrangler is a public package).
  const lower = name.toLowerCase();
  return opts.npx && lower.startsWith('npm_config_') && !lower.includes('auth');
}
