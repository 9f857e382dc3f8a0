import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClock, nextTickDelay, pastDueTicks } from '../../src/ui/clock.js';

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-25T14:00:00.300Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('createClock', () => {
  it('ticks on whole seconds, once a second, for every listener at once', () => {
    const clock = createClock();
    const a = vi.fn();
    const b = vi.fn();
    clock.subscribe(a);
    clock.subscribe(b);
    vi.advanceTimersByTime(704);
    expect(a).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    expect(clock.now()).toBe(Date.parse('2026-11-25T14:00:01.005Z'));
    vi.advanceTimersByTime(3000);
    expect(a).toHaveBeenCalledTimes(4);
    expect(clock.now()).toBe(Date.parse('2026-11-25T14:00:04.005Z'));
  });

  it('runs no timer while nobody listens', () => {
    const clock = createClock();
    const listener = vi.fn();
    const unsubscribe = clock.subscribe(listener);
    expect(vi.getTimerCount()).toBe(1);
    unsubscribe();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps the same value between ticks, so React sees a stable snapshot', () => {
    const clock = createClock();
    clock.subscribe(() => {});
    const first = clock.now();
    vi.advanceTimersByTime(500);
    expect(clock.now()).toBe(first);
  });
});

describe('ticks on the API server second', () => {
  // The countdown shown at each tick, for a restart due on a whole server second (finishedAt has 1 s
  // resolution and B is whole seconds): it must go down by exactly one second per tick.
  const DUE = Date.parse('2026-11-25T14:10:00Z');

  it('shows every countdown value once, whatever the offset and the timer lateness', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5000, max: 5000, noNaN: true }),
        fc.integer({ min: 0, max: 999 }),
        // Node may fire a timer a millisecond early, and late by whatever the event loop was busy with.
        fc.array(fc.double({ min: -1, max: 300, noNaN: true }), { minLength: 30, maxLength: 30 }),
        (offsetMs, startWithinSecond, lateness) => {
          let local = DUE - 60_000 - offsetMs + startWithinSecond;
          const shown: number[] = [];
          for (const late of lateness) {
            local += nextTickDelay(local, offsetMs) + late;
            shown.push(Math.ceil((DUE - (local + offsetMs)) / 1000));
          }
          for (let i = 1; i < shown.length; i++) expect(shown[i]).toBe(shown[i - 1]! - 1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('moves its ticks when the measured offset changes', () => {
    const clock = createClock();
    const ticks: number[] = [];
    clock.subscribe(() => ticks.push(clock.now()));
    clock.setOffset?.(250);
    vi.advanceTimersByTime(2000);
    // 14:00:00.300 local is 14:00:00.550 server: ticks at server 14:00:01.005 and 14:00:02.005.
    expect(ticks).toEqual([Date.parse('2026-11-25T14:00:00.755Z'), Date.parse('2026-11-25T14:00:01.755Z')]);
  });
});

describe('pastDueTicks', () => {
  it('changes on the tick that passes the due time and on no other, whenever React reads it', () => {
    const clock = createClock();
    let due = Date.parse('2026-11-25T14:00:02.500Z');
    const store = pastDueTicks(clock, () => due);
    const changed = vi.fn();
    store.subscribe(changed);
    const seen = () => [store.getSnapshot(), store.getSnapshot()];
    expect(seen()).toEqual([0, 0]);
    vi.advanceTimersByTime(1705); // ticks at :01 and :02
    expect(changed).not.toHaveBeenCalled();
    expect(seen()).toEqual([0, 0]);
    vi.advanceTimersByTime(1000); // :03 passes the due time
    expect(changed).toHaveBeenCalledTimes(1);
    const passed = Date.parse('2026-11-25T14:00:03.005Z');
    expect(seen()).toEqual([passed, passed]);
    // The rows are rebuilt and the next end is later: reading again changes nothing until it comes.
    due = Date.parse('2026-11-25T14:00:05.000Z');
    expect(seen()).toEqual([passed, passed]);
    vi.advanceTimersByTime(1000);
    expect(changed).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(changed).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot()).toBe(Date.parse('2026-11-25T14:00:05.005Z'));
  });

  it('is read only when the clock ticks: a due time that comes between ticks waits for the tick', () => {
    let now = Date.parse('2026-11-25T14:00:00.300Z');
    const clock = createClock({ now: () => now });
    let due = Number.POSITIVE_INFINITY;
    const store = pastDueTicks(clock, () => due);
    store.subscribe(() => {});
    now += 400;
    due = now - 1;
    expect(store.getSnapshot()).toBe(0);
  });
});
