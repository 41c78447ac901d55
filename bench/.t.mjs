import { startStub } from './d1-api-stub.mjs';
import { DATABASE_ID, DATABASE_NAME } from './generate.mjs';
import { spawn } from 'node:child_process';
const stub = await startStub({ databases: [{ uuid: DATABASE_ID, name: DATABASE_NAME }] });
const env = { ...process.env, ...stub.env(), CI: 'true', WRANGLER_SEND_METRICS: 'false', npm_config_registry: 'http://127.0.0.1:9/' };
const W = process.cwd() + '/node_modules/wrangler/bin/wrangler.js';
for (const args of [['d1','migrations','apply','DB','--remote'], ['d1','execute','DB','--remote','--json','--command','SELECT name FROM d1_migrations ORDER BY id'], ['d1','time-travel','info','DB','--json']]) {
  const t = performance.now(); stub.log.length = 0;
  const r = await new Promise((res) => { const c = spawn(W, args, { cwd: '/tmp/d1b-10', env }); let o=''; c.stdout.on('data', d=>o+=d); c.stderr.on('data', d=>o+=d); c.on('close', (code)=>res({code,o})); });
  console.log(args.join(' '), r.code, Math.round(performance.now()-t), 'ms'); console.log(r.o.slice(-400));
  for (const e of stub.log) console.log('  ', e.method, e.path.replace(/[0-9a-f-]{36}/,':db'), e.search, e.kind, e.status, e.sql ?? '');
}
await stub.close();
