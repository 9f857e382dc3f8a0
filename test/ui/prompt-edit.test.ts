import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_KEY, splitKeys } from '../../src/ui/key-input.js';
import { typedInto } from '../../src/ui/prompt-edit.js';
import { sanitizeLine } from '../../src/ui/sanitize.js';

// Keys as a terminal sends them, through the same splitting the live view uses: "\x15" is Ctrl-U, "\x17" Ctrl-W,
// "\x7f" the Backspace key.
function typed(text: string, sent: string): string {
  const keys = sent.length > 1 ? splitKeys(sent, NO_KEY) : splitKeys(...single(sent));
  return keys.reduce((t, k) => typedInto(t, k.input, k.key), text);
}

/** One byte as Ink hands it over alone: a control byte is a chord named by its letter. */
function single(byte: string): [string, typeof NO_KEY] {
  const code = byte.charCodeAt(0);
  if (byte === '\x7f') return ['', { ...NO_KEY, delete: true }];
  if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ...NO_KEY, ctrl: true }];
  return [byte, NO_KEY];
}

describe('typedInto: a prompt line edited as readline edits it', () => {
  it.each([
    ['', 'api', 'api'],
    ['api', '\x7f', 'ap'],
    ['api', '\x15', ''],
    ['', '\x15', ''],
    ['-l app=web', '\x17', '-l '],
    ['-l app=web  ', '\x17', '-l '],
    ['ns shop', '\x17\x17', ''],
    ['checkout', '\x17', ''],
    ['api', '\x15web', 'web'],
    ['api', '\x17x', 'x'],
    ['ab😀', '\x7f', 'ab'],
    ['api', '\x04', 'api'],
  ])('%j then %j → %j', (text, sent, expected) => {
    expect(typed(text, sent)).toBe(expected);
  });

  it('arrows and other named keys change nothing', () => {
    expect(typedInto('api', '', { ...NO_KEY, leftArrow: true })).toBe('api');
    expect(typedInto('api', '', { ...NO_KEY, upArrow: true })).toBe('api');
  });

  it('what is appended is sanitised, and Ctrl-U always empties the line', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1 }), (before, input) => {
        const after = typedInto(before, input, NO_KEY);
        expect(after).toBe(before + sanitizeLine(input));
        expect(typedInto(after, '', { ...NO_KEY, ctrl: true, chord: 'u' } as typeof NO_KEY)).toBe('');
      }),
    );
  });
});
