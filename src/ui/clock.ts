// The one clock of the live view: a store outside React that ticks once a second, on the API server's second
// boundary, so every countdown on screen changes in the same frame and shows each value once. Countdowns are
// computed on the server's clock (local time + the offset measured on its `Date` header): ticking on our own
// second boundary instead would, with an offset of 0.5 s, land sometimes just before and sometimes just after
// a server second, skipping one value and showing another twice. Components read the clock with
// useSyncExternalStore (hooks/use-clock.ts); the timer runs only while someone listens.

export interface Clock {
  subscribe(listener: () => void): () => void;
  /** Local epoch ms of the last tick. */
  now(): number;
  /** The API server's clock minus ours: ticks move to its second boundary from the next one on. */
  setOffset?(offsetMs: number): void;
}

/**
 * Ticks land this long after the server's second boundary: a timer may fire a millisecond early (Node
 * rounds), and a tick just before the boundary would show the previous second again.
 */
export const TICK_LEAD_MS = 5;

/**
 * How long to wait from `localNowMs` for the next tick: just after the start of the server second that
 * follows the one it is now. Measured from the second it is, not from the lead point, so a tick that fires a
 * little early still waits for the next second instead of ticking twice in one.
 */
export function nextTickDelay(localNowMs: number, offsetMs: number, intervalMs = 1000): number {
  const server = localNowMs + offsetMs;
  return (Math.floor(server / intervalMs) + 1) * intervalMs + TICK_LEAD_MS - server;
}

export function createClock(
  options: { intervalMs?: number; now?: () => number; offsetMs?: number } = {},
): Clock {
  const intervalMs = options.intervalMs ?? 1000;
  const read = options.now ?? Date.now;
  let offsetMs = options.offsetMs ?? 0;
  const listeners = new Set<() => void>();
  let current = read();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    timer = setTimeout(tick, nextTickDelay(read(), offsetMs, intervalMs));
    // The clock alone must not keep the process alive after the UI is gone.
    timer.unref?.();
  };
  const tick = () => {
    current = read();
    for (const listener of listeners) listener();
    schedule();
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        current = read();
        schedule();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    now: () => current,
    setOffset(next) {
      if (next === offsetMs) return;
      offsetMs = next;
      if (timer) {
        clearTimeout(timer);
        schedule();
      }
    },
  };
}

/**
 * `clock` seen through a time that moves, `dueMs()` (the rows' next crash-loop end): its snapshot is the last
 * tick at which the clock had reached that time, so a component re-renders on the tick that passes it and on no
 * other. The value is set as the clock ticks, not when React reads it: getSnapshot must be pure.
 */
export function pastDueTicks(
  clock: Clock,
  dueMs: () => number,
): { subscribe(onChange: () => void): () => void; getSnapshot(): number } {
  let last = 0;
  const check = () => {
    const now = clock.now();
    if (now < dueMs() || now === last) return false;
    last = now;
    return true;
  };
  return {
    subscribe(onChange) {
      const unsubscribe = clock.subscribe(() => {
        if (check()) onChange();
      });
      // The first listener re-reads the time: React compares the snapshot once subscribed.
      check();
      return unsubscribe;
    },
    getSnapshot: () => last,
  };
}
