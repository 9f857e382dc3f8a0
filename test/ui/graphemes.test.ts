import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { graphemes } from '../../src/ui/graphemes.js';

// graphemes() stands in for Intl.Segmenter in string-width, slice-ansi and Ink's tokenizer (scripts/bundle.js),
// and splits ASCII styling without one: it must give exactly the segmenter's clusters, for any text.

const intl = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const expected = (text: string) =>
  Array.from(intl.segment(text), ({ segment, index }) => ({ segment, index }));
const actual = (text: string) => Array.from(graphemes(text), ({ segment, index }) => ({ segment, index }));

describe('graphemes', () => {
  it.each([
    ['plain ASCII', 'CrashLoopBackOff 7 (4m ago)'],
    ['SGR around text', '\u001b[1mx\u001b[22m'],
    ['CR LF, one cluster', 'a\r\nb'],
    ['a combining mark', 'e\u0301t\u00e9'],
    ['an emoji with a modifier, a flag', 'ok 👍🏽 🇩🇪'],
    ['CJK', '日本語'],
    ['empty', ''],
  ])('%s: the segmenter’s clusters', (_, text) => {
    expect(actual(text)).toEqual(expected(text));
  });

  it('gives the segmenter’s clusters for ASCII with escapes and for any text', () => {
    const styled = fc.string({
      unit: fc.constantFrom(...'\u001b[0123456789;mAbz ~\r\n\t'.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(styled, fc.string({ unit: 'grapheme', maxLength: 20 })), (text) => {
        expect(actual(text)).toEqual(expected(text));
      }),
    );
  });
});
