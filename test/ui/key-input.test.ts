import fc from 'fast-check';
import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { splitKeys } from '../../src/ui/key-input.js';

const NONE: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

describe('splitKeys', () => {
  it('splits a read of several keys into single keys, in order', () => {
    expect(splitKeys('jjj', NONE).map((k) => k.input)).toEqual(['j', 'j', 'j']);
    expect(splitKeys('\u007f\u007f\u007f', NONE).map((k) => k.key.delete)).toEqual([true, true, true]);
    expect(splitKeys('/ab\r', NONE).map((k) => k.input || (k.key.return ? 'RET' : '?'))).toEqual([
      '/',
      'a',
      'b',
      'RET',
    ]);
    expect(splitKeys('aB', NONE)[1]?.key.shift).toBe(true);
  });

  it('keeps a chord out of `input`: Ctrl-D alone or inside a read is not `d`', () => {
    expect(splitKeys('d', { ...NONE, ctrl: true })).toEqual([
      { input: '', key: { ...NONE, ctrl: true, chord: 'd' } },
    ]);
    expect(splitKeys('j\u0004', NONE)[1]).toEqual({ input: '', key: { ...NONE, ctrl: true, chord: 'd' } });
    expect(splitKeys('x', { ...NONE, meta: true })[0]?.input).toBe('');
  });

  it('leaves a single named key as Ink parsed it', () => {
    const down = { ...NONE, downArrow: true };
    expect(splitKeys('', down)).toEqual([{ input: '', key: down }]);
    expect(splitKeys('', { ...NONE, escape: true, meta: true })[0]?.key.escape).toBe(true);
  });

  it('gives back every printable character of any read, one key each', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 2 }), (text) => {
        const printable = [...text].filter((c) => (c.codePointAt(0) ?? 0) >= 0x20 && c !== '\u007f').join('');
        fc.pre([...printable].length >= 2);
        const keys = splitKeys(printable, NONE);
        expect(keys.map((k) => k.input).join('')).toBe(printable);
        expect(keys).toHaveLength([...printable].length);
      }),
    );
  });
});
