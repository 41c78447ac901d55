import { escapeMarkdown, inlineCode } from '../../src/report/escape.js';

const ZWJ = '\u200d';

describe('escapeMarkdown', () => {
  it('turns an HTML payload into inert text', () => {
    const out = escapeMarkdown('<img src=x onerror=alert(1)>');
    expect(out).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).not.toMatch(/[<>]/);
  });

  it('escapes every markdown punctuation that could start a construct', () => {
    expect(escapeMarkdown('a*b_c[d]e|f#g~h!i`j\\k')).toBe('a\\*b\\_c\\[d\\]e\\|f\\#g\\~h\\!i\\`j\\\\k');
  });

  it('cannot form a link, including a javascript: one', () => {
    const out = escapeMarkdown('[click](javascript:alert(1))');
    expect(out).toBe('\\[click\\](javascript:alert(1))');
    expect(out).not.toMatch(/(^|[^\\])\[/);
  });

  it('does not ping @mentions or link #references', () => {
    expect(escapeMarkdown('cc @octocat and @org/team')).toBe(`cc @${ZWJ}octocat and @${ZWJ}org/team`);
    expect(escapeMarkdown('fixes #123')).toBe(`fixes \\#${ZWJ}123`);
    expect(escapeMarkdown('a @ b')).toBe('a @ b');
  });

  it('keeps everything on one line', () => {
    expect(escapeMarkdown('a\nb\r\nc\rd\u2028e')).toBe('a b c d e');
    expect(escapeMarkdown('| x |\n|---|\n| y |')).not.toContain('\n');
  });

  it('HTML-escapes ampersands and quotes without double escaping backslashes', () => {
    expect(escapeMarkdown('a & "b"')).toBe('a &amp; &quot;b&quot;');
    expect(escapeMarkdown('&lt;')).toBe('&amp;lt;');
  });

  it('neutralises a leading list or heading marker', () => {
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('# title')).toBe('\\# title');
  });
});

describe('inlineCode', () => {
  it('wraps plain text in single backticks', () => {
    expect(inlineCode('0001_init.sql')).toBe('`0001_init.sql`');
  });

  it('uses a fence longer than any backtick run', () => {
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('a```b')).toBe('````a```b````');
  });

  it('pads when the text starts or ends with a backtick or space', () => {
    expect(inlineCode('`x`')).toBe('`` `x` ``');
    expect(inlineCode(' x')).toBe('`  x `');
    expect(inlineCode('```')).toBe('```` ``` ````');
  });

  it('escapes pipes for tables, keeping the backslash run before them odd', () => {
    expect(inlineCode('a|b')).toBe('`a\\|b`');
    expect(inlineCode('a\\|b')).toBe('`a\\\\\\|b`');
    expect(inlineCode('a|b', { table: false })).toBe('`a|b`');
  });

  it('keeps hostile names on one line and inside the span', () => {
    const out = inlineCode('<img src=x onerror=alert(1)>`\n`.sql');
    expect(out).not.toContain('\n');
    expect(out.startsWith('``')).toBe(true);
    expect(out.endsWith('``')).toBe(true);
  });

  it('renders an empty string as an empty-looking span', () => {
    expect(inlineCode('')).toBe('` `');
  });
});
