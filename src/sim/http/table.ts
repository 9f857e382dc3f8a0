import type { Pod } from '../../model/pod.js';
import { formatRestarts, podSummary } from '../../model/status.js';
import type { NamespaceObject } from '../cluster.js';
import type { EventObject } from '../events.js';
import type { Plural } from './resources.js';
import { AGE, column, NAME, type Printer, since } from './table-columns.js';
import { WORKLOAD_PRINTERS } from './table-workloads.js';

// Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`): the columns and cells of printPod,
// printEvent and printNamespace in kubernetes/kubernetes pkg/printers/internalversion/printers.go, so `kubectl get`
// prints what it prints against a real cluster. STATUS and RESTARTS come from the model's port of printPod.

export function wantsTable(accept: string | undefined): boolean {
  return /as=Table/.test(accept ?? '');
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectParam(value: string | null): IncludeObject {
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

const PRINTERS: Record<Plural, Printer> = {
  pods: {
    columns: [
      NAME,
      column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
      column('Status', 'The aggregate status of the containers in this pod.'),
      column(
        'Restarts',
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      AGE,
      column('IP', 'IP address allocated to the pod. Routable at least within the cluster.', 1),
      column('Node', 'NodeName indicates in which node this pod is scheduled.', 1),
      column(
        'Nominated Node',
        'nominatedNodeName is set only when this pod preempts other pods on the node.',
        1,
      ),
      column('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
    ],
    cells(pod: Pod, now) {
      const summary = podSummary(pod);
      return [
        pod.metadata.name,
        summary.ready,
        summary.status,
        formatRestarts(summary, now),
        since(pod.metadata.creationTimestamp, now),
        pod.status?.podIP || '<none>',
        pod.spec.nodeName || '<none>',
        '<none>',
        '<none>',
      ];
    },
  },
  events: {
    columns: [
      column('Last Seen', 'Time when last occurrence of this event was recorded.'),
      column('Type', 'Type of this event (Normal, Warning), new types could be added in the future.'),
      column(
        'Reason',
        "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
      ),
      column('Object', 'The object that this event is about.'),
      column('Subobject', 'The subobject that this event is about.', 1),
      column(
        'Source',
        'The component reporting this event. Should be a short machine understandable string.',
        1,
      ),
      column('Message', 'A human-readable description of the status of this operation.'),
      column('First Seen', 'The time at which the event was first recorded.', 1),
      column('Count', 'The number of times this event has occurred.', 1),
      column('Name', 'Name must be unique within a namespace.', 1, 'name'),
    ],
    cells(event: EventObject, now) {
      const o = event.involvedObject;
      const source = event.source?.host
        ? `${event.source.component}, ${event.source.host}`
        : (event.source?.component ?? '');
      return [
        since(event.lastTimestamp, now),
        event.type,
        event.reason,
        o.name ? `${(o.kind ?? '').toLowerCase()}/${o.name}` : (o.kind ?? '').toLowerCase(),
        o.fieldPath ?? '',
        source,
        (event.message ?? '').trim(),
        since(event.firstTimestamp, now),
        event.count ?? 1,
        event.metadata.name,
      ];
    },
  },
  configmaps: {
    columns: [NAME, column('Data', 'Number of data items.'), AGE],
    cells: (o: { metadata: { name: string; creationTimestamp?: string }; data?: object }, now) => [
      o.metadata.name,
      Object.keys(o.data ?? {}).length,
      since(o.metadata.creationTimestamp, now),
    ],
  },
  secrets: {
    columns: [NAME, column('Type', 'The type of the secret'), column('Data', 'Number of data items.'), AGE],
    cells: (
      o: { metadata: { name: string; creationTimestamp?: string }; type?: string; data?: object },
      now,
    ) => [
      o.metadata.name,
      o.type ?? 'Opaque',
      Object.keys(o.data ?? {}).length,
      since(o.metadata.creationTimestamp, now),
    ],
  },
  namespaces: {
    columns: [NAME, column('Status', 'The status of the namespace'), AGE],
    cells: (ns: NamespaceObject, now) => [
      ns.metadata.name,
      ns.status.phase,
      since(ns.metadata.creationTimestamp, now),
    ],
  },
  ...WORKLOAD_PRINTERS,
};

/** A `meta.k8s.io/v1` Table of the given objects' JSON; watch events carry one row each, without columns. */
export function printTable(
  plural: keyof typeof PRINTERS,
  objectsJson: readonly string[],
  now: number,
  include: IncludeObject,
  metadata: Record<string, unknown>,
  withColumns = true,
): string {
  const printer = PRINTERS[plural];
  const rows = objectsJson.map((json) => {
    const object = JSON.parse(json) as { metadata: Record<string, unknown> };
    const row: { cells: unknown[]; object?: unknown } = { cells: printer.cells(object, now) };
    if (include === 'Object') row.object = object;
    if (include === 'Metadata') {
      row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: object.metadata };
    }
    return row;
  });
  return JSON.stringify({
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    ...(withColumns ? { columnDefinitions: printer.columns } : {}),
    rows,
  });
}
