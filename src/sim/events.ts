import type { KubeEvent } from '../model/pod.js';
import { uid } from './names.js';
import type { ResourceStore } from './store.js';
import { rfc3339 } from './time-format.js';

// Events as the kubelet's recorder produces them: identical events (same object, field path, reason, message) are
// merged into one with a growing `count` and `lastTimestamp` (client-go tools/record/events_cache.go), and they
// expire after an hour (the apiserver's default --event-ttl).

export interface EventObject extends KubeEvent {
  apiVersion: 'v1';
  kind: 'Event';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion?: string;
    creationTimestamp: string;
  };
  reportingComponent: string;
  reportingInstance: string;
}

export interface PodRef {
  name: string;
  namespace: string;
  uid: string;
  node: string;
}

export interface EventInput {
  reason: string;
  message: string;
  type?: 'Normal' | 'Warning';
  /** `spec.containers{app}`; none for pod-level events. */
  fieldPath?: string;
  /** `kubelet` unless said otherwise (`default-scheduler` for Scheduled). */
  component?: string;
}

const EVENT_TTL_MS = 3_600_000;

export function eventFields(event: EventObject): Record<string, string> {
  const o = event.involvedObject;
  return {
    'involvedObject.kind': o.kind ?? '',
    'involvedObject.namespace': o.namespace ?? '',
    'involvedObject.name': o.name ?? '',
    'involvedObject.uid': o.uid ?? '',
    'involvedObject.fieldPath': o.fieldPath ?? '',
    reason: event.reason ?? '',
    type: event.type ?? '',
    'source.component': event.source?.component ?? '',
  };
}

interface Recorded {
  event: EventObject;
  lastMs: number;
}

export class EventRecorder {
  private readonly byKey = new Map<string, Recorded>();
  private readonly dirty = new Set<string>();
  private lastSweep = 0;
  private sequence = 0;

  /** `startedAt`: events of the history replayed before it that would already have expired are not kept. */
  constructor(
    private readonly store: ResourceStore<EventObject>,
    private readonly startedAt: number,
  ) {}

  record(pod: PodRef, at: number, input: EventInput): void {
    const object = { kind: 'Pod', namespace: pod.namespace, name: pod.name, uid: pod.uid };
    this.put(object, pod.namespace, pod.node, at, input);
  }

  /**
   * An event about a node, from its kubelet. A Node has no namespace: client-go's recorder files events of
   * cluster-scoped objects in `default` (tools/record/event.go, makeEvent), which is where kubectl shows them.
   */
  recordNode(node: { name: string; uid: string }, at: number, input: EventInput): void {
    this.put({ kind: 'Node', name: node.name, uid: node.uid }, 'default', node.name, at, input);
  }

  private put(
    object: { kind: string; namespace?: string; name: string; uid: string },
    namespace: string,
    host: string,
    at: number,
    input: EventInput,
  ): void {
    if (at < this.startedAt - EVENT_TTL_MS) return;
    const type = input.type ?? 'Normal';
    const component = input.component ?? 'kubelet';
    const key = `${object.uid}\u0000${input.fieldPath ?? ''}\u0000${input.reason}\u0000${type}\u0000${component}\u0000${input.message}`;
    const existing = this.byKey.get(key);
    this.dirty.add(key);
    if (existing) {
      existing.event.count = (existing.event.count ?? 1) + 1;
      existing.lastMs = at;
      return;
    }
    const time = rfc3339(at);
    // client-go names events `<object>.<unix nanoseconds in hex>`; the sequence number keeps names of events
    // recorded in the same simulated millisecond apart.
    this.sequence += 1;
    const nanos = BigInt(at) * 1_000_000n + BigInt(this.sequence % 1_000_000);
    const name = `${object.name}.${nanos.toString(16)}`;
    const event: EventObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace, uid: uid(name), creationTimestamp: time },
      involvedObject: { ...object, ...(input.fieldPath ? { fieldPath: input.fieldPath } : {}) },
      reason: input.reason,
      message: input.message,
      type,
      count: 1,
      firstTimestamp: time,
      lastTimestamp: time,
      source: component === 'kubelet' ? { component, host } : { component },
      reportingComponent: component,
      reportingInstance: component === 'kubelet' ? host : '',
    };
    this.byKey.set(key, { event, lastMs: at });
  }

  /** Writes the changed events to the store and deletes the expired ones. */
  flush(now: number): void {
    if (now - this.lastSweep >= 60_000) {
      this.lastSweep = now;
      for (const [key, recorded] of this.byKey) {
        if (recorded.lastMs < now - EVENT_TTL_MS) {
          this.byKey.delete(key);
          this.dirty.delete(key);
          const { metadata } = recorded.event;
          this.store.delete(`${metadata.namespace}/${metadata.name}`);
        }
      }
    }
    for (const key of this.dirty) {
      const recorded = this.byKey.get(key)!;
      recorded.event.lastTimestamp = rfc3339(recorded.lastMs);
      this.store.put(recorded.event);
    }
    this.dirty.clear();
  }
}
