import type { Finding } from '../types.js';
import type { StaticRule } from './types.js';
import { unclosedCommentOf } from './unclosed-comment.js';
import { findingAt } from './util.js';

const ID = 'empty-migration';

export const emptyMigration: StaticRule = {
  id: ID,
  check(ctx) {
    const out: Finding[] = [];
    for (const pm of ctx.migrations) {
      // A comment left open swallows wrangler's bookkeeping INSERT too: the file fails (unclosed-comment).
      if (!pm.empty || unclosedCommentOf(pm)) continue;
      const what = pm.comments.length > 0 ? 'has only comments' : 'has no SQL';
      out.push(
        findingAt(ID, pm, { line: 1, column: 1 }, `Migration ${pm.file.name} ${what}. That is harmless as it stands — wrangler applies and records it, and tools such as Prisma write such files — but SQL added to this file later never runs on databases that already applied it: put later changes in a new migration (editing an applied file is reported as modified-migration on pull requests). If the file was meant to hold SQL, add it now or delete the file.`),
      );
    }
    return out;
  },
};
