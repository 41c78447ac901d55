import { tokenize } from '../../src/sql/tokenize.js';

const kinds = (sql: string) => tokenize(sql).map((t) => [t.kind, t.text]);

describe('tokenize', () => {
  test('words are upper-cased in value and keep their text', () => {
    const [t] = tokenize('select');
    expect(t).toMatchObject({ kind: 'word', text: 'select', value: 'SELECT', start: 0, end: 6, line: 1, column: 1 });
  });

  test('line comments end before the newline and block comments may be unterminated', () => {
    expect(kinds('a -- x; y\nb /* c; */ d /* open')).toEqual([
      ['word', 'a'], ['comment', '-- x; y'], ['word', 'b'], ['comment', '/* c; */'], ['word', 'd'], ['comment', '/* open'],
    ]);
  });

  test('quoted tokens keep their text and unescape doubled delimiters into value', () => {
    const toks = tokenize(`'it''s' "a""b" [x y] \`c\`\`d\``);
    expect(toks.map((t) => [t.kind, t.value])).toEqual([
      ['string', "it's"], ['dquoted', 'a"b'], ['bracketed', 'x y'], ['backticked', 'c`d'],
    ]);
  });

  test('an unterminated string runs to the end of the input', () => {
    expect(kinds("select 'abc; def")).toEqual([['word', 'select'], ['string', "'abc; def"]]);
  });

  test('numbers include hex, exponents, leading dots and digit separators', () => {
    expect(kinds('1 0x1F 1e5 2.5E-3 .5 1_000 3.')).toEqual([
      ['number', '1'], ['number', '0x1F'], ['number', '1e5'], ['number', '2.5E-3'], ['number', '.5'], ['number', '1_000'], ['number', '3.'],
    ]);
  });

  test('blobs, parameters and multi-character operators are single tokens', () => {
    expect(kinds("x'AB' X'' ? ?12 :a @b $c a::text ->> -> || <= != <> == << >> >= < ;")).toEqual([
      ['blob', "x'AB'"], ['blob', "X''"], ['param', '?'], ['param', '?12'], ['param', ':a'], ['param', '@b'], ['param', '$c'],
      ['word', 'a'], ['punct', '::'], ['word', 'text'], ['punct', '->>'], ['punct', '->'], ['punct', '||'], ['punct', '<='],
      ['punct', '!='], ['punct', '<>'], ['punct', '=='], ['punct', '<<'], ['punct', '>>'], ['punct', '>='], ['punct', '<'], ['punct', ';'],
    ]);
  });

  test('identifiers may contain non-ASCII letters and dollar signs', () => {
    expect(kinds('café a$b 名前')).toEqual([['word', 'café'], ['word', 'a$b'], ['word', '名前']]);
  });

  test('line and column are tracked across CRLF and multi-line tokens', () => {
    const toks = tokenize("a\r\n  'x\ny' b\r\n/* c\n */ d");
    expect(toks.map((t) => [t.text.replace(/\n/g, '\\n'), t.line, t.column])).toEqual([
      ['a', 1, 1], ["'x\\ny'", 2, 3], ['b', 3, 4], ['/* c\\n */', 4, 1], ['d', 5, 5],
    ]);
  });

  test('a BOM is whitespace, not part of the first word', () => {
    expect(kinds('\uFEFFCREATE TABLE t(a)')[0]).toEqual(['word', 'CREATE']);
  });

  test('whitespace tokens are returned only on request', () => {
    expect(tokenize('a b', { spaces: true }).map((t) => t.kind)).toEqual(['word', 'space', 'word']);
  });

  test('a thousand 2 KB files tokenize to the same tokens every time (speed is measured by npm run bench, not here)', () => {
    const unit = "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT DEFAULT 'x'); -- comment\n";
    const file = unit.repeat(Math.ceil(2048 / unit.length));
    const perFile = tokenize(file).length;
    let total = 0;
    for (let i = 0; i < 1000; i++) total += tokenize(file).length;
    expect(total).toBe(perFile * 1000);
  });
});
