/**
 * Comment ownership (issue 13, point 6): the sticky comment is edited only when the token's own identity
 * wrote it. A comment that merely starts with the marker, written by anyone else, is never touched.
 */
import { upsertComment } from '../../src/github/comment.js';
import { createClient } from '../../src/github/client.js';
import { GitHubEmulator, startGitHubEmulator } from '../support/github-emulator.js';
import { OWNER, PR, REPO } from './helpers.js';

const MARKER = '<!-- d1-migrate-action:comment:top:DB -->';
const FORGED = `${MARKER}\n## ✅ D1 migrations: valid\n\nNothing to see here.`;
const event = { owner: OWNER, repo: REPO, number: PR, fork: false };

let gh: GitHubEmulator;
beforeEach(async () => {
  gh = await startGitHubEmulator();
});
afterEach(async () => {
  await gh.stop();
});

async function post(token: string, body: string) {
  return upsertComment({ token, apiUrl: gh.url, event, marker: MARKER, body, clientOptions: { retries: 0 } });
}

test('a forged marker comment by another user is never edited: a new comment is created, and edited later', async () => {
  const forged = gh.addComment(OWNER, REPO, PR, FORGED, 'mallory');
  const first = await post('ghs_job_token_1', `${MARKER}\nreal report 1`);
  expect(first).toMatchObject({ created: true });
  expect(gh.comments.find((c) => c.id === forged.id)!.body).toBe(FORGED);
  expect(gh.requests.filter((r) => r.method === 'PATCH')).toEqual([]);

  const second = await post('ghs_job_token_1', `${MARKER}\nreal report 2`);
  expect(second).toMatchObject({ created: false, id: (first as { id: number }).id });
  expect(gh.comments.find((c) => c.id === forged.id)!.body).toBe(FORGED);
  expect(gh.commentsOn(PR).map((c) => c.user.login)).toEqual(['mallory', 'github-actions[bot]']);
  const ours = gh.commentsOn(PR)[1];
  expect(ours).toMatchObject({ body: `${MARKER}\nreal report 2`, user: { type: 'Bot' }, performed_via_github_app: { slug: 'github-actions' } });
});

test('a marker comment by another app (another bot) is not ours either', async () => {
  const other = gh.addComment(OWNER, REPO, PR, FORGED, 'evil-app[bot]');
  const r = await post('ghs_job_token_2', `${MARKER}\nreport`);
  expect(r).toMatchObject({ created: true });
  expect(gh.comments.find((c) => c.id === other.id)!.body).toBe(FORGED);
});

test("a personal token edits its own user's comment, not the job token's or a forger's", async () => {
  gh.setIdentity('ghp_personal_token', { login: 'octocat', type: 'User' });
  const botComment = gh.addComment(OWNER, REPO, PR, `${MARKER}\nby the bot`, 'github-actions[bot]');
  const forged = gh.addComment(OWNER, REPO, PR, FORGED, 'octocat-impostor');
  const mine = gh.addComment(OWNER, REPO, PR, `${MARKER}\nmy old report`, 'octocat');
  const r = await post('ghp_personal_token', `${MARKER}\nmy new report`);
  expect(r).toMatchObject({ created: false, id: mine.id });
  expect(gh.comments.find((c) => c.id === mine.id)!.body).toBe(`${MARKER}\nmy new report`);
  expect(gh.comments.find((c) => c.id === botComment.id)!.body).toBe(`${MARKER}\nby the bot`);
  expect(gh.comments.find((c) => c.id === forged.id)!.body).toBe(FORGED);
});

test('an installation token of another app edits that bot’s comment (the GraphQL viewer names it)', async () => {
  gh.setIdentity('ghs_app_token', { login: 'd1-bot[bot]', type: 'Bot', app: 'd1-bot' });
  gh.addComment(OWNER, REPO, PR, FORGED, 'github-actions[bot]');
  const mine = gh.addComment(OWNER, REPO, PR, `${MARKER}\nold`, 'd1-bot[bot]');
  const r = await post('ghs_app_token', `${MARKER}\nnew`);
  expect(r).toMatchObject({ created: false, id: mine.id });
});

test('identity is asked once per client, only when a marker comment exists, and an unknown identity trusts nothing', async () => {
  const token = 'ghs_job_token_3';
  const client = createClient(token, gh.url, { retries: 0 });
  await upsertComment({ token, event, marker: MARKER, body: `${MARKER}\na`, client });
  expect(gh.requests.filter((r) => r.path === '/graphql')).toHaveLength(0);
  await upsertComment({ token, event, marker: MARKER, body: `${MARKER}\nb`, client });
  await upsertComment({ token, event, marker: MARKER, body: `${MARKER}\nc`, client });
  expect(gh.requests.filter((r) => r.path === '/graphql')).toHaveLength(1);
  expect(gh.commentsOn(PR)).toHaveLength(1);

  // A GitHub that cannot say who the token is (the GraphQL endpoint fails): no existing comment is edited.
  gh.setIdentity('ghs_unknown', { login: '', type: 'User' });
  const r = await post('ghs_unknown', `${MARKER}\nd`);
  expect(r).toMatchObject({ created: true });
  expect(gh.commentsOn(PR)[0]!.body).toBe(`${MARKER}\nc`);
});
