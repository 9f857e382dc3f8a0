import { useContext, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { ClusterSnapshot } from '../../kube/source.js';
import { type CauseId, diagnose } from '../../model/classify/index.js';
import type { KubeEvent, Pod } from '../../model/pod.js';
import type { PodRow, RowBuilder, TableLine } from '../../model/rows.js';
import { type LogTarget, logTargets, type PreviousLogCache, targetKey } from '../previous-logs.js';
import { ClockContext } from './use-clock.js';
import { throttleSnapshots } from './use-snapshot.js';

/** Log answers arrive one per row entering the screen: on a busy cluster, several a second. */
const LOG_ANSWER_INTERVAL_MS = 250;
/** Rows whose last log-read cause is kept while a new crash's log is read. */
const MAX_KEPT_CAUSES = 2000;

export interface LogCauseInput {
  cache: PreviousLogCache;
  lines: readonly TableLine[];
  /** The window on screen: `count` lines from `top`. */
  top: number;
  count: number;
  selected: number;
  snapshot: ClusterSnapshot;
  siblings: RowBuilder['siblings'];
}

interface Classified {
  events: readonly KubeEvent[] | undefined;
  siblings: readonly Pod[];
  logs: readonly (readonly string[])[];
  causeId: CauseId | undefined;
}

/**
 * The table's lines with the rows on screen classified again with their previous logs (read through the
 * cache), and `causePending` while a log that may change an `unknown` is still being read. Runs when the
 * lines, the window or a log answer change, never on a clock tick.
 */
export function useLogCauses(input: LogCauseInput): readonly TableLine[] {
  const { cache, lines, top, count, selected, snapshot, siblings } = input;
  const wanted = useMemo(() => {
    const shown = [lines[selected], ...lines.slice(top, top + count)];
    const targets = new Map<string, LogTarget[]>();
    for (const line of shown) {
      if (line?.kind !== 'pod' || !line.row.unhealthy || targets.has(line.key)) continue;
      const watched = snapshot.pods.get(line.key);
      if (watched) targets.set(line.key, logTargets(watched.context, watched.pod));
    }
    return targets;
  }, [lines, top, count, selected, snapshot.pods]);
  const order = useMemo(() => [...wanted.values()].flat(), [wanted]);
  const orderKey = useMemo(() => order.map(targetKey).join('\n'), [order]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `orderKey` names the targets in `order`.
  useEffect(() => cache.want(order), [cache, orderKey]);

  const clock = useContext(ClockContext);
  const answers = useMemo(
    () =>
      throttleSnapshots({ subscribe: cache.subscribe, getSnapshot: cache.version }, LOG_ANSWER_INTERVAL_MS, {
        ticks: clock,
      }),
    [cache, clock],
  );
  const version = useSyncExternalStore(answers.subscribe, answers.getSnapshot);
  const classified = useRef(new WeakMap<Pod, Classified>()).current;
  const lastCauses = useRef(new Map<string, { uid: string; causeId: CauseId | undefined }>()).current;
  const withCause = useRef(new WeakMap<PodRow, PodRow>()).current;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` changes when the cache's answers do.
  return useMemo(() => {
    let out: TableLine[] | undefined;
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
      const row = withLogs(line.row, targets, watched.pod, snapshot.events.get(line.key));
      if (row === line.row) continue;
      out ??= [...lines];
      out[i] = { ...line, row };
    }
    return out ?? lines;
  }, [lines, top, count, selected, wanted, snapshot, version]);

  function withLogs(
    row: PodRow,
    targets: readonly LogTarget[],
    pod: Pod,
    events: readonly KubeEvent[] | undefined,
  ): PodRow {
    const logs = new Map<string, readonly string[]>();
    let pending = false;
    for (const target of targets) {
      const log = cache.get(target);
      if (log === undefined || log.state === 'pending') pending = true;
      else if (log.state === 'done') logs.set(target.container, log.lines);
    }
    // A cause stays until new evidence replaces it: while the log of a new crash is read, the row keeps the
    // cause the last log gave, instead of flashing the status-only one (often `unknown`).
    const uid = targets[0]!.uid;
    const last = lastCauses.get(row.key);
    const kept = pending && logs.size === 0 && last?.uid === uid ? last.causeId : undefined;
    const causeId = logs.size > 0 ? causeWithLogs(row, pod, events, logs) : (kept ?? row.causeId);
    if (logs.size > 0 && !pending) remember(row.key, uid, causeId);
    const causePending = pending && causeId === 'unknown';
    if (causeId === row.causeId && !causePending) return row;
    // The same row with the same cause is the same object, so the table does not format it again.
    const before = withCause.get(row);
    if (before && before.causeId === causeId && before.causePending === causePending) return before;
    const next = { ...row, causeId, causePending };
    withCause.set(row, next);
    return next;
  }

  function remember(key: string, uid: string, causeId: CauseId | undefined) {
    lastCauses.delete(key);
    lastCauses.set(key, { uid, causeId });
    // Bounded like the log cache: the oldest rows seen go first.
    for (const oldest of lastCauses.keys()) {
      if (lastCauses.size <= MAX_KEPT_CAUSES) break;
      lastCauses.delete(oldest);
    }
  }

  function causeWithLogs(
    row: PodRow,
    pod: Pod,
    events: readonly KubeEvent[] | undefined,
    logs: ReadonlyMap<string, readonly string[]>,
  ): CauseId | undefined {
    const podSiblings = siblings(row.context, pod);
    const logList = [...logs.values()];
    const cached = classified.get(pod);
    if (
      cached &&
      cached.events === events &&
      cached.siblings === podSiblings &&
      cached.logs.length === logList.length &&
      cached.logs.every((l, i) => l === logList[i])
    ) {
      return cached.causeId;
    }
    // A row built in a crash loop is diagnosed as one (its running container from its last crash).
    const nowMs = row.crashLoop ? Number.NEGATIVE_INFINITY : undefined;
    const causeId = diagnose({ pod, events, logs, context: row.context, siblings: podSiblings, nowMs }).cause
      ?.id;
    classified.set(pod, { events, siblings: podSiblings, logs: logList, causeId });
    return causeId;
  }
}
