import type { WorkloadLookup } from '../model/gitops.js';
import { visibleName } from '../model/kubectl.js';
import { LayeredMap } from '../model/layered-map.js';
import type { Owner } from '../model/owner.js';
import type { KubeEvent } from '../model/pod.js';
import type { ReplicaSetLookup } from '../model/rollout.js';
import { ServerClock } from './clock.js';
import { closeConnections } from './connections.js';
import { KubeError } from './errors.js';
import { watchEvents } from './event-watcher.js';
import { listNamespaceEvents, listNodeEvents, listPodEvents, type NodeEvents } from './events.js';
import type { ExecTerminal } from './exec.js';
import { KubeClient } from './http.js';
import { type ResolvedContext, resolveContexts, type Scope } from './kubeconfig.js';
import { defaultWatchTimings, type ListWatch, type WatchTimings } from './list-watch.js';
import { followLogs, readLogs } from './logs.js';
import { NamespaceLifecycle } from './namespace-lifecycle.js';
import { CoalescingNotifier } from './notifier.js';
import { watchPods } from './pod-watcher.js';
import { getPod, scopeNamespaces } from './pods.js';
import { readReplicaSetRevisions } from './replica-sets.js';
import { allNamespacesForbidden, scopeNotes, selectorError } from './scope.js';
import type {
  ClusterSnapshot,
  ClusterSource,
  ListedPods,
  LogEnd,
  LogFollower,
  LogRequest,
  PodChanges,
  PodRef,
  WatchedPod,
} from './source.js';
import { podKey } from './source.js';
import { WatchHealth } from './watch-health.js';
import { readWorkloadMeta } from './workload.js';

// The live view's data: for every context × namespace of the scope, a pod watch and an event watch, all
// writing into shared maps; a snapshot of them is rebuilt only after a change, and change notifications
// are coalesced. Never lists namespaces: a scope without -n uses the context's namespace, and -A that
// RBAC forbids falls back to it, with one note saying so (a note, not a watch state: nothing is wrong with
// what is watched). After the first lists, an empty named namespace or selector gets a note too (scope.ts).

export interface ClusterSourceOptions {
  now?: () => number;
  /** Shorter timeouts and backoffs for tests. */
  timings?: Partial<WatchTimings>;
  /** At most one change notification per interval. */
  notifyIntervalMs?: number;
  /** How long to wait for the first lists before handing over a source that is still connecting. */
  firstListWaitMs?: number;
  /** The scope's contexts when the caller has resolved them already (resolveScope): the files are read once. */
  contexts?: readonly ResolvedContext[];
  /** Shorter waits for tests: before reading a namespace whose pods are deleted, and between reads while Terminating. */
  namespaceTimings?: { settleMs?: number; recheckMs?: number };
}

/**
 * Watch events arriving within this much of each other make one notification. Short: the view throttles
 * what it draws itself (use-snapshot.ts), and a notification costs it a look at the changed keys, so a change
 * to a row on screen must not wait here for a busy cluster's next batch.
 */
const NOTIFY_INTERVAL_MS = 20;

interface RunningWatch {
  listWatch: Pick<ListWatch<{ metadata?: object }>, 'firstList' | 'stop'>;
  health: WatchHealth;
}

type Resource = 'pods' | 'events';

/** One consumer's changes since it last took a snapshot (trackPodChanges). */
interface Tracker {
  keys: Set<string> | undefined;
  listed: ListedPods | undefined;
}

function firstListWithin(watch: RunningWatch, ms: number): Promise<KubeError | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([watch.listWatch.firstList, timeout]).finally(() => clearTimeout(timer));
}

