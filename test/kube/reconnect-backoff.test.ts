import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/kube/reconnect-backoff.js';

// A small seeded generator (mulberry32), so the jitter is random yet the same on every run.
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ceilings = [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000];

describe('Backoff', () => {
  it.each([
    { random: () => 0.999_999, expected: ceilings },
    { random: () => 0.5, expected: ceilings.map((c) => c / 2) },
    { random: () => 0, expected: ceilings.map(() => 0) },
  ])(
    'scales a ceiling doubling from 1 s to a 30 s cap by the random fraction ($expected.1 at step 2)',
    ({ random, expected }) => {
      const backoff = new Backoff({ initialMs: 1000, maxMs: 30_000, random });
      expect(Array.from({ length: 8 }, () => backoff.next())).toEqual(expected);
    },
  );

  it('keeps every delay within [0, ceiling] whatever the random source says', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 12 }),
        (draws) => {
          let index = 0;
          const backoff = new Backoff({ initialMs: 1000, maxMs: 30_000, random: () => draws[index++]! });
          draws.forEach((_, step) => {
            const delay = backoff.next();
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThanOrEqual(Math.min(1000 * 2 ** step, 30_000));
          });
        },
      ),
    );
  });

  it('spreads the retries of many clients that failed at the same instant (full jitter)', () => {
    const clients = Array.from(
      { length: 50 },
      (_, seed) => new Backoff({ initialMs: 1000, maxMs: 30_000, random: seeded(seed + 1) }),
    );
    for (let step = 0; step < 5; step++) {
      const delays = clients.map((client) => client.next());
      const ceiling = 1000 * 2 ** step;
      // Fifty clients over [0, ceiling]: spread over the whole interval, never in lockstep.
      expect(new Set(delays).size).toBeGreaterThan(45);
      expect(Math.min(...delays)).toBeLessThan(ceiling * 0.2);
      expect(Math.max(...delays)).toBeGreaterThan(ceiling * 0.8);
    }
  });

  it('starts over after a reset', () => {
    const backoff = new Backoff({ initialMs: 10, maxMs: 100, random: () => 0.999_999 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(10);
  });
});
