import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPullRequestEvent } from '../../src/github/pull-request.js';

function eventFile(payload: unknown): string {
  const p = join(mkdtempSync(join(tmpdir(), 'd1-ev-')), 'event.json');
  writeFileSync(p, typeof payload === 'string' ? payload : JSON.stringify(payload));
  return p;
}

const payload = (headRepo: string) => ({
  number: 5,
  pull_request: {
    number: 5,
    head: { sha: 'h'.repeat(40), ref: 'feat', repo: { full_name: headRepo } },
    base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: 'acme/shop' } },
  },
});

describe('readPullRequestEvent', () => {
  it('reads a pull_request payload', () => {
    const ev = readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile(payload('acme/shop')) });
    expect(ev).toEqual({
      eventName: 'pull_request',
      owner: 'acme',
      repo: 'shop',
      number: 5,
      headSha: 'h'.repeat(40),
      headRepo: 'acme/shop',
      baseSha: 'b'.repeat(40),
      baseRef: 'main',
      fork: false,
    });
  });

  it('detects a fork on pull_request_target', () => {
    const ev = readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_EVENT_PATH: eventFile(payload('someone/shop')) });
    expect(ev?.fork).toBe(true);
    expect(ev?.owner).toBe('acme');
  });

  it('returns null for other events, a missing or malformed payload', () => {
    expect(readPullRequestEvent({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: eventFile(payload('acme/shop')) })).toBeNull();
    expect(readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request' })).toBeNull();
    expect(readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: '/nonexistent/event.json' })).toBeNull();
    expect(readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile('{not json') })).toBeNull();
    expect(readPullRequestEvent({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventFile({ number: 1 }) })).toBeNull();
  });
});
