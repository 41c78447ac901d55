/**
 * A local emulator of the GitHub REST endpoints the pull-request loop uses, so the loop (and the bundled
 * action) can be tested offline with Octokit pointed at it through GITHUB_API_URL:
 *
 * - GET   /repos/:owner/:repo/issues/:number/comments   (paginated with Link headers)
 * - POST  /repos/:owner/:repo/issues/:number/comments
 * - PATCH /repos/:owner/:repo/issues/comments/:id
 * - GET   /repos/:owner/:repo/pulls/:number/files       (paginated with Link headers)
 * - GET   /user and POST /graphql `{ viewer { login } }`
 *
 * Identities: each token acts as someone (setIdentity). A token with none is the job's GITHUB_TOKEN, an
 * installation token of the GitHub Actions app: comments it writes are by `github-actions[bot]` (type Bot,
 * performed_via_github_app.slug `github-actions`), `GET /user` answers 403 "Resource not accessible by
 * integration", the GraphQL viewer is `github-actions[bot]`. A personal token's `GET /user` is its login.
 * Like GitHub, anyone with write access may edit anyone's comment: the action must choose which to edit.
 *
 * Faults: read-only tokens (403 on writes, as a fork's GITHUB_TOKEN gets), rate limits for the first N
 * requests (primary, secondary or 429), and a token check (401 for another token).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface EmulatedComment {
  id: number;
  body: string;
  issue: number;
  owner: string;
  repo: string;
  html_url: string;
  user: { login: string; type: string };
  performed_via_github_app: { slug: string; name: string } | null;
  created_at: string;
  updated_at: string;
}

export interface EmulatedFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  previous_filename?: string;
  patch?: string;
}

export interface LoggedGitHubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** The Authorization header as received (tests check the token went there and nowhere else). */
  authorization?: string;
  /** Request body, for writes. */
  body?: string;
}

/** Who a token acts as. `app` is set for an installation token (the login is then `<app>[bot]`). */
export interface EmulatedIdentity {
  login: string;
  type: 'User' | 'Bot';
  app?: string;
}

export const JOB_TOKEN_IDENTITY: EmulatedIdentity = { login: 'github-actions[bot]', type: 'Bot', app: 'github-actions' };

export type RateLimitKind = 'primary' | 'secondary' | '429';

export interface GitHubEmulatorOptions {
  /** When set, any other token gets 401 Bad credentials. */
  token?: string;
  /** Answer writes (POST/PATCH) with 403 "Resource not accessible by integration", as for a fork PR. */
  readOnly?: boolean;
}

export class GitHubEmulator {
  readonly comments: EmulatedComment[] = [];
  readonly requests: LoggedGitHubRequest[] = [];
  readOnly: boolean;
  token?: string;
  private files = new Map<string, EmulatedFile[]>();
  private identities = new Map<string, EmulatedIdentity>();
  private nextId = 1000;
  private rateLimited = 0;
  private rateLimitKind: RateLimitKind = 'primary';
  private server: http.Server | null = null;
  private sockets = new Set<Socket>();
  private base = '';

  constructor(opts: GitHubEmulatorOptions = {}) {
    this.readOnly = opts.readOnly ?? false;
    this.token = opts.token;
  }

