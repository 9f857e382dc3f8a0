import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenUntrusted, stripEscapes } from '../../src/model/untrusted-text.js';
import { sanitizeLine } from '../../src/ui/sanitize.js';

/** Pieces a hostile or merely odd cluster string is made of: rewinds, escape introducers, their terminators. */
const HOSTILE_PIECE = fc.constantFrom(
  '\r',
  '\n',
  '\r\n',
  '\b',
  '\u001b',
  '\u001b]0;',
  '\u001b[',
  '\u001bP',
  '\u009b',
  '\u009d',
  '\u0007',
  '\u001b\\',
  '\u202e',
  '\u2066',
  '\u200b',
  '\u00ad',
  '\ufeff',
  '\u{e0041}',
  '\u200d',
  '\ud83d',
  '\ude00',
  '\t',
  '31m',
  'a',
  ' ',
  'OOMKilled',
);
/**
 * Every format character (Unicode 15.1 category Cf) but the zero-width joiner, listed here rather than read from
 * the regular expression under test: bidi controls, zero widths, soft hyphen, BOM, prepended concatenation marks,
 * invisible operators, interlinear annotation, shorthand and musical format controls, tags.
 */
const FORMAT_RANGES: readonly [number, number][] = [
  [0xad, 0xad],
  [0x600, 0x605],
  [0x61c, 0x61c],
  [0x6dd, 0x6dd],
  [0x70f, 0x70f],
  [0x890, 0x891],
  [0x8e2, 0x8e2],
  [0x180e, 0x180e],
  [0x200b, 0x200c],
  [0x200e, 0x200f],
  [0x202a, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
];
const FORMAT_CODE_POINTS = FORMAT_RANGES.flatMap(([from, to]) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i),
);
const FORMAT_CHARACTER = fc.constantFrom(...FORMAT_CODE_POINTS).map((cp) => String.fromCodePoint(cp));
/** 👩‍💻: woman, zero-width joiner, laptop; one glyph. */
const CODER = '\u{1f469}\u200d\u{1f4bb}';
/** Text a terminal shows as it is: letters, digits, punctuation, CJK, an emoji sequence with its joiner. */
const PLAIN_PIECE = fc.constantFrom('a', 'Z', '7', '-', ' ', '/', 'é', '漢', CODER, 'OOMKilled');

const hostile = fc.oneof(
  fc.array(HOSTILE_PIECE, { maxLength: 30 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

describe('flattenUntrusted', () => {
  it.each([
    ['carriage return keeps the last segment', '10%\r50%\r100%', '100%'],
    ['CRLF is a line ending', 'a\r\nb\r\n', 'a b'],
    ['escape then rewind', 'HTTP 500 \u001b]0;X\u0007\r\bgone \u202eevil\u202c', 'gone evil'],
    ['unterminated OSC is removed to its end', 'probe \u001b]8;;http://x', 'probe '],
    ['lone ESC', 'a\u001b', 'a'],
    ['tab is left to the line it joins', 'a\tb', 'a\tb'],
    ['zero-width space', 'pay\u200bments', 'payments'],
    ['soft hyphen', 'pay\u00adments', 'payments'],
    ['byte order mark', '\ufeffpayments', 'payments'],
    ['tag characters', 'prod\u{e0001}\u{e0070}\u{e007f}', 'prod'],
    ['word joiner and invisible times', 'a\u2060b\u2062c', 'abc'],
    ['the zero-width joiner of an emoji sequence stays', `dev ${CODER}`, `dev ${CODER}`],
    ['a lone surrogate is not paired by what is removed', '\ud83d\u200b\ude00', '\ufffd\ufffd'],
  ])('%s', (_, text, flat) => {
    expect(flattenUntrusted(text)).toBe(flat);
  });

  it('leaves no format character (Unicode Cf) but the zero-width joiner', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(flattenUntrusted(text)).not.toMatch(/(?!\u200d)\p{Cf}/u);
      }),
    );
  });

  it('format characters anywhere in plain text: the text as it was', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(PLAIN_PIECE, FORMAT_CHARACTER), { maxLength: 40 }), (parts) => {
        const plain = parts.filter((part) => !FORMAT_CODE_POINTS.includes(part.codePointAt(0)!)).join('');
        expect(flattenUntrusted(parts.join(''))).toBe(plain);
      }),
    );
  });

  it('cannot erase, eat or reorder the text it is composed with', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const shown = sanitizeLine(`lastState.terminated.reason: Error: ${flattenUntrusted(text)} (x3)`);
        expect(shown.startsWith('lastState.terminated.reason: Error: ')).toBe(true);
        expect(shown.endsWith(' (x3)')).toBe(true);
      }),
    );
  });

  it('is idempotent: flattened text stays as it is', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const flat = flattenUntrusted(text);
        expect(flattenUntrusted(flat)).toBe(flat);
      }),
    );
  });
});

describe('stripEscapes', () => {
  it.each([
    ['SGR colours', '\u001b[31mError\u001b[39m: x', 'Error: x'],
    ['OSC 8 link', '\u001b]8;;http://x\u0007here\u001b]8;;\u0007', 'here'],
    ['plain text with a rewind keeps it', 'a\rb', 'a\rb'],
  ])('%s', (_, text, stripped) => {
    expect(stripEscapes(text)).toBe(stripped);
  });
});
