import type { KubeEvent, Pod } from '../model/pod.js';
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
