import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { columns } from '../../src/model/columns.js';
import { wrapCommand } from '../../src/model/command-wrap.js';

// Terminal columns without string-width for plain text, and the command wrap that adds them up word by word.

/** Text as it reaches the terminal (sanitised: no control characters), plain and wide alike. */
const printable = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom(...'abz09-_/.:=,;&?()[]{}"\'…‘’·›→≤█░▸▾éßΩЖ'),
      fc.constantFrom('日', '本', 'ポ', '🚀', '👍🏽', 'é', '\u0301', '한'),
    ),
    maxLength: 40,
  })
  .filter((text) => !/\p{Cc}/u.test(text));

/** The wrap as first written: the whole candidate line measured at every word. */
function wrapByWholeLines(command: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of command.match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? []) {
    if (line && stringWidth(`${line} ${word} \\`) > width) {
      lines.push(`${line} \\`);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}

describe('columns', () => {
  it("is string-width's answer for any printable text", () => {
    fc.assert(
      fc.property(printable, (text) => {
        expect(columns(text)).toBe(stringWidth(text));
      }),
    );
  });
});

describe('wrapCommand', () => {
  it('breaks where measuring each whole line would, whatever the words and the width', () => {
    const command = fc.array(printable, { maxLength: 12 }).map((words) => words.join(' '));
    fc.assert(
      fc.property(command, fc.integer({ min: 1, max: 60 }), (text, width) => {
        expect(wrapCommand(text, width)).toEqual(wrapByWholeLines(text, width));
      }),
    );
  });
});
