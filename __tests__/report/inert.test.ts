import { inertJson, inertText } from '../../src/report/inert.js';
import { foreignCommands, runnerCommands } from '../support/runner-commands.js';
import { rng } from '../support/rng.js';


/** Pieces an attacker combines: command names, both prefixes, every white space .NET trims, every line break. */
const PIECES = [
  '::', '##[', ']', ':', '#', '[', 'warning', 'error', 'add-mask', 'stop-commands', 'set-output', 'set-env', 'group',
  'echo', 'save-state', 'add-path', 'notice', 'WARNING', 'Add-Mask', 'tok', ' ', 'name=x', ',', ';', '=', 'title=t',
  '\t', '\u00a0', '\u2003', '\u3000', '\u1680', '\u0085', '\u2028', '\u2029', '\ufeff', '\u200b', '\v', '\f',
  '\r', '\n', '\r\n', '%0A', '%25', 'x', 'PWN',
];

function randomText(next: () => number, pieces: number): string {
  let s = '';
  for (let i = 0; i < pieces; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

describe('the runner model (actions/runner ActionCommand/ActionCommandManager)', () => {
  test('finds v2 commands after .NET white space, in any case, on lines ended by \\n, \\r or \\r\\n', () => {
    const cmds = runnerCommands('a\n::warning::w\r  ::ERROR file=a%2Cb,title=t::e%0Af\r\n\u00a0\u3000::add-mask::s\nno ::warning::x');
    expect(cmds.map((c) => [c.name, c.data])).toEqual([
      ['warning', 'w'],
      ['ERROR', 'e\nf'],
      ['add-mask', 's'],
    ]);
    expect(cmds[1]!.props).toEqual({ file: 'a,b', title: 't' });
  });

  test('finds the legacy form anywhere in a line, and ignores unregistered names', () => {
    const cmds = runnerCommands('text ##[set-output name=a]b\n##[nope]x\n::nope::x\n::warning x');
    expect(cmds).toHaveLength(1);
    expect(cmds[0]).toMatchObject({ name: 'set-output', props: { name: 'a' }, data: 'b', form: 'legacy' });
  });

  test('honours stop-commands: nothing until the token, a nested stop is ignored, either form resumes', () => {
    const text = ['::stop-commands::tok1', '::warning::hidden', '::stop-commands::other', '::other::', '::error::hidden', 'x ##[tok1]', '::warning::seen'].join('\n');
    expect(runnerCommands(text).map((c) => `${c.name}:${c.data}`)).toEqual(['stop-commands:tok1', 'warning:seen']);
  });

  test('foreignCommands flags names the action never emits, unknown masks, legacy forms and marker-led data', () => {
    const bad = foreignCommands(
      { stdout: '::warning file=a::msg quoting ::warning::PWN\n::add-mask::s3cret\n::warning::PWN', stderr: '::add-mask::PWN\nx ##[error]m\n::set-env name=a::b' },
      { marker: 'PWN', secrets: ['s3cret'] },
    );
    expect(bad.map((c) => c.line)).toEqual(['::warning::PWN', '::add-mask::PWN', 'x ##[error]m', '::set-env name=a::b']);
  });
});

describe('inertText', () => {
  test('breaks every command form and keeps the text (only U+200B added)', () => {
    const attacks = [
      '::warning title=PWN::x',
      '  ::add-mask::PWN',
      '\u2003::stop-commands::PWN',
      'name ##[set-output name=PWN]x',
      'a\r::error::PWN',
      'a\r\n\u0085::set-env name=PWN::x',
      '##[##[add-path]PWN',
    ];
    for (const a of attacks) {
      const out = inertText(a);
      expect(runnerCommands(out)).toEqual([]);
      expect(out.replace(/\u200b/g, '')).toBe(a);
    }
    expect(inertText('plain text: a::b')).toBe('plain text: a::b');
  });

  test('fuzz: no random mix of prefixes, names, white space and line breaks survives as a command', () => {
    const next = rng(13);
    for (let i = 0; i < 5000; i++) {
      const s = randomText(next, 1 + Math.floor(next() * 24));
      const out = inertText(s);
      expect(runnerCommands(out)).toEqual([]);
      expect(out.replace(/\u200b/g, '')).toBe(s.replace(/\u200b/g, ''));
      expect(inertText(out)).toBe(out);
    }
  });
});

describe('inertJson', () => {
  test('keeps the JSON value exactly while no legacy command remains, compact or pretty-printed', () => {
    const next = rng(7);
    for (let i = 0; i < 2000; i++) {
      const value = { file: randomText(next, 12), list: [randomText(next, 6), { m: randomText(next, 8) }] };
      for (const json of [JSON.stringify(value), JSON.stringify(value, null, 2)]) {
        const out = inertJson(json);
        expect(JSON.parse(out)).toEqual(value);
        expect(runnerCommands(out)).toEqual([]);
      }
    }
  });
});
