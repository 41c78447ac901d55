/**
 * Issue 13 point 9: names and messages from a pull request must not become links in the comment or the
 * summary, autolinks included. Rendered with micromark + its GFM extension (a GFM-spec implementation of
 * the autolink literal rules GitHub's cmark-gfm applies), so the check is what a renderer does, not a regex.
 */
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { escapeMarkdown, inlineCode } from '../../src/report/escape.js';

const render = (md: string) => micromark(md, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });

const HOSTILE = [
  'https://evil.example/login',
  'see http://evil.example now',
  'HTTPS://EVIL.EXAMPLE',
  'ftp://evil.example/x',
  'www.evil.example',
  'go to WWW.evil.example/path',
  '(www.evil.example)',
  '*www.evil.example*',
  'mail admin@evil.example',
  'mailto:admin@evil.example',
  'xmpp:admin@evil.example',
  '0002_https://evil.example.sql',
  '[click](https://evil.example)',
  '<https://evil.example>',
  '[x]: https://evil.example',
];

describe('no autolink survives escaping (rendered as GFM)', () => {
  test.each(HOSTILE)('%s', (text) => {
    // The renderer links the raw text (ftp:// is cmark-gfm's, not the GFM spec's: broken all the same), so the test can fail.
    if (!text.startsWith('ftp') && !text.startsWith('[x]')) expect(render(text)).toContain('<a ');
    for (const md of [escapeMarkdown(text), `| a | ${escapeMarkdown(text)} |\n| --- | --- |\n| ${escapeMarkdown(text)} | ${inlineCode(text)} |`, `<details><summary>${escapeMarkdown(text)}</summary>\n\nx\n</details>`]) {
      expect(render(md)).not.toContain('<a ');
    }
  });

  test('the text still reads the same (only zero-width joiners added)', () => {
    for (const text of HOSTILE) {
      const html = render(escapeMarkdown(text)).replace(/<\/?p>\n?/g, '');
      const decoded = html.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
      expect(decoded.replace(/\u200d/g, '')).toBe(text);
    }
  });
});
