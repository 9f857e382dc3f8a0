// The one clock of the live view: a store outside React that ticks once a second, aligned to the
// wall-clock second so every countdown on screen changes in the same frame. Components read it with
// useSyncExternalStore (hooks/use-clock.ts); the timer runs only while someone listens.

export interface Clock {
  subscribe(listener: () => void): () => void;
  /** Local epoch ms of the last tick. */
  now(): number;
}

export function createClock(options: { intervalMs?: number; now?: () => number } = {}): Clock {
  const intervalMs = options.intervalMs ?? 1000;
  const read = options.now ?? Date.now;
  const listeners = new Set<() => void>();
  let current = read();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = () => {
    const t = read();
    timer = setTimeout(tick, intervalMs - (t % intervalMs) || intervalMs);
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
  };
}
