import { useContext, useMemo, useSyncExternalStore } from 'react';
import type { ClusterSnapshot, ClusterSource, PodChanges } from '../../kube/source.js';
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
  /**
   * With `ticks`: whether the changes so far cannot wait for the tick (drawSoon); then
   * they are taken at once, or `urgentMs` after the last change taken that way. The others wait for the tick,
   * even after a quiet spell (see `quietSpells`).
   */
  urgent?: () => boolean;
  /**
   * With `urgent`: whether a change after a quiet spell is still taken at once, as it is without `urgent` (a
   * screen with room to spare, where any change may add a row). Default: never.
   */
  quietSpells?: () => boolean;
  /**
   * With `urgent`: the shortest time between two takes of changes on screen (the clock's takes do not count,
   * so a flip of a row on screen never waits for the frame of the tick before it). Default: `intervalMs`.
   */
  urgentMs?: number;
  /**
   * Whether the changes so far are taken at once, whatever the last take (a list's first page, or its last: the
   * pods of a 1,000-pod list must not wait `urgentMs` behind another frame).
   */
  immediate?: () => boolean;
}

/** What useSyncExternalStore reads: the cluster source, the previous-log cache's version… */
export interface Store<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

/**
 * During a bad deploy thousands of watch events arrive per second. The source already coalesces them
 * (see its notifier), and the rows are rebuilt only for pods that changed, but every new snapshot is a new
 * frame. So the view takes the first change after a quiet interval at once, and the rest of a burst at the
 * end of the interval (or on the next clock tick, see `ticks`; changes on screen sooner, see `urgent`),
 * never lost. The previous-log cache goes through the same gate: on a busy cluster the rows entering the
 * screen get their log-read causes in the next tick's frame.
 */
export function throttleSnapshots<T>(
  source: Store<T>,
  intervalMs: number,
  options: SnapshotThrottleOptions = {},
): Store<T> {
  const { ticks, latestMs = 1500, urgent, urgentMs = intervalMs, immediate, quietSpells } = options;
  let current = source.getSnapshot();
  let lastTakenAt = Number.NEGATIVE_INFINITY;
  let lastSoonAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;
  /** The pending take is due soon (a quiet spell's, or one on screen), not on the tick. */
  let pendingSoon = false;
  const listeners = new Set<() => void>();
  let unsubscribe: (() => void) | undefined;

  const take = (onTheTick = false) => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    lastTakenAt = performance.now();
    // A quiet spell's take is a frame soon too: a change on screen right after it waits its urgentMs. The
    // tick's frame is drawn anyway, so it does not count.
    if (pendingSoon && !onTheTick) lastSoonAt = lastTakenAt;
    pending = false;
    pendingSoon = false;
    const next = source.getSnapshot();
    if (next === current) return;
    current = next;
    for (const listener of listeners) listener();
  };
  const onChange = () => {
    const atOnce = immediate?.() === true;
    if (pendingSoon && !atOnce) return;
    const quietFor = performance.now() - lastTakenAt;
    let wait: number;
    // Quiet for an interval means nothing waits yet: a change already waiting for the tick keeps waiting. With
    // `urgent`, a change it does not call urgent waits for the tick all the same: at rest at 10,000 pods a
    // change comes every few hundred ms, nearly all off screen, and each was a whole frame of its own.
    const quiet = !pending && quietFor >= intervalMs && (!ticks || !urgent || quietSpells?.() === true);
    if (atOnce || quiet) wait = 0;
    else if (!ticks) wait = intervalMs - quietFor;
    else if (urgent?.() === true) {
      wait = urgentMs - (performance.now() - lastSoonAt);
    } else if (pending) return;
    else {
      if (timer) clearTimeout(timer);
      pending = true;
      timer = setTimeout(() => take(), latestMs);
      return;
    }
    if (timer) clearTimeout(timer);
    pending = true;
    pendingSoon = true;
    timer = setTimeout(() => take(), Math.max(0, wait));
  };
  const onTick = () => {
    if (pending) take(true);
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
          pendingSoon = false;
        }
      };
    },
    getSnapshot: () => current,
  };
}

const RENDER_INTERVAL_MS = 250;

/**
 * Whether the changes the view has not taken yet are drawn at once (or an interval after the last such) rather
 * than on the next tick: a change to a row on screen, and a list page or relist (the first list's pages: the
 * first crash-looping row may be on the second page, and a second's wait for the tick was most of the time to
 * it at 1,000 pods). A long first list is drawn up to four times a second instead of once, and its first and
 * last pages at once (PodChanges.listed, see useSnapshot).
 */
export function drawSoon(
  changes: Pick<PodChanges, 'keys'> | undefined,
  onScreen: ReadonlySet<string> | undefined,
): boolean {
  if (changes === undefined) return false;
  const changed = changes.keys();
  if (changed === undefined) return true;
  if (onScreen === undefined) return false;
  // Asked on every notification: the smaller set is walked (a watch catching up changes thousands of pods).
  const [few, many] = changed.size < onScreen.size ? [changed, onScreen] : [onScreen, changed];
  for (const key of few) if (many.has(key)) return true;
  return false;
}

/**
 * The source as the view takes it: the pods changed since the view's own last snapshot, counted from the
 * view's subscription on, and reset only when the view takes one (a log follower's snapshot resets nothing).
 */
function trackedSource(
  source: ClusterSource,
): Store<ClusterSnapshot> & { changes(): PodChanges | undefined } {
  let changes: PodChanges | undefined;
  return {
    subscribe(listener) {
      changes = source.trackPodChanges?.();
      const stop = source.subscribe(listener);
      return () => {
        stop();
        changes?.stop();
        changes = undefined;
      };
    },
    getSnapshot() {
      changes?.taken();
      return source.getSnapshot();
    },
    changes: () => changes,
  };
}

/** The table's window as the view last drew it. */
export interface OnScreen {
  /** The pods of the rows shown. */
  keys: ReadonlySet<string>;
  /** Whether the window has lines to spare below its last row, where any pod's change may add one. */
  room: boolean;
}

/**
 * The cluster as the watchers see it: changes to the pods in `onScreen` (the keys of the rows shown) at once,
 * or within `intervalMs` of the last such change (rows on screen that churn cost at most four frames a
 * second): under 200 status changes a second, the row being watched must not lag behind its pod. The rest
 * once a tick; while the window has room to spare, a change after a quiet spell at once too. Without
 * `onScreen`: a change after a quiet spell at once, a busy cluster once a tick.
 */
export function useSnapshot(
  source: ClusterSource,
  onScreen?: { readonly current: OnScreen },
  intervalMs = RENDER_INTERVAL_MS,
): ClusterSnapshot {
  const clock = useContext(ClockContext);
  const store = useMemo(() => {
    const tracked = trackedSource(source);
    const immediate = () => tracked.changes()?.listed() !== undefined;
    if (onScreen === undefined) return throttleSnapshots(tracked, intervalMs, { ticks: clock, immediate });
    return throttleSnapshots(tracked, intervalMs, {
      ticks: clock,
      immediate,
      urgent: () => drawSoon(tracked.changes(), onScreen.current.keys),
      quietSpells: () => onScreen.current.room,
    });
  }, [source, intervalMs, clock, onScreen]);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
