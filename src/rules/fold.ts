/**
 * Fewer, better findings for the same facts. After suppression (so a suppression comment still works on the
 * statement it is written above), validate folds:
 *  - `foreign-keys-pragma`: one finding per file, at the first pragma, naming the other lines (drizzle and
 *    Prisma write `PRAGMA foreign_keys=OFF` and `=ON` around every rebuild);
 *  - a table rebuild the data check ran on rows and proved keeps every row (replay/data/rebuilds.ts): its
 *    `destructive-change` becomes one short warning saying so, and the file's `foreign-keys-pragma` finding is
 *    folded into it — unless the file has a data-loss finding or writes double-quoted names into rows.
 * What is folded stays in `details`, so nothing is lost; only the count of findings drops.
 */
import type { KeptRebuild } from '../replay/data/rebuilds.js';
import type { Finding } from '../types.js';
import { DATA_LOSS_RULES } from '../rule-catalog.js';

const FK_PRAGMA = 'foreign-keys-pragma';
const DESTRUCTIVE = 'destructive-change';

/** One line of `details`: the rule, the line and the message of a folded finding. */
function detail(f: Finding): string {
  return `${f.rule}${f.line !== undefined ? `, line ${f.line}` : ''}: ${f.message}`;
}

function withDetails(f: Finding, extra: string[]): Finding {
  return extra.length ? { ...f, details: [...(f.details ?? []), ...extra] } : f;
}

/**
 * @param findings one database's findings, suppressions already applied
 * @param kept rebuilds the data check proved harmless (ReplayResult.keptRebuilds)
 */
export function foldFindings(findings: Finding[], kept: readonly (KeptRebuild & { file: string })[]): Finding[] {
  let out = foldPragmas(findings);
  if (kept.length === 0) return out;
  const replaced = new Map<Finding, Finding>();
  const foldedPragmas = new Set<Finding>();
  for (const file of new Set(kept.map((k) => k.file))) {
    const onFile = out.filter((f) => f.file === file);
    // Rows lost, a failure or corrupted values in the same file: the rebuild is not the harmless kind.
    if (onFile.some((f) => DATA_LOSS_RULES.has(f.rule) || (f.rule === 'double-quoted-string' && f.severity === 'error'))) continue;
    let pragma = onFile.find((f) => f.rule === FK_PRAGMA);
    for (const k of kept.filter((x) => x.file === file)) {
      const rebuild = onFile.find((f) => f.rule === DESTRUCTIVE && f.line === k.line && !replaced.has(f));
      if (!rebuild) continue;
      const extra = [detail(rebuild)];
      if (pragma) {
        extra.push(detail(pragma), ...(pragma.details ?? []));
        foldedPragmas.add(pragma);
        pragma = undefined;
      }
      replaced.set(rebuild, { ...rebuild, message: keptMessage(k), details: extra });
    }
  }
  out = out.filter((f) => !foldedPragmas.has(f)).map((f) => replaced.get(f) ?? f);
  return out;
}

function keptMessage(k: KeptRebuild): string {
  const dropped = k.droppedColumns.length
    ? ` The new table has no ${k.droppedColumns.map((c) => `\`${c}\``).join(', ')}: ${k.droppedColumns.length === 1 ? 'that column\'s values are' : 'those columns\' values are'} gone.`
    : '';
  return (
    `Table rebuild of \`${k.table}\` (copy into a new table, drop, rename): the data check ran it with ${k.rows} row${k.rows === 1 ? '' : 's'} in ${k.table}${k.referencedBy.length ? ` and rows in ${k.referencedBy.join(', ')}, which reference${k.referencedBy.length === 1 ? 's' : ''} it` : ''}: every row was kept and nothing failed.${dropped} ` +
    `Review which columns the copy takes; the full explanation (and the file's PRAGMA foreign_keys findings, if any) is in the details. If this is intended, add \`-- d1-migrate-ignore: destructive-change\` on the line above.`
  );
}

/** foreign-keys-pragma once per file: the first finding, with the other lines named and folded into details. */
function foldPragmas(findings: Finding[]): Finding[] {
  const first = new Map<string, Finding>();
  const rest = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.rule !== FK_PRAGMA || f.file === undefined) continue;
    if (!first.has(f.file)) first.set(f.file, f);
    else rest.set(f.file, [...(rest.get(f.file) ?? []), f]);
  }
  if (rest.size === 0) return findings;
  const drop = new Set([...rest.values()].flat());
  return findings
    .filter((f) => !drop.has(f))
    .map((f) => {
      const others = f.rule === FK_PRAGMA && f.file !== undefined && first.get(f.file) === f ? rest.get(f.file) : undefined;
      if (!others) return f;
      const lines = others.map((o) => o.line).filter((l): l is number => l !== undefined);
      const also = lines.length ? ` The file sets it again at line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}, with no effect either.` : '';
      return withDetails({ ...f, message: `${f.message}${also}` }, others.map(detail));
    });
}
