import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TERMINATION_MESSAGE_LINES, terminationMessageLines } from '../../src/model/termination-message.js';

// What a container left in /dev/termination-log (or the log tail the kubelet copied there), as the lines the
// detail page and `explain` show: the last ones, each as a terminal would have shown it, none blank.

describe('terminationMessageLines', () => {
  it.each([
    ['none', undefined, []],
    ['empty', '', []],
    ['one line', 'config error: missing INVOICE_BUCKET', ['config error: missing INVOICE_BUCKET']],
    ['a trailing newline is no line', 'done\n', ['done']],
    ['CRLF endings', 'first\r\nsecond\r\n', ['first', 'second']],
    ['a progress bar keeps its last state', 'download 10%\rdownload 50%\rdownload 100%', ['download 100%']],
    [
      'a bar cleared at exit keeps the state before the clear',
      'download 10%\rdownload 73%\r\u001b[K\nerror: disk full',
      ['download 73%', 'error: disk full'],
    ],
    ['a bar overwritten with spaces keeps the state before', 'step 3/9\r        ', ['step 3/9']],
    ['blank lines are left out', 'Traceback:\n\n   \nValueError: x', ['Traceback:', 'ValueError: x']],
    [
      'escape sequences are gone',
      '\u001b[31mFATAL\u001b[0m: bad config\u001b]0;title\u0007',
      ['FATAL: bad config'],
    ],
    ['only the last five lines', 'l1\nl2\nl3\nl4\nl5\nl6\nl7', ['l3', 'l4', 'l5', 'l6', 'l7']],
  ])('%s', (_name, message, lines) => {
    expect(terminationMessageLines(message)).toEqual(lines);
  });

  it('never gives a blank line, a carriage return or more than its lines', () => {
    const piece = fc.constantFrom(
      '\r',
      '\n',
      '\r\n',
      ' ',
      '\t',
      '\u001b[K',
      '\u001b[2K',
      'ok',
      '50%',
      'error: x',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), (pieces, max) => {
        const lines = terminationMessageLines(pieces.join(''), max);
        expect(lines.length).toBeLessThanOrEqual(max);
        for (const line of lines) {
          expect(line.trim()).not.toBe('');
          expect(line).not.toMatch(/[\r\n]/);
        }
      }),
    );
  });

  it('keeps every line with words in it when there are few', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,10}$/), { maxLength: TERMINATION_MESSAGE_LINES }),
        (words) => {
          expect(terminationMessageLines(words.join('\n'))).toEqual(words);
        },
      ),
    );
  });
});
