import { describe, expect, it } from 'vitest';
import { growthFactor, YOUNG_SEMI_SPACE_BYTES } from '../../src/cli/heap.js';

const MiB = 2 ** 20;

describe('the young generation held at its size', () => {
  // V8 multiplies a semi-space by the factor when it grows; the capacity V8 reports is a little under the
  // semi-space's size (page headers), so 0.98 MiB is a 1 MiB semi-space.
  it.each([
    { capacity: 0.98 * MiB, factor: 4 },
    { capacity: 1.96 * MiB, factor: 2 },
    { capacity: 2.95 * MiB, factor: 1 },
    { capacity: 3.93 * MiB, factor: 1 },
    { capacity: 16 * MiB, factor: 1 },
    { capacity: 0, factor: 1 },
  ])('grows a $capacity-byte semi-space by $factor', ({ capacity, factor }) => {
    expect(growthFactor(capacity, YOUNG_SEMI_SPACE_BYTES)).toBe(factor);
  });

  it('never takes a semi-space past the target', () => {
    for (let capacity = 0.25 * MiB; capacity <= 16 * MiB; capacity += 0.01 * MiB) {
      const factor = growthFactor(capacity, YOUNG_SEMI_SPACE_BYTES);
      expect(Number.isInteger(factor)).toBe(true);
      expect(factor === 1 || capacity * factor <= YOUNG_SEMI_SPACE_BYTES).toBe(true);
    }
  });
});
