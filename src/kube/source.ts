import type { WorkloadLookup } from '../model/gitops.js';
import type { Owner } from '../model/owner.js';
import type { KubeEvent, Pod } from '../model/pod.js';
import type { ReplicaSetLookup } from '../model/rollout.js';
import type { NodeEvents } from './events.js';
import type { ExecTerminal } from './exec.js';

// What the live view reads from the cluster layer. The watchers own the data; the UI only subscribes
// (useSyncExternalStore) and asks for logs, events and full pods on demand. Keeping this state outside
// React is what lets the UI suspend for `kubectl exec` and come back to the same view.

/** A pod's identity across clusters: the same namespace/name can exist in two contexts. */
export interface PodRef {
  context: string;
  namespace: string;
  name: string;
}

export type WatchState = 'connecting' | 'live' | 'reconnecting' | 'stale' | 'forbidden';

export interface WatchStatus {
  context: string;
  /** Namespaces this watch covers; empty means all namespaces. */
  namespaces: readonly string[];
  /** What is watched; absent means pods. Events are watched beside the pods, in the same namespaces. */
  resource?: 'pods' | 'events';
  state: WatchState;
  /** Epoch ms when the state was entered (the header shows `reconnecting 12s`). */
  since: number;
  /** Why, in one line, when the state is not `live` (already safe to print). */
  message?: string;
  /** Failing (`reconnecting`, `stale`) without ever having had an answer: no data of it is on screen. */
  neverConnected?: true;
  /**
   * While `connecting`: the server has sent nothing of the first list since `since` (its last byte, or the request
   * going out), for a few seconds at least. `server` is the kubeconfig's URL, untrusted.
   */
  waiting?: { server: string; since: number };
}

export interface WatchedPod {
  context: string;
  pod: Pod;
}

export interface ClusterSnapshot {
  /** Changes whenever anything below changes, so React can compare snapshots cheaply. */
  readonly version: number;
  /**
   * Keyed by `podKey(ref)`. Never changes once handed over (an old snapshot keeps its pods); the same object
   * while no pod changed. The live source gives versions of one LayeredMap, so a reader of two snapshots asks
   * LayeredMap.changedKeys what changed in between instead of comparing every pod.
   */
  readonly pods: ReadonlyMap<string, WatchedPod>;
  readonly watches: readonly WatchStatus[];
  /**
   * What the view covers, said once (already one line each): `-A` forbidden and the context's namespace read
   * instead, a named namespace that does not exist, a selector that matched no pod. Absent: none.
   */
  readonly notes?: readonly string[];
  /** Server clock minus local clock, per context, from the HTTP `Date` header. */
  readonly clockOffsetMs: ReadonlyMap<string, number>;
  /** Recent events of watched pods, keyed by `podKey`, newest last; bounded per pod. Versioned like `pods`. */
  readonly events: ReadonlyMap<string, readonly KubeEvent[]>;
}

export interface LogRequest {
  container: string;
  previous: boolean;
  tailLines?: number;
  /** Each line starts with the kubelet's RFC 3339 timestamp and a space (`kubectl logs --timestamps`). */
  timestamps?: boolean;
  /** Only lines from this instant on (RFC 3339; the API keeps whole seconds). */
  sinceTime?: string;
}

/**
 * Why a follow stream ended on its own: the server closed it (`ended`: the kubelet does when the container
 * exits), it broke (`cut`), or it never opened (`failed`, e.g. the kubelet's "waiting to start"). The message
 * is one line, safe to print after sanitising.
 */
export type LogEnd = { kind: 'ended' } | { kind: 'cut' | 'failed'; message: string };

export interface LogFollower {
  stop(): void;
}

