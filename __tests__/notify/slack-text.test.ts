import { slackMessage, type FailurePayload } from '../../src/notify/webhook.js';

/** Slack's control sequences: `<!channel>`, `<!here>`, `<@U123>`, `<#C1>`, `<url|label>`; all start with `<`. */
const SLACK_CONTROL = /<[!@#]|<[a-z][a-z0-9+.-]*:/i;

const hostile: FailurePayload = {
  environment: 'prod <!here>',
  database: 'db<@U0123>\nRun: https://evil.example',
  migration: '0002_<!channel>_<https://evil.example|https://github.com/acme/shop>.sql',
  error: 'RAISE: boom\nRun: <https://evil.example|https://github.com/acme/shop/actions/runs/1>\n@channel @here @everyone cc @alice & <b>',
  runUrl: 'https://github.com/acme/shop/actions/runs/9',
  repository: 'acme/shop',
  sha: 'abcdef1234567',
};

test('no Slack control sequence, mention or extra line from pull-request text', () => {
  const { text } = slackMessage(hostile) as { text: string };
  expect(text).not.toMatch(SLACK_CONTROL);
  expect(text).not.toMatch(/@(channel|here|everyone|alice)/);
  expect(text).toContain('&lt;!channel&gt;');
  expect(text).toContain('&amp; &lt;b&gt;');
  // Our lines, in order; every line of the error is quoted, and no name starts a line of its own.
  const lines = text.split('\n');
  const ours = lines.filter((l) => !l.startsWith('> '));
  expect(ours.map((l) => /^(:x: D1 migration failed on |Migration: |Error:$|Repository: |Run: )/.exec(l)?.[1])).toEqual([
    ':x: D1 migration failed on ',
    'Migration: ',
    'Error:',
    'Repository: ',
    'Run: ',
  ]);
  expect(ours.filter((l) => l.startsWith('Run:'))).toEqual(['Run: https://github.com/acme/shop/actions/runs/9']);
  expect(lines.filter((l) => l.startsWith('> '))).toHaveLength(3);
});

test('the machine-readable fields keep the values as they are', () => {
  const m = slackMessage(hostile);
  expect(m).toMatchObject({ database: hostile.database, migration: hostile.migration, error: hostile.error, environment: hostile.environment });
});
