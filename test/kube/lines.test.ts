import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/kube/lines.js';

function splitAll(chunks: (string | Buffer)[], max = 1000): string[] {
  const splitter = new LineSplitter(max);
  return [...chunks.flatMap((chunk) => splitter.push(chunk)), ...splitter.end()];
}

describe('LineSplitter', () => {
  it.each([
    { name: 'whole lines', chunks: ['a\nb\n'], lines: ['a', 'b'] },
    { name: 'a line across chunks', chunks: ['{"type":"ADD', 'ED"}\n'], lines: ['{"type":"ADDED"}'] },
    { name: 'no final newline', chunks: ['a\nb'], lines: ['a', 'b'] },
    { name: 'CRLF', chunks: ['a\r\n', 'b\r', '\n'], lines: ['a', 'b'] },
    { name: 'empty lines kept', chunks: ['a\n\nb\n'], lines: ['a', '', 'b'] },
    { name: 'nothing', chunks: [''], lines: [] },
  ])('$name', ({ chunks, lines }) => {
    expect(splitAll(chunks)).toEqual(lines);
  });

  it('reassembles a UTF-8 character split between chunks', () => {
    const bytes = Buffer.from('héllo ✓\n');
    expect(splitAll([bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9)])).toEqual(['héllo ✓']);
  });

  it('bounds a line without newline and resumes after it', () => {
    const lines = splitAll(['x'.repeat(50), 'y'.repeat(50), '\nnext\n'], 10);
    expect(lines).toEqual([`${'x'.repeat(10)}…`, 'next']);
  });

  it('splits the same whatever the chunk boundaries (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '\n', '✓', ' ') }), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (parts, cuts) => {
          const bytes = Buffer.from(parts.join(''));
          const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks: Buffer[] = [];
          let start = 0;
          for (const point of [...points, bytes.length]) {
            chunks.push(bytes.subarray(start, point));
            start = point;
          }
          const expected = bytes.toString('utf8').split('\n');
          if (expected.at(-1) === '') expected.pop();
          expect(splitAll(chunks, 10_000)).toEqual(expected);
        },
      ),
    );
  });

  it('never returns a line longer than the bound plus its marker (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 30 }),
        fc.integer({ min: 1, max: 40 }),
        (chunks, max) => {
          for (const line of splitAll(chunks, max)) expect(line.length).toBeLessThanOrEqual(max + 1);
        },
      ),
    );
  });
});