/** One consumer's count of the pods changed since it last took a snapshot (ClusterSource.trackPodChanges). */
export interface PodChanges {
  /** The keys changed since `taken`, when only single pods did (watch events); undefined after a list page or relist. */
  keys(): ReadonlySet<string> | undefined;
  /**
   * Whether a pods LIST's first page came, or the LIST ended (its last page came), since `taken` (undefined:
   * neither). The view draws those at once, even right after another frame: the first page is the first thing
   * on screen, and at 1,000 pods the first crash-looping row may be on the last page.
   */
  listed(): ListedPods | undefined;
  /** The consumer is about to take a snapshot: count from here. */
  taken(): void;
  stop(): void;
}

/** A pods LIST's first page came, or its last (see PodChanges.listed). */
export type ListedPods = 'first-page' | 'complete';

export interface ClusterSource {
  /**
   * The kubeconfig files every kubectl command for these pods must name (see model/kubectl.ts KubectlCluster);
   * absent for the pod's service account, which has no file.
   */
  readonly kubeconfig?: readonly string[];
  /** Read with the pod's service account: kubectl commands name no context (model/kubectl.ts KubectlCluster). */
  readonly inCluster?: boolean;
  subscribe(listener: () => void): () => void;
  getSnapshot(): ClusterSnapshot;
  /**
   * Counts which pods change from now on, for one consumer (the view draws at once a change to a row on
   * screen and takes the rest with its next tick). Its own count: a snapshot someone else takes (a log
   * follower, a key's action) resets nothing. Absent: every change is treated alike.
   */
  trackPodChanges?(): PodChanges;
  /** Bounded (tail lines, bytes, timeout); rejects with a one-line Error the UI can show. */
  readLogs(ref: PodRef, request: LogRequest): Promise<string[]>;
  /**
   * Streams new lines until stopped; `onEnd` says why when the stream ends on its own (`cut` when the server
   * could not be reached or the stream broke, `failed` when the server refused). `onLines([])` first says the
   * stream is open.
   */
  followLogs(
    ref: PodRef,
    request: LogRequest,
    onLines: (lines: string[]) => void,
    onEnd: (end: LogEnd) => void,
  ): LogFollower;
  /** The full pod (for describe), freshly read from the server. */
  getPod(ref: PodRef): Promise<Pod>;
  /**
   * The owning workload's labels and annotations (who else changes it: Argo CD, Flux), or why they could not
   * be read; undefined for owners a fix never edits. Absent: this source cannot read workloads.
   */
  readWorkload?(
    ref: { context: string; namespace: string },
    owner: Owner,
  ): Promise<WorkloadLookup | undefined>;
  /**
   * The revisions of a Deployment's ReplicaSets whose pod-template-hash is one of `hashes` (which one is new,
   * model/rollout.ts), or why they could not be read. Absent: this source cannot read ReplicaSets.
   */
  readReplicaSets?(
    ref: { context: string; namespace: string },
    deployment: string,
    hashes: readonly string[],
  ): Promise<ReplicaSetLookup>;
  /** Events of one pod, as `kubectl describe pod` asks for them. */
  listEvents(ref: PodRef): Promise<KubeEvent[]>;
  /** The newest events of a namespace (one bounded page), newest first. */
  listNamespaceEvents(ref: { context: string; namespace: string }): Promise<KubeEvent[]>;
  /** The newest events of these nodes (pressure, evictions, reboots), newest first; says when RBAC forbids it. */
  listNodeEvents(ref: { context: string; nodes: readonly string[] }): Promise<NodeEvents>;
  /**
   * An interactive shell in the container without kubectl (the terminal already handed over); resolves
   * with its exit code, rejects with a one-line Error (e.g. the server's refusal). Absent: not possible.
   */
  exec?(ref: PodRef, container: string, tty?: ExecTerminal): Promise<number>;
  close(): Promise<void>;
}

export function podKey(ref: PodRef): string {
  // A template literal made a chain of cons strings that maps keep as two objects per key once flattened; join
  // makes one flat string (50,000 pods held 25,000 such wrappers).
  return [ref.context, ref.namespace, ref.name].join('/');
}
