import { visibleName } from '../model/kubectl.js';
import type { KubeEvent, Pod } from '../model/pod.js';
import { KubeError } from './errors.js';
import { defaultRequestTimeoutMs, KubeClient } from './http.js';
import type { ResolvedContext } from './kubeconfig.js';

/** When the event last happened: series and merged events update lastTimestamp, new-style ones eventTime. */
export function eventTime(event: KubeEvent): number {
  const stamp =
    event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp;
  const ms = stamp === undefined ? Number.NaN : Date.parse(stamp);
  return Number.isNaN(ms) ? 0 : ms;
}

export function byTime(a: KubeEvent, b: KubeEvent): number {
  return eventTime(a) - eventTime(b);
}

/**
 * `[...sorted, event].sort(byTime)` for a list already in byTime order, without sorting it again: a pod's
 * events change one at a time, dozens a second on a busy cluster, and each sort parsed every time twice.
 */
export function insertByTime(sorted: readonly KubeEvent[], event: KubeEvent): KubeEvent[] {
  const at = eventTime(event);
  // After every event of the same time, as the stable sort leaves it.
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (eventTime(sorted[middle]!) <= at) low = middle + 1;
    else high = middle;
  }
  return [...sorted.slice(0, low), event, ...sorted.slice(low)];
}

/**
 * The events of one pod, oldest first, asked for as `kubectl describe pod` does: by the involved object's
 * name, namespace and uid (the uid keeps a deleted pod's namesake's events out).
 */
export async function listPodEvents(
  context: ResolvedContext,
  pod: Pod,
  client = new KubeClient(context),
): Promise<KubeEvent[]> {
  const namespace = pod.metadata.namespace ?? context.defaultNamespace;
  const selector = [`involvedObject.name=${pod.metadata.name}`, `involvedObject.namespace=${namespace}`];
  if (pod.metadata.uid !== undefined) selector.push(`involvedObject.uid=${pod.metadata.uid}`);
  const list = await client.getJson<{ items?: KubeEvent[] }>(
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
    { fieldSelector: selector.join(','), limit: 500 },
    { verb: 'list', resource: 'events', namespace },
    { timeoutMs: defaultRequestTimeoutMs },
  );
  return (list.items ?? []).sort(byTime);
}

/** How many events of a namespace the events view reads (one page; the newest are what matters). */
export const NAMESPACE_EVENT_LIMIT = 500;

/**
 * The events of a namespace, newest first: `kubectl get events --sort-by=.lastTimestamp` (the guide's step 5),
 * read in one bounded page.
 */
export async function listNamespaceEvents(
  context: ResolvedContext,
  namespace: string,
  client = new KubeClient(context),
): Promise<KubeEvent[]> {
  const list = await client.getJson<{ items?: KubeEvent[] }>(
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
    { limit: NAMESPACE_EVENT_LIMIT },
    { verb: 'list', resource: 'events', namespace },
    { timeoutMs: defaultRequestTimeoutMs },
  );
  return (list.items ?? []).sort((a, b) => byTime(b, a));
}

/** At most this many nodes are asked about (a namespace's pods on more nodes: the first ones by name). */
const NODE_EVENT_NODES = 20;
/** Events per node read (one page each; the newest are what matters). */
const NODE_EVENT_LIMIT = 100;

export interface NodeEvents {
  events: KubeEvent[];
  /** Set when listing events cluster-wide is forbidden (Node events are cluster-scoped): the one line to show. */
  forbidden?: string;
}

/**
 * The events of these nodes, newest first: memory or disk pressure, evictions, reboots, system OOMs are recorded
 * on the Node (involvedObject.kind=Node), not in any pod's namespace, so they are listed cluster-wide with a field
 * selector per node, as `kubectl get events -A --field-selector involvedObject.kind=Node,involvedObject.name=N`.
 * RBAC that allows only namespaces makes that a 403: then `forbidden` says so.
 */
export async function listNodeEvents(
  context: ResolvedContext,
  nodes: readonly string[],
  client = new KubeClient(context),
): Promise<NodeEvents> {
  const asked = [...new Set(nodes)].sort().slice(0, NODE_EVENT_NODES);
  try {
    const lists = await Promise.all(
      asked.map((node) =>
        client.getJson<{ items?: KubeEvent[] }>(
          '/api/v1/events',
          { fieldSelector: `involvedObject.kind=Node,involvedObject.name=${node}`, limit: NODE_EVENT_LIMIT },
          { verb: 'list', resource: 'events' },
          { timeoutMs: defaultRequestTimeoutMs },
        ),
      ),
    );
    return { events: lists.flatMap((list) => list.items ?? []).sort((a, b) => byTime(b, a)) };
  } catch (error) {
    // The general 403 advice (drop -A, pick a namespace) does not fit: say what is missing and what it costs.
    if (error instanceof KubeError && error.status === 403) {
      const forbidden = `context ${visibleName(context.name)} may not list events cluster-wide (403 Forbidden), so the nodes' own events (pressure, evictions, reboots) are not shown`;
      return { events: [], forbidden };
    }
    throw error;
  }
}
