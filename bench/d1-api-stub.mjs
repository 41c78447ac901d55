#!/usr/bin/env node
// A minimal, request-counting stand-in for the Cloudflare D1 REST API, enough for what wrangler 4.86 calls in
// `d1 migrations apply --remote`, `d1 execute --remote --json` and `d1 time-travel info|restore --json`.
// Listens on 127.0.0.1 only; every request is logged (method, path, query, kind, status, first SQL line).
// Unknown routes answer 404 with a Cloudflare error envelope, and are logged too, so nothing goes unseen.
//
//   import { startStub } from './d1-api-stub.mjs';
//   const stub = await startStub({ databases: [{ uuid, name }] });
//   env: { CLOUDFLARE_API_BASE_URL: stub.url, CLOUDFLARE_API_TOKEN: stub.token, CLOUDFLARE_ACCOUNT_ID: stub.accountId }
//   stub.log → [{ method, path, search, kind, status, sql? }];  stub.reset() → fresh databases, empty log.
//
// Standalone: `node bench/d1-api-stub.mjs` prints the env to use and logs requests to stdout.
import http from 'node:http';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const ACCOUNT_ID = 'be0c4b00be0c4b00be0c4b00be0c4b00';
const TOKEN = 'bench-token';

let sqlitePromise;
function loadSqlite() {
  sqlitePromise ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('@sqlite.org/sqlite-wasm');
    const mod = await import(pathToFileURL(entry).href);
    return mod.default({ print: () => {}, printErr: () => {} });
  })();
  return sqlitePromise;
}

const envelope = (result, extra = {}) => JSON.stringify({ success: true, errors: [], messages: [], result, ...extra });
const failure = (code, message) => JSON.stringify({ success: false, errors: [{ code, message }], messages: [], result: null });

