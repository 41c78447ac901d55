import { COMMENT_LIMIT, commentMarker, renderComment, reproduceCommand, type CommentInput } from '../../src/report/comment.js';
import type { DatabaseReport } from '../../src/types.js';

function db(over: Partial<DatabaseReport> = {}): DatabaseReport {
  return {
    environment: 'production',
    binding: 'DB',
    databaseName: 'shop-prod',
    migrationsDir: 'migrations',
    migrationsTable: 'd1_migrations',
    migrations: ['0001_init.sql', '0002_email.sql'],
    findings: [],
    status: 'valid',
    notes: [],
    durationMs: 1,
    ...over,
  };
}

const PR = { owner: 'acme', repo: 'shop', number: 7, headSha: 'a'.repeat(40), baseSha: 'b'.repeat(40) };
const input = (over: Partial<CommentInput> = {}): CommentInput => ({ db: db(), pr: PR, added: ['0002_email.sql'], ...over });

describe('commentMarker', () => {
  it('names the environment (or top) and the binding', () => {
    expect(commentMarker('production', 'DB')).toBe('<!-- d1-migrate-action:comment:production:DB -->');
    expect(commentMarker(null, 'DB')).toBe('<!-- d1-migrate-action:comment:top:DB -->');
  });

  it('cannot close the HTML comment early', () => {
    expect(commentMarker('x-->y', 'a b')).toBe('<!-- d1-migrate-action:comment:x--%3Ey:a%20b -->');
  });
});

