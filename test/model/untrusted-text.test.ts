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
  '\t',
  '31m',
  'a',
  ' ',
  'OOMKilled',
);
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
  ])('%s', (_, text, flat) => {
    expect(flattenUntrusted(text)).toBe(flat);
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
