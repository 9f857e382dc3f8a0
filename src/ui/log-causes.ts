import { type CauseId, diagnoseCause, sameEventEvidence } from '../model/classify/index.js';
import type { KubeEvent, Pod } from '../model/pod.js';
import type { PodRow } from '../model/rows.js';
import { type LogTarget, logTargets, type PreviousLogCache } from './previous-logs.js';

// The CAUSE of the rows on screen, classified again with their containers' previous logs. The table asks on
// every snapshot, and a snapshot of 10,000 pods changes a few of them, so each answer is kept for the pod
// object (the watcher replaces it when the pod changes), its event list and its logs, and a row is classified
// again only when one of those changed (its events only when they bring new evidence: sameEventEvidence, so
// the kubelet's repeats merged into a count re-classify nothing). The id needs no siblings: a failing rollout
// adds evidence and leads the fix, it never changes which rule matched (classify.ts diagnoseCause), so a
// sibling's change re-classifies nothing.

/** Rows whose last log-read cause is kept while a new crash's log is read. */
const MAX_KEPT_CAUSES = 2000;

export interface LogCauses {
  /** The row with the cause its previous logs give; the same row object while that changes nothing. */
  row(row: PodRow, targets: readonly LogTarget[], pod: Pod, events: readonly KubeEvent[] | undefined): PodRow;
  /** logTargets of a pod, the same array for the same pod object. */
  targets(context: string, pod: Pod): readonly LogTarget[];
}

interface Classified {
  /** Diagnosed as a crash loop: when the loop ends on the clock the pod object stays, the diagnosis does not. */
  crashLoop: boolean;
  events: readonly KubeEvent[] | undefined;
  logs: readonly (readonly string[])[];
  causeId: CauseId | undefined;
}

export function createLogCauses(cache: Pick<PreviousLogCache, 'get'>): LogCauses {
  const classified = new WeakMap<Pod, Classified>();
  const lastCauses = new Map<string, { uid: string; causeId: CauseId | undefined }>();
  const withCause = new WeakMap<PodRow, PodRow>();
  const targetsOf = new WeakMap<Pod, { context: string; targets: readonly LogTarget[] }>();

  const remember = (key: string, uid: string, causeId: CauseId | undefined) => {
    lastCauses.delete(key);
    lastCauses.set(key, { uid, causeId });
    // Bounded like the log cache: the oldest rows seen go first.
    for (const oldest of lastCauses.keys()) {
      if (lastCauses.size <= MAX_KEPT_CAUSES) break;
      lastCauses.delete(oldest);
    }
  };

  const causeWithLogs = (
    row: PodRow,
    pod: Pod,
    events: readonly KubeEvent[] | undefined,
    logs: ReadonlyMap<string, readonly string[]>,
  ): CauseId | undefined => {
    const logList = [...logs.values()];
    const cached = classified.get(pod);
    if (
      cached &&
      cached.crashLoop === row.crashLoop &&
      sameEventEvidence(cached.events, events) &&
      cached.logs.length === logList.length &&
      cached.logs.every((l, i) => l === logList[i])
    ) {
      return cached.causeId;
    }
    // A row built in a crash loop is diagnosed as one (its running container from its last crash).
    const nowMs = row.crashLoop ? Number.NEGATIVE_INFINITY : undefined;
    const causeId = diagnoseCause({ pod, events, logs, context: row.context, nowMs });
    classified.set(pod, { crashLoop: row.crashLoop, events, logs: logList, causeId });
    return causeId;
  };

  return {
    row(row, targets, pod, events) {
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
    },
    targets(context, pod) {
      const known = targetsOf.get(pod);
      if (known?.context === context) return known.targets;
      const targets = logTargets(context, pod);
      targetsOf.set(pod, { context, targets });
      return targets;
    },
  };
}