  /** Base URL to use as GITHUB_API_URL. */
  get url(): string {
    return this.base;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => this.handle(req, res, body));
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', ok));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((ok) => this.server!.close(() => ok()));
    this.server = null;
  }

  /** The files `GET /pulls/:number/files` lists. */
  setPullRequestFiles(owner: string, repo: string, number: number, files: EmulatedFile[]): void {
    this.files.set(`${owner}/${repo}#${number}`, files);
  }

  /** Answer the next `count` requests with a rate-limit error of the given kind. */
  rateLimit(count: number, kind: RateLimitKind = 'primary'): void {
    this.rateLimited = count;
    this.rateLimitKind = kind;
  }

  /** Make `token` act as `identity` (default for any token: the job token, github-actions[bot]). */
  setIdentity(token: string, identity: EmulatedIdentity): void {
    this.identities.set(token, identity);
  }

  /** A comment someone else left, to check the loop edits only its own. */
  addComment(owner: string, repo: string, issue: number, body: string, login = 'someone'): EmulatedComment {
    const identity: EmulatedIdentity = login.endsWith('[bot]') ? { login, type: 'Bot', app: login.slice(0, -5) } : { login, type: 'User' };
    return this.create(owner, repo, issue, body, identity);
  }

  commentsOn(issue: number): EmulatedComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  private identityOf(authorization: string | undefined): EmulatedIdentity {
    const token = /^(?:token|bearer) (.+)$/i.exec(authorization ?? '')?.[1];
    return (token !== undefined && this.identities.get(token)) || JOB_TOKEN_IDENTITY;
  }

  private create(owner: string, repo: string, issue: number, body: string, identity: EmulatedIdentity): EmulatedComment {
    const id = this.nextId++;
    const now = new Date().toISOString();
    const c: EmulatedComment = {
      id,
      body,
      issue,
      owner,
      repo,
      html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${id}`,
      user: { login: identity.login, type: identity.type },
      performed_via_github_app: identity.app ? { slug: identity.app, name: identity.app } : null,
      created_at: now,
      updated_at: now,
    };
    this.comments.push(c);
    return c;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', this.base);
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? 'GET';
    const authorization = req.headers.authorization;
    const entry: LoggedGitHubRequest = { method, path: url.pathname, query, status: 0, authorization };
    if (method !== 'GET') entry.body = raw;
    this.requests.push(entry);
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(data));
    };

    if (this.token !== undefined && authorization !== `token ${this.token}` && authorization !== `Bearer ${this.token}`) {
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    if (this.rateLimited > 0) {
      this.rateLimited--;
      const reset = String(Math.floor(Date.now() / 1000));
      if (this.rateLimitKind === 'secondary') {
        return send(403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '1' });
      }
      const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-limit': '5000', 'x-ratelimit-reset': reset, 'retry-after': '1' };
      return send(this.rateLimitKind === '429' ? 429 : 403, { message: 'API rate limit exceeded for installation ID 1.' }, headers);
    }

    let m: RegExpExecArray | null;
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname))) {
      const [owner, repo, issue] = [m[1], m[2], Number(m[3])];
      if (method === 'GET') {
        const all = this.comments.filter((c) => c.owner === owner && c.repo === repo && c.issue === issue);
        return this.page(url, all, send);
      }
      if (method === 'POST') {
        if (this.readOnly) return this.forbidden(send);
        const body = parseBody(raw);
        if (typeof body?.body !== 'string') return send(422, { message: 'Invalid request: body is required' });
        if (body.body.length > 65_536) return send(422, { message: 'Validation Failed: body is too long (maximum is 65536 characters)' });
        return send(201, this.create(owner!, repo!, issue, body.body, this.identityOf(authorization)));
      }
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname)) && method === 'PATCH') {
      if (this.readOnly) return this.forbidden(send);
      const c = this.comments.find((x) => x.id === Number(m![3]) && x.owner === m![1] && x.repo === m![2]);
      if (!c) return send(404, { message: 'Not Found' });
      const body = parseBody(raw);
      if (typeof body?.body !== 'string') return send(422, { message: 'Invalid request: body is required' });
      if (body.body.length > 65_536) return send(422, { message: 'Validation Failed: body is too long (maximum is 65536 characters)' });
      c.body = body.body;
      c.updated_at = new Date().toISOString();
      return send(200, c);
    }
    if (url.pathname === '/user' && method === 'GET') {
      const me = this.identityOf(authorization);
      if (me.app) return this.forbidden(send);
      return send(200, { login: me.login, type: me.type, id: 1 });
    }
    if (url.pathname === '/graphql' && method === 'POST') {
      const query = parseBody(raw)?.query;
      if (typeof query !== 'string' || !/\bviewer\s*\{\s*login\s*\}/.test(query)) return send(200, { errors: [{ message: 'this emulator answers only { viewer { login } }' }] });
      return send(200, { data: { viewer: { login: this.identityOf(authorization).login } } });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/.exec(url.pathname)) && method === 'GET') {
      const files = this.files.get(`${m[1]}/${m[2]}#${m[3]}`);
      if (!files) return send(404, { message: 'Not Found' });
      return this.page(
        url,
        files.map((f, i) => ({ sha: `sha${i}`, additions: 1, deletions: 0, changes: 1, blob_url: '', raw_url: '', contents_url: '', ...f })),
        send,
      );
    }
    return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  }

  private forbidden(send: (status: number, data: unknown) => void): void {
    send(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });
  }

  /** GitHub's pagination: per_page (default 30, max 100), page (1-based), Link with next/last/prev/first. */
  private page(url: URL, items: unknown[], send: (status: number, data: unknown, headers?: Record<string, string>) => void): void {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(url.pathname, this.base);
      u.searchParams.set('per_page', String(perPage));
      u.searchParams.set('page', String(p));
      return `<${u.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    send(200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
  }
}

function parseBody(raw: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Starts an emulator; stop it in afterAll/afterEach. */
export async function startGitHubEmulator(opts: GitHubEmulatorOptions = {}): Promise<GitHubEmulator> {
  return new GitHubEmulator(opts).start();
}
