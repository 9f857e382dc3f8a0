import type { KubeEvent } from '../model/pod.js';
import { uid } from './names.js';
import type { ResourceStore } from './store.js';
import { rfc3339 } from './time-format.js';

// Events as the kubelet's recorder produces them (client-go tools/record/events_cache.go, EventCorrelate):
// - identical events (same source, object, field path, type, reason, message: getEventKey) are merged into one
//   with a growing `count` and `lastTimestamp` (eventObserve);
// - then the spam filter (EventSourceObjectSpamFilter, key getSpamKey: source component and host plus the
//   involved object, not its field path, type or reason) lets one source write at most a burst of 25 events about
//   one object, refilled at 1 per 300 s (defaultSpamBurst, defaultSpamQPS). A filtered occurrence is still
//   counted (eventObserve runs before the filter), so the next write that passes carries the whole count. A
//   crash loop that has run for a while therefore changes its pod's events about once per 5 minutes, not
//   four times a restart;
// - the apiserver deletes an event an hour after its last write (--event-ttl).
// Not modelled: aggregation of > 10 similar events with different messages ("combined from similar events"),
// whose messages the simulated kubelet never varies, and the 4096-entry LRUs (one recorder per node here).

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
/** client-go tools/record/events_cache.go: defaultSpamBurst, defaultSpamQPS. */
export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;

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
  /** Last occurrence, written or filtered. */
  lastMs: number;
  /** Last write to the API server; undefined until the spam filter let one through. */
  writtenMs: number | undefined;
}

/** A token bucket per source and object, like flowcontrol's token-bucket limiter behind the spam filter. */
interface Bucket {
  tokens: number;
  at: number;
}

export class EventRecorder {
  private readonly byKey = new Map<string, Recorded>();
  private readonly dirty = new Set<string>();
  private readonly buckets = new Map<string, Bucket>();
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
    const type = input.type ?? 'Normal';
    const component = input.component ?? 'kubelet';
    // Replayed history spends the object's spam budget too, even where its events have expired since.
    const accepted = this.accept(`${component}\u0000${host}\u0000${object.uid}`, at);
    if (at < this.startedAt - EVENT_TTL_MS) return;
    const key = `${object.uid}\u0000${input.fieldPath ?? ''}\u0000${input.reason}\u0000${type}\u0000${component}\u0000${input.message}`;
    const existing = this.byKey.get(key);
    if (accepted) this.dirty.add(key);
    if (existing) {
      existing.event.count = (existing.event.count ?? 1) + 1;
      existing.lastMs = at;
      if (accepted) existing.writtenMs = at;
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
    this.byKey.set(key, { event, lastMs: at, writtenMs: accepted ? at : undefined });
  }

  /** The spam filter's verdict for one occurrence: true when its source may write about the object now. */
  private accept(spamKey: string, at: number): boolean {
    let bucket = this.buckets.get(spamKey);
    if (bucket === undefined) {
      bucket = { tokens: SPAM_BURST, at };
      this.buckets.set(spamKey, bucket);
    } else {
      bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + (at - bucket.at) / SPAM_REFILL_MS);
      bucket.at = at;
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Writes the changed events to the store and deletes the expired ones. */
  flush(now: number): void {
    if (now - this.lastSweep >= 60_000) {
      this.lastSweep = now;
      for (const [key, recorded] of this.byKey) {
        const { metadata } = recorded.event;
        // The server forgets an event an hour after its last write; the recorder keeps counting an event
        // it still sees (a later write that passes creates it again under its name, as recordEvent does
        // when its patch gets 404).
        if (recorded.writtenMs !== undefined && recorded.writtenMs < now - EVENT_TTL_MS) {
          recorded.writtenMs = undefined;
          this.store.delete(`${metadata.namespace}/${metadata.name}`);
        }
        if (recorded.lastMs < now - EVENT_TTL_MS) {
          this.byKey.delete(key);
          this.dirty.delete(key);
        }
      }
      // A full bucket is the same as none.
      for (const [key, bucket] of this.buckets) {
        if (bucket.at + SPAM_BURST * SPAM_REFILL_MS < now) this.buckets.delete(key);
      }
    }
    for (const key of this.dirty) {
      const recorded = this.byKey.get(key)!;
      recorded.event.lastTimestamp = rfc3339(recorded.writtenMs ?? recorded.lastMs);
      this.store.put(recorded.event);
    }
    this.dirty.clear();
  }
}
