import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClusterSnapshot } from '../../src/kube/source.js';
import { throttleSnapshots } from '../../src/ui/hooks/use-snapshot.js';

function fakeSource() {
  let version = 0;
  let snapshot = { version } as ClusterSnapshot;
  const listeners = new Set<() => void>();
  return {
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    change() {
      version++;
      snapshot = { version } as ClusterSnapshot;
      for (const listener of listeners) listener();
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('throttleSnapshots', () => {
  it('passes the first change at once and a burst as one update at the end of the interval', () => {
    const source = fakeSource();
    const store = throttleSnapshots(source, 250);
    const listener = vi.fn();
    store.subscribe(listener);
    source.change();
    vi.advanceTimersByTime(0);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().version).toBe(1);
    for (let i = 0; i < 50; i++) source.change();
    vi.advanceTimersByTime(100);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().version).toBe(1);
    vi.advanceTimersByTime(150);
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot().version).toBe(51);
  });

  it('stops listening to the source when the view goes away', () => {
    const source = fakeSource();
    const store = throttleSnapshots(source, 250);
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    unsubscribe();
    source.change();
    vi.advanceTimersByTime(1000);
    expect(listener).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
