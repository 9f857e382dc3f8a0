import type { SimCluster } from '../cluster.js';
import type { ResourceStore, Storable } from '../store.js';

// The resources the simulator serves, with what the apiserver needs to know about each: its group, list kind,
// scope and the field selectors it supports (pkg/registry/*/*/strategy.go ToSelectableFields). Discovery, routing,
// RBAC and the SelfSubject reviews all read this one table.

export type Plural =
  | 'pods'
  | 'events'
  | 'namespaces'
  | 'configmaps'
  | 'secrets'
  | 'nodes'
  | 'deployments'
  | 'replicasets'
  | 'statefulsets'
  | 'daemonsets'
  | 'jobs'
  | 'customresourcedefinitions';

export interface Resource {
  plural: Plural;
  /** '' for the core group. */
  group: string;
  version: 'v1';
  kind: string;
  listKind: string;
  namespaced: boolean;
  fieldLabels: readonly string[];
  shortNames?: readonly string[];
  categories?: readonly string[];
  store: ResourceStore<Storable>;
  /**
   * Served through the apiserver's watch cache, the only source of watch bookmarks. Events have none by
   * default (pkg/registry/core/event/storage: no cacher), so an events watch is silent while nothing happens.
   */
  watchCache: boolean;
}

/** `v1` or `apps/v1`, as objects and lists carry it. */
export const apiVersionOf = (resource: Pick<Resource, 'group' | 'version'>) =>
  resource.group ? `${resource.group}/${resource.version}` : resource.version;

const NAME_FIELDS = ['metadata.name', 'metadata.namespace'];

export function resources(cluster: SimCluster): Resource[] {
  const store = <T extends Storable>(s: ResourceStore<T>) => s as unknown as ResourceStore<Storable>;
  const make = (
    plural: Plural,
    group: string,
    kind: string,
    s: ResourceStore<Storable>,
    extra: Partial<Resource> = {},
  ): Resource => ({
    plural,
    group,
    version: 'v1',
    kind,
    listKind: `${kind}List`,
    namespaced: true,
    watchCache: true,
    fieldLabels: NAME_FIELDS,
    store: s,
    ...extra,
  });
  const { workloads } = cluster;
  return [
    make('configmaps', '', 'ConfigMap', cluster.configMaps, { shortNames: ['cm'] }),
    make('secrets', '', 'Secret', cluster.secrets),
    make('pods', '', 'Pod', store(cluster.pods), {
      shortNames: ['po'],
      categories: ['all'],
      fieldLabels: [
        ...NAME_FIELDS,
        'spec.nodeName',
        'spec.restartPolicy',
        'spec.schedulerName',
        'spec.serviceAccountName',
        'status.phase',
        'status.podIP',
      ],
    }),
    make('events', '', 'Event', store(cluster.events), {
      shortNames: ['ev'],
      watchCache: false,
      fieldLabels: [
        ...NAME_FIELDS,
        'involvedObject.kind',
        'involvedObject.namespace',
        'involvedObject.name',
        'involvedObject.uid',
        'involvedObject.fieldPath',
        'reason',
        'type',
        'source.component',
      ],
    }),
    make('namespaces', '', 'Namespace', store(cluster.namespaces), {
      namespaced: false,
      shortNames: ['ns'],
      fieldLabels: ['metadata.name'],
    }),
    make('nodes', '', 'Node', store(cluster.nodes), {
      namespaced: false,
      shortNames: ['no'],
      fieldLabels: ['metadata.name', 'spec.unschedulable'],
    }),
    make('deployments', 'apps', 'Deployment', store(workloads.deployments), {
      shortNames: ['deploy'],
      categories: ['all'],
    }),
    make('replicasets', 'apps', 'ReplicaSet', store(workloads.replicaSets), {
      shortNames: ['rs'],
      categories: ['all'],
    }),
    make('statefulsets', 'apps', 'StatefulSet', store(workloads.statefulSets), {
      shortNames: ['sts'],
      categories: ['all'],
    }),
    make('daemonsets', 'apps', 'DaemonSet', store(workloads.daemonSets), {
      shortNames: ['ds'],
      categories: ['all'],
    }),
    make('jobs', 'batch', 'Job', store(workloads.jobs), {
      categories: ['all'],
      fieldLabels: [...NAME_FIELDS, 'status.successful'],
    }),
    make('customresourcedefinitions', 'apiextensions.k8s.io', 'CustomResourceDefinition', cluster.crds, {
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
      fieldLabels: ['metadata.name'],
    }),
  ];
}
