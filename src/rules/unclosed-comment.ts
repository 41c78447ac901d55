import type { Finding } from '../types.js';
import type { ParsedMigration, Token } from '../sql/types.js';
import type { StaticRule } from './types.js';
import { findingAt } from './util.js';

const ID = 'unclosed-comment';

/**
 * A `/*` comment that is never closed runs to the end of the file — and wrangler appends the INSERT that
 * records the migration after the file's text, so it swallows that INSERT too (SQLite reads an unclosed block
 * comment as whitespace up to the end of its input). Checked with local wrangler 4.86 and 4.164, and D1
 * receives the same text: a file with statements before the comment applies but is never recorded, so every
 * later `migrations apply` runs it again; a file with none fails with "SQL code did not contain a statement."
 */
export const unclosedComment: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    for (const pm of ctx.migrations) {
      const open = unclosedCommentOf(pm);
      if (!open) continue;
      const last = open.line + (open.text.trimEnd().match(/\r\n|\r|\n/g)?.length ?? 0);
      const span = last > open.line ? `lines ${open.line}–${last}` : `line ${open.line}`;
      const effect = pm.empty
        ? 'Nothing in the file is SQL then, so wrangler fails on it with "SQL code did not contain a statement." and stops there.'
        : 'The statements before it run, but the migration is never recorded in the migrations table, so every later `wrangler d1 migrations apply` runs it again (an INSERT adds its rows again, a CREATE TABLE fails because the table exists).';
      out.push(
        findingAt(
          ID,
          pm,
          open,
          `This \`/*\` comment is never closed: SQLite reads the rest of the file (${span}) as comment, and with it the INSERT that wrangler appends after the file to record the migration. ${effect} Close the comment with \`*/\`.`,
        ),
      );
    }
    return out;
  },
};

/** The file's last comment when it is a `/*` comment that is never closed (it then runs to the end of the file). */
export function unclosedCommentOf(pm: ParsedMigration): Token | undefined {
  const last = pm.comments[pm.comments.length - 1];
  // SQLite looks for the closing `*/` from the comment's third character on, as the tokenizer does: `/*/` is open.
  return last && last.text.startsWith('/*') && (last.text.length < 4 || !last.text.endsWith('*/')) ? last : undefined;
}
