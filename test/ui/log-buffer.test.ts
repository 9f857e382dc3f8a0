import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendEntries, EMPTY_LOG, type LogBuffer } from '../../src/ui/log-buffer.js';
import type { LogLimits } from '../../src/ui/log-limits.js';

const appendLines = (buffer: LogBuffer, lines: string[], limits?: LogLimits) =>
  appendEntries(
    buffer,
    lines.map((text) => ({ text })),
    limits,
  );
const texts = (buffer: LogBuffer) => buffer.entries.map((e) => e.text);

describe('appendEntries', () => {
  it('sanitises lines as they arrive', () => {
    expect(texts(appendLines(EMPTY_LOG, ['ok \u001b]52;c;eA==\u0007done']))).toEqual(['ok done']);
  });

  it('drops the oldest lines past the line limit and counts them', () => {
    const buffer = appendLines(EMPTY_LOG, ['1', '2', '3', '4'], { lines: 3, bytes: 1000 });
    expect(texts(buffer)).toEqual(['2', '3', '4']);
    expect(buffer.dropped).toBe(1);
    expect(appendLines(buffer, ['5'], { lines: 3, bytes: 1000 })).toEqual({
      entries: [{ text: '3' }, { text: '4' }, { text: '5' }],
      bytes: 3,
      dropped: 2,
    });
  });

  it('drops the oldest lines past the byte limit', () => {
    const buffer = appendLines(EMPTY_LOG, ['aaaa', 'bbbb', 'cccc'], { lines: 100, bytes: 9 });
    expect(texts(buffer)).toEqual(['bbbb', 'cccc']);
    expect(buffer.bytes).toBe(8);
  });

  it('stays within both limits whatever arrives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 50 }), { maxLength: 30 }), { maxLength: 10 }),
        (batches) => {
          const limits = { lines: 20, bytes: 300 };
          let buffer = EMPTY_LOG;
          let total = 0;
          for (const batch of batches) {
            buffer = appendLines(buffer, batch, limits);
            total += batch.length;
          }
          expect(buffer.entries.length).toBeLessThanOrEqual(limits.lines);
          expect(buffer.bytes).toBeLessThanOrEqual(limits.bytes);
          expect(buffer.bytes).toBe(texts(buffer).reduce((sum, l) => sum + Buffer.byteLength(l), 0));
          expect(buffer.entries.length + buffer.dropped).toBe(total);
        },
      ),
    );
  });
});
