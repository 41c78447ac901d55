/**
 * Issue 13 point 11: splitting SQL is linear in every case. Tests count work, never time:
 * - completeEnd (the replay's statement end after a failed prepare) against the real sqlite3_complete on
 *   random and adversarial SQL, and the bytes it reads while walking a file (was one pass per `;`);
 * - applySuppressions reads each statement a bounded number of times (was findings x statements);
 * - the whole replay of adversarial files reads a number of bytes proportional to their size.
 */
import { completeEnd, completeWork } from '../../src/sql/complete.js';
import { applySuppressions, parseMigration } from '../../src/sql/split.js';
import { loadSqlite, type Sqlite3 } from '../../src/replay/db/wasm.js';
import { replayMigrations } from '../../src/replay/replay.js';
import type { Finding, MigrationFile } from '../../src/types.js';
import type { ParsedMigration } from '../../src/sql/types.js';
import { rng } from '../support/rng.js';


const PIECES = [
  'CREATE', 'create', 'TEMP', 'TEMPORARY', 'TRIGGER', 'trigger', 'END', 'end', 'EXPLAIN', 'BEGIN', 'CASE', 'WHEN', 'THEN',
  'SELECT 1', 'x', 'endx', 'x_end', '$end', ';', ';', ';', ' ', '\n', '\t', "'", "''", '"', '`', '[', ']', '/*', '*/',
  '--', '-', '/', '(', ')', 'é', '\u00a0', '0', '\r\n',
];

function randomSql(next: () => number, pieces: number): string {
  let s = '';
  for (let i = 0; i < pieces; i++) s += PIECES[Math.floor(next() * PIECES.length)] + (next() < 0.5 ? ' ' : '');
  return s;
}

/** The old way: the first `;` after which sqlite3_complete() calls the prefix complete. */
function referenceEnd(sqlite3: Sqlite3, bytes: Uint8Array, start: number): number {
  const decoder = new TextDecoder();
  let i = start;
  for (;;) {
    i = bytes.indexOf(0x3b, i);
    if (i === -1) return bytes.length;
    i++;
    if (sqlite3.capi.sqlite3_complete(decoder.decode(bytes.subarray(start, i)))) return i;
  }
}

/** Bytes completeEnd reads while walking every statement of `sql` from the start. */
function walkWork(sql: string): number {
  const bytes = new TextEncoder().encode(sql);
  const before = completeWork.bytes;
  for (let at = 0; at < bytes.length; ) at = completeEnd(bytes, at);
  return completeWork.bytes - before;
}

const ADVERSARIAL: Record<string, (n: number) => string> = {
  'unterminated trigger': (n) => 'CREATE TRIGGER t AFTER INSERT ON a BEGIN\n' + 'INSERT INTO b VALUES(1);\n'.repeat(n),
  'CASE ... END in an unterminated trigger': (n) => 'CREATE TRIGGER t AFTER INSERT ON a BEGIN\n' + 'SELECT CASE WHEN 1 THEN 2 END;\n'.repeat(n),
  'unterminated string': (n) => "INSERT INTO a VALUES('" + 'x;\n'.repeat(n),
  'unterminated comment': (n) => '/* ' + 'x;\n'.repeat(n),
  'unterminated bracket': (n) => 'SELECT [' + 'x;'.repeat(n),
  'many statements on one line': (n) => 'CREATE TABLE t1(x);DROP TABLE t1;'.repeat(n),
  'nested triggers text': (n) => 'CREATE TEMP TRIGGER '.repeat(n) + 'BEGIN ' + 'END;'.repeat(n),
};

let sqlite3: Sqlite3;
beforeAll(async () => {
  sqlite3 = await loadSqlite();
});