class LiveClusterSource implements ClusterSource {
  private readonly pods = new Map<string, WatchedPod>();
  private readonly events = new Map<string, readonly KubeEvent[]>();
  private readonly clocks = new Map<string, ServerClock>();
  private readonly clients = new Map<string, KubeClient>();
  private readonly running = new Set<RunningWatch>();
  /** What the scope really covers, said once: `-A` forbidden, a namespace that does not exist… */
  private readonly notes: string[] = [];
  /** Per context and named namespace, what became of it while watched: being deleted, gone (its newest note). */
  private readonly namespaceNotes = new Map<string, string>();
  private readonly lifecycles = new Set<NamespaceLifecycle>();
  private readonly namespaceTimings: { settleMs?: number; recheckMs?: number };
  private readonly notifier: CoalescingNotifier;
  private readonly now: () => number;
  private readonly timings: WatchTimings;
  private readonly firstListWaitMs: number;
  kubeconfig: readonly string[] | undefined;
  inCluster: boolean | undefined;
  private version = 0;
  private snapshot: ClusterSnapshot | undefined;
  private closed = false;

  constructor(options: ClusterSourceOptions) {
    this.now = options.now ?? Date.now;
    this.timings = { ...defaultWatchTimings, ...options.timings };
    this.notifier = new CoalescingNotifier(options.notifyIntervalMs ?? NOTIFY_INTERVAL_MS, this.now);
    this.firstListWaitMs = options.firstListWaitMs ?? 15_000;
    this.namespaceTimings = options.namespaceTimings ?? {};
  }

  /**
   * The pods and events as of the last snapshot: versions that never change (a consumer may keep an old
   * snapshot), each built from the previous one and the keys changed since, not by copying 10,000 pods.
   */
  private podsVersion: LayeredMap<string, WatchedPod> | undefined;
  private eventsVersion: LayeredMap<string, readonly KubeEvent[]> | undefined;

  private readonly changed = (): void => {
    this.snapshot = undefined;
    this.notifier.notify();
  };
  /** Pods changed since the last version was built; undefined once a list page or relist changed them wholesale. */
  private changedKeys: Set<string> | undefined = new Set();
  /** The same, per consumer since it last took a snapshot (trackPodChanges): whoever builds a version resets none. */
  private readonly trackers = new Set<Tracker>();
  private readonly podsChanged = (key?: string, listed?: ListedPods): void => {
    if (key === undefined) this.changedKeys = undefined;
    else this.changedKeys?.add(key);
    for (const tracker of this.trackers) {
      if (key === undefined) tracker.keys = undefined;
      else tracker.keys?.add(key);
      if (listed !== undefined && tracker.listed !== 'complete') tracker.listed = listed;
    }
    this.changed();
  };
  /** Like changedKeys, for the events. */
  private changedEvents: Set<string> | undefined = new Set();
  private readonly eventsChanged = (keys?: readonly string[]): void => {
    if (keys === undefined) this.changedEvents = undefined;
    else for (const key of keys) this.changedEvents?.add(key);
    this.changed();
  };

  /** Starts the watches of one context; resolves with the first-list error of each pod watch. */
  async startContext(context: ResolvedContext, scope: Scope): Promise<(KubeError | undefined)[]> {
    const clock = new ServerClock();
    this.clocks.set(context.name, clock);
    const client = new KubeClient(context, (sample) => {
      if (clock.record(sample)) this.changed();
    });
    this.clients.set(context.name, client);
    return Promise.all(
      scopeNamespaces(context, scope).map(async (namespace) => {
        // Pods first: the first request of a context pays for its TLS set-up, and the view waits for pods.
        const pods = this.startPods(client, namespace, scope.selector);
        void this.startEvents(client, namespace);
        return pods;
      }),
    );
  }

  private startWatch(
    resource: Resource,
    client: KubeClient,
    namespace: string | undefined,
    selector?: string,
  ) {
    const health = new WatchHealth(
      { context: client.context.name, namespaces: namespace === undefined ? [] : [namespace], resource },
      client.context.server,
      this.timings.stale,
      this.now,
      this.changed,
    );
    const common = {
      client,
      namespace,
      health,
      timings: this.timings,
      now: this.now,
    };
    const lifecycle =
      resource === 'pods' && namespace !== undefined ? this.namespaceLifecycle(client, namespace) : undefined;
    const onChange = lifecycle
      ? (key?: string, listed?: ListedPods) => {
          this.podsChanged(key, listed);
          lifecycle.podChanged(key, listed);
        }
      : this.podsChanged;
    const listWatch =
      resource === 'pods'
        ? watchPods({ ...common, labelSelector: selector, pods: this.pods, onChange })
        : watchEvents({ ...common, events: this.events, onChange: this.eventsChanged });
    const watch: RunningWatch = { listWatch, health };
    this.running.add(watch);
    this.changed();
    return watch;
  }

