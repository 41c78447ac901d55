/**
 * Parsing of inline suppression comments:
 *   -- d1-migrate-ignore: rule-a, rule-b -- why
 *   -- d1-migrate-ignore-file: rule-a
 * Ids are comma separated; anything after the first id that is followed by other words (a reason) is ignored.
 */
const STATEMENT_MARK = /\bd1-migrate-ignore:/i;
const FILE_MARK = /\bd1-migrate-ignore-file:/i;
const RULE_ID = /^[a-z0-9][a-z0-9-]*$/i;

export function parseIgnoreComment(comment: string, kind: 'statement' | 'file'): string[] {
  // Cheap pre-check: nearly every comment in real migrations is not a suppression.
  if (comment.indexOf('d1-migrate-ignore') === -1 && comment.indexOf('D1-MIGRATE-IGNORE') === -1) return [];
  const mark = kind === 'file' ? FILE_MARK : STATEMENT_MARK;
  const m = mark.exec(comment);
  if (!m) return [];
  let rest = comment.slice(m.index + m[0].length);
  const nl = rest.indexOf('\n');
  if (nl !== -1) rest = rest.slice(0, nl);
  rest = rest.replace(/\*\/.*$/, '');
  const reason = rest.indexOf('--');
  if (reason !== -1) rest = rest.slice(0, reason);

  const ids: string[] = [];
  for (const part of rest.split(',')) {
    const words = part.trim().split(/\s+/);
    const id = words[0] ?? '';
    if (!RULE_ID.test(id)) break;
    ids.push(id.toLowerCase());
    if (words.length > 1) break;
  }
  return ids;
}
