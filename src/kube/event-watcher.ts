import type { KubeEvent } from '../model/pod.js';
import { byTime, insertByTime } from './events.js';
import type { KubeClient } from './http.js';
import { ListWatch, type WatchTimings } from './list-watch.js';
import { slimEvent } from './slim.js';
import { podKey } from './source.js';
import type { WatchHealth } from './watch-health.js';

// Keeps the recent events of pods, keyed by podKey, newest last, at most `perPod` per pod. When a pod has
// more, Normal events go first: a crash loop's story is in its Warnings (BackOff, Unhealthy, Failed), and a
// long loop buries them under Pulled/Created/Started. Lists are replaced, never mutated, so a view holding
// one keeps a consistent copy.

export const maxEventsPerPod = 50;
/** The events watch's field selector. */
export const POD_EVENTS = 'involvedObject.kind=Pod';
// Events also name pods the selector hides and pods long gone; bound how many pods we remember.
const maxPodsWithEvents = 20_000;

export function trimEvents(events: KubeEvent[], perPod: number): KubeEvent[] {
  if (events.length <= perPod) return events;
  const surplus = events.length - perPod;
  const normals = events.filter((event) => event.type !== 'Warning').length;
  let dropNormals = Math.min(surplus, normals);
  let dropWarnings = surplus - dropNormals;
  return events.filter((event) => {
    if (event.type !== 'Warning') {
      if (dropNormals > 0) {
        dropNormals--;
        return false;
      }
      return true;
    }
    if (dropWarnings > 0) {
      dropWarnings--;
      return false;
    }
    return true;
  });
}

export interface EventWatchOptions {
  client: KubeClient;
  namespace?: string;
  events: Map<string, readonly KubeEvent[]>;
  health: WatchHealth;
  timings: WatchTimings;
  now: () => number;
  /** With the pod keys whose events changed when one event arrived; without, after a list or relist. */
  onChange: (keys?: readonly string[]) => void;
  perPod?: number;
}

export function watchEvents(options: EventWatchOptions): ListWatch<KubeEvent> {
  const { client, events, onChange } = options;
  const perPod = options.perPod ?? maxEventsPerPod;
  const context = client.context.name;
  let owned = new Set<string>();
  const keyOf = (event: KubeEvent): string | undefined => {
    const involved = event.involvedObject;
    if (involved.kind !== 'Pod' || involved.name === undefined) return undefined;
    return podKey({
      context,
      namespace: involved.namespace ?? event.metadata?.namespace ?? '',
      name: involved.name,
    });
  };
  /** Returns the keys it changed: this pod's, and the one it pushed out when the map was full. */
  const remember = (key: string, list: KubeEvent[]): string[] => {
    if (list.length === 0) {
      events.delete(key);
      owned.delete(key);
      return [key];
    }
    events.set(key, list);
    owned.add(key);
    if (events.size > maxPodsWithEvents) {
      const oldest = events.keys().next().value;
      if (oldest !== undefined) {
        events.delete(oldest);
        owned.delete(oldest);
        return [key, oldest];
      }
    }
    return [key];
  };
  return new ListWatch<KubeEvent>({
    client,
    resource: 'events',
    namespace: options.namespace,
    // Only pods' events are kept (keyOf): the server leaves out those of ReplicaSets, Deployments, nodes,
    // autoscalers… (a field the API server selects events by: pkg/registry/core/event/strategy.go). A node's
    // events are read when the events view opens (events.ts listNodeEvents).
    fieldSelector: POD_EVENTS,
    slim: slimEvent,
    health: options.health,
    timings: options.timings,
    now: options.now,
    handlers: {
      replace(items) {
        for (const key of owned) events.delete(key);
        owned = new Set();
        const grouped = new Map<string, KubeEvent[]>();
        for (const event of items) {
          const key = keyOf(event);
          if (key === undefined) continue;
          const list = grouped.get(key);
          if (list === undefined) grouped.set(key, [event]);
          else list.push(event);
        }
        for (const [key, list] of grouped) remember(key, trimEvents(list.sort(byTime), perPod));
        onChange();
      },
      apply(type, event) {
        const key = keyOf(event);
        if (key === undefined) return;
        const name = event.metadata?.name;
        const others = (events.get(key) ?? []).filter((known) => known.metadata?.name !== name);
        onChange(
          remember(key, type === 'DELETED' ? others : trimEvents(insertByTime(others, event), perPod)),
        );
      },
    },
  });
}
