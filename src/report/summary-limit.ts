/**
 * GitHub accepts at most 1 MiB of step summary, counted in BYTES (UTF-8): a schema of non-ASCII names is two
 * or three bytes a character, so a character count lets through two or three times the limit and GitHub
 * drops the whole summary. fitSummary cuts a summary that is too big where the markdown stays whole (between
 * blocks, or between two rows of a table; never inside a code fence or a <details> element) and says where
 * it cut and where the rest is.
 */
import { inlineCode } from './escape.js';

/** GitHub's limit for one step's summary. */
export const SUMMARY_MAX_BYTES = 1_048_576;

const encoder = new TextEncoder();
const bytesOf = (s: string): number => encoder.encode(s).length;

export interface FitOptions {
  /** Bytes the summary may take (default SUMMARY_MAX_BYTES). */
  maxBytes?: number;
  /** The JSON report file, where everything is. */
  reportPath?: string;
}

/** `md` itself when it fits in `maxBytes`, else its longest clean prefix that fits with a note saying where it was cut. */
export function fitSummary(md: string, opts: FitOptions = {}): string {
  const max = opts.maxBytes ?? SUMMARY_MAX_BYTES;
  const total = bytesOf(md);
  if (total <= max) return md;

  const lines = md.split('\n');
  // Bytes of lines[0..i) joined by '\n', and whether a cut before line i leaves whole markdown.
  let kept = 0;
  let best = 0;
  let bestHeading = '';
  let heading = '';
  let fence: string | null = null;
  let details = 0;
  const notice = (cutAt: number, after: string): string => note(cutAt, total, after, opts.reportPath);
  // The note names bytes and a heading: measure it generously (a heading is cut to 200 characters).
  const reserve = bytesOf(notice(total, 'x'.repeat(200))) + 16;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (i > 0 && fence === null && details === 0 && cleanBefore(lines, i) && kept <= max - reserve) {
      best = i;
      bestHeading = heading;
    }
    if (kept > max - reserve) break;
    kept += bytesOf(line) + 1;
    // CommonMark: a backtick fence's info string has no backtick.
    const f = /^ {0,3}(`{3,}(?=[^`]*$)|~{3,})/.exec(line);
    if (fence === null && f) fence = f[1]!;
    else if (fence !== null && new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(line)) fence = null;
    if (fence === null) {
      details += (line.match(/<details[\s>]/gi) ?? []).length - (line.match(/<\/details>/gi) ?? []).length;
      if (details < 0) details = 0;
      if (/^#{1,6} /.test(line)) heading = line.replace(/^#{1,6} /, '');
    }
  }
  const prefix = lines.slice(0, best).join('\n').replace(/\n+$/, '');
  return `${prefix}\n\n${notice(bytesOf(prefix), bestHeading)}`;
}

/** A cut before line i leaves whole markdown: after a blank line, or between two rows of a table's body. */
function cleanBefore(lines: string[], i: number): boolean {
  const prev = lines[i - 1]!;
  const cur = lines[i]!;
  if (prev.trim() === '') return true;
  const row = (s: string) => s.startsWith('|');
  const delimiter = (s: string) => /^\|(\s*:?-+:?\s*\|)+\s*$/.test(s);
  return row(prev) && row(cur) && !delimiter(cur) && (delimiter(prev) || (i >= 2 && row(lines[i - 2]!)));
}

function note(shown: number, total: number, after: string, reportPath: string | undefined): string {
  const where = after ? ` in the section “${after.length > 200 ? `${after.slice(0, 199)}…` : after}”` : '';
  const rest = reportPath ? `the JSON report ${inlineCode(reportPath, { table: false })} (output \`report\`)` : 'the JSON report (set the `report` input to write one)';
  return (
    `> [!WARNING]\n> The summary was cut here${where}: GitHub accepts at most 1 MiB (${SUMMARY_MAX_BYTES.toLocaleString('en-US')} bytes) per step summary, ` +
    `and this one has ${total.toLocaleString('en-US')} bytes; ${shown.toLocaleString('en-US')} are shown. Everything is in ${rest}.\n`
  );
}
