import type { MigrationFile } from '../../src/types.js';

/** MigrationFile objects for in-memory SQL, numbered the way wrangler 4.86 parses names. */
export function mfile(name: string, sql: string, dir = 'migrations'): MigrationFile {
  const numberText = /^(\d+)/.exec(name)?.[1] ?? null;
  const n = parseInt(name.split('_')[0]!);
  return {
    name,
    path: `/project/${dir}/${name}`,
    relPath: `${dir}/${name}`,
    number: Number.isNaN(n) ? null : n,
    numberText,
    sql,
    bytes: Buffer.byteLength(sql, 'utf8'),
  };
}

/** Files given as [name, sql] pairs, in the order given (the caller's = wrangler's order). */
export function mfiles(...pairs: [string, string][]): MigrationFile[] {
  return pairs.map(([n, s]) => mfile(n, s));
}
