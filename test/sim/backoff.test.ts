import { describe, expect, it } from 'vitest';
import { parseGoDuration } from '../../src/model/duration.js';
import { CrashLoopBackoff, DEFAULT_CRASH_LOOP_CURVE, goDuration } from '../../src/sim/backoff.js';

describe('goDuration', () => {
  it.each([
    [10_000, '10s'],
    [80_000, '1m20s'],
    [300_000, '5m0s'],
    [1_500, '1.5s'],
    [500, '500ms'],
    [3_600_000, '1h0m0s'],
  ])('%i ms prints as Go prints it: %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
    expect(parseGoDuration(text)).toBe(ms);
  });
});

describe('CrashLoopBackoff', () => {
  it('is not in backoff for a key it has never seen, and doubles up to the max', () => {
    const backoff = new CrashLoopBackoff(DEFAULT_CRASH_LOOP_CURVE);
    expect(backoff.inBackoffSince('k', 0, 0)).toBe(false);
    const seen: number[] = [];
    let t = 0;
    for (let i = 0; i < 8; i++) {
      backoff.next('k', t, t);
      seen.push(backoff.get('k'));
      t += 1000;
    }
    expect(seen).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  it('expires an entry when the event is more than the reset period after its last update', () => {
    const backoff = new CrashLoopBackoff(DEFAULT_CRASH_LOOP_CURVE);
    backoff.next('k', 0, 0);
    backoff.next('k', 1000, 1000);
    // Last update at 1 s: an event exactly 600 s later is still inside the window, one ms more is not.
    expect(backoff.inBackoffSince('k', 601_000, 601_000)).toBe(true);
    expect(backoff.inBackoffSince('k', 601_001, 601_001)).toBe(false);
    backoff.next('k', 601_001, 601_001);
    expect(backoff.get('k')).toBe(10_000);
  });
});