describe('completeEnd is sqlite3_complete in one pass', () => {
  test('agrees with the real sqlite3_complete on random SQL, from every statement start', () => {
    const next = rng(11);
    const encoder = new TextEncoder();
    for (let i = 0; i < 3000; i++) {
      const bytes = encoder.encode(randomSql(next, 1 + Math.floor(next() * 30)));
      for (let at = 0; at < bytes.length; ) {
        const end = completeEnd(bytes, at);
        expect([at, end]).toEqual([at, referenceEnd(sqlite3, bytes, at)]);
        at = end;
      }
    }
  });

  test.each(Object.keys(ADVERSARIAL))('%s: agrees with sqlite3_complete and reads each byte once', (name) => {
    const sql = ADVERSARIAL[name]!(200);
    const bytes = new TextEncoder().encode(sql);
    for (let at = 0; at < bytes.length; ) {
      const end = completeEnd(bytes, at);
      expect(end).toBe(referenceEnd(sqlite3, bytes, at));
      at = end;
    }
    const works = [1000, 2000, 4000].map((n) => walkWork(ADVERSARIAL[name]!(n)) / new TextEncoder().encode(ADVERSARIAL[name]!(n)).length);
    // Bytes read per byte of input: at most one pass, whatever the size.
    for (const w of works) expect(w).toBeLessThanOrEqual(1);
  });

  test('random SQL: walking a file reads each byte at most once', () => {
    const next = rng(5);
    for (let i = 0; i < 300; i++) {
      const sql = randomSql(next, 200 + Math.floor(next() * 2000));
      expect(walkWork(sql)).toBeLessThanOrEqual(new TextEncoder().encode(sql).length);
    }
  });
});

describe('applySuppressions reads statements a bounded number of times', () => {
  /** Counts reads of statement elements: the work the old findings x statements loop did. */
  function counted(p: ParsedMigration): { p: ParsedMigration; reads: () => number } {
    let reads = 0;
    const statements = new Proxy(p.statements, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    return { p: { ...p, statements }, reads: () => reads };
  }
  function work(n: number): number {
    const sql = '-- d1-migrate-ignore: destructive-change\nCREATE TABLE t1(x);\nDROP TABLE t1;\n'.repeat(n);
    const file: MigrationFile = { name: '0001_x.sql', path: '/x/0001_x.sql', relPath: 'migrations/0001_x.sql', number: 1, numberText: '0001', sql, bytes: sql.length };
    const { p, reads } = counted(parseMigration(file));
    const findings: Finding[] = p.statements.map((s) => ({ rule: 'destructive-change', severity: 'warning', file: file.relPath, line: s.line, message: 'x' }));
    const before = reads();
    const kept = applySuppressions(findings, [p]);
    expect(kept.length).toBe(n); // the CREATE statements' findings are not suppressed
    return reads() - before;
  }
  test('n, 2n, 4n statements: reads grow linearly', () => {
    const [a, b, c] = [500, 1000, 2000].map(work);
    expect(b! / a!).toBeLessThan(2.5);
    expect(c! / a!).toBeLessThan(5);
  });
});

describe('the replay of adversarial files reads bytes in proportion to their size', () => {
  test.each(['unterminated trigger', 'CASE ... END in an unterminated trigger', 'many statements on one line'])('%s', async (name) => {
    const work = async (n: number) => {
      const sql = `CREATE TABLE a (x INTEGER);\nCREATE TABLE b (x INTEGER);\n${ADVERSARIAL[name]!(n)}`;
      const file: MigrationFile = { name: '0001_x.sql', path: '/x/0001_x.sql', relPath: 'migrations/0001_x.sql', number: 1, numberText: '0001', sql, bytes: sql.length };
      const before = completeWork.bytes;
      await replayMigrations({ files: [file], migrationsTable: 'd1_migrations' });
      return (completeWork.bytes - before) / sql.length;
    };
    const [w1, w4] = [await work(500), await work(2000)];
    // The old per-prefix scan read ~n/2 bytes per byte here; one pass reads at most a couple (replay + bookkeeping).
    expect(w4).toBeLessThanOrEqual(Math.max(2, w1 * 1.5));
  });
});
