import { createContext, useContext, useEffect, useSyncExternalStore } from 'react';
import { type Clock, createClock } from '../clock.js';

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
 * Moves the shared clock's ticks to the API server's second (clock.ts). With several contexts, the first one
 * watched sets it: one tick cannot fall on every server's boundary.
 */
export function useServerSecondTicks(offsetMs: number): void {
  const clock = useContext(ClockContext);
  useEffect(() => clock.setOffset?.(offsetMs), [clock, offsetMs]);
}
