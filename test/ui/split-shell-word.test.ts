import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { commandLine } from '../../src/model/kubectl.js';
import { splitShellWord } from '../../src/ui/split-shell-word.js';

// A shell word wider than its line, split so that the pieces, printed one under the other from column 0, paste
// back as the same word: checked against a real POSIX shell.

/** The word a POSIX shell reads from these lines, in brackets. */
function shellRead(lines: string): string {
  return execFileSync('sh', ['-c', `printf '[%s]' ${lines}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, VALUE_OF_URL: 'https://x' },
  });
}

describe('splitShellWord', () => {
  it.each([
    ['an unquoted path', `/tmp/${'k'.repeat(50)}/kubeconfig`],
    ['a single-quoted JSON patch', commandLine([JSON.stringify({ spec: { image: `r/${'a'.repeat(60)}` } })])],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
    ['a placeholder in double quotes', '--from-literal=url="${VALUE_OF_URL:?fill in <value of url>}"'],
    ['escapes and quotes of every kind', `a\\ b'c d'"e \\"f\\" $g"${'h'.repeat(30)}'i'"j"`],
  ])('%s pastes back as the same word', (_, word) => {
    for (const width of [8, 12, 20, 33]) {
      const pieces = splitShellWord(word, width, width);
      expect(pieces.length).toBeGreaterThan(1);
      expect(shellRead(pieces.join('\n'))).toBe(shellRead(word));
    }
  });

  it("an ANSI-C quoted word ($'…', a context name with control characters) pastes back in bash byte for byte", () => {
    const names = fc.sample(
      fc.string({
        unit: fc.constantFrom(
          '\u001b',
          '\u009b',
          '\u202e',
          '\t',
          "'",
          '\\',
          ' ',
          'a',
          '1',
          'f',
          'x',
          '日',
          '🚀',
        ),
        minLength: 8,
        maxLength: 40,
      }),
      { numRuns: 40, seed: 7 },
    );
    const words = names.map((name) => commandLine([name]));
    const script = words
      .flatMap((word) => [8, 13, 21].map((width) => splitShellWord(word, width, width).join('\n')))
      .map((pasted) => `printf '%s\\0' ${pasted}`)
      .join('\n');
    const read = execFileSync('bash', ['-c', script], { env: { PATH: process.env.PATH, LC_ALL: 'C' } });
    const expected = names.flatMap((name) => Array(3).fill(Buffer.from(name).toString('latin1')));
    expect(read.toString('latin1').split('\u0000').slice(0, -1)).toEqual(expected);
    expect(words.some((word) => word.startsWith("$'"))).toBe(true);
  });

  // From 8 columns: the widest piece there is to make is a reopened `$'`, a `\xHH` and the closing `'\`.
  it('keeps every piece within its room, and the last within the room less the reserve', () => {
    const word = fc
      .array(fc.string({ unit: fc.constantFrom(...'ab/:{}"\'$\\ 日🚀\u001b\u202e'), maxLength: 40 }), {
        maxLength: 5,
      })
      .map((args) => commandLine(args));
    fc.assert(
      fc.property(
        word,
        fc.integer({ min: 8, max: 80 }),
        fc.integer({ min: 8, max: 80 }),
        (w, first, rest) => {
          const pieces = splitShellWord(w, first, rest, 2);
          pieces.forEach((piece, i) => {
            const room = i === 0 ? first : rest;
            expect(stringWidth(piece)).toBeLessThanOrEqual(i === pieces.length - 1 ? room - 2 : room);
          });
        },
      ),
    );
  });
});
