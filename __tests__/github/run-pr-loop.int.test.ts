import { COMMENT_LIMIT } from '../../src/report/comment.js';
import { GitHubEmulator, startGitHubEmulator, type EmulatedFile } from '../support/github-emulator.js';
import { makeProject, TOML_DB } from '../support/project.js';
import { HEAD_SHA, OWNER, PR, prEnv, prRun, recordingIO, REPO, TOKEN } from './helpers.js';

/** Short backoff and no write spacing: what these tests check does not depend on either. */
const FAST = { retryAfterBaseValue: 5, writeSpacingMs: 0 };

const TWO_ENVS = `name = "t"

[[env.staging.d1_databases]]
binding = "DB"
database_name = "shop-staging"
database_id = "11111111-1111-4111-8111-111111111111"

[[env.production.d1_databases]]
binding = "DB"
database_name = "shop-prod"
database_id = "22222222-2222-4222-8222-222222222222"
`;

const BASE_FILES = {
  'wrangler.toml': TOML_DB,
  'migrations/0001_init.sql': 'CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n',
};

/** Text outside CommonMark code spans (a run of n backticks closed by the next run of exactly n). */
function stripCodeSpans(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    const open = /`+/.exec(md.slice(i));
    if (!open) return out + md.slice(i);
    const start = i + open.index;
    const fence = open[0];
    const close = new RegExp(`(?<!\`)${fence}(?!\`)`).exec(md.slice(start + fence.length));
    if (!close) return out + md.slice(i);
    out += md.slice(i, start);
    i = start + fence.length + close.index + fence.length;
  }
  return out;
}

function added(...names: string[]): EmulatedFile[] {
  return names.map((n) => ({ filename: `migrations/${n}`, status: 'added' as const, patch: '@@ -0,0 +1 @@\n+x' }));
}

