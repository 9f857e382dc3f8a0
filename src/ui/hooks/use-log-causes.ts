import { useContext, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { ClusterSnapshot } from '../../kube/source.js';
import type { TableLine } from '../../model/rows.js';
import { createLogCauses } from '../log-causes.js';
import { type LogTarget, type PreviousLogCache, targetKey } from '../previous-logs.js';
import { ClockContext } from './use-clock.js';
import { throttleSnapshots } from './use-snapshot.js';

/** Log answers arrive one per row entering the screen: on a busy cluster, several a second. */
const LOG_ANSWER_INTERVAL_MS = 250;

/**
 * Rows below the window whose logs are read before they enter it. Sorted by next restart, a row enters at the
 * bottom each time one restarts at the top (eight a second at 50,000 pods, 2,500 crash-looping); read only
 * then, its CAUSE showed pending and its answer came a frame later, a second frame per restart.
 */
export const LOOKAHEAD_ROWS = 8;

export interface LogCauseInput {
  cache: PreviousLogCache;
  lines: readonly TableLine[];
  /** The window on screen: `count` lines from `top`. */
  top: number;
  count: number;
  selected: number;
  snapshot: ClusterSnapshot;
}

/**
 * The table's lines with the rows on screen classified again with their previous logs (read through the
 * cache, with the next LOOKAHEAD_ROWS' logs), and `causePending` while a log that may change an `unknown` is
 * still being read. Runs when the lines, the window or a log answer change, never on a clock tick. Answers come
 * at once while a row on screen shows its cause pending, otherwise with the next tick: at rest, the rows on
 * screen that crash again are read again while they keep the cause they had, and that answer, which rarely
 * changes what they show, was a frame of its own.
 */
export function useLogCauses(input: LogCauseInput): readonly TableLine[] {
  const { cache, lines, top, count, selected, snapshot } = input;
  const causes = useMemo(() => createLogCauses(cache), [cache]);
  const wanted = useMemo(() => {
    const shown = [lines[selected], ...lines.slice(top, top + count + LOOKAHEAD_ROWS)];
    const targets = new Map<string, readonly LogTarget[]>();
    for (const line of shown) {
      if (line?.kind !== 'pod' || !line.row.unhealthy || targets.has(line.key)) continue;
      const watched = snapshot.pods.get(line.key);
      if (watched) targets.set(line.key, causes.targets(watched.context, watched.pod));
    }
    return targets;
  }, [causes, lines, top, count, selected, snapshot.pods]);
  const order = useMemo(() => [...wanted.values()].flat(), [wanted]);
  const orderKey = useMemo(() => order.map(targetKey).join('\n'), [order]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `orderKey` names the targets in `order`.
  useEffect(() => cache.want(order), [cache, orderKey]);

  const clock = useContext(ClockContext);
  const pendingShown = useRef(false);
  const answers = useMemo(
    () =>
      throttleSnapshots({ subscribe: cache.subscribe, getSnapshot: cache.version }, LOG_ANSWER_INTERVAL_MS, {
        ticks: clock,
        urgent: () => pendingShown.current,
      }),
    [cache, clock],
  );
  const version = useSyncExternalStore(answers.subscribe, answers.getSnapshot);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` changes when the cache's answers do.
  return useMemo(() => {
    let out: TableLine[] | undefined;
    pendingShown.current = false;
    // Only the lines `wanted` was taken from (the window and the selection), not all 50,000.
    const end = Math.min(lines.length, top + count);
    const indices = selected >= top && selected < end ? [] : [selected];
    for (let i = top; i < end; i++) indices.push(i);
    for (const i of indices) {
      const line = lines[i];
      if (line?.kind !== 'pod') continue;
      const targets = wanted.get(line.key);
      const watched = snapshot.pods.get(line.key);
      if (!targets || targets.length === 0 || !watched) continue;
      const row = causes.row(line.row, targets, watched.pod, snapshot.events.get(line.key));
      if (row.causePending) pendingShown.current = true;
      if (row === line.row) continue;
      out ??= [...lines];
      out[i] = { ...line, row };
    }
    return out ?? lines;
  }, [causes, lines, top, count, selected, wanted, snapshot, version]);
}
