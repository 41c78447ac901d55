/**
 * A model of how the GitHub Actions runner finds workflow commands in a step's output, written from
 * actions/runner (src/Runner.Common/ActionCommand.cs TryParseV2/TryParse, src/Runner.Worker/
 * ActionCommandManager.cs TryProcessCommand, src/Runner.Sdk/ProcessInvoker.cs StartReadStream):
 *
 * - stdout and stderr are both read, line by line with .NET StreamReader.ReadLine (`\r\n`, `\r`, `\n`);
 * - v2 form: the line, after TrimStart (.NET white space), starts with `::`, then `name[ props]::data`;
 *   props are `k=v` separated by `,`, with %0D %0A %3A %2C %25 unescaped; data has %0D %0A %25 unescaped;
 * - legacy form, tried when v2 fails: `##[name[ props]]data` ANYWHERE in the line (the first `##[` only);
 *   props separated by `;`;
 * - only registered names count, compared case-insensitively;
 * - `stop-commands` with a token stops processing until a command named as the token (either form); while
 *   stopped every other command, including another `stop-commands`, is ignored.
 *
 * Tests use it to read the action's output as the runner would and to assert that no command appears that
 * the action did not emit itself.
 */

export const REGISTERED = [
  'stop-commands',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
];

export interface RunnerCommand {
  name: string;
  props: Record<string, string>;
  data: string;
  form: 'v2' | 'legacy';
  /** The output line it came from, as read. */
  line: string;
}

/** .NET Char.IsWhiteSpace. */
const NET_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*/;

/** StreamReader.ReadLine: lines end at `\r\n`, `\r` or `\n`; a last line without an end still counts. */
export function readLines(text: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function unescape(s: string, pairs: [string, string][]): string {
  let out = s;
  for (const [from, to] of pairs) out = out.split(from).join(to);
  return out;
}
const DATA: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
];
const PROPERTY: [string, string][] = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
];
const LEGACY: [string, string][] = [
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%'],
];

function parseV2(line: string, registered: Set<string>): RunnerCommand | undefined {
  const message = line.slice(NET_SPACE.exec(line)![0].length);
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return undefined;
  const props: Record<string, string> = {};
  if (space > 0) {
    for (const p of info.slice(space + 1).trim().split(',').filter(Boolean)) {
      const eq = p.indexOf('=');
      if (eq > 0 && eq < p.length - 1) props[p.slice(0, eq)] = unescape(p.slice(eq + 1), PROPERTY);
    }
  }
  return { name, props, data: unescape(message.slice(end + 2), DATA), form: 'v2', line };
}

function parseLegacy(line: string, registered: Set<string>): RunnerCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const rb = line.indexOf(']', prefix);
  if (rb < 0) return undefined;
  const info = line.slice(prefix + 3, rb);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return undefined;
  const props: Record<string, string> = {};
  if (space > 0) {
    for (const p of info.slice(space + 1).split(';').filter(Boolean)) {
      const eq = p.indexOf('=');
      if (eq > 0 && eq < p.length - 1) props[p.slice(0, eq)] = unescape(p.slice(eq + 1), LEGACY);
    }
  }
  return { name, props, data: unescape(line.slice(rb + 1), LEGACY), form: 'legacy', line };
}

/** The commands the runner would process in one stream, in order, honouring stop-commands. */
export function runnerCommands(text: string): RunnerCommand[] {
  const registered = new Set(REGISTERED);
  const out: RunnerCommand[] = [];
  let stopToken: string | undefined;
  for (const line of readLines(text)) {
    if (!line.includes('##[') && !line.includes('::')) continue;
    const cmd = parseV2(line, registered) ?? parseLegacy(line, registered);
    if (!cmd) continue;
    if (stopToken !== undefined) {
      if (cmd.name.toLowerCase() === stopToken.toLowerCase()) {
        registered.delete(stopToken.toLowerCase());
        stopToken = undefined;
      }
      continue;
    }
    out.push(cmd);
    if (cmd.name.toLowerCase() === 'stop-commands' && cmd.data) {
      stopToken = cmd.data;
      registered.add(cmd.data.toLowerCase());
    }
  }
  return out;
}

/** Commands @actions/core emits for this action (annotations, debug, groups, masks). */
const OURS = new Set(['error', 'warning', 'debug', 'group', 'endgroup', 'add-mask']);

/**
 * Commands in `stdout` and `stderr` that the action did not write: a name it never emits, an `add-mask` of
 * something that is not one of `secrets`, or a command whose data or a property starts with `marker` (every
 * attack payload puts the marker right after the command, so only an injected command starts with it; the
 * action's own messages may quote the payload, but never begin with it).
 */
export function foreignCommands(streams: { stdout: string; stderr: string }, opts: { marker: string; secrets?: string[] }): RunnerCommand[] {
  const secrets = new Set(opts.secrets ?? []);
  const bad: RunnerCommand[] = [];
  for (const text of [streams.stdout, streams.stderr]) {
    for (const c of runnerCommands(text)) {
      const name = c.name.toLowerCase();
      const startsWithMarker = c.data.trimStart().startsWith(opts.marker) || Object.values(c.props).some((v) => v.trimStart().startsWith(opts.marker));
      if (!OURS.has(name) || (name === 'add-mask' && !secrets.has(c.data)) || startsWithMarker || c.form === 'legacy') bad.push(c);
    }
  }
  return bad;
}
