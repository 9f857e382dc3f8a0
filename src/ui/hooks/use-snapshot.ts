import { useMemo, useSyncExternalStore } from 'react';
import type { ClusterSnapshot, ClusterSource } from '../../kube/source.js';

/**
 * During a bad deploy thousands of watch events arrive per second. The source already coalesces them
 * (about one notification per 100 ms); rebuilding and re-sorting 10,000 rows costs tens of milliseconds,
 * so the view takes at most one new snapshot per `intervalMs`: the first change at once, the rest of a
 * burst at the end of the interval, never lost.
 */
export function throttleSnapshots(
  source: Pick<ClusterSource, 'subscribe' | 'getSnapshot'>,
  intervalMs: number,
): { subscribe(listener: () => void): () => void; getSnapshot(): ClusterSnapshot } {
  let current = source.getSnapshot();
  let lastTakenAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const listeners = new Set<() => void>();
  let unsubscribe: (() => void) | undefined;

  const take = () => {
    timer = undefined;
    lastTakenAt = performance.now();
    const next = source.getSnapshot();
    if (next === current) return;
    current = next;
    for (const listener of listeners) listener();
  };
  const onChange = () => {
    if (timer) return;
    timer = setTimeout(take, Math.max(0, lastTakenAt + intervalMs - performance.now()));
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        unsubscribe = source.subscribe(onChange);
        current = source.getSnapshot();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          unsubscribe?.();
          if (timer) clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    getSnapshot: () => current,
  };
}

const RENDER_INTERVAL_MS = 250;

/** The cluster as the watchers see it, at most four times a second. */
export function useSnapshot(source: ClusterSource, intervalMs = RENDER_INTERVAL_MS): ClusterSnapshot {
  const store = useMemo(() => throttleSnapshots(source, intervalMs), [source, intervalMs]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
