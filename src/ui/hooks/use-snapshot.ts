import { useContext, useMemo, useSyncExternalStore } from 'react';
import type { ClusterSnapshot, ClusterSource } from '../../kube/source.js';
import type { Clock } from '../clock.js';
import { ClockContext } from './use-clock.js';

export interface SnapshotThrottleOptions {
  /**
   * The view's one-second clock. A change that has to wait is then taken on the clock's next tick, in
   * the same pass as the countdowns, so a busy cluster costs one frame a second instead of one per
   * interval plus the tick's (each frame is a full Ink layout and render of the screen).
   */
  ticks?: Pick<Clock, 'subscribe'>;
  /** With `ticks`: the longest a change waits if the clock does not tick (a stopped or manual clock). */
  latestMs?: number;
}

/** What useSyncExternalStore reads: the cluster source, the previous-log cache's version… */
export interface Store<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

/**
 * During a bad deploy thousands of watch events arrive per second. The source already coalesces them
 * (about one notification per 100 ms), and the rows are rebuilt only for pods that changed, but every
 * new snapshot is a new frame. So the view takes at most one new snapshot per `intervalMs`: the first
 * change after a quiet interval at once, the rest of a burst at the end of the interval (or on the next
 * clock tick, see `ticks`), never lost. The previous-log cache goes through the same gate: on a busy
 * cluster the rows entering the screen get their log-read causes in the next tick's frame.
 */
export function throttleSnapshots<T>(
  source: Store<T>,
  intervalMs: number,
  options: SnapshotThrottleOptions = {},
): Store<T> {
  const { ticks, latestMs = 1500 } = options;
  let current = source.getSnapshot();
  let lastTakenAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  const listeners = new Set<() => void>();
  let unsubscribe: (() => void) | undefined;

  const take = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    pending = false;
    lastTakenAt = performance.now();
    const next = source.getSnapshot();
    if (next === current) return;
    current = next;
    for (const listener of listeners) listener();
  };
  const onChange = () => {
    if (pending) return;
    pending = true;
    const quietFor = performance.now() - lastTakenAt;
    const wait = quietFor >= intervalMs || !ticks ? intervalMs - quietFor : latestMs - quietFor;
    timer = setTimeout(take, Math.max(0, wait));
  };
  const onTick = () => {
    if (pending) take();
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        const stopSource = source.subscribe(onChange);
        const stopTicks = ticks?.subscribe(onTick);
        unsubscribe = () => {
          stopSource();
          stopTicks?.();
        };
        current = source.getSnapshot();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          unsubscribe?.();
          if (timer) clearTimeout(timer);
          timer = undefined;
          pending = false;
        }
      };
    },
    getSnapshot: () => current,
  };
}

const RENDER_INTERVAL_MS = 250;

/** The cluster as the watchers see it: a change after a quiet spell at once, a busy cluster once a tick. */
export function useSnapshot(source: ClusterSource, intervalMs = RENDER_INTERVAL_MS): ClusterSnapshot {
  const clock = useContext(ClockContext);
  const store = useMemo(
    () => throttleSnapshots(source, intervalMs, { ticks: clock }),
    [source, intervalMs, clock],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
