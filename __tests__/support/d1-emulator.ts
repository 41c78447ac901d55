/**
 * A local emulator of the D1 REST API as wrangler calls it, backed by real SQLite (WASM), so the remote
 * path can be tested offline. Point wrangler at it with `env()` (CLOUDFLARE_API_BASE_URL and friends).
 *
 * D1 semantics it reproduces: one /query request = one transaction (a failing statement rolls the whole
 * request back and the API answers success:false, code 7500); BEGIN/COMMIT/SAVEPOINT are refused with D1's
 * message; more than 100,000 bytes of SQL is SQLITE_TOOBIG; foreign keys are always on; Time Travel
 * bookmarks are real snapshots, so a restore really restores.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { prepareAt } from '../../src/replay/db/wasm.js';
import { SqlText } from '../../src/replay/statements.js';
import { loadSqliteWasm, type Database as Db, type Sqlite3Static as Sqlite3 } from './sqlite-wasm.js';

export const D1_TRANSACTION_MESSAGE =
  'To execute a transaction, please use the state.storage.transaction() or state.storage.transactionSync() APIs instead of the SQL BEGIN TRANSACTION or SAVEPOINT statements. The JavaScript API is safer because it will automatically roll back on exceptions, and because it interacts correctly with Durable Objects\' automatic atomic write coalescing.';
export const D1_MAX_SQL_BYTES = 100_000;

export type RequestKind = 'query' | 'lookup' | 'list' | 'info' | 'bookmark' | 'restore' | 'auth' | 'other';

export interface LoggedRequest {
  method: string;
  path: string;
  search: string;
  kind: RequestKind;
  /** First 120 characters of the SQL of a /query request. */
  sql?: string;
  /** The whole SQL of a /query request. */
  fullSql?: string;
  status: number | 'reset' | 'hang';
}

export type FaultAction =
  | { kind: 'error'; status: number; code: number; message: string }
  /** A non-API answer, e.g. the HTML page an edge proxy returns for a 502. */
  | { kind: 'raw'; status: number; body: string }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number }
  /** Answer only once `until` settles (e.g. when another request has been seen): ordering without timing. */
  | { kind: 'until'; until: Promise<unknown> };

export interface Fault {
  /** Which requests the fault applies to; 'any' = every D1 request (not the auth look-ups). */
  on: RequestKind | 'any';
  /** Only the nth matching request (1-based, counted from when the fault was injected); else every one. */
  nth?: number;
  action: FaultAction;
}

export const FAULTS = {
  auth10000: { kind: 'error', status: 403, code: 10000, message: 'Authentication error' },
  notAuthorized7403: {
    kind: 'error',
    status: 403,
    code: 7403,
    message: 'The given account is not valid or is not authorized to access this service',
  },
  http500: { kind: 'error', status: 500, code: 7500, message: 'Internal server error' },
  http502: { kind: 'raw', status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' },
} as const satisfies Record<string, FaultAction>;

interface EmulatedDatabase {
  uuid: string;
  name: string;
  version: 'production' | 'alpha';
  db: Db;
  createdAt: string;
}

let sqlitePromise: Promise<Sqlite3> | undefined;
function loadSqlite(): Promise<Sqlite3> {
  // The WASM build prints every failed statement to stderr; expected failures would drown the test log.
  sqlitePromise ??= loadSqliteWasm({ quiet: true });
  return sqlitePromise;
}

/** The SQL of a /query request body (throws on a body that is not JSON). */
function sqlOf(body: string): string {
  const { sql } = JSON.parse(body) as { sql?: unknown };
  return typeof sql === 'string' ? sql : '';
}

function envelope(result: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ success: true, errors: [], messages: [], result, ...extra });
}

function errorEnvelope(code: number, message: string): string {
  return JSON.stringify({ success: false, errors: [{ code, message }], messages: [], result: null });
}

export class D1Emulator {
  readonly accountId = '0123456789abcdef0123456789abcdef';
  readonly token = 'fake-emulator-token-0000000000000000000000';
  readonly log: LoggedRequest[] = [];
  url = '';

  private server!: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly databases: EmulatedDatabase[] = [];
  private readonly snapshots = new Map<string, Uint8Array>();
  private faults: { fault: Fault; seen: number }[] = [];
  private bookmarkCounter = 0;
  private allowTransactionStatements = false;

  private constructor(private readonly sqlite3: Sqlite3) {}

