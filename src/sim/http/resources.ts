import type { SimCluster } from '../cluster.js';
import type { ResourceStore, Storable } from '../store.js';

// The resources the simulator serves, with what the apiserver needs to know about each: its list kind and the
// field selectors it supports (pkg/registry/core/*/strategy.go ToSelectableFields).

export type Plural = 'pods' | 'events' | 'namespaces' | 'configmaps' | 'secrets';

export interface Resource {
  plural: Plural;
  kind: string;
  listKind: string;
  fieldLabels: readonly string[];
  store: ResourceStore<Storable>;
  /**
   * Served through the apiserver's watch cache, the only source of watch bookmarks. Events have none by
   * default (pkg/registry/core/event/storage: no cacher), so an events watch is silent while nothing happens.
   */
  watchCache: boolean;
}

export function resources(cluster: SimCluster): Record<Plural, Resource> {
  const empty = (
    plural: 'configmaps' | 'secrets',
    kind: string,
    store: ResourceStore<Storable>,
  ): Resource => ({
    plural,
    kind,
    listKind: `${kind}List`,
    fieldLabels: ['metadata.name', 'metadata.namespace'],
    store,
    watchCache: true,
  });
  return {
    configmaps: empty('configmaps', 'ConfigMap', cluster.configMaps),
    secrets: empty('secrets', 'Secret', cluster.secrets),
    pods: {
      plural: 'pods',
      kind: 'Pod',
      listKind: 'PodList',
      fieldLabels: [
        'metadata.name',
        'metadata.namespace',
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'status.phase',
        'status.podIP',
      ],
      store: cluster.pods as unknown as ResourceStore<Storable>,
      watchCache: true,
    },
    events: {
      plural: 'events',
      kind: 'Event',
      listKind: 'EventList',
      fieldLabels: [
        'metadata.name',
        'metadata.namespace',
        'involvedObject.kind',
        'involvedObject.namespace',
        'involvedObject.name',
        'involvedObject.uid',
        'involvedObject.fieldPath',
        'reason',
        'type',
        'source.component',
      ],
      store: cluster.events as unknown as ResourceStore<Storable>,
      watchCache: false,
    },
    namespaces: {
      plural: 'namespaces',
      kind: 'Namespace',
      listKind: 'NamespaceList',
      fieldLabels: ['metadata.name'],
      store: cluster.namespaces as unknown as ResourceStore<Storable>,
      watchCache: true,
    },
  };
}
