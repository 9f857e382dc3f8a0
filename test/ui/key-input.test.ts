import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_KEY, splitEscapePair, splitKeys } from '../../src/ui/key-input.js';

describe('splitKeys', () => {
  it('splits a read of several keys into single keys, in order', () => {
    expect(splitKeys('jjj', NO_KEY).map((k) => k.input)).toEqual(['j', 'j', 'j']);
    expect(splitKeys('\u007f\u007f\u007f', NO_KEY).map((k) => k.key.delete)).toEqual([true, true, true]);
    expect(splitKeys('/ab\r', NO_KEY).map((k) => k.input || (k.key.return ? 'RET' : '?'))).toEqual([
      '/',
      'a',
      'b',
      'RET',
    ]);
    expect(splitKeys('aB', NO_KEY)[1]?.key.shift).toBe(true);
  });

  it('keeps a chord out of `input`: Ctrl-D alone or inside a read is not `d`', () => {
    expect(splitKeys('d', { ...NO_KEY, ctrl: true })).toEqual([
      { input: '', key: { ...NO_KEY, ctrl: true, chord: 'd' } },
    ]);
    expect(splitKeys('j\u0004', NO_KEY)[1]).toEqual({
      input: '',
      key: { ...NO_KEY, ctrl: true, chord: 'd' },
    });
    expect(splitKeys('x', { ...NO_KEY, meta: true })[0]?.input).toBe('');
  });

  it('leaves a single named key as Ink parsed it', () => {
    const down = { ...NO_KEY, downArrow: true };
    expect(splitKeys('', down)).toEqual([{ input: '', key: down }]);
    expect(splitKeys('', { ...NO_KEY, escape: true, meta: true })[0]?.key.escape).toBe(true);
  });

  it('gives back every printable character of any read, one key each', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 2 }), (text) => {
        const printable = [...text].filter((c) => (c.codePointAt(0) ?? 0) >= 0x20 && c !== '\u007f').join('');
        fc.pre([...printable].length >= 2);
        const keys = splitKeys(printable, NO_KEY);
        expect(keys.map((k) => k.input).join('')).toBe(printable);
        expect(keys).toHaveLength([...printable].length);
      }),
    );
  });
});

describe('splitEscapePair', () => {
  const ESC = '\u001b';
  it.each([
    ['Esc Enter', `${ESC}\r`, [ESC, '\r']],
    ['Esc q', `${ESC}q`, [ESC, 'q']],
    ['Esc Q', `${ESC}Q`, [ESC, 'Q']],
    ['Esc /', `${ESC}/`, [ESC, '/']],
    ['Esc Backspace', `${ESC}\u007f`, [ESC, '\u007f']],
    ['Esc Ctrl-C', `${ESC}\u0003`, [ESC, '\u0003']],
    ['Esc Esc', `${ESC}${ESC}`, [ESC, ESC]],
    ['Esc and an emoji', `${ESC}😀`, [ESC, '😀']],
    ['Esc [ with nothing after it', `${ESC}[`, [ESC, '[']],
    ['Esc O with nothing after it', `${ESC}O`, [ESC, 'O']],
    ['Esc alone', ESC, [ESC]],
    ['a letter', 'q', ['q']],
    ['Up (CSI)', `${ESC}[A`, [`${ESC}[A`]],
    ['Up (SS3, application cursor keys)', `${ESC}OA`, [`${ESC}OA`]],
    ['PgDn', `${ESC}[6~`, [`${ESC}[6~`]],
    ['Alt-Up (xterm)', `${ESC}[1;3A`, [`${ESC}[1;3A`]],
    ['Esc Up (rxvt sends it for Alt-Up too)', `${ESC}${ESC}[A`, [ESC, `${ESC}[A`]],
    ['Esc PgDn', `${ESC}${ESC}[6~`, [ESC, `${ESC}[6~`]],
    ['F1 (SS3)', `${ESC}OP`, [`${ESC}OP`]],
  ])('%s', (_name, sequence, reads) => {
    expect(splitEscapePair(sequence)).toEqual(reads);
  });

  it('never loses or adds a character; a split is Esc and the rest, never a terminal sequence', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 4 }), (tail) => {
        const sequence = `${ESC}${tail}`;
        const reads = splitEscapePair(sequence);
        expect(reads.join('')).toBe(sequence);
        if (reads.length === 2) {
          expect(reads).toEqual([ESC, tail]);
          expect(tail.length === 1 || !/^[[O]/.test(tail)).toBe(true);
        }
      }),
    );
  });
});
