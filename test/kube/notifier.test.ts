import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoalescingNotifier } from '../../src/kube/notifier.js';

describe('CoalescingNotifier', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns a burst into one notification, and later changes into at most one per interval', () => {
    const notifier = new CoalescingNotifier(100, () => Date.now());
    const listener = vi.fn();
    notifier.subscribe(listener);
    for (let change = 0; change < 500; change++) notifier.notify();
    vi.advanceTimersByTime(0);
    expect(listener).toHaveBeenCalledTimes(1);
    for (let step = 0; step < 50; step++) {
      notifier.notify();
      vi.advanceTimersByTime(10);
    }
    expect(listener).toHaveBeenCalledTimes(6);
  });

  it('announces the first change after a quiet spell at once', () => {
    const notifier = new CoalescingNotifier(100, () => Date.now());
    const listener = vi.fn();
    notifier.subscribe(listener);
    vi.advanceTimersByTime(1000);
    notifier.notify();
    vi.advanceTimersByTime(0);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('stops notifying unsubscribed listeners and after close', () => {
    const notifier = new CoalescingNotifier(100, () => Date.now());
    const kept = vi.fn();
    const dropped = vi.fn();
    notifier.subscribe(kept);
    notifier.subscribe(dropped)();
    notifier.notify();
    vi.advanceTimersByTime(0);
    expect(kept).toHaveBeenCalledTimes(1);
    expect(dropped).not.toHaveBeenCalled();
    notifier.notify();
    notifier.close();
    vi.advanceTimersByTime(1000);
    expect(kept).toHaveBeenCalledTimes(1);
  });
});
