import { describePosition, nextFreeNumber } from '../migrations/describe.js';
import type { Finding, MigrationFile } from '../types.js';
import { finding } from '../finding.js';

export const RULE_ID = 'bad-filename';

const FLAT_NAME = /^\d+_.+\.sql$/;
// With migrations_pattern the number belongs to the first path segment (`0001_init/migration.sql`).
const NESTED_FIRST_SEGMENT = /^\d+_./;

/** True when `name` follows wrangler's own `NNNN_name.sql` convention (`wrangler d1 migrations create`). */
export function followsConvention(name: string): boolean {
  const slash = name.indexOf('/');
  return slash < 0 ? FLAT_NAME.test(name) : NESTED_FIRST_SEGMENT.test(name.slice(0, slash));
}

/**
 * A `.sql` file wrangler will run whose name is not `NNNN_name.sql`: typically a template, seed or
 * rollback script kept next to the migrations, which wrangler applies like any other file.
 *
 * @param files in apply order
 */
export function checkBadFilenames(files: readonly MigrationFile[]): Finding[] {
  const findings: Finding[] = [];
  const first = files[0];
  const dir = first ? folderOf(first) : '';
  const next = nextFreeNumber(files);
  files.forEach((f, index) => {
    if (followsConvention(f.name)) return;
    const numberNote =
      f.number === null
        ? `Its name has no leading number, so wrangler's sort treats it as equal to every other file and its place is an accident of the sort algorithm (wrangler 4.98 and later run it after every numbered file).`
        : `wrangler reads its number as ${f.number} (parseInt of the text before the first "_").`;
    findings.push(finding({
      rule: RULE_ID,
      file: f.relPath,
      line: 1,
      message:
        `${f.name} does not follow the NNNN_name.sql naming, but wrangler WILL run it: every .sql file in ${dir} is a migration. ` +
        `wrangler applies it ${describePosition(files, index)}. ${numberNote} ` +
        `If it is not a migration (a template, seed, notes or rollback script), move it out of ${dir}; ` +
        `if it is, rename it to ${next}_<description>.sql (unless a database has already applied it under this name).`,
    }));
  });
  return findings;
}

function folderOf(f: MigrationFile): string {
  const suffix = `/${f.name}`;
  return f.relPath.endsWith(suffix) ? `${f.relPath.slice(0, -suffix.length)}/` : 'the migrations folder';
}