describe('renderComment', () => {
  it('starts with the marker and shows a verdict per status', () => {
    expect(renderComment(input()).split('\n')[0]).toBe(commentMarker('production', 'DB'));
    expect(renderComment(input())).toContain('### ✅ D1 migrations: `DB` (shop-prod) · production');
    const warn = renderComment(input({ db: db({ findings: [{ rule: 'number-gap', severity: 'warning', message: 'gap' }] }) }));
    expect(warn).toContain('### ⚠️');
    expect(warn).toContain('valid with warnings');
    expect(renderComment(input({ db: db({ status: 'skipped' }) }))).toContain('### ⚠️');
    expect(renderComment(input({ db: db({ status: 'invalid' }) }))).toContain('### ❌');
    const failed = renderComment(input({ db: db({ status: 'failed', failure: { phase: 'preview', kind: 'not-authorized', message: 'no access' } }) }));
    expect(failed).toContain('### ❌');
    expect(failed).toContain('**preview failed** (`not-authorized`): no access');
  });

  it("labels the pending list by where it came from: the ledger or the PR's added files", () => {
    const ledger = renderComment(input({ db: db({ pending: ['0002_email.sql', '0003_x.sql'] }), target: 'remote' }));
    expect(ledger).toContain("#### Pending on shop-prod (remote), from the database's ledger: 2");
    expect(ledger).toContain('- `0003_x.sql`');
    const prList = renderComment(input());
    expect(prList).toContain('#### Migrations added by this pull request (compared with the base branch): 1');
    expect(renderComment(input({ db: db({ pending: [] }) }))).toContain('Nothing pending');
  });

  it('shows data-loss findings first, in their own section above the pending list', () => {
    const out = renderComment(
      input({
        db: db({
          status: 'invalid',
          findings: [
            { rule: 'number-gap', severity: 'warning', file: 'migrations/0001_init.sql', line: 1, message: 'gap' },
            { rule: 'drop-referenced-table', severity: 'error', file: 'migrations/0002_email.sql', line: 3, message: 'drop' },
            { rule: 'rows-lost', severity: 'error', file: 'migrations/0002_email.sql', line: 3, table: 'sessions', message: 'Rows of sessions are lost' },
          ],
        }),
      }),
    );
    const data = out.indexOf('#### ⚠️ Data loss: 1 finding of the data check');
    expect(data).toBeGreaterThan(-1);
    expect(data).toBeLessThan(out.indexOf('#### Migrations added by this pull request'));
    expect(out.indexOf('Rows of sessions are lost')).toBeGreaterThan(data);
    expect(out.indexOf('Rows of sessions are lost')).toBeLessThan(out.indexOf('#### Other findings: 2 findings'));
    expect(out.indexOf('drop-referenced-table')).toBeGreaterThan(out.indexOf('#### Other findings'));
    // Without data findings the section is absent and the heading stays "Findings".
    const plain = renderComment(input({ db: db({ findings: [{ rule: 'number-gap', severity: 'warning', message: 'gap' }] }) }));
    expect(plain).not.toContain('Data loss');
    expect(plain).toContain('#### Findings: 1 finding');
  });

  it('groups findings by file with links to the lines and the rule docs', () => {
    const out = renderComment(
      input({
        repoPrefix: 'apps/db',
        serverUrl: 'https://ghe.example.com/',
        db: db({
          findings: [
            { rule: 'destructive-change', severity: 'warning', file: 'migrations/0002 (new).sql', line: 9, message: 'DROP TABLE' },
            { rule: 'sql-syntax', severity: 'error', file: 'migrations/0002 (new).sql', line: 3, message: 'near "x"' },
            { rule: 'number-gap', severity: 'warning', message: 'gap' },
            { rule: 'empty-migration', severity: 'error', file: 'migrations/0001_init.sql', message: 'empty' },
          ],
        }),
      }),
    );
    const blob = `https://ghe.example.com/acme/shop/blob/${'a'.repeat(40)}/apps/db/migrations/0002%20%28new%29.sql`;
    expect(out).toContain(`**[migrations/0002 (new).sql](${blob})**`);
    const first = out.indexOf(`[line 3](${blob}#L3)`);
    const second = out.indexOf(`[line 9](${blob}#L9)`);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(out.indexOf('0001_init.sql](')).toBeLessThan(first);
    expect(out.indexOf('**The migration set as a whole**')).toBeGreaterThan(second);
    expect(out).toContain('[`sql-syntax`](https://github.com/d1-migrate/d1-migrate-action/blob/v1/docs/rules.md#sql-syntax)');
  });

  it('escapes messages, notes and names that come from files', () => {
    const out = renderComment(
      input({
        db: db({
          notes: ['cc @octocat <script>'],
          findings: [{ rule: 'sql-syntax', severity: 'error', file: 'migrations/x](javascript:alert(1)).sql', line: 1, message: '<img src=x onerror=alert(1)> ```\n# heading | @team' }],
        }),
      }),
    );
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<script>');
    expect(out).not.toMatch(/(^|[^\u200d])@(octocat|team)/m);
    expect(out).not.toContain('\n# heading');
    expect(out).toContain('x\\](javascript:alert(1)).sql](');
    expect(out).toContain('/migrations/x%5D%28javascript%3Aalert%281%29%29.sql#L1)');
  });

  it('shows the schema diff or why it is missing', () => {
    const withDiff = renderComment(input({ schema: { changes: [{ kind: 'added', object: 'column', name: 'email', table: 'users', definition: 'email TEXT NOT NULL' }] } }));
    expect(withDiff).toContain('#### Schema changes (base branch → this pull request)');
    expect(withDiff).toContain('- ➕ column `users.email TEXT NOT NULL` added');
    expect(renderComment(input({ schema: { changes: [] } }))).toContain('No schema changes.');
    expect(renderComment(input({ schema: { error: 'replay failed' } }))).toContain('Not computed: replay failed');
  });

  it('tells how to reproduce locally', () => {
    expect(renderComment(input())).toContain('Reproduce locally: `npx d1-migrate validate --env production --database DB`');
    expect(reproduceCommand(db({ environment: null }), "my dir's")).toBe(`npx d1-migrate validate --cwd 'my dir'\\''s' --database DB`);
  });

  it('cuts long content under the limit and points at the job summary', () => {
    const findings = Array.from({ length: 3000 }, (_, i) => ({
      rule: 'destructive-change' as const,
      severity: 'warning' as const,
      file: `migrations/${String(i).padStart(4, '0')}_x.sql`,
      line: 1,
      message: 'DELETE without WHERE '.repeat(20),
    }));
    const pending = Array.from({ length: 5000 }, (_, i) => `${i}_${'n'.repeat(50)}.sql`);
    const out = renderComment(
      input({ db: db({ findings, notes: ['x'.repeat(5000)] }), added: pending, runUrl: 'https://github.com/acme/shop/actions/runs/1', schema: { changes: [] } }),
    );
    expect(out.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(out).toContain('the [job summary](https://github.com/acme/shop/actions/runs/1) has the full report');
    expect(out).toMatch(/- … and \d+ more/);
    expect(out).toMatch(/- … \d+ more lines of findings/);
    expect(out).toContain('No schema changes.');
    expect(out).toContain('Reproduce locally:');
    const small = renderComment(input({ maxLength: 2_000, db: db({ failure: { phase: 'apply', kind: 'unknown', message: 'y'.repeat(900) }, notes: ['z'.repeat(900)] }) }));
    expect(small.length).toBeLessThanOrEqual(2_000);
  });
});