  /**
   * Reads a named namespace when its pods are deleted, and keeps a note while it is being deleted or gone
   * (namespace-lifecycle.ts): a pod deleted or terminating, a relist that emptied the namespace, or a pod coming
   * while a note stands (the namespace created again) reads it again. A namespace empty from the start is not
   * this: checkScope says whether it exists.
   */
  private namespaceLifecycle(
    client: KubeClient,
    namespace: string,
  ): { podChanged(key?: string, listed?: ListedPods): void } {
    const context = client.context.name;
    const noteKey = `${context}\n${namespace}`;
    const podsLeft = () => {
      let n = 0;
      for (const watched of this.pods.values())
        if (watched.context === context && watched.pod.metadata.namespace === namespace) n++;
      return n;
    };
    const lifecycle = new NamespaceLifecycle({
      client,
      namespace,
      podsLeft,
      onNote: (note) => {
        if (note === undefined) this.namespaceNotes.delete(noteKey);
        else this.namespaceNotes.set(noteKey, note);
        this.changed();
      },
      ...this.namespaceTimings,
    });
    this.lifecycles.add(lifecycle);
    /** Whether the namespace had pods while watched. */
    let had = false;
    return {
      podChanged: (key, listed) => {
        if (key === undefined) {
          // Only a whole list says how many are left (its pages do not), once per list.
          if (listed !== 'complete') return;
          const left = podsLeft();
          if (left === 0 && (had || lifecycle.note !== undefined)) lifecycle.poke();
          had ||= left > 0;
          return;
        }
        const watched = this.pods.get(key);
        had ||= watched !== undefined;
        const deleted = !watched || watched.pod.metadata.deletionTimestamp !== undefined;
        if (deleted || lifecycle.note !== undefined) lifecycle.poke();
      },
    };
  }

  private async stopWatch(watch: RunningWatch): Promise<void> {
    this.running.delete(watch);
    watch.health.dispose();
    this.changed();
    await watch.listWatch.stop();
  }

  /** Falls back from all namespaces to the context's when RBAC forbids the cluster-wide list. */
  private async fallBackIfForbidden(
    resource: Resource,
    watch: RunningWatch,
    client: KubeClient,
    namespace: string | undefined,
    error: KubeError | undefined,
  ): Promise<boolean> {
    if (namespace !== undefined || error?.status !== 403 || this.closed) return false;
    await this.stopWatch(watch);
    const { name, defaultNamespace } = client.context;
    // One note per context: the pods' says it all; the events' only when pods were allowed everywhere.
    const podsNote = allNamespacesForbidden(client.context);
    const eventsNote = `context ${visibleName(name)} may not list events in all namespaces (403 Forbidden), so events come from namespace "${defaultNamespace}" only`;
    if (resource === 'pods') {
      const events = this.notes.indexOf(eventsNote);
      if (events >= 0) this.notes.splice(events, 1);
      this.addNote(podsNote);
    } else if (!this.notes.includes(podsNote)) this.addNote(eventsNote);
    return true;
  }

  private async startPods(
    client: KubeClient,
    namespace: string | undefined,
    selector: string | undefined,
  ): Promise<KubeError | undefined> {
    if (this.closed) return undefined;
    const watch = this.startWatch('pods', client, namespace, selector);
    const error = await firstListWithin(watch, this.firstListWaitMs);
    if (await this.fallBackIfForbidden('pods', watch, client, namespace, error)) {
      return this.startPods(client, client.context.defaultNamespace, selector);
    }
    return error;
  }

  private async startEvents(client: KubeClient, namespace: string | undefined): Promise<void> {
    if (this.closed) return;
    const watch = this.startWatch('events', client, namespace);
    const error = await watch.listWatch.firstList;
    if (await this.fallBackIfForbidden('events', watch, client, namespace, error)) {
      await this.startEvents(client, client.context.defaultNamespace);
    }
  }

