/**
 * Escaping for text that comes from the repository (file names, SQL, messages) before it goes into
 * GitHub-flavoured markdown: the PR comment, the job summary and annotations. Everything here is pure.
 *
 * GitHub sanitises HTML, so the risk is not script execution but content that breaks out of its cell or
 * paragraph, fakes links or headings (autolinks included: `https://...`, `www.`, `a@b.c` turn into links
 * with no markdown syntax at all), or pings people and cross-references issues from a file name.
 */

const ZWJ = '\u200d';

/**
 * GFM's autolink extension turns bare `https://x`, `http://`, `ftp://`, `www.x` and `a@b.c` into links
 * without any markdown syntax, so backslash escapes do not stop them. cmark-gfm finds a scheme by reading
 * letters backwards from the `:` and a www link by the literal `www.`: a zero-width joiner before the `:`
 * and inside `www.` leaves the text as it reads but no link. (Emails are broken after the `@`, where the
 * mention escape already puts one.)
 */
function noAutolinks(text: string): string {
  return text.replace(/(?<=[A-Za-z]):(?=\/\/)/g, `${ZWJ}:`).replace(/(www)\./gi, `$1${ZWJ}.`);
}

/** Line breaks and other control characters would end a table row or start a new block. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
}

/**
 * Text safe inside a markdown paragraph or a table cell: renders as the literal characters, on one line,
 * with no links, emphasis, HTML, @mention pings or `#123` cross-references.
 */
export function escapeMarkdown(text: string): string {
  let s = oneLine(text);
  // Backslash-escape first, on the original characters, so the entities added below are not escaped again
  // (`\&lt;` would render as the literal text `&lt;`).
  s = s.replace(/[\\`*_[\]|#~!]/g, (c) => `\\${c}`);
  s = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  // GitHub links mentions and issue references after rendering, so markdown escapes do not stop them; a
  // zero-width joiner between the sigil and the name does.
  s = s.replace(/@(?=[A-Za-z0-9_-])/g, `@${ZWJ}`);
  s = s.replace(/#(?=\d)/g, `#${ZWJ}`);
  // A leading list or heading marker would turn a paragraph into a list / setext heading.
  s = s.replace(/^(\s*)([-+=])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
  return noAutolinks(s);
}

function longestBacktickRun(text: string): number {
  let best = 0;
  for (const m of text.matchAll(/`+/g)) best = Math.max(best, m[0].length);
  return best;
}

/**
 * A code span that no backtick in `text` can close early, on one line. `|` is escaped (`\|`) because
 * GitHub tables split cells before parsing code spans and `\|` is the only way to keep a pipe in a cell;
 * pass `{ table: false }` for code spans outside tables, where `\|` would show the backslash.
 */
export function inlineCode(text: string, opts: { table?: boolean } = {}): string {
  let s = oneLine(text);
  if (opts.table !== false) {
    // The table scanner pairs backslashes before it looks at the pipe: an even run before `\|` would leave
    // the pipe unescaped and split the cell, so make the run odd.
    s = s.replace(/(\\*)\|/g, (_m, run: string) => `${run}${run.length % 2 === 1 ? '\\' : ''}\\|`);
  }
  if (s === '') return '` `';
  const fence = '`'.repeat(longestBacktickRun(s) + 1);
  // CommonMark strips one space from each side when both are present, so padding is transparent; it is
  // needed when the content starts or ends with a backtick (it would merge with the fence) or a space.
  const pad = /^[` ]|[` ]$/.test(s) ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** `text` cut to `max` characters and marked with `…`: names and messages from a pull request can be huge. */
export function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
