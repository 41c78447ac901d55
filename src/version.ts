/**
 * The package version, printed by `d1-migrate --version` and written into SARIF. A constant rather than a read of
 * package.json, so the bundle needs no file beside it; `npm version` rewrites it (scripts/sync-version.mjs) and a
 * test fails when it differs from package.json.
 */
export const VERSION = '1.0.0';