  addNote(note: string): void {
    if (this.notes.includes(note)) return;
    this.notes.push(note);
    this.changed();
  }

  /** After the first lists: notes for named namespaces without pods and a selector that matched none. */
  async checkScope(context: ResolvedContext, scope: Scope): Promise<void> {
    const client = this.clients.get(context.name);
    if (!client || this.closed) return;
    const perNamespace = new Map<string, number>();
    let pods = 0;
    for (const watched of this.pods.values()) {
      if (watched.context !== context.name) continue;
      pods++;
      const ns = watched.pod.metadata.namespace ?? '';
      perNamespace.set(ns, (perNamespace.get(ns) ?? 0) + 1);
    }
    // Only what was read can be judged: no pods from a watch that never listed says nothing of the namespace
    // (the watch line already says why, e.g. the context is unreachable).
    const listed = [...this.running]
      .filter((watch) => watch.health.answered)
      .map((watch) => watch.health.status)
      .filter((w) => w.context === context.name && w.resource === 'pods');
    if (listed.length === 0) return;
    const read = (ns: string) => listed.some((w) => w.namespaces.length === 0 || w.namespaces.includes(ns));
    const forbidden = this.notes.includes(allNamespacesForbidden(context));
    const namespaces = forbidden ? [context.defaultNamespace] : scopeNamespaces(context, scope);
    const looked = {
      context: context.name,
      namespaces: namespaces.filter((ns): ns is string => ns !== undefined && read(ns)),
      ...(scope.selector ? { selector: scope.selector } : {}),
      pods,
      notes: [],
    };
    const { notes } = await scopeNotes(context, looked, perNamespace, client);
    for (const note of notes) this.addNote(note);
  }

  subscribe(listener: () => void): () => void {
    return this.notifier.subscribe(listener);
  }

  trackPodChanges(): PodChanges {
    const tracker: Tracker = { keys: new Set(), listed: undefined };
    this.trackers.add(tracker);
    return {
      keys: () => tracker.keys,
      listed: () => tracker.listed,
      taken: () => {
        tracker.keys = new Set();
        tracker.listed = undefined;
      },
      stop: () => {
        this.trackers.delete(tracker);
      },
    };
  }

  getSnapshot(): ClusterSnapshot {
    if (this.snapshot === undefined) {
      const clockOffsetMs = new Map<string, number>();
      for (const [context, clock] of this.clocks) {
        const offset = clock.offsetMs();
        if (offset !== undefined) clockOffsetMs.set(context, offset);
      }
      // No key changed since the last version (a watch's health or a note did): that version still holds.
      if (this.changedKeys?.size !== 0 || this.podsVersion === undefined) {
        this.podsVersion = this.podsVersion?.next(this.pods, this.changedKeys) ?? LayeredMap.of(this.pods);
      }
      if (this.changedEvents?.size !== 0 || this.eventsVersion === undefined) {
        this.eventsVersion =
          this.eventsVersion?.next(this.events, this.changedEvents) ?? LayeredMap.of(this.events);
      }
      this.changedKeys = new Set();
      this.changedEvents = new Set();
      this.snapshot = {
        version: ++this.version,
        pods: this.podsVersion,
        watches: [...this.running].map((watch) => watch.health.status),
        notes: [...this.notes, ...this.namespaceNotes.values()],
        clockOffsetMs,
        events: this.eventsVersion,
      };
    }
    return this.snapshot;
  }

  private client(context: string): KubeClient {
    const client = this.clients.get(context);
    if (client === undefined)
      throw new KubeError(`context ${visibleName(context)} is not watched by this view`);
    return client;
  }

  readLogs(ref: PodRef, request: LogRequest): Promise<string[]> {
    return readLogs(this.client(ref.context), ref, request);
  }

  followLogs(
    ref: PodRef,
    request: LogRequest,
    onLines: (lines: string[]) => void,
    onEnd: (end: LogEnd) => void,
  ): LogFollower {
    return followLogs(this.client(ref.context), ref, request, onLines, onEnd);
  }

  getPod(ref: PodRef) {
    const client = this.client(ref.context);
    return getPod(client.context, ref.namespace, ref.name, client);
  }

