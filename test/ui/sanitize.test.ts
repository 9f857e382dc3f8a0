import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { sanitizeLine, sanitizeText } from '../../src/ui/sanitize.js';

const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

describe('sanitizeLine', () => {
  it.each([
    ['OSC 52 clipboard write (BEL)', 'A\u001b]52;c;cHduZWQ=\u0007B', 'AB'],
    ['OSC 52 clipboard write (ST)', 'A\u001b]52;c;cHduZWQ=\u001b\\B', 'AB'],
    ['OSC 0 title', 'A\u001b]0;pwned-title\u0007B', 'AB'],
    ['OSC 8 hyperlink', 'A\u001b]8;;http://x\u0007click\u001b]8;;\u0007B', 'AclickB'],
    ['8-bit OSC', 'A\u009d0;t\u0007B', 'AB'],
    ['clear screen', 'A\u001b[2JB', 'AB'],
    ['cursor position', 'A\u001b[10;10HB', 'AB'],
    ['SGR colour is dropped too', '\u001b[31mred\u001b[0m', 'red'],
    ['DCS string', 'A\u001bPq#0;2;0;0;0\u001b\\B', 'AB'],
    ['8-bit CSI', 'A\u009b2JB', 'AB'],
    ['RIS and save/restore cursor', 'A\u001bc\u001b7\u001b8B', 'AB'],
    ['unterminated OSC eats the rest', 'A\u001b]0;title', 'A'],
    ['charset switch SO/SI', 'A\u000eB\u000fC', 'ABC'],
    ['bell, backspace, NUL, DEL', 'A\u0007\b\u0000\u007fB', 'AB'],
    ['NEL (C1)', 'A\u0085B', 'AB'],
    ['bidi override', 'A\u202eB\u2066C', 'ABC'],
    ['tab to the next stop of 8', 'ab\tc', 'ab      c'],
    ['tab after a wide character', '日本\tx', '日本    x'],
    ['carriage return keeps the last segment', '10%\r50%\r100%', '100%'],
    ['CRLF ending is not a rewind', 'done\r\n', 'done'],
    ['invalid UTF-8 stays visible', Buffer.from([0x61, 0xff, 0x62]).toString('utf8'), 'a\uFFFDb'],
    ['lone surrogate becomes U+FFFD', 'a\uD800b', 'a\uFFFDb'],
    ['embedded newline becomes a space', 'a\nb', 'a b'],
    ['a nested escape cannot be rebuilt by stripping', '\u001b\u001b[31m[2J', '[2J'],
    [
      'a URL password is hidden wherever the URL is',
      'connecting to postgres://app:hunter2@db.shop:5432/prod',
      'connecting to postgres://app:<hidden>@db.shop:5432/prod',
    ],
    [
      'colour codes cannot split a URL password from its URL',
      'postgres://app:\u001b[1mhunter2\u001b[0m@db',
      'postgres://app:<hidden>@db',
    ],
    [
      'a token is hidden wherever it is in a line',
      'clone https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r: {"password":"hunter2"}',
      'clone https://ghp_<hidden>@github.com/o/r: {"password":"<hidden>"}',
    ],
    [
      'colour codes cannot split a secret from its name',
      'DB_PASSWORD\u001b[0m=\u001b[1mhunter2\u001b[0m',
      'DB_PASSWORD=<hidden>',
    ],
    ['a tab between a name and its value', 'password:\thunter2', 'password:       <hidden>'],
    [
      'plain text is unchanged',
      'Error: connect ECONNREFUSED 10.0.0.1:5432',
      'Error: connect ECONNREFUSED 10.0.0.1:5432',
    ],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeLine(input)).toBe(expected);
  });

  it('hides a secret before it cuts the line, so no part of one is left', () => {
    expect(sanitizeLine('auth with AKIAIOSFODNN7EXAMPLE', { maxLength: 20 })).toBe('auth with AKIA<hidde');
    expect(sanitizeLine('token=hunter2hunter2', { maxLength: 10 })).toBe('token=<hid');
  });

  it('bounds the result in code points without splitting a surrogate pair', () => {
    expect(sanitizeLine('a😀b😀', { maxLength: 2 })).toBe('a😀');
    expect(sanitizeLine('abcdef', { maxLength: 3 })).toBe('abc');
  });

  it('never lets a control, escape introducer or bidi character through', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(sanitizeLine(text)).not.toMatch(UNSAFE);
      }),
    );
  });

  it('never lets a control through even when built from escape fragments', () => {
    const fragment = fc.constantFrom(
      '\u001b',
      '[',
      ']',
      '\u0007',
      '\u009b',
      '\u009d',
      '\\',
      'P',
      '52;c;',
      '2J',
      'a',
      '\r',
      '\t',
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), (parts) => {
        expect(sanitizeLine(parts.join(''))).not.toMatch(UNSAFE);
      }),
    );
  });

  it('is idempotent and leaves printable text alone', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (text) => {
        const once = sanitizeLine(text);
        expect(sanitizeLine(once)).toBe(once);
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 100 }), (text) => {
        fc.pre(!/[\u0000-\u001F\u007F]/.test(text));
        // What redactSecrets may hide (test/model/secret-like.test.ts) is not printable text left alone.
        fc.pre(!/pass|secret|token|credential|auth|key|pw|bearer|@/i.test(text));
        expect(sanitizeLine(text)).toBe(text);
      }),
    );
  });

  it('respects maxLength for any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.nat(50), (text, max) => {
        expect(Array.from(sanitizeLine(text, { maxLength: max })).length).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('expands tabs to whole columns', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 20 }), (prefix) => {
        fc.pre(!/[\u0000-\u001F\u007F]/.test(prefix));
        expect(stringWidth(sanitizeLine(`${prefix}\t`)) % 8).toBe(0);
      }),
    );
  });
});

describe('sanitizeText', () => {
  it('keeps the lines of a message and cleans each one', () => {
    expect(
      sanitizeText('panic: \u001b[31mboom\u001b[0m\n\tat main.go:12\r\n\u001b]52;c;aGk=\u0007done\n'),
    ).toBe('panic: boom\n        at main.go:12\ndone');
  });

  it('leaves no escape, control or bidi character but its newlines, and one line per line', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 6 }), (lines) => {
        const clean = lines.map((line) => line.replace(/[\r\n]/g, ''));
        const text = clean.join('\n');
        const out = sanitizeText(text);
        expect(out.split('\n').every((line) => !UNSAFE.test(line))).toBe(true);
        expect(out.split('\n')).toHaveLength(text.replace(/[\r\n]+$/, '').split('\n').length);
      }),
    );
  });
});
