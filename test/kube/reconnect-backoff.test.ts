import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/kube/reconnect-backoff.js';

describe('Backoff', () => {
  it('doubles from 1 s to a 30 s cap', () => {
    const backoff = new Backoff();
    expect(Array.from({ length: 8 }, () => backoff.next())).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('starts over after a reset', () => {
    const backoff = new Backoff({ initialMs: 10, maxMs: 100 });
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(10);
  });
});