  readWorkload(
    ref: { context: string; namespace: string },
    owner: Owner,
  ): Promise<WorkloadLookup | undefined> {
    const client = this.client(ref.context);
    return readWorkloadMeta(client.context, ref.namespace, owner, client);
  }

  readReplicaSets(
    ref: { context: string; namespace: string },
    deployment: string,
    hashes: readonly string[],
  ): Promise<ReplicaSetLookup> {
    const client = this.client(ref.context);
    return readReplicaSetRevisions(client.context, ref.namespace, deployment, hashes, client);
  }

  listEvents(ref: PodRef): Promise<KubeEvent[]> {
    const client = this.client(ref.context);
    const known = this.pods.get(podKey(ref))?.pod;
    const pod = known ?? { metadata: { name: ref.name, namespace: ref.namespace }, spec: { containers: [] } };
    return listPodEvents(client.context, pod, client);
  }

  listNamespaceEvents(ref: { context: string; namespace: string }): Promise<KubeEvent[]> {
    const client = this.client(ref.context);
    return listNamespaceEvents(client.context, ref.namespace, client);
  }

  listNodeEvents(ref: { context: string; nodes: readonly string[] }): Promise<NodeEvents> {
    const client = this.client(ref.context);
    return listNodeEvents(client.context, ref.nodes, client);
  }

  async exec(ref: PodRef, container: string, tty: ExecTerminal = process): Promise<number> {
    const { context } = this.client(ref.context);
    // client-node's Exec brings the WebSocket library (~15 ms to load): loaded on the first `e`, not at start.
    const { execShell } = await import('./exec.js');
    return execShell(context, ref, container, tty);
  }

  async close(): Promise<void> {
    this.closed = true;
    const watches = [...this.running];
    this.running.clear();
    this.notifier.close();
    for (const lifecycle of this.lifecycles) lifecycle.stop();
    for (const watch of watches) watch.health.dispose();
    await Promise.all(watches.map((watch) => watch.listWatch.stop()));
    closeConnections([...this.clients.values()].map((client) => client.context));
  }
}

/**
 * Resolves the scope's contexts and starts watching them. Rejects (with the first error) only when no
 * pod watch could list anything, so `crashtop` fails with one clear line on a dead or refused cluster;
 * otherwise failing watches show their state in the snapshot and keep retrying.
 */
export async function createClusterSource(
  scope: Scope,
  options: ClusterSourceOptions = {},
): Promise<ClusterSource> {
  const { source, listed } = await startClusterSource(scope, options);
  await listed;
  return source;
}

export interface StartedClusterSource {
  /** Already filling: pods appear page by page while the first lists arrive. */
  source: ClusterSource;
  /**
   * Settles when every pod watch has its first list (or the wait for it ran out). Rejects with the first
   * error, the source closed, when no pod watch could list anything (what createClusterSource throws).
   */
  listed: Promise<void>;
}

/**
 * Like createClusterSource, but hands the source over as soon as the watches are started, so the view can
 * draw its header and the first pages of a 10,000-pod list (seconds long) instead of a blank screen.
 * The caller must handle `listed` (a rejection means the cluster is unreachable or refuses).
 */
export async function startClusterSource(
  scope: Scope,
  options: ClusterSourceOptions = {},
): Promise<StartedClusterSource> {
  const contexts = options.contexts ?? (await resolveContexts(scope));
  const source = new LiveClusterSource(options);
  // Every context comes from the same kubeconfig files.
  source.kubeconfig = contexts[0]?.kubeconfig;
  source.inCluster = contexts[0]?.inCluster;
  const listed = Promise.all(contexts.map((context) => source.startContext(context, scope))).then(
    async (perContext) => {
      const results = perContext.flat();
      const failures = results.filter((error): error is KubeError => error !== undefined);
      if (failures.length === results.length && failures[0] !== undefined) {
        await source.close();
        throw selectorError(failures[0], scope.selector);
      }
      // Not awaited: the notes arrive when they are known, the view does not wait for them.
      for (const context of contexts) void source.checkScope(context, scope).catch(() => undefined);
    },
  );
  return { source, listed };
}