export async function startStub({ databases = [], accountId = ACCOUNT_ID, token = TOKEN, quiet = true } = {}) {
  const sqlite3 = await loadSqlite();
  const log = [];
  let dbs = [];
  let bookmarks = 0;
  const snapshots = new Map();

  const open = () => {
    const db = new sqlite3.oo1.DB(':memory:');
    db.exec('PRAGMA foreign_keys = ON'); // D1 always enforces foreign keys.
    return db;
  };
  const reset = () => {
    for (const d of dbs) d.db.close();
    dbs = databases.map((d) => ({ uuid: d.uuid, name: d.name, version: 'production', db: open(), created_at: '2025-01-01T00:00:00.000Z' }));
    log.length = 0;
  };
  reset();

  const describe = (d) => ({
    uuid: d.uuid,
    name: d.name,
    version: d.version,
    created_at: d.created_at,
    num_tables: Number(d.db.selectValue("SELECT count(*) FROM sqlite_master WHERE type = 'table'")),
    file_size: Number(d.db.selectValue('PRAGMA page_count')) * Number(d.db.selectValue('PRAGMA page_size')),
    running_in_region: 'WEUR',
  });

  const query = (d, body) => {
    let sql;
    try {
      sql = String(JSON.parse(body).sql ?? '');
    } catch {
      return [400, failure(7400, 'Malformed JSON body')];
    }
    if (Buffer.byteLength(sql) > 100_000) return [400, failure(7500, 'statement too long: SQLITE_TOOBIG')];
    // One result per statement, in order, as D1 answers (the same statement twice gets its own rows each
    // time): the statements are listed first (a rolled-back pass), then run one by one in one transaction.
    const statements = [];
    const perStatement = [];
    const started = performance.now();
    d.db.exec('SAVEPOINT stub_request');
    try {
      d.db.exec({ sql, saveSql: statements });
      d.db.exec('ROLLBACK TO stub_request');
      for (const statement of statements) {
        const rows = [];
        d.db.exec({ sql: statement, rowMode: 'object', callback: (row) => void rows.push({ ...row }) });
        perStatement.push(rows);
      }
      d.db.exec('RELEASE stub_request');
    } catch (error) {
      d.db.exec('ROLLBACK TO stub_request');
      d.db.exec('RELEASE stub_request');
      const message = String(error?.message ?? error).replace(/^SQLITE_[A-Z_]+: sqlite3 result code \d+: /, '');
      return [400, failure(7500, `${message}: SQLITE_ERROR`)];
    }
    const duration = performance.now() - started;
    const results = (statements.length ? statements : ['']).map((_s, i) => ({
      results: perStatement[i] ?? [],
      success: true,
      meta: { duration, changes: 0, last_row_id: 0, changed_db: false, size_after: 0, rows_read: 0, rows_written: 0 },
    }));
    return [200, envelope(results)];
  };

  const answer = (method, url, body, entry) => {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] === 'user' && parts[1] === 'tokens' && parts[2] === 'verify') return (entry.kind = 'auth'), [200, envelope({ id: 't', status: 'active' })];
    if (parts[0] === 'memberships') return (entry.kind = 'auth'), [200, envelope([{ id: 'm', account: { id: accountId, name: 'Bench' } }])];
    if (parts[0] === 'user' && parts.length === 1) return (entry.kind = 'auth'), [200, envelope({ id: 'u', email: 'bench@example.com' })];
    if (parts[0] === 'accounts' && parts.length === 1) return (entry.kind = 'auth'), [200, envelope([{ id: accountId, name: 'Bench' }])];
    if (parts[0] !== 'accounts' || parts[2] !== 'd1' || parts[3] !== 'database') return [404, failure(7000, 'No route for that URI')];
    if (parts[1] !== accountId) return [403, failure(7403, 'The given account is not valid or is not authorized to access this service')];
    if (parts.length === 4 && method === 'GET') {
      entry.kind = 'list';
      const perPage = Number(url.searchParams.get('per_page') ?? 1000);
      const page = Number(url.searchParams.get('page') ?? 1);
      const name = url.searchParams.get('name');
      const all = dbs.filter((d) => !name || d.name === name);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      return [200, envelope(slice.map(describe), { result_info: { page, per_page: perPage, count: slice.length, total_count: all.length } })];
    }
    const d = dbs.find((x) => x.uuid === parts[4] || x.name === parts[4]);
    if (!d) return [404, failure(7404, `The database ${parts[4]} could not be found`)];
    if (parts.length === 5 && method === 'GET') return (entry.kind = 'info'), [200, envelope(describe(d))];
    if ((parts[5] === 'query' || parts[5] === 'raw') && method === 'POST') {
      entry.kind = parts[5];
      try {
        entry.sql = String(JSON.parse(body).sql ?? '').replace(/\s+/g, ' ').trim().slice(0, 100);
      } catch {
        // not JSON: logged without its SQL; query() answers the malformed body
      }
      return query(d, body);
    }
    if (parts[5] === 'time_travel' && parts[6] === 'bookmark' && method === 'GET') {
      entry.kind = 'bookmark';
      bookmarks += 1;
      const bookmark = `${bookmarks.toString(16).padStart(8, '0')}-00000000-00004f3c-bench`;
      snapshots.set(bookmark, true);
      return [200, envelope({ bookmark })];
    }
    if (parts[5] === 'time_travel' && parts[6] === 'restore' && method === 'POST') {
      entry.kind = 'restore';
      const bookmark = url.searchParams.get('bookmark') ?? '';
      return [200, envelope({ bookmark, previous_bookmark: bookmark, message: 'Database restored (bench stub: no data change)' })];
    }
    return [404, failure(7000, 'No route for that URI')];
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const entry = { method: req.method, path: url.pathname, search: url.search, kind: 'other', status: 0 };
      let status = 500;
      let text = failure(7500, 'stub error');
      try {
        if (req.headers.authorization !== `Bearer ${token}`) [status, text] = [400, failure(10000, 'Authentication error')];
        else [status, text] = answer(req.method ?? 'GET', url, Buffer.concat(chunks).toString('utf8'), entry);
      } catch (error) {
        text = failure(7500, `stub bug: ${String(error)}`);
      }
      entry.status = status;
      log.push(entry);
      if (!quiet) console.log(`${entry.method} ${entry.path}${entry.search} → ${status} ${entry.sql ?? ''}`);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(text);
    });
  });
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    token,
    accountId,
    log,
    reset,
    env: () => ({ CLOUDFLARE_API_BASE_URL: url, CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_ACCOUNT_ID: accountId }),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        for (const d of dbs) d.db.close();
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { DATABASE_ID, DATABASE_NAME } = await import('./generate.mjs');
  const stub = await startStub({ databases: [{ uuid: DATABASE_ID, name: DATABASE_NAME }], quiet: false });
  console.log(Object.entries(stub.env()).map(([k, v]) => `export ${k}=${v}`).join('\n'));
  console.log('# Ctrl-C to stop');
}
