import type { Pod } from '../../src/model/pod.js';
import type { SimCluster } from '../../src/sim/index.js';
import type { Api } from './api.js';

// Plays the kubelet (and the controllers that create pods) against the real API server: every pod and event of a
// simulated cluster is written to the real server as the kubelet would write it — the pod created with its spec,
// its status through `pods/status`, its events through the events API, a deletion confirmed with grace period 0.
// Namespaces and node names get a prefix so that test files never see each other's objects.

/**
 * How the apiserver reaches the kubelet for exec. A v1.36 kubelet declares `ExtendWebSocketsToKubelet` in its Node
 * status and the apiserver proxies the client's WebSocket to it unchanged; for a node that does not (every kubelet
 * before v1.36) the apiserver translates the client's WebSocket to SPDY/3.1 (StreamTranslator).
 */
export type KubeletStreaming = 'websocket' | 'spdy';

interface Pending {
  kind: 'pod' | 'event';
  key: string;
  /** The newest JSON the simulator holds; undefined = deleted. */
  json: string | undefined;
  /** Deleted, then created again under the same name before the deletion was written. */
  recreate?: boolean;
}

export class Mirror {
  /** Simulator uid → the uid the real server gave the pod. */
  private readonly uids = new Map<string, string>();
  private readonly created = new Set<string>();
  /**
   * Changes not yet written, by id, pods' apart from events' (an event names its pod by the uid the real server
   * gave it, so pods go first). Each in the order the simulator made them: a Map keeps insertion order, so the next
   * write is found without sorting (seeding 50,000 pods sorted the whole queue before every write).
   */
  private readonly pending = { pod: new Map<string, Pending>(), event: new Map<string, Pending>() };
  /** Ids being written now: one write at a time per object, in the order the simulator made them. */
  private readonly inflight = new Set<string>();
  private readonly unsubscribe: Array<() => void> = [];
  private running = 0;
  private idle: Array<() => void> = [];
  private failure: Error | undefined;
  private stopped = false;

  constructor(
    private readonly cluster: SimCluster,
    private readonly api: Api,
    readonly prefix: string,
    private readonly kubeletPort: number,
    private readonly streaming: KubeletStreaming = 'websocket',
    private readonly concurrency = 6,
  ) {}

  ns(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** The simulator's namespace for a real one, or undefined when it is not ours. */
  simNs(name: string): string | undefined {
    return name.startsWith(this.prefix) ? name.slice(this.prefix.length) : undefined;
  }

  realUid(simUid: string): string | undefined {
    return this.uids.get(simUid);
  }

  async start(): Promise<void> {
    for (const node of this.cluster.scenario.nodes) await this.putNode(node);
    for (const ns of this.cluster.namespaces.list()) await this.putNamespace(ns.name);
    this.unsubscribe.push(
      this.cluster.pods.subscribe((c) =>
        this.enqueue('pod', c.object.key, c.type === 'DELETED' ? undefined : c.object.json),
      ),
      this.cluster.events.subscribe((c) =>
        this.enqueue('event', c.object.key, c.type === 'DELETED' ? undefined : c.object.json),
      ),
      this.cluster.namespaces.subscribe((c) => {
        if (c.type !== 'DELETED') void this.putNamespace(c.object.name);
      }),
    );
    for (const o of this.cluster.pods.list()) this.enqueue('pod', o.key, o.json);
    for (const o of this.cluster.events.list()) this.enqueue('event', o.key, o.json);
    await this.synced();
  }

  /** Resolves once everything the simulator has published so far is on the real server. */
  synced(): Promise<void> {
    this.cluster.advance();
    if (this.failure) return Promise.reject(this.failure);
    if (this.pendingCount() === 0 && this.running === 0) return Promise.resolve();
    return new Promise((resolve, reject) =>
      this.idle.push(() => (this.failure ? reject(this.failure) : resolve())),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const u of this.unsubscribe) u();
  }

  private enqueue(kind: Pending['kind'], key: string, json: string | undefined): void {
    if (this.stopped) return;
    const id = `${kind}/${key}`;
    const queue = this.pending[kind];
    const earlier = queue.get(id);
    const recreate =
      earlier !== undefined && json !== undefined && (earlier.json === undefined || earlier.recreate);
    queue.set(id, { kind, key, json, ...(recreate ? { recreate } : {}) });
    this.pump();
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const item = this.next();
      if (item === undefined) return;
      const first = `${item.kind}/${item.key}`;
      this.pending[item.kind].delete(first);
      this.inflight.add(first);
      this.running += 1;
      const write = item.kind === 'pod' ? this.writePod(item) : this.writeEvent(item);
      write
        .then(() => this.settle(first))
        .catch(async (error: Error) => {
          if (this.stopped) return this.settle(first);
          if (!retriable(error)) {
            this.failure ??= error;
            return this.settle(first);
          }
          // The server is down or restarting: keep the change (unless a newer one came) and try again.
          await new Promise((r) => setTimeout(r, 250));
          const queue = this.pending[item.kind];
          if (!queue.has(first)) queue.set(first, item);
          this.settle(first);
        });
    }
  }

  /** The oldest change not being written now, pods first (at most `concurrency` ids are in flight). */
  private next(): Pending | undefined {
    for (const queue of [this.pending.pod, this.pending.event]) {
      for (const [id, item] of queue) if (!this.inflight.has(id)) return item;
    }
    return undefined;
  }