  static async start(): Promise<D1Emulator> {
    const emulator = new D1Emulator(await loadSqlite());
    emulator.server = http.createServer((req, res) => {
      emulator.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(errorEnvelope(7500, `emulator bug: ${String(error)}`));
        }
      });
    });
    emulator.server.on('connection', (socket) => {
      emulator.sockets.add(socket);
      socket.on('close', () => emulator.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => emulator.server.listen(0, '127.0.0.1', resolve));
    emulator.url = `http://127.0.0.1:${(emulator.server.address() as AddressInfo).port}`;
    return emulator;
  }

  /** Environment that points wrangler at this emulator (token and account, no other Cloudflare state). */
  env(): Record<string, string> {
    return {
      CLOUDFLARE_API_BASE_URL: this.url,
      CLOUDFLARE_API_TOKEN: this.token,
      CLOUDFLARE_ACCOUNT_ID: this.accountId,
    };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const d of this.databases) d.db.close();
  }

  createDatabase(name: string, options: { uuid?: string; version?: 'production' | 'alpha' } = {}): string {
    const db = new this.sqlite3.oo1.DB(':memory:');
    db.exec('PRAGMA foreign_keys = ON');
    this.installAuthorizer(db);
    const uuid = options.uuid ?? randomUUID();
    this.databases.push({ uuid, name, version: options.version ?? 'production', db, createdAt: new Date().toISOString() });
    return uuid;
  }

  /** Run SQL directly (outside the API, not logged): for test setup and assertions. */
  select(nameOrUuid: string, sql: string): Record<string, unknown>[] {
    const d = this.find(nameOrUuid);
    if (!d) throw new Error(`no emulated database ${nameOrUuid}`);
    return d.db.exec({ sql, rowMode: 'object', returnValue: 'resultRows' });
  }

  /** Names in the migrations table, in id order ([] when the table does not exist). */
  ledger(nameOrUuid: string, table = 'd1_migrations'): string[] {
    const exists = this.select(nameOrUuid, `SELECT name FROM sqlite_schema WHERE type='table' AND name='${table}'`);
    if (exists.length === 0) return [];
    return this.select(nameOrUuid, `SELECT name FROM "${table}" ORDER BY id`).map((r) => String(r.name));
  }

  tables(nameOrUuid: string): string[] {
    return this.select(nameOrUuid, "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name").map(
      (r) => String(r.name),
    );
  }

  inject(fault: Fault): void {
    this.faults.push({ fault, seen: 0 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Requests logged since `from` (an index into `log`), optionally of one kind. */
  requests(from = 0, kind?: RequestKind): LoggedRequest[] {
    return this.log.slice(from).filter((r) => !kind || r.kind === kind);
  }

  private find(nameOrUuid: string): EmulatedDatabase | undefined {
    return this.databases.find((d) => d.uuid === nameOrUuid) ?? this.databases.find((d) => d.name === nameOrUuid);
  }

  private installAuthorizer(db: Db): void {
    const { capi } = this.sqlite3;
    // D1 (workerd) refuses transaction control through SQLite's authorizer; so do we, except for the
    // BEGIN/COMMIT the emulator itself wraps each request in.
    capi.sqlite3_set_authorizer(
      db,
      (_p: unknown, action: number) =>
        !this.allowTransactionStatements && (action === capi.SQLITE_TRANSACTION || action === capi.SQLITE_SAVEPOINT)
          ? capi.SQLITE_DENY
          : capi.SQLITE_OK,
      0,
    );
  }

  private control(db: Db, sql: string): void {
    this.allowTransactionStatements = true;
    try {
      db.exec(sql);
    } finally {
      this.allowTransactionStatements = false;
    }
  }

  private takeFault(kind: RequestKind): FaultAction | undefined {
    for (const entry of this.faults) {
      const { fault } = entry;
      const matches = fault.on === kind || (fault.on === 'any' && kind !== 'auth');
      if (!matches) continue;
      entry.seen += 1;
      if (fault.nth === undefined || fault.nth === entry.seen) return fault.action;
    }
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const body = await readBody(req);
    const route = this.route(req.method ?? 'GET', url.pathname);
    const entry: LoggedRequest = { method: req.method ?? 'GET', path: url.pathname, search: url.search, kind: route.kind, status: 200 };
    if (route.kind === 'query') {
      try {
        entry.fullSql = sqlOf(body);
        entry.sql = entry.fullSql.slice(0, 120);
      } catch {
        entry.sql = '<unparsable body>';
      }
    }
    this.log.push(entry);

    const send = (status: number, text: string): void => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(text);
    };

    const fault = this.takeFault(route.kind);
    if (fault?.kind === 'reset') {
      entry.status = 'reset';
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'hang') {
      entry.status = 'hang';
      return;
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'until') await fault.until;
    if (fault?.kind === 'raw') {
      entry.status = fault.status;
      res.writeHead(fault.status, { 'content-type': 'text/html' });
      res.end(fault.body);
      return;
    }
    if (fault?.kind === 'error') {
      send(fault.status, errorEnvelope(fault.code, fault.message));
      return;
    }

    if (route.kind !== 'auth' && req.headers.authorization !== `Bearer ${this.token}`) {
      send(403, errorEnvelope(10000, 'Authentication error'));
      return;
    }
    if (route.account !== undefined && route.account !== this.accountId) {
      send(403, errorEnvelope(7403, 'The given account is not valid or is not authorized to access this service'));
      return;
    }
    const [status, text] = this.answer(route, url, body);
    send(status, text);
  }

  private route(method: string, pathname: string): { kind: RequestKind; account?: string; db?: string; action?: string } {
    const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'user' || parts[0] === 'memberships' || (parts[0] === 'accounts' && parts.length === 1)) {
      return { kind: 'auth' };
    }
    if (parts[0] === 'accounts' && parts[2] === 'd1' && parts[3] === 'database') {
      const account = parts[1];
      if (parts.length === 4) return { kind: 'list', account };
      const db = parts[4];
      if (parts.length === 5) return { kind: method === 'GET' ? (this.isUuid(db!) ? 'info' : 'lookup') : 'other', account, db };
      if (parts[5] === 'query' || parts[5] === 'raw') return { kind: 'query', account, db, action: parts[5] };
      if (parts[5] === 'time_travel' && parts[6] === 'bookmark') return { kind: 'bookmark', account, db };
      if (parts[5] === 'time_travel' && parts[6] === 'restore') return { kind: 'restore', account, db };
      return { kind: 'other', account, db };
    }
    return { kind: 'other' };
  }

  private isUuid(s: string): boolean {
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
  }

  private answer(route: ReturnType<D1Emulator['route']>, url: URL, body: string): [number, string] {
    switch (route.kind) {
      case 'auth':
        return this.answerAuth(url.pathname);
      case 'list': {
        const perPage = Number(url.searchParams.get('per_page') ?? '1000');
        const page = Number(url.searchParams.get('page') ?? '1');
        const name = url.searchParams.get('name');
        const all = this.databases.filter((d) => !name || d.name === name);
        const slice = all.slice((page - 1) * perPage, page * perPage);
        return [
          200,
          envelope(slice.map((d) => this.describe(d)), {
            result_info: { page, per_page: perPage, count: slice.length, total_count: all.length },
          }),
        ];
      }
      default:
        break;
    }
    const d = route.db === undefined ? undefined : this.find(route.db);
    if (!d) {
      const id = route.db ?? '';
      return [404, errorEnvelope(7404, `The database ${id} could not be found`)];
    }
    switch (route.kind) {
      case 'info':
      case 'lookup':
        return [200, envelope(this.describe(d))];
      case 'query':
        return this.runQuery(d, body);
      case 'bookmark':
        return [200, envelope({ bookmark: this.snapshot(d) })];
      case 'restore': {
        const bookmark = url.searchParams.get('bookmark') ?? '';
        const bytes = this.snapshots.get(`${d.uuid}/${bookmark}`);
        if (!bytes) return [400, errorEnvelope(7500, `Invalid bookmark ${bookmark}`)];
        const previous = this.snapshot(d);
        this.replace(d, bytes);
        return [200, envelope({ bookmark, previous_bookmark: previous, message: 'Database restored' })];
      }
      default:
        return [404, errorEnvelope(7000, `No route for that URI`)];
    }
  }

  private answerAuth(pathname: string): [number, string] {
    if (pathname === '/user/tokens/verify') return [200, envelope({ id: 'token-id', status: 'active' })];
    if (pathname === '/user') return [200, envelope({ id: 'user-id', email: 'ci@example.com' })];
    if (pathname === '/accounts') return [200, envelope([{ id: this.accountId, name: 'Emulated account' }])];
    if (pathname === '/memberships') {
      return [200, envelope([{ id: 'membership', account: { id: this.accountId, name: 'Emulated account' } }])];
    }
    return [404, errorEnvelope(7000, 'No route for that URI')];
  }

  private describe(d: EmulatedDatabase): Record<string, unknown> {
    return {
      uuid: d.uuid,
      name: d.name,
      version: d.version,
      created_at: d.createdAt,
      num_tables: this.tables(d.uuid).length,
      file_size: Number(d.db.selectValue('PRAGMA page_count')) * Number(d.db.selectValue('PRAGMA page_size')),
      running_in_region: 'WEUR',
    };
  }

  private snapshot(d: EmulatedDatabase): string {
    this.bookmarkCounter += 1;
    const bookmark = `${this.bookmarkCounter.toString(16).padStart(8, '0')}-00000000-00004f3c-${randomUUID().replace(/-/g, '')}`;
    // sqlite3_js_db_export fails on a database that has no pages yet; an empty snapshot means "fresh".
    const empty = Number(d.db.selectValue('PRAGMA page_count')) === 0;
    this.snapshots.set(`${d.uuid}/${bookmark}`, empty ? new Uint8Array() : this.sqlite3.capi.sqlite3_js_db_export(d.db));
    return bookmark;
  }

  private replace(d: EmulatedDatabase, bytes: Uint8Array): void {
    const { oo1, capi, wasm } = this.sqlite3;
    const db = new oo1.DB(':memory:');
    if (bytes.length > 0) {
      const p = wasm.allocFromTypedArray(bytes);
      const rc = capi.sqlite3_deserialize(
        db,
        'main',
        p,
        bytes.length,
        bytes.length,
        capi.SQLITE_DESERIALIZE_FREEONCLOSE | capi.SQLITE_DESERIALIZE_RESIZEABLE,
      );
      if (rc !== 0) throw new Error(`sqlite3_deserialize failed: ${rc}`);
    }
    db.exec('PRAGMA foreign_keys = ON');
    this.installAuthorizer(db);
    d.db.close();
    d.db = db;
  }

  private runQuery(d: EmulatedDatabase, body: string): [number, string] {
    let sql: string;
    try {
      sql = sqlOf(body);
    } catch {
      return [400, errorEnvelope(7400, 'Malformed JSON body')];
    }
    if (Buffer.byteLength(sql, 'utf8') > D1_MAX_SQL_BYTES) {
      return [400, errorEnvelope(7500, 'statement too long: SQLITE_TOOBIG')];
    }
    const { capi } = this.sqlite3;
    const started = performance.now();
    // One result per statement, as D1 answers: statements are prepared one at a time (each may depend on
    // the one before), and each is run on its own so that its rows are its own.
    const statements: string[] = [];
    const perStatement: Record<string, unknown>[][] = [];
    const changesBefore = capi.sqlite3_total_changes(d.db.pointer!);
    const text = new SqlText(sql);
    // The same WASM module, typed by its own declarations here and by the replay's in src/.
    const sqlite3 = this.sqlite3 as unknown as Parameters<typeof prepareAt>[0];
    this.control(d.db, 'BEGIN');
    try {
      for (let offset = 0; ; ) {
        const p = prepareAt(sqlite3, d.db.pointer!, text, offset);
        if (!p.ok) throw Object.assign(new Error(p.message), { resultCode: capi.sqlite3_extended_errcode(d.db.pointer!) & 0xff });
        if (!p.stmt) break;
        capi.sqlite3_finalize(p.stmt);
        const statement = text.slice(p.start, p.end);
        const rows: Record<string, unknown>[] = [];
        d.db.exec({ sql: statement, rowMode: 'object', callback: (row: Record<string, unknown>) => void rows.push({ ...row }) });
        statements.push(statement);
        perStatement.push(rows);
        offset = p.end;
      }
      this.control(d.db, 'COMMIT');
    } catch (caught: unknown) {
      this.control(d.db, 'ROLLBACK');
      const error = caught as { resultCode?: number; message?: string } | undefined;
      const code = capi.sqlite3_js_rc_str(error?.resultCode ?? 1) ?? 'SQLITE_ERROR';
      // The authorizer refused the statement being prepared, which is not in `statements` yet.
      if (code === 'SQLITE_AUTH' && /not authorized/.test(String(error?.message)) && hasTransactionStatement(sql)) {
        return [400, errorEnvelope(7500, `${D1_TRANSACTION_MESSAGE}: SQLITE_AUTH`)];
      }
      const message = String(error?.message ?? caught).replace(/^SQLITE_[A-Z_]+: sqlite3 result code \d+: /, '');
      return [400, errorEnvelope(7500, `${message}: ${code}`)];
    } finally {
      text.free();
    }
    const duration = performance.now() - started;
    const changes = capi.sqlite3_total_changes(d.db.pointer!) - changesBefore;
    const results = (statements.length ? statements : ['']).map((_s, i, all) => ({
      results: perStatement[i] ?? [],
      success: true,
      meta: {
        duration: i === all.length - 1 ? duration : 0,
        changes: i === all.length - 1 ? changes : 0,
        last_row_id: 0,
        changed_db: changes > 0,
        size_after: 0,
        rows_read: 0,
        rows_written: 0,
      },
    }));
    return [200, envelope(results)];
  }
}

function hasTransactionStatement(sql: string): boolean {
  const bare = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'/g, ' ');
  return /(^|;)\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\b/i.test(bare);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
