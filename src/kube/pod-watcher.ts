import type { Pod } from '../model/pod.js';
import type { KubeClient } from './http.js';
import { ListWatch, type WatchTimings } from './list-watch.js';
import { slimPod } from './slim.js';
import { type ListedPods, podKey, type WatchedPod } from './source.js';
import type { WatchHealth } from './watch-health.js';

// Keeps the pods of one context and namespace (or all namespaces) in the map shared by every watch of the
// cluster source. Each watch remembers the keys it put there, so a relist removes exactly its own pods
// that vanished, and leaves other namespaces and contexts alone. The pages of a LIST are published as
// they arrive (the view shows the first 500 pods while the rest are on their way); pods the list turns
// out not to hold any more go when it ends.

export interface PodWatchOptions {
  client: KubeClient;
  namespace?: string;
  labelSelector?: string;
  pods: Map<string, WatchedPod>;
  health: WatchHealth;
  timings: WatchTimings;
  now: () => number;
  /**
   * With the pod's key when one pod changed; without, after a list page or relist, and then with `listed` when
   * that page was a LIST's first, or its last (the whole set is in).
   */
  onChange: (key?: string, listed?: ListedPods) => void;
}

export function watchPods(options: PodWatchOptions): ListWatch<Pod> {
  const { client, pods, onChange } = options;
  const context = client.context.name;
  const owned = new Set<string>();
  const keyOf = (pod: Pod) =>
    podKey({ context, namespace: pod.metadata.namespace ?? '', name: pod.metadata.name });
  return new ListWatch<Pod>({
    client,
    resource: 'pods',
    namespace: options.namespace,
    labelSelector: options.labelSelector,
    slim: slimPod,
    health: options.health,
    timings: options.timings,
    now: options.now,
    handlers: {
      page(items, first) {
        for (const pod of items) {
          const key = keyOf(pod);
          owned.add(key);
          pods.set(key, { context, pod });
        }
        onChange(undefined, first ? 'first-page' : undefined);
      },
      replace(items) {
        const listed = new Set<string>();
        for (const pod of items) {
          const key = keyOf(pod);
          listed.add(key);
          pods.set(key, { context, pod });
        }
        for (const key of owned) {
          if (listed.has(key)) continue;
          pods.delete(key);
          owned.delete(key);
        }
        // `pods` kept the key strings it had (Map.set keeps a key's first copy), and so does `owned`: each pod's
        // key once, where taking `listed` as it is held a second copy of every key (50,000 at 50,000 pods).
        for (const key of listed) owned.add(key);
        onChange(undefined, 'complete');
      },
      apply(type, pod) {
        const key = keyOf(pod);
        if (type === 'DELETED') {
          pods.delete(key);
          owned.delete(key);
        } else {
          pods.set(key, { context, pod });
          owned.add(key);
        }
        onChange(key);
      },
    },
  });
}
