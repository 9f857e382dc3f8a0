import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClusterSnapshot } from '../../src/kube/source.js';
import { drawSoon, throttleSnapshots } from '../../src/ui/hooks/use-snapshot.js';

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
    /** A change, and the zero-delay timers it starts run: what the view has been told by now. */
    changeNow() {
      this.change();
      vi.advanceTimersByTime(0);
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
    source.changeNow();
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

function fakeTicks() {
  const listeners = new Set<() => void>();
  return {
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    tick: () => {
      for (const listener of listeners) listener();
    },
    count: () => listeners.size,
  };
}

describe('throttleSnapshots with the view clock', () => {
  it('passes a change after a quiet interval at once, and holds a burst for the next tick', () => {
    const source = fakeSource();
    const ticks = fakeTicks();
    const store = throttleSnapshots(source, 250, { ticks, latestMs: 1500 });
    const listener = vi.fn();
    store.subscribe(listener);
    source.changeNow();
    expect(listener).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 5; i++) source.change();
    vi.advanceTimersByTime(900);
    expect(listener).toHaveBeenCalledTimes(1);
    ticks.tick();
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot().version).toBe(6);
    ticks.tick();
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('keeps a change waiting for the tick however long the burst goes on', () => {
    const source = fakeSource();
    const ticks = fakeTicks();
    const store = throttleSnapshots(source, 250, { ticks, latestMs: 1500 });
    const listener = vi.fn();
    store.subscribe(listener);
    source.changeNow();
    // A change every 100 ms, past the interval: one frame on the tick, not one per interval.
    for (let i = 0; i < 9; i++) {
      vi.advanceTimersByTime(100);
      source.change();
    }
    expect(listener).toHaveBeenCalledTimes(1);
    ticks.tick();
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot().version).toBe(10);
  });

  it('holds every change that is not urgent for the tick, even after a quiet spell, unless quiet spells count', () => {
    const source = fakeSource();
    const ticks = fakeTicks();
    let room = false;
    const store = throttleSnapshots(source, 250, {
      ticks,
      latestMs: 1500,
      urgent: () => false,
      quietSpells: () => room,
    });
    const listener = vi.fn();
    store.subscribe(listener);
    // Quiet for 10 s, then one change off screen: it waits for the tick, not a frame of its own.
    vi.advanceTimersByTime(10_000);
    source.changeNow();
    vi.advanceTimersByTime(900);
    expect(listener).not.toHaveBeenCalled();
    ticks.tick();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().version).toBe(1);
    // A clock that stopped ticking: the change waits latestMs from when it came, whatever the quiet before it.
    vi.advanceTimersByTime(10_000);
    source.changeNow();
    vi.advanceTimersByTime(1499);
    expect(store.getSnapshot().version).toBe(1);
    vi.advanceTimersByTime(1);
    expect(store.getSnapshot().version).toBe(2);
    // A window with room to spare: a change after a quiet spell is taken at once again.
    room = true;
    vi.advanceTimersByTime(1000);
    source.changeNow();
    expect(listener).toHaveBeenCalledTimes(3);
    expect(store.getSnapshot().version).toBe(3);
  });

  it('does not wait longer than latestMs for a clock that does not tick', () => {
    const source = fakeSource();
    const store = throttleSnapshots(source, 250, { ticks: fakeTicks(), latestMs: 1500 });
    const listener = vi.fn();
    store.subscribe(listener);
    source.changeNow();
    source.change();
    vi.advanceTimersByTime(1499);
    expect(store.getSnapshot().version).toBe(1);
    vi.advanceTimersByTime(1);
    expect(store.getSnapshot().version).toBe(2);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('takes a change to a row on screen at once, even right after the tick, and at most one per urgentMs', () => {
    const source = fakeSource();
    const ticks = fakeTicks();
    let onScreen = false;
    const store = throttleSnapshots(source, 250, {
      ticks,
      latestMs: 1500,
      urgent: () => onScreen,
      urgentMs: 100,
    });
    const listener = vi.fn();
    store.subscribe(listener);
    // Pods off screen: held for the tick.
    source.changeNow();
    source.change();
    vi.advanceTimersByTime(100);
    expect(store.getSnapshot().version).toBe(0);
    // Then a row on screen changes: taken at once, the earlier changes with it.
    onScreen = true;
    source.changeNow();
    expect(store.getSnapshot().version).toBe(3);
    expect(listener).toHaveBeenCalledTimes(1);
    // A burst on screen waits for urgentMs after the last take on screen: at most ten frames a second.
    for (let i = 0; i < 20; i++) source.change();
    vi.advanceTimersByTime(99);
    expect(listener).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(listener).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot().version).toBe(23);
    // The tick's frame takes the pods off screen; a row on screen changing just after it does not wait.
    vi.advanceTimersByTime(500);
    onScreen = false;
    source.change();
    ticks.tick();
    expect(listener).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(10);
    onScreen = true;
    source.changeNow();
    expect(listener).toHaveBeenCalledTimes(4);
    expect(store.getSnapshot().version).toBe(25);
  });

  it('counts the frame of a quiet spell among the urgentMs frames', () => {
    const source = fakeSource();
    const store = throttleSnapshots(source, 250, { ticks: fakeTicks(), urgent: () => true, urgentMs: 100 });
    const listener = vi.fn();
    store.subscribe(listener);
    source.changeNow();
    expect(listener).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10);
    source.change();
    vi.advanceTimersByTime(89);
    expect(listener).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('takes at most one frame per urgentMs while rows on screen change all the time', () => {
    const source = fakeSource();
    const ticks = fakeTicks();
    const store = throttleSnapshots(source, 250, { ticks, urgent: () => true, urgentMs: 100 });
    const listener = vi.fn();
    store.subscribe(listener);
    // 200 changes a second for 2 s, the clock ticking every second.
    for (let ms = 0; ms < 2000; ms += 5) {
      source.change();
      vi.advanceTimersByTime(5);
      if (ms % 1000 === 995) ticks.tick();
    }
    expect(listener.mock.calls.length).toBeGreaterThanOrEqual(19);
    expect(listener.mock.calls.length).toBeLessThanOrEqual(22);
  });

  it("takes a list's first and last pages at once, even right after another frame", () => {
    const source = fakeSource();
    let listPage = false;
    const store = throttleSnapshots(source, 250, {
      ticks: fakeTicks(),
      urgent: () => true,
      urgentMs: 250,
      immediate: () => listPage,
    });
    const listener = vi.fn();
    store.subscribe(listener);
    // A watch's health changes after a quiet spell: at once.
    source.changeNow();
    expect(listener).toHaveBeenCalledTimes(1);
    // The first page 10 ms later does not wait urgentMs after that frame.
    vi.advanceTimersByTime(10);
    listPage = true;
    source.changeNow();
    expect(listener).toHaveBeenCalledTimes(2);
    // A middle page 100 ms later waits for urgentMs after the first page's frame.
    listPage = false;
    vi.advanceTimersByTime(100);
    source.changeNow();
    expect(store.getSnapshot().version).toBe(2);
    // The last page does not: it and the page before it are taken at once.
    vi.advanceTimersByTime(20);
    listPage = true;
    source.changeNow();
    expect(listener).toHaveBeenCalledTimes(3);
    expect(store.getSnapshot().version).toBe(4);
  });

  it('stops listening to the clock when the view goes away', () => {
    const ticks = fakeTicks();
    const unsubscribe = throttleSnapshots(fakeSource(), 250, { ticks }).subscribe(() => {});
    expect(ticks.count()).toBe(1);
    unsubscribe();
    expect(ticks.count()).toBe(0);
  });
});

describe('drawSoon', () => {
  const onScreen = new Set(['ctx/ns/web-1']);
  it.each([
    ['a list page or relist', () => undefined, true],
    ['a change to a row on screen', () => new Set(['ctx/ns/web-1', 'ctx/ns/db-0']), true],
    ['changes to rows off screen only', () => new Set(['ctx/ns/db-0']), false],
    ['no pod change (a watch state, a note)', () => new Set<string>(), false],
    ['a row on screen among many changes', () => new Set([...manyKeys(5000), 'ctx/ns/web-1']), true],
    ['many changes off screen', () => new Set(manyKeys(5000)), false],
  ])('%s', (_, keys, expected) => {
    expect(drawSoon({ keys }, onScreen)).toBe(expected);
  });

  it('is never soon for a source that does not say what changed', () => {
    expect(drawSoon(undefined, onScreen)).toBe(false);
  });
});

function manyKeys(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `ctx/ns/other-${i}`);
}
