import { createContext, useContext, useEffect, useMemo, useSyncExternalStore } from 'react';
import { type Clock, createClock, pastDueTicks } from '../clock.js';

export const ClockContext = createContext<Clock>(createClock());

/** Local epoch ms, updated once a second from the shared clock. */
export function useNow(): number {
  const clock = useContext(ClockContext);
  return useSyncExternalStore(clock.subscribe, clock.now);
}

/**
 * Whether the shared clock has reached `atMs` (local epoch ms): a component that only needs to know when a
 * time has come re-renders on the tick that passes it, not on every tick.
 */
export function useClockReached(atMs: number): boolean {
  const clock = useContext(ClockContext);
  return useSyncExternalStore(clock.subscribe, () => clock.now() >= atMs);
}

/**
 * The last tick at which the shared clock had reached `dueMs()`, a time that moves (clock.ts pastDueTicks):
 * 0 until one has. `dueMs` must be stable across renders.
 */
export function useLastTickPast(dueMs: () => number): number {
  const clock = useContext(ClockContext);
  const store = useMemo(() => pastDueTicks(clock, dueMs), [clock, dueMs]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/**
 * Moves the shared clock's ticks to the API server's second (clock.ts). With several contexts, the first one
 * watched sets it: one tick cannot fall on every server's boundary.
 */
export function useServerSecondTicks(offsetMs: number): void {
  const clock = useContext(ClockContext);
  useEffect(() => clock.setOffset?.(offsetMs), [clock, offsetMs]);
}
