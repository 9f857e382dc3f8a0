import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClock } from '../../src/ui/clock.js';

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
    vi.advanceTimersByTime(699);
    expect(a).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    expect(clock.now()).toBe(Date.parse('2026-11-25T14:00:01.000Z'));
    vi.advanceTimersByTime(3000);
    expect(a).toHaveBeenCalledTimes(4);
    expect(clock.now()).toBe(Date.parse('2026-11-25T14:00:04.000Z'));
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