  private pendingCount(): number {
    return this.pending.pod.size + this.pending.event.size;
  }

  private settle(id: string): void {
    this.inflight.delete(id);
    this.running -= 1;
    this.pump();
    if (this.pendingCount() === 0 && this.running === 0) {
      const waiting = this.idle;
      this.idle = [];
      for (const done of waiting) done();
    }
  }

  private async writePod(item: Pending): Promise<void> {
    const [simNs, name] = item.key.split('/') as [string, string];
    const path = `/api/v1/namespaces/${this.ns(simNs)}/pods/${name}`;
    if (item.json === undefined) {
      await this.api.tryCall('DELETE', `${path}?gracePeriodSeconds=0`);
      this.created.delete(item.key);
      return;
    }
    const pod = JSON.parse(item.json) as Pod;
    if (item.recreate) {
      await this.api.tryCall('DELETE', `${path}?gracePeriodSeconds=0`);
      this.created.delete(item.key);
    }
    if (!this.created.has(item.key)) {
      const {
        resourceVersion: _rv,
        uid: simUid,
        creationTimestamp: _ts,
        generateName: _g,
        ...meta
      } = pod.metadata as Pod['metadata'] & { generateName?: string };
      const body = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { ...meta, namespace: this.ns(simNs) },
        spec: { ...pod.spec, nodeName: this.nodeName(pod.spec.nodeName ?? '') },
      };
      let created: Pod;
      try {
        created = await this.api.call<Pod>('POST', `/api/v1/namespaces/${this.ns(simNs)}/pods`, body);
      } catch (error) {
        // A pod of the same name left from a deletion still in progress: finish it, create again.
        if ((error as { status?: number }).status !== 409) throw error;
        await this.api.tryCall('DELETE', `${path}?gracePeriodSeconds=0`);
        created = await this.api.call<Pod>('POST', `/api/v1/namespaces/${this.ns(simNs)}/pods`, body);
      }
      this.uids.set(simUid ?? '', created.metadata.uid ?? '');
      this.created.add(item.key);
    }
    await this.api.mergePatch(`${path}/status`, { status: pod.status });
  }

  private async writeEvent(item: Pending): Promise<void> {
    const [simNs, simName] = item.key.split('/') as [string, string];
    const event =
      item.json === undefined
        ? undefined
        : (JSON.parse(item.json) as {
            metadata: Record<string, unknown>;
            involvedObject: { kind?: string; name?: string; uid?: string; namespace?: string };
            source?: { component?: string; host?: string };
          } & Record<string, unknown>);
    // A node's events live in `default`, shared by every test file: their names carry this file's prefix.
    const onNode = event ? event.involvedObject.kind === 'Node' : this.nodeEventKeys.has(item.key);
    if (onNode && event) this.nodeEventKeys.add(item.key);
    const ns = onNode ? 'default' : this.ns(simNs);
    const name = onNode ? `${this.prefix}${simName}` : simName;
    const path = `/api/v1/namespaces/${ns}/events/${name}`;
    if (event === undefined) {
      this.nodeEventKeys.delete(item.key);
      await this.api.tryCall('DELETE', path);
      return;
    }
    const uid = onNode ? undefined : this.uids.get(event.involvedObject.uid ?? '');
    if (!onNode && uid === undefined) return; // its pod is gone (deleted before the event was written)
    const involvedObject = onNode
      ? { kind: 'Node', name: this.nodeName(event.involvedObject.name ?? '') }
      : { ...event.involvedObject, namespace: ns, uid };
    const body = {
      ...event,
      metadata: { name, namespace: ns },
      involvedObject,
      ...(event.source?.host ? { source: { ...event.source, host: this.nodeName(event.source.host) } } : {}),
    };
    const status = await this.api.tryCall('POST', `/api/v1/namespaces/${ns}/events`, body);
    if (status === 409) await this.api.mergePatch(path, body);
  }

  /** Sim keys of the node events written (a deletion has no object left to tell). */
  private readonly nodeEventKeys = new Set<string>();

  nodeName(simNode: string): string {
    return `${this.prefix}${simNode}`;
  }

  private async putNamespace(name: string): Promise<void> {
    await this.api.tryCall('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: this.ns(name) },
    });
  }

  /** A Node whose kubelet endpoint is the fake kubelet: the apiserver sends pods/log there. */
  private async putNode(simNode: string): Promise<void> {
    const name = this.nodeName(simNode);
    await this.api.tryCall('DELETE', `/api/v1/nodes/${name}`);
    await this.api.call('POST', '/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      status: {
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
        daemonEndpoints: { kubeletEndpoint: { Port: this.kubeletPort } },
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'KubeletReady',
            message: 'kubelet is posting ready status',
          },
        ],
        capacity: { cpu: '8', memory: '32Gi', pods: '110' },
        allocatable: { cpu: '8', memory: '32Gi', pods: '110' },
        ...(this.streaming === 'websocket' ? { declaredFeatures: ['ExtendWebSocketsToKubelet'] } : {}),
      },
    });
  }
}

/** A refused or dropped connection, or the server's own 5xx / 429: what a kubelet retries. */
function retriable(error: Error): boolean {
  const { status, code } = error as { status?: number; code?: string };
  if (status !== undefined) return status >= 500 || status === 429;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code ?? '') ||
    /timed out|hang up/.test(error.message)
  );
}
