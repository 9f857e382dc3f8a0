import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { KubeError } from '../../src/kube/errors.js';
import type { NodeEvents } from '../../src/kube/events.js';
import { splitTimestamp } from '../../src/kube/logs.js';
import {
  type ClusterSnapshot,
  type ClusterSource,
  type LogEnd,
  type LogRequest,
  type PodRef,
  podKey,
  type WatchedPod,
  type WatchStatus,
} from '../../src/kube/source.js';
import type { KubeEvent, Pod } from '../../src/model/pod.js';

/** The tests' fake clock: every fixture time is relative to it. */
export const NOW = new Date('2026-11-25T14:00:00Z');

export function fixturePods(file = 'pods.yaml'): Pod[] {
  const url = new URL(`../fixtures/ui/${file}`, import.meta.url);
  return (parse(readFileSync(url, 'utf8')) as { items: Pod[] }).items;
}

/** `count` copies of the fixture's first (crash-looping) pod, named worker-000, worker-001…: a table longer than a screen. */
export function workerPods(count: number): Pod[] {
  const crashing = fixturePods()[0]!;
  return Array.from({ length: count }, (_, i) => ({
    ...crashing,
    metadata: { ...crashing.metadata, name: `worker-${String(i).padStart(3, '0')}` },
  }));
}

/**
 * The fixture's first pod, renamed, running again since 2 s before NOW after its crashes: its back-off resets in
 * 9m58s, the widest countdown there is (`resets in 9m58s`).
 */
export function runningAgainPod(name: string): Pod {
  const pod = structuredClone(fixturePods()[0]!);
  pod.metadata.name = name;
  const status = pod.status!.containerStatuses![0]!;
  status.state = { running: { startedAt: new Date(NOW.getTime() - 2_000).toISOString() } };
  status.ready = true;
  return pod;
}

/** An in-memory ClusterSource: the tests change pods and logs and see the UI follow. */
export class FakeSource implements ClusterSource {
  private listeners = new Set<() => void>();
  private snapshot: ClusterSnapshot;
  logs = new Map<string, string[]>();
  logRequests: { ref: PodRef; request: LogRequest }[] = [];
  followers: ((lines: string[]) => void)[] = [];
  /** Ends the follow stream of the same index, as the kubelet does when the container exits. */
  enders: ((end: LogEnd) => void)[] = [];
  /** While set, follow requests get no answer (the API server unreachable): each stream ends cut, saying this. */
  followCut: string | undefined;
  /** While set, readLogs waits for it (a log that is still being read). */
  logGate: Promise<void> | undefined;
  /** Set: the source can exec without kubectl, and answers like this. */
  exec: ((ref: PodRef, container: string) => Promise<number>) | undefined;

  constructor(
    pods: Pod[],
    options: { context?: string; watches?: WatchStatus[]; clockOffsetMs?: number } = {},
  ) {
    const context = options.context ?? 'kind-dev';
    this.snapshot = {
      version: 1,
      pods: new Map(pods.map((pod) => [keyOf(context, pod), { context, pod }])),
      watches: options.watches ?? [{ context, namespaces: [], state: 'live', since: NOW.getTime() }],
      clockOffsetMs: new Map([[context, options.clockOffsetMs ?? 0]]),
      events: new Map(),
    };
  }

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  getSnapshot = () => this.snapshot;

  update(change: Partial<Omit<ClusterSnapshot, 'version'>>): void {
    this.snapshot = { ...this.snapshot, ...change, version: this.snapshot.version + 1 };
    for (const listener of this.listeners) listener();
  }

  setPods(pods: WatchedPod[]): void {
    this.update({ pods: new Map(pods.map((w) => [keyOf(w.context, w.pod), w])) });
  }

  async readLogs(ref: PodRef, request: LogRequest): Promise<string[]> {
    this.logRequests.push({ ref, request });
    await this.logGate;
    return this.logs.get(`${podKey(ref)}/${request.container}/${request.previous}`) ?? [];
  }
  followLogs(
    ref: PodRef,
    request: LogRequest,
    onLines: (lines: string[]) => void,
    onEnd: (end: LogEnd) => void,
  ) {
    this.logRequests.push({ ref, request });
    const logged = this.logs.get(`${podKey(ref)}/${request.container}/false`) ?? [];
    // As the kubelet: from sinceTime on (a line without a timestamp cannot be placed: it is sent).
    const since = request.sinceTime === undefined ? Number.NEGATIVE_INFINITY : Date.parse(request.sinceTime);
    const initial = logged.filter((line) => {
      const { time } = splitTimestamp(line);
      return time === undefined || Date.parse(time) >= since;
    });
    const cut = this.followCut;
    let open = true;
    queueMicrotask(() => {
      if (!open) return;
      if (cut === undefined) return onLines(initial);
      open = false;
      onEnd({ kind: 'cut', message: cut });
    });
    this.followers.push((lines) => open && onLines(lines));
    this.enders.push((end) => {
      if (open) onEnd(end);
      open = false;
    });
    return {
      stop: () => {
        open = false;
      },
    };
  }
  async getPod(ref: PodRef): Promise<Pod> {
    const watched = this.snapshot.pods.get(podKey(ref));
    if (!watched) throw new KubeError(`pods "${ref.name}" not found`, 1, { status: 404, reason: 'NotFound' });
    return watched.pod;
  }
  async listEvents(ref: PodRef): Promise<KubeEvent[]> {
    return [...(this.snapshot.events.get(podKey(ref)) ?? [])];
  }
  /** Events of whole namespaces (the events view), keyed `context/namespace`. */
  namespaceEvents = new Map<string, KubeEvent[]>();
  async listNamespaceEvents(ref: { context: string; namespace: string }): Promise<KubeEvent[]> {
    return [...(this.namespaceEvents.get(`${ref.context}/${ref.namespace}`) ?? [])];
  }
  /** Events of nodes (the events view's node section), keyed `context/node`; `nodeEventsForbidden` plays RBAC. */
  nodeEvents = new Map<string, KubeEvent[]>();
  nodeEventsForbidden: string | undefined;
  nodeEventRequests: { context: string; nodes: readonly string[] }[] = [];
  async listNodeEvents(ref: { context: string; nodes: readonly string[] }): Promise<NodeEvents> {
    this.nodeEventRequests.push(ref);
    if (this.nodeEventsForbidden) return { events: [], forbidden: this.nodeEventsForbidden };
    return { events: ref.nodes.flatMap((node) => this.nodeEvents.get(`${ref.context}/${node}`) ?? []) };
  }
  async close(): Promise<void> {}
}

export function keyOf(context: string, pod: Pod): string {
  return podKey({ context, namespace: pod.metadata.namespace ?? '', name: pod.metadata.name });
}
