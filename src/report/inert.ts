/**
 * Text that reaches a log the GitHub runner reads must not be able to speak for the action. The runner
 * (actions/runner, ActionCommand.cs and ActionCommandManager.cs) reads a step's stdout AND stderr line by
 * line (.NET ReadLine: `\n`, `\r` and `\r\n` end a line) and treats a line as a workflow command when
 *
 *  - after .NET's TrimStart (every Unicode white space) it starts with `::` and a registered command name
 *    follows (`::warning::`, `::add-mask::`, `::stop-commands::`, ...), or
 *  - it contains the legacy `##[` prefix ANYWHERE, followed by a registered name and `]` (`x ##[set-output ...]`).
 *
 * File names (newlines are legal in git), SQL, SQLite error messages (a RAISE message can hold a newline),
 * config values and wrangler's output are written by the pull request's author, so every such text is
 * neutralised here at the sink, line by line, whatever the call site.
 *
 * Why line escaping and not a `::stop-commands::<token>` block: the runner keeps ONE stop state for stdout and
 * stderr, which it reads on two threads, so a block on one stream does not order against the other (the CLI
 * writes both); escaping is stateless, needs no secret token, and works for every runner version. The text
 * stays as written except for an invisible U+200B where a command would start: .NET never counts U+200B as
 * white space, so the trimmed line no longer starts with `::`, and `##\u200b[` is not the legacy prefix.
 */

const ZWSP = '\u200b';

/**
 * What may come before `::` on a line and still be trimmed away: .NET's Char.IsWhiteSpace set
 * (U+0009-U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000)
 * plus a few more that some Unicode versions called white space (U+180E, U+FEFF), to be safe.
 */
const LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]*/;

/** Every character any reader could take as the end of a line (the runner uses only `\r` and `\n`). */
const LINE_BREAK = /(\r\n|[\r\n\v\f\u0085\u2028\u2029])/;

/** True when some line of `text` could be read as a workflow command (a cheap superset test). */
export function mayHoldCommand(text: string): boolean {
  return text.includes('::') || text.includes('##[');
}

/**
 * `text` with every line that the runner could parse as a workflow command made inert. Treats the start of
 * `text` as the start of a line (callers write whole lines). Idempotent.
 */
export function inertText(text: string): string {
  if (!mayHoldCommand(text)) return text;
  const parts = text.split(LINE_BREAK);
  // split with a capturing group alternates line, break, line, break, ...
  for (let i = 0; i < parts.length; i += 2) parts[i] = inertLine(parts[i]!);
  return parts.join('');
}

function inertLine(line: string): string {
  // Legacy form: `##[` anywhere in the line.
  let out = line.includes('##[') ? line.split('##[').join(`##${ZWSP}[`) : line;
  const lead = LEADING_SPACE.exec(out)![0].length;
  if (out.startsWith('::', lead)) out = `${out.slice(0, lead)}${ZWSP}${out.slice(lead)}`;
  return out;
}

/**
 * JSON text with every `##[` written as `##\u005b`: the same JSON value (only string content can hold
 * `##[`, since a structural `[` never follows `#`), but no legacy command for the runner. A JSON line never
 * starts with `::` (keys and strings are quoted), so that is the only form to break.
 */
export function inertJson(json: string): string {
  return json.includes('##[') ? json.split('##[').join('##\\u005b') : json;
}
