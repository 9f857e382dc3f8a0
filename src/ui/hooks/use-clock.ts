import { createContext, useContext, useSyncExternalStore } from 'react';
import { type Clock, createClock } from '../clock.js';

export const ClockContext = createContext<Clock>(createClock());

/** Local epoch ms, updated once a second from the shared clock. */
export function useNow(): number {
  const clock = useContext(ClockContext);
  return useSyncExternalStore(clock.subscribe, clock.now);
}
