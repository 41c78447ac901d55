/**
 * Runs the preflight's derivation and request on an in-process D1-like SQLite holding real rows: the
 * questions are asked exactly as they would be sent (the statements of the request part, parsed by it).
 */
import { deriveProbes } from '../../src/preflight/derive.js';
import { prepareRequest } from '../../src/preflight/request.js';
import type { Probe } from '../../src/preflight/types.js';
import { readSchema } from '../../src/replay/schema.js';
import { loadSqlite, openD1Like, schemaDb, tryExec } from '../../src/replay/sqlite.js';
import { parseMigration } from '../../src/sql/split.js';
import type { MigrationFile } from '../../src/types.js';

export function migration(name: string, sql: string): MigrationFile {
  return { name, path: `/x/migrations/${name}`, relPath: `migrations/${name}`, number: parseInt(name, 10), numberText: name.split('_')[0] ?? null, sql, bytes: Buffer.byteLength(sql) };
}

export interface Asked {
  question: string;
  table: string;
  effect: Probe['effect'];
  line: number;
  rows: number | null;
  error?: string;
}

export async function preflight(schemaAndRows: string, files: Record<string, string>, opts: { dataLoss?: Set<string> } = {}) {
  const sqlite3 = await loadSqlite();
  const db = openD1Like(sqlite3);
  try {
    db.exec(schemaAndRows);
    const live = readSchema(schemaDb(sqlite3, db), 'd1_migrations');
    const pending = Object.entries(files).map(([name, sql]) => parseMigration(migration(name, sql)));
    const derived = deriveProbes({ sqlite3, live, migrationsTable: 'd1_migrations', pending, dataLoss: opts.dataLoss });
    const prepared = prepareRequest(sqlite3, live, derived.probes);
    const answers = new Map<number, number | { error: string }>();
    let statements = 0;
    for (const part of prepared.parts) {
      statements += part.statements.length;
      const results = part.statements.map((sql) => ({ results: db.selectObjects(sql) }));
      for (const [k, v] of part.parse(results)) answers.set(k, v);
    }
    const asked: Asked[] = derived.probes.map((p, i) => {
      const a = answers.get(i);
      const dropped = prepared.dropped.get(i);
      return {
        question: p.question,
        table: p.table,
        effect: p.effect,
        line: p.line,
        rows: typeof a === 'number' ? a : null,
        ...(dropped !== undefined ? { error: dropped } : typeof a === 'object' ? { error: a.error } : {}),
      };
    });
    return { asked, derived, prepared, statements, db: undefined };
  } finally {
    db.close();
  }
}

/** The counts by effect, for compact assertions: `lost users: 3`. */
export function summary(asked: Asked[], effects: Probe['effect'][] = ['lost', 'fails']): string[] {
  return asked.filter((a) => effects.includes(a.effect)).map((a) => `${a.effect} ${a.table} @${a.line}: ${a.rows ?? a.error}`);
}

/**
 * What really happens: the same rows, the pending files applied the way D1 runs them (each file atomic,
 * foreign keys on and `PRAGMA foreign_keys` ignored). Row counts of every table after, or the failure.
 */
export async function applied(schemaAndRows: string, files: Record<string, string>): Promise<{ failed?: string; counts: Record<string, number> }> {
  const sqlite3 = await loadSqlite();
  const db = openD1Like(sqlite3);
  try {
    db.exec(schemaAndRows);
    let failed: string | undefined;
    for (const [name, sql] of Object.entries(files)) {
      db.exec('SAVEPOINT f');
      let error: string | undefined;
      for (const s of parseMigration(migration(name, sql)).statements) {
        if (/^PRAGMA\s+foreign_keys\b/i.test(s.text)) continue;
        error = tryExec(sqlite3, db, s.text);
        if (error !== undefined) break;
      }
      // The outermost RELEASE commits: deferred foreign keys are checked there, as at the end of D1's request.
      error ??= tryExec(sqlite3, db, 'RELEASE f');
      if (error !== undefined) {
        db.exec('ROLLBACK TO f');
        db.exec('RELEASE f');
        failed = `${name}: ${error}`;
        break;
      }
    }
    const counts: Record<string, number> = {};
    for (const [t] of db.selectArrays(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)) {
      counts[String(t)] = Number(db.selectArrays(`SELECT count(*) FROM "${String(t).replace(/"/g, '""')}"`)[0]![0]);
    }
    return { ...(failed !== undefined && { failed }), counts };
  } finally {
    db.close();
  }
}