describe('runPullRequestLoop against the GitHub emulator', () => {
  let gh: GitHubEmulator;
  beforeEach(async () => {
    gh = await startGitHubEmulator({ token: TOKEN });
  });
  afterEach(async () => {
    await gh.stop();
  });

  async function run(cwd: string, raw: Record<string, string> = {}, envOpts: { fork?: boolean } = {}) {
    const io = recordingIO();
    const { result, report } = await prRun(cwd, prEnv(gh.url, { workspace: cwd, ...envOpts }), { raw, io, client: FAST });
    return { result, report, io };
  }

  test('creates one comment on the first run and edits the same comment on the second', async () => {
    const cwd = makeProject({ ...BASE_FILES, 'migrations/0002_email.sql': "ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';\n" });
    gh.setPullRequestFiles(OWNER, REPO, PR, added('0002_email.sql'));
    gh.addComment(OWNER, REPO, PR, 'LGTM, but <!-- d1-migrate-action:comment:top:DB --> quoted');

    const first = await run(cwd);
    expect(first.result.warnings).toEqual([]);
    expect(first.result.commentId).toBeDefined();
    expect(first.result.commentUrl).toBe(`https://github.com/${OWNER}/${REPO}/pull/${PR}#issuecomment-${first.result.commentId}`);
    const ours = () => gh.commentsOn(PR).filter((c) => c.body.startsWith('<!-- d1-migrate-action:'));
    expect(ours()).toHaveLength(1);
    const body = ours()[0]!.body;
    expect(body.split('\n')[0]).toBe('<!-- d1-migrate-action:comment:top:DB -->');
    expect(body).toContain('✅');
    expect(body).toContain('Migrations added by this pull request (compared with the base branch): 1');
    expect(body).toContain('- `0002_email.sql`');
    expect(body).toContain("`users.email TEXT NOT NULL DEFAULT ''` added");
    expect(body).toContain('Reproduce locally: `npx d1-migrate validate --database DB`');

    const second = await run(cwd);
    expect(second.result.commentId).toBe(first.result.commentId);
    expect(second.result.comments[0]!.created).toBe(false);
    expect(ours()).toHaveLength(1);
    expect(gh.commentsOn(PR)).toHaveLength(2);
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path !== '/graphql')).toHaveLength(1);
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  test('finds its comment on a later page of a long discussion', async () => {
    const cwd = makeProject(BASE_FILES);
    gh.setPullRequestFiles(OWNER, REPO, PR, []);
    for (let i = 0; i < 150; i++) gh.addComment(OWNER, REPO, PR, `comment ${i}`);
    const first = await run(cwd);
    const second = await run(cwd);
    expect(second.result.commentId).toBe(first.result.commentId);
    expect(gh.commentsOn(PR)).toHaveLength(151);
    expect(gh.requests.filter((r) => r.path.endsWith(`/issues/${PR}/comments`) && r.method === 'GET' && r.query.page === '2')).toHaveLength(2);
  });

  test('keeps one comment per environment', async () => {
    const cwd = makeProject({ 'wrangler.toml': TWO_ENVS, 'migrations/0001_init.sql': 'CREATE TABLE t (id INTEGER);\n' });
    gh.setPullRequestFiles(OWNER, REPO, PR, added('0001_init.sql'));
    for (let i = 0; i < 2; i++) {
      const { result } = await run(cwd, { environment: 'staging,production' });
      expect(result.comments.map((c) => c.environment)).toEqual(['staging', 'production']);
    }
    const bodies = gh.commentsOn(PR).map((c) => c.body.split('\n')[0]);
    expect(bodies).toEqual(['<!-- d1-migrate-action:comment:staging:DB -->', '<!-- d1-migrate-action:comment:production:DB -->']);
    expect(gh.commentsOn(PR)[1]!.body).toContain('--env production --database DB');
  });

  test('warns instead of failing when a fork token cannot write', async () => {
    const cwd = makeProject(BASE_FILES);
    gh.setPullRequestFiles(OWNER, REPO, PR, []);
    gh.readOnly = true;
    const { result, report } = await run(cwd, {}, { fork: true });
    expect(result.commentId).toBeUndefined();
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(/HTTP 403: Resource not accessible by integration/);
    expect(result.warnings[0]).toMatch(/fork/);
    expect(report.failed).toBe(false);
    expect(gh.comments).toHaveLength(0);
  });

  test('reports an edited, a renamed and a deleted applied migration as modified-migration errors', async () => {
    const cwd = makeProject({
      ...BASE_FILES,
      'migrations/0002_posts.sql': 'CREATE TABLE posts (id INTEGER);\n',
      'migrations/0004_renamed.sql': 'CREATE TABLE tags (id INTEGER);\n',
      'migrations/README.md': 'notes\n',
    });
    gh.setPullRequestFiles(OWNER, REPO, PR, [
      { filename: 'migrations/0001_init.sql', status: 'modified', patch: '@@ -1,3 +1,3 @@\n a\n-b\n+c\n d' },
      { filename: 'migrations/0004_renamed.sql', status: 'renamed', previous_filename: 'migrations/0003_tags.sql' },
      { filename: 'migrations/0005_gone.sql', status: 'removed' },
      { filename: 'migrations/README.md', status: 'modified' },
      { filename: 'src/index.ts', status: 'modified' },
    ]);
    const { result, report } = await run(cwd);
    expect(result.warnings).toEqual([]);
    const mods = report.databases[0]!.findings.filter((f) => f.rule === 'modified-migration');
    expect(mods.map((f) => [f.file, f.line])).toEqual([
      ['migrations/0001_init.sql', 2],
      ['migrations/0004_renamed.sql', undefined],
      ['migrations/0005_gone.sql', undefined],
    ]);
    expect(mods.every((f) => f.severity === 'error')).toBe(true);
    expect(mods[0]!.message).toMatch(/never runs an applied migration again/);
    expect(mods[1]!.message).toMatch(/would run 0004_renamed.sql again/);
    expect(report.status).toBe('invalid');
    expect(report.databases[0]!.status).toBe('invalid');
    expect(report.errors).toBe(3);
    expect(report.failed).toBe(true);
    const body = gh.comments[0]!.body;
    expect(body).toContain('❌');
    expect(body).toContain(`https://github.com/${OWNER}/${REPO}/blob/${HEAD_SHA}/migrations/0001_init.sql#L2`);
    // A deleted file only exists on the base commit.
    expect(body).toMatch(/blob\/fedcba98[0-9a-f]+\/migrations\/0005_gone\.sql/);
  });

  test('does not report modified-migration when the rule is disabled', async () => {
    const cwd = makeProject(BASE_FILES);
    gh.setPullRequestFiles(OWNER, REPO, PR, [{ filename: 'migrations/0001_init.sql', status: 'modified' }]);
    const { report } = await run(cwd, { 'disable-rules': 'modified-migration' });
    expect(report.errors).toBe(0);
    expect(report.failed).toBe(false);
  });

  test('escapes hostile file names with HTML, backticks, pipes and mentions', async () => {
    const evil = '0002_<img src=x onerror=alert(1)>`|@octocat.sql';
    const cwd = makeProject({ ...BASE_FILES, [`migrations/${evil}`]: 'CREATE TABLE x (id INTEGER);\n' });
    gh.setPullRequestFiles(OWNER, REPO, PR, added(evil));
    await run(cwd);
    const body = gh.comments[0]!.body;
    // The name is shown as a code span fenced with more backticks than it contains, where GitHub renders
    // HTML and mentions as plain text.
    expect(body).toContain('- ``0002_<img src=x onerror=alert(1)>`|@octocat.sql``');
    const outsideCode = stripCodeSpans(body.split('\n').slice(1).join('\n')).replace(/<\/?sub>/g, '');
    expect(outsideCode).not.toMatch(/<img|<[a-z]/i);
    expect(outsideCode).not.toMatch(/(^|[^\u200d])@octocat/);
  });

  test('keeps a 200-migration pull request under the comment limit', async () => {
    const files: Record<string, string> = { 'wrangler.toml': TOML_DB };
    const names: string[] = [];
    for (let i = 1; i <= 200; i++) {
      const name = `${String(i).padStart(4, '0')}_${'create_a_table_with_a_rather_long_descriptive_name_'.repeat(3)}${i}.sql`;
      names.push(name);
      // Each file also draws findings (destructive DELETE without WHERE), so the findings alone exceed the limit.
      files[`migrations/${name}`] = `CREATE TABLE t${i} (id INTEGER PRIMARY KEY, v TEXT NOT NULL);\nDELETE FROM t${i};\nDELETE FROM t${i};\n`;
    }
    const cwd = makeProject(files);
    gh.setPullRequestFiles(OWNER, REPO, PR, added(...names));
    const { result, report } = await run(cwd);
    expect(result.warnings).toEqual([]);
    expect(report.databases[0]!.migrations).toHaveLength(200);
    const body = gh.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(body).toContain('Migrations added by this pull request (compared with the base branch): 200');
    expect(body).toContain('Reproduce locally:');
    expect(body).toContain(`[job summary](https://github.com/${OWNER}/${REPO}/actions/runs/777)`);
  });

  test('reads a pull request file list that spans three pages', async () => {
    const cwd = makeProject({ ...BASE_FILES, 'migrations/0002_last.sql': 'CREATE TABLE z (id INTEGER);\n' });
    const other: EmulatedFile[] = Array.from({ length: 230 }, (_, i) => ({ filename: `src/file${i}.ts`, status: 'modified' }));
    gh.setPullRequestFiles(OWNER, REPO, PR, [...other, { filename: 'migrations/0001_init.sql', status: 'modified' }, ...added('0002_last.sql')]);
    const { report } = await run(cwd);
    const pages = gh.requests.filter((r) => r.path.endsWith('/files'));
    expect(pages.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(pages.every((r) => r.query.per_page === '100')).toBe(true);
    expect(report.databases[0]!.findings.filter((f) => f.rule === 'modified-migration')).toHaveLength(1);
    expect(gh.comments[0]!.body).toContain('- `0002_last.sql`');
  });

  test.each(['primary', 'secondary', '429'] as const)('retries after a %s rate limit and then succeeds', async (kind) => {
    const cwd = makeProject(BASE_FILES);
    gh.setPullRequestFiles(OWNER, REPO, PR, []);
    gh.rateLimit(2, kind);
    const { result } = await run(cwd);
    expect(result.warnings).toEqual([]);
    expect(result.commentId).toBeDefined();
    expect(gh.requests.filter((r) => r.status === 403 || r.status === 429)).toHaveLength(2);
    expect(gh.comments).toHaveLength(1);
  });

  test('gives up with a warning when the rate limit does not lift', async () => {
    const cwd = makeProject(BASE_FILES);
    gh.setPullRequestFiles(OWNER, REPO, PR, []);
    gh.rateLimit(100, 'primary');
    const { result } = await run(cwd);
    expect(result.commentId).toBeUndefined();
    expect(result.warnings.join('\n')).toMatch(/rate limit/i);
  });

  test('never puts the token into the comment, the warnings or the log', async () => {
    const cwd = makeProject({ ...BASE_FILES, 'migrations/0002_x.sql': 'CREATE TABLE x (id INTEGER);\n' });
    gh.setPullRequestFiles(OWNER, REPO, PR, added('0002_x.sql'));
    const ok = await run(cwd);
    gh.readOnly = true;
    const denied = await run(cwd);
    gh.token = 'another-token';
    const unauthorised = await run(cwd);
    const texts = [
      ...gh.comments.map((c) => c.body),
      ...gh.requests.map((r) => r.body ?? ''),
      ...[ok, denied, unauthorised].flatMap((r) => [...r.io.lines, ...r.result.warnings, JSON.stringify(r.report)]),
    ];
    for (const t of texts) expect(t).not.toContain(TOKEN);
    expect(unauthorised.result.warnings.join('\n')).toMatch(/401/);
    // It was sent where it belongs.
    expect(gh.requests[0]!.authorization).toBe(`token ${TOKEN}`);
  });

  test('does nothing outside pull requests or without a token, and posts no comment with comment off', async () => {
    const cwd = makeProject(BASE_FILES);
    const push = await prRun(cwd, { ...prEnv(gh.url), GITHUB_EVENT_NAME: 'push' });
    expect(push.result).toEqual({ comments: [], warnings: [] });
    expect(gh.requests).toHaveLength(0);
    gh.setPullRequestFiles(OWNER, REPO, PR, [{ filename: 'migrations/0001_init.sql', status: 'modified' }]);
    const off = await prRun(cwd, prEnv(gh.url), { client: FAST, options: { comment: 'off' } });
    expect(off.result).toEqual({ comments: [], warnings: [] });
    // The edited-migration check still reads the file list; nothing is written.
    expect(gh.requests.length).toBeGreaterThan(0);
    expect(gh.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(gh.comments).toHaveLength(0);
    expect(off.report.databases[0]!.findings.some((f) => f.rule === 'modified-migration')).toBe(true);
    gh.requests.length = 0;
    const noToken = await prRun(cwd, prEnv(gh.url), { token: null });
    expect(noToken.result.warnings).toHaveLength(1);
    expect(noToken.result.warnings[0]).toMatch(/every migration is judged/);
    expect(gh.requests).toHaveLength(0);
  });

  test('maps a working directory below the repository root onto repository paths', async () => {
    const root = makeProject({ 'db/wrangler.toml': TOML_DB, 'db/migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER);\n' });
    gh.setPullRequestFiles(OWNER, REPO, PR, [{ filename: 'db/migrations/0001_init.sql', status: 'modified' }]);
    const { result, report } = await prRun(`${root}/db`, prEnv(gh.url, { workspace: root }), { client: FAST });
    expect(result.warnings).toEqual([]);
    expect(report.databases[0]!.findings.find((f) => f.rule === 'modified-migration')?.file).toBe('migrations/0001_init.sql');
    expect(gh.comments[0]!.body).toContain(`/blob/${HEAD_SHA}/db/migrations/0001_init.sql`);
    expect(gh.comments[0]!.body).toContain('npx d1-migrate validate --cwd db --database DB');
  });

  test('a pull request of 3,000 files (all GitHub lists) settles nothing: a migration past the cut is judged', async () => {
    // GitHub's list stops at 3,000 files; 3,000 padding files sorted before `migrations/` push the new
    // migration out of it. Taken as complete, the list made that migration "unchanged", its error informational.
    const cwd = makeProject({ ...BASE_FILES, 'migrations/0002_tx.sql': 'BEGIN TRANSACTION;\nCREATE TABLE t (id INTEGER);\nCOMMIT;\n' });
    const padding = Array.from({ length: 3_000 }, (_, i) => ({ filename: `a/${String(i).padStart(4, '0')}.txt`, status: 'added' as const }));
    gh.setPullRequestFiles(OWNER, REPO, PR, padding);
    const { result, report } = await run(cwd);
    expect(result.warnings.join('\n')).toMatch(/changes 3,000 or more files, the most GitHub lists: every migration is judged/);
    expect(report.databases[0]!.scope).toBeUndefined();
    expect(report.informational).toBe(0);
    expect(report.failed).toBe(true);
  });

  test('a working directory named `..db` is below the root too: what the pull request changes there is judged', async () => {
    // `..db` is a child, not a parent reference; read as outside, the prefix was '' and every migration
    // in it settled (informational), the pull request's own edit included.
    const root = makeProject({ '..db/wrangler.toml': TOML_DB, '..db/migrations/0001_init.sql': 'CREATE TABLE a (id INTEGER);\n' });
    gh.setPullRequestFiles(OWNER, REPO, PR, [{ filename: '..db/migrations/0001_init.sql', status: 'modified' }]);
    const { report } = await prRun(`${root}/..db`, prEnv(gh.url, { workspace: root }), { client: FAST });
    expect(report.databases[0]!.findings.find((f) => f.rule === 'modified-migration')?.file).toBe('migrations/0001_init.sql');
    expect(report.databases[0]!.scope).toMatchObject({ basis: 'pull-request', judged: ['0001_init.sql'], settled: [] });
    expect(report.failed).toBe(true);
  });
  test('a pull request that changes .d1-migrate.toml is told so, on the check it changes the rules of', async () => {
    // The policy is read from the checkout: this pull request turns off the very rule its migration breaks.
    const policy = '[rules]\ntransaction-statement = "off"\n';
    const cwd = makeProject({ ...BASE_FILES, '.d1-migrate.toml': policy, 'migrations/0002_tx.sql': 'BEGIN TRANSACTION;\nCREATE TABLE t (id INTEGER);\nCOMMIT;\n' });
    gh.setPullRequestFiles(OWNER, REPO, PR, [...added('0002_tx.sql'), { filename: '.d1-migrate.toml', status: 'modified', patch: '@@ -0,0 +1 @@\n+x' }]);
    const { report, io } = await run(cwd);
    const said = /This pull request changes \.d1-migrate\.toml, the rule settings this check ran with/;
    expect(report.databases[0]!.notes.join('\n')).toMatch(said);
    expect(io.lines.join('\n')).toMatch(said);
    expect(gh.comments[0]!.body).toMatch(said);

    // The same project, the pull request leaving the policy alone: nothing is said.
    gh.setPullRequestFiles(OWNER, REPO, PR, added('0002_tx.sql'));
    const quiet = await run(cwd);
    expect(quiet.report.databases[0]!.notes.join('\n')).not.toMatch(/\.d1-migrate\.toml/);
  });
});
