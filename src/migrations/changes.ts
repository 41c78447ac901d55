/**
 * Which migrations a change (a pull request, or the CLI's `--since <ref>`) adds, and which migrations that
 * already exist on its base it edits, renames or deletes (`modified-migration`). Pure: works on a file list
 * (the PR's from the API, or git's), so it does not depend on how much history the checkout has.
 */
import { posix } from 'node:path';
import type { ChangedFile, Finding } from '../types.js';
import { finding } from '../finding.js';

export const MODIFIED_MIGRATION_RULE = 'modified-migration';

export interface MigrationDirInfo {
  /** Migrations directory relative to the working directory, forward slashes (DatabaseReport.migrationsDir). */
  migrationsDir: string;
  /** Migration names in apply order (DatabaseReport.migrations). */
  migrations: string[];
}

export interface MigrationChanges {
  /** `modified-migration` errors, `file` relative to the working directory like every other finding. */
  findings: Finding[];
  /** Names (as wrangler records them) of migrations this PR adds, in apply order. */
  added: string[];
  /** Names of every migration the change adds, edits or renames into place, in apply order: the ones it is judged by. */
  touched: string[];
  /** Working-directory-relative paths of migrations the PR deletes or moves away (they exist only on the base). */
  removed: string[];
}

export interface ChangeContext {
  /** The working directory relative to the repository root ('' when they are the same): PR paths are repo-relative. */
  repoPrefix?: string;
  /** Base branch name, for messages. */
  baseRef?: string;
}

const NEW_MIGRATION_ADVICE = 'Restore the original file and make the change in a new migration instead.';

export function migrationChanges(files: readonly ChangedFile[], db: MigrationDirInfo, ctx: ChangeContext = {}): MigrationChanges {
  const prefix = clean(ctx.repoPrefix ?? '');
  const dir = clean(posix.join(prefix, db.migrationsDir));
  const names = new Set(db.migrations);
  const base = ctx.baseRef ? `the base branch (${ctx.baseRef})` : 'the base branch';

  /** Migration name of a repo-relative path, or null when the path is not a migration of this directory. */
  const nameOf = (path: string | undefined): string | null => {
    if (!path) return null;
    if (dir !== '' && !path.startsWith(`${dir}/`)) return null;
    const name = dir === '' ? path : path.slice(dir.length + 1);
    // A deleted file is no longer discovered, so recognise migrations by extension too (wrangler runs *.sql).
    return names.has(name) || name.endsWith('.sql') ? name : null;
  };
  const local = (path: string) => clean(prefix === '' ? path : posix.relative(prefix, path));

  const findings: Finding[] = [];
  const added = new Set<string>();
  const touched = new Set<string>();
  const removed: string[] = [];
  for (const f of files) {
    const name = nameOf(f.filename);
    switch (f.status) {
      case 'added':
      case 'copied':
        if (name !== null && names.has(name)) added.add(name);
        break;
      case 'renamed': {
        const previous = nameOf(f.previous_filename);
        if (previous === null) {
          if (name !== null && names.has(name)) added.add(name);
        } else if (name !== null) {
          touched.add(name);
          findings.push(finding({
            rule: MODIFIED_MIGRATION_RULE,
            file: local(f.filename),
            message:
              `${previous} exists on ${base} and this pull request renames it to ${name}. wrangler identifies ` +
              `migrations by file name, so every database that already applied ${previous} would run ${name} ` +
              `again (and fail or duplicate its changes). Keep the original name; put further changes in a new migration.`,
          }));
        } else {
          removed.push(local(f.previous_filename ?? ''));
          findings.push(removalFinding(local(f.previous_filename ?? ''), previous, base, 'moves it out of the migrations folder'));
        }
        break;
      }
      case 'modified':
      case 'changed':
        if (name !== null) {
          touched.add(name);
          findings.push(finding({
            rule: MODIFIED_MIGRATION_RULE,
            file: local(f.filename),
            line: firstChangedLine(f.patch),
            message:
              `${name} exists on ${base} and this pull request edits it. wrangler never runs an applied migration ` +
              `again, so the edit silently reaches no database that already applied it, and those databases drift ` +
              `from fresh ones. ${NEW_MIGRATION_ADVICE}`,
          }));
        }
        break;
      case 'removed':
        if (name !== null) {
          removed.push(local(f.filename));
          findings.push(removalFinding(local(f.filename), name, base, 'deletes it'));
        }
        break;
      default:
        break;
    }
  }
  for (const n of added) touched.add(n);
  return { findings, added: db.migrations.filter((n) => added.has(n)), touched: db.migrations.filter((n) => touched.has(n)), removed };
}

function removalFinding(file: string, name: string, base: string, what: string): Finding {
  return finding({
    rule: MODIFIED_MIGRATION_RULE,
    file,
    message:
      `${name} exists on ${base} and this pull request ${what}. Databases that applied it keep its changes and ` +
      `its ledger row (reported as applied-file-missing), while new databases no longer get them. To undo a ` +
      `migration, add a new migration that reverses it.`,
  });
}

function clean(p: string): string {
  // Only a `./` is dropped: the dot of a hidden folder (`.d1/migrations`) or of `..db` is part of the name.
  const n = posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
  return n === '.' ? '' : n;
}

/** First added or removed line in a unified diff, as a line number in the new file. */
export function firstChangedLine(patch: string | undefined): number | undefined {
  if (!patch) return undefined;
  let line: number | undefined;
  for (const l of patch.split('\n')) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(l);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (line === undefined) continue;
    if (l.startsWith('+') || l.startsWith('-')) return Math.max(1, line);
    if (!l.startsWith('\\')) line++;
  }
  return undefined;
}
