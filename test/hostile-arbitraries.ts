// Malformed and hostile input for property-based tests: strings that break parsers, templates,
// SQL and JSON (markup, control characters, lone surrogates, huge and empty values, prototype
// keys), mixed with values that look right, and checks that a page shows markup only escaped.
import fc from 'fast-check'

/** Markup that would run or change the page if it were not escaped; each carries "hostile". */
export const MARKUP = [
  '<script>hostile(1)</script>',
  '<img src=x onerror=hostile(2)>',
  '"><b>hostile(3)</b>',
  "'><svg onload=hostile(4)>",
  '</textarea><script>hostile(5)</script>',
  '<a href="javascript:hostile(6)">click</a>',
  '<!--hostile(7)-->',
  '<iframe srcdoc="hostile(8)"></iframe>',
  '" autofocus onfocus="hostile(9)',
  "' onmouseover='hostile(10)",
]

/** What only unescaped markup from MARKUP could put in a page. */
const RAW_FRAGMENTS = [
  '<script>hostile',
  '<img src=x onerror=hostile',
  '<b>hostile',
  '<svg onload=hostile',
  '<a href="javascript:hostile',
  '<!--hostile',
  '<iframe srcdoc="hostile',
  'onfocus="hostile',
  "onmouseover='hostile",
]

/** The first fragment of unescaped hostile markup in the page, or undefined when there is none. */
export function unescapedMarkup(html: string): string | undefined {
  return RAW_FRAGMENTS.find((fragment) => html.includes(fragment))
}

/** The text as Nunjucks escapes it. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\\/g, '&#92;')
}

/** True when the value carries markup from MARKUP. */
export function hasMarkup(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes('hostile(')
}

export const NASTY = [
  '',
  ' ',
  '  \t  ',
  '\n',
  '\r\n',
  '\u0000',
  'nul\u0000byte',
  '\u0007\u001b[31mred',
  '\u007f',
  '\ud800',
  'lone \udc00 surrogate',
  '\u202eright to left',
  '\u200b',
  '\ufeff',
  'e\u0301',
  '🧮👩🏽‍🏫',
  '中文字符',
  'Ω≈ç√∫',
  'null',
  'undefined',
  'true',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '0x10',
  '1_000',
  '６',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  "'; DROP TABLE applications; --",
  "' OR '1'='1",
  '%00',
  '%',
  '%zz',
  '../../etc/passwd',
  '{{ 7 * 7 }}',
  '{% raw %}',
  '${process.exit()}',
  '$(reboot)',
  'x'.repeat(101),
  'x'.repeat(255),
  'x'.repeat(2001),
  'x'.repeat(20_001),
  'a@b.c',
  'name@example.com',
  '@',
  'a@',
  '@b.example',
  'a@b',
  'a@@b.example',
  'a b@c.example',
  '"quoted"@school.example',
  ...MARKUP,
]

/** A long value: a few hundred to some thousand repeats of something awkward. */
const long = fc
  .tuple(
    fc.constantFrom('x', 'word ', '<script>hostile(1)</script>', '\u0000', '🧮', ' '),
    fc.integer({ min: 100, max: 1000 }),
  )
  .map(([text, times]) => text.repeat(times))

/** Characters that databases, JSON and terminals trip on. */
const AWKWARD = [
  '\u0000',
  '\u0000',
  '\ud800',
  '\udfff',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u2028',
  '\u202e',
  '\ufeff',
]

/** Ordinary text with something spliced into it. */
const spliced = (middle: fc.Arbitrary<string>) =>
  fc
    .tuple(fc.string({ maxLength: 10 }), middle, fc.string({ maxLength: 10 }))
    .map(([before, inside, after]) => before + inside + after)

/** Text with a character in it that databases, JSON or terminals trip on. */
export const awkwardString: fc.Arbitrary<string> = spliced(fc.constantFrom(...AWKWARD))

/** Any string a client could send: hostile, random, or ordinary. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 3, arbitrary: spliced(fc.constantFrom(...MARKUP)) },
  { weight: 3, arbitrary: awkwardString },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
  { weight: 1, arbitrary: long },
)

/** Keys that trouble objects built from input. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '', ' '),
  fc.string({ maxLength: 12 }),
)

/** Any JSON value, hostile strings and prototype keys included. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileKey, hostileString, { maxKeys: 3 }),
)

/** Request bodies no JSON.stringify would produce: broken, poisoned or very deep. */
export const RAW_JSON = [
  '',
  '{',
  '}',
  '[',
  'nul',
  "{'single': 'quotes'}",
  '{"a":1,}',
  '\u0000',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"school":{"__proto__":{"polluted":true}}}',
  '{"a":1,"a":2}',
  '{"school":{"urn":1e999}}',
  '{"teaching":{"yearsTeachingMaths":-0}}',
  '"\\ud800"',
  '"\\u0000"',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`,
  `"${'x'.repeat(1_100_000)}"`,
]

/** A path segment: a number, an id that cannot be, or hostile text; raw (unencoded) or encoded. */
export const hostilePathSegment: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      '0',
      '-1',
      '1.5',
      '1e3',
      '2147483648',
      '9007199254740993',
      '0x1',
      '+1',
      '%201',
      '1%20',
      '%00',
      '%zz',
      '%',
      'null',
      '%3Cscript%3Ehostile(1)%3C%2Fscript%3E',
    ),
    fc.integer().map(String),
    fc.bigInt({ min: 2n ** 31n, max: 2n ** 80n }).map(String),
    fc.double().map(String),
    hostileString.map((s) => encodeURIComponent(wellFormed(s))),
  )
  // An empty id is another address: the list, not a record. So are "." and ".." (spelt plainly or
  // as %2E): a URL parser removes them with the segment before, as a browser does, and
  // /hubs/../applications is the teacher's own list of applications.
  .filter((segment) => segment !== '' && !isDotSegment(segment))

/** Whether a URL parser treats the segment as "." or ".." (the WHATWG URL standard's dot segments). */
export function isDotSegment(segment: string): boolean {
  const plain = segment.replace(/%2e/gi, '.')
  return plain === '.' || plain === '..'
}

/** The string with lone surrogates replaced, as a browser would send it. */
export function wellFormed(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8')
}
