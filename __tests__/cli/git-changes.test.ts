/**
 * `--since`'s change set from git: the working directory's place in the repository is its prefix, also when its
 * name starts with `..` (a child named `..db`, not a parent reference: read as outside, the prefix was '' and no
 * path of the change matched a migration, so every migration, the change's own included, was settled).
 */
import { execFileSync } from 'node:child_process';
import { realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitChangeSet } from '../../src/cli/git-changes.js';
import { makeProject, TOML_DB } from '../support/project.js';

test('a working directory named `..db` keeps its prefix', () => {
  const root = realpathSync(makeProject({ '..db/wrangler.toml': TOML_DB, '..db/migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER);\n' }));
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'base');
  writeFileSync(join(root, '..db/migrations/0002_b.sql'), 'CREATE TABLE b (id INTEGER);\n');
  const change = gitChangeSet(join(root, '..db'), 'main');
  expect(change.repoPrefix).toBe('..db');
  expect(change.files).toEqual([{ filename: '..db/migrations/0002_b.sql', status: 'added' }]);
});
