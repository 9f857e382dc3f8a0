import { isNoPreviousLog, logUnavailableReason } from '../kube/logs.js';
import type { ClusterSource, PodRef } from '../kube/source.js';
import type { ContainerStatus, Pod } from '../model/pod.js';
import { failingContainers } from '../model/status.js';

// The previous logs the table's CAUSE column is classified with. Many causes are only in the crashed
// container's last lines, but reading a log per pod of a 10,000-pod table would flood the API server, so
// only the rows on screen (and the selected one) are read, a few at a time, and each answer is kept until
// the container crashes again (a new restartCount is a new previous log). Failures are kept briefly so a
// forbidden or broken log endpoint is not asked again on every frame. Lives outside React, like the pod
// store, so suspending the UI for a shell loses nothing.

export interface LogTarget {
  ref: PodRef;
  /** Same name, new pod (a StatefulSet's): a new uid, so a new cache entry. */
  uid: string;
  container: string;
  restartCount: number;
  /**
   * The run `--previous` returns (its last state's container ID or end): a container running between crashes and
   * the same container waiting after its next crash have one restartCount, not one previous log.
   */
  run?: string;
}

export type CachedLog =
  | { state: 'pending' }
  | { state: 'done'; lines: readonly string[] }
  | { state: 'failed' };

export interface PreviousLogCache {
  /** Read what is not cached yet, in this order, dropping what was wanted before and has not started. */
  want(targets: readonly LogTarget[]): void;
  /** Undefined when the log was never wanted, or was forgotten. */
  get(target: LogTarget): CachedLog | undefined;
  subscribe(listener: () => void): () => void;
  /** Changes whenever an answer arrives (for useSyncExternalStore). */
  version(): number;
}

export interface PreviousLogCacheOptions {
  tailLines?: number;
  concurrency?: number;
  maxEntries?: number;
  errorTtlMs?: number;
  now?: () => number;
}

export function targetKey(t: LogTarget): string {
  return `${t.uid}/${t.container}/${t.restartCount}#${t.run ?? ''}`;
}

/**
 * The containers of a pod whose previous log can explain its crash: failing ones that have run at least
 * once (a container that never started, like an image-pull failure, has no previous log to read). Only rows
 * already found unhealthy ask, so a container running again after a crash is read whenever its crash loop
 * began (failingContainers at the start of time counts every one).
 */
export function logTargets(context: string, pod: Pod): LogTarget[] {
  const ref = { context, namespace: pod.metadata.namespace ?? '', name: pod.metadata.name };
  const uid = pod.metadata.uid ?? `${context}/${ref.namespace}/${ref.name}`;
  return failingContainers(pod, Number.NEGATIVE_INFINITY)
    .filter((c) => c.status.restartCount > 0 || c.status.lastState?.terminated !== undefined)
    .map((c) => {
      const run = lastRun(c.status);
      return { ref, uid, container: c.name, restartCount: c.status.restartCount, ...(run ? { run } : {}) };
    });
}

/** The run `kubectl logs --previous` returns: its last state's container ID, or its end where that is missing. */
function lastRun(status: ContainerStatus | undefined): string | undefined {
  const last = status?.lastState?.terminated;
  return last?.containerID ?? last?.finishedAt;
}

/**
 * Which run `kubectl logs --previous` returns for this container of this pod: the one its last state names. It
 * changes when the pod is deleted and created again under the same name (a new uid) and when the container
 * crashes again: restartCount alone does not, since it only counts up when the next run starts, so a container
 * running between crashes and the same container waiting after its next crash share one.
 */
export function previousRunKey(pod: Pod, container: string): string {
  const status = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ].find((s) => s.name === container);
  return JSON.stringify([pod.metadata.uid, container, status?.restartCount, lastRun(status)]);
}

/**
 * One read of a previous log as the detail page shows it: the lines; none, because the container has no
 * previous run (the kubelet's words); or unavailable, the kubelet unreachable or pods/log forbidden, which
 * says nothing about the container, so the evidence must say why the log is missing (not "no previous log").
 */
export type PreviousLog =
  | { state: 'read'; lines: readonly string[] }
  | { state: 'none'; message: string }
  | { state: 'unavailable'; reason: string };

export function loadPreviousLog(
  source: Pick<ClusterSource, 'readLogs'>,
  ref: PodRef,
  container: string,
  tailLines: number,
): Promise<PreviousLog> {
  // Through a promise even when readLogs throws at once (a context the view does not watch).
  return Promise.resolve()
    .then(() => source.readLogs(ref, { container, previous: true, tailLines }))
    .then(
      (lines): PreviousLog => ({ state: 'read', lines }),
      (error: unknown): PreviousLog =>
        isNoPreviousLog(error)
          ? { state: 'none', message: logUnavailableReason(error) }
          : { state: 'unavailable', reason: logUnavailableReason(error) },
    );
}

type Entry = CachedLog & { at: number };

export function createPreviousLogCache(
  source: Pick<ClusterSource, 'readLogs'>,
  options: PreviousLogCacheOptions = {},
): PreviousLogCache {
  const tailLines = options.tailLines ?? 200;
  const concurrency = options.concurrency ?? 3;
  const maxEntries = options.maxEntries ?? 500;
  const errorTtlMs = options.errorTtlMs ?? 30_000;
  const now = options.now ?? Date.now;
  // Insertion order is recency order: a hit moves the entry to the end, the oldest go first.
  const entries = new Map<string, Entry>();
  const listeners = new Set<() => void>();
  let queue: LogTarget[] = [];
  let running = 0;
  let version = 0;

  const changed = () => {
    version++;
    for (const listener of listeners) listener();
  };
  const store = (target: LogTarget, entry: Entry) => {
    const key = targetKey(target);
    entries.delete(key);
    entries.set(key, entry);
    // An answer for an earlier crash of the same container is never asked for again once a later one is in:
    // kept, the 500 crash-looping pods of a busy cluster filled the cache with superseded logs over an hour
    // (the memory soak, bench/soak.js).
    if (entry.state === 'done') {
      const container = `${target.uid}/${target.container}/`;
      for (const [other, cached] of entries) {
        if (other === key || !other.startsWith(container) || cached.state === 'pending') continue;
        // `3#containerd://…`: the restart count, then the run (parseInt stops at the `#`).
        const count = Number.parseInt(other.slice(container.length), 10);
        if (count < target.restartCount || (count === target.restartCount && target.run !== undefined)) {
          entries.delete(other);
        }
      }
    }
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries) break;
      if (entries.get(oldest)?.state !== 'pending') entries.delete(oldest);
      else break;
    }
  };
  const fresh = (entry: Entry | undefined) =>
    entry !== undefined && (entry.state !== 'failed' || now() - entry.at < errorTtlMs);

  const pump = () => {
    while (running < concurrency && queue.length > 0) {
      const target = queue.shift()!;
      const key = targetKey(target);
      if (fresh(entries.get(key))) continue;
      running++;
      store(target, { state: 'pending', at: now() });
      source
        .readLogs(target.ref, { container: target.container, previous: true, tailLines })
        .then(
          (lines) => store(target, { state: 'done', lines, at: now() }),
          () => store(target, { state: 'failed', at: now() }),
        )
        .finally(() => {
          running--;
          changed();
          pump();
        });
    }
  };

  return {
    want(targets) {
      queue = targets.filter((t) => !fresh(entries.get(targetKey(t))));
      pump();
    },
    get(target) {
      const key = targetKey(target);
      const entry = entries.get(key);
      if (!fresh(entry)) return undefined;
      return entry;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    version: () => version,
  };
}
