import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { failurePayload, notifyFailure } from '../../src/notify/webhook.js';
import { emptyReport, TempProject } from '../support/temp-project.js';

async function server(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const s = http.createServer(handler);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/services/T000/B000/secretpart`,
    close: () => new Promise((r) => { s.closeAllConnections(); s.close(() => r()); }),
  };
}

const project = new TempProject({ environment: 'production' });
afterAll(() => project.cleanup());
const report = { ...emptyReport(project.target, []), failure: { phase: 'apply' as const, kind: 'sql-error' as const, message: 'x' }, failed: { name: '0002_b.sql', message: 'no such table: nope', kind: 'sql-error' } };
const payload = failurePayload(report, { runUrl: 'https://github.com/o/r/actions/runs/9', repository: 'o/r', sha: 'abcdef0123' })!;

test('posts one Slack-compatible message', async () => {
  const bodies: unknown[] = [];
  const s = await server((req, res) => {
    let b = '';
    req.on('data', (c) => (b += c));
    req.on('end', () => {
      bodies.push(JSON.parse(b));
      res.end('ok');
    });
  });
  expect(await notifyFailure(s.url, payload)).toBeUndefined();
  await s.close();
  expect(bodies).toHaveLength(1);
  expect(bodies[0]).toMatchObject({ environment: 'production', database: 'app-db', migration: '0002_b.sql', error: 'no such table: nope' });
  expect((bodies[0] as { text: string }).text).toMatch(/app-db \(production\)[\s\S]*0002_b\.sql[\s\S]*no such table: nope[\s\S]*actions\/runs\/9/);
});

test('an HTTP error is a warning without the URL', async () => {
  const s = await server((_req, res) => {
    res.statusCode = 500;
    res.end();
  });
  const warning = await notifyFailure(s.url, payload);
  await s.close();
  expect(warning).toMatch(/HTTP 500/);
  expect(warning).not.toContain('secretpart');
});

test('an unreachable webhook is a warning, never a throw', async () => {
  const warning = await notifyFailure('http://127.0.0.1:9/services/secretpart', payload);
  expect(warning).toMatch(/could not post/);
  expect(warning).not.toContain('secretpart');
});

test('no payload for a database that did not fail', () => {
  expect(failurePayload(emptyReport(project.target, []), {})).toBeUndefined();
});
