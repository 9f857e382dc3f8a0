import { humanAge } from '../../model/duration.js';
import type { Container } from '../../model/pod.js';
import type { NodeObject } from '../nodes.js';
import type { WorkloadObject } from '../workloads.js';
import { AGE, column, NAME, type Printer, since } from './table-columns.js';

// Server-side printing of the controllers, nodes and CRDs: printDeployment, printReplicaSet, printStatefulSet,
// printDaemonSet, printJob and printNode of pkg/printers/internalversion/printers.go (Kubernetes 1.32), and the
// apiextensions server's default table for CRDs.

const CONTAINERS = column('Containers', 'Names of each container in the template.', 1);
const IMAGES = column('Images', 'Images referenced by each container in the template.', 1);
const SELECTOR = column('Selector', 'A label query over pods that should match the replica count.', 1);

interface Template {
  spec?: { containers?: Container[]; nodeSelector?: Record<string, string> };
}

/** layoutContainerCells: names and images, comma-separated. */
function containerCells(template: Template | undefined): [string, string] {
  const containers = template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image ?? '').join(',')];
}

/** metav1.FormatLabelSelector for matchLabels: `k=v` sorted by key, `<none>` when empty. */
function selectorText(selector: { matchLabels?: Record<string, string> } | undefined): string {
  const labels = Object.entries(selector?.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  return labels.length === 0 ? '<none>' : labels.map(([k, v]) => `${k}=${v}`).join(',');
}

const num = (value: unknown) => (typeof value === 'number' ? value : 0);

// biome-ignore lint/suspicious/noExplicitAny: status and spec are free-form on WorkloadObject.
type Workload = WorkloadObject & { spec: any; status: any };

export const WORKLOAD_PRINTERS = {
  deployments: {
    columns: [
      NAME,
      column('Ready', 'Number of the pod with ready state'),
      column(
        'Up-to-date',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      ),
      column(
        'Available',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      ),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (d: Workload, now: number) => [
      d.metadata.name,
      `${num(d.status.readyReplicas)}/${num(d.spec.replicas)}`,
      num(d.status.updatedReplicas),
      num(d.status.availableReplicas),
      since(d.metadata.creationTimestamp as string, now),
      ...containerCells(d.spec.template),
      selectorText(d.spec.selector),
    ],
  },
  replicasets: {
    columns: [
      NAME,
      column('Desired', 'Replicas is the number of desired pods.'),
      column('Current', 'Replicas is the most recently observed number of non-terminating pods.'),
      column(
        'Ready',
        'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.',
      ),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (rs: Workload, now: number) => [
      rs.metadata.name,
      num(rs.spec.replicas),
      num(rs.status.replicas),
      num(rs.status.readyReplicas),
      since(rs.metadata.creationTimestamp as string, now),
      ...containerCells(rs.spec.template),
      selectorText(rs.spec.selector),
    ],
  },
  statefulsets: {
    columns: [NAME, column('Ready', 'Number of the pod with ready state'), AGE, CONTAINERS, IMAGES],
    cells: (sts: Workload, now: number) => [
      sts.metadata.name,
      `${num(sts.status.readyReplicas)}/${num(sts.spec.replicas)}`,
      since(sts.metadata.creationTimestamp as string, now),
      ...containerCells(sts.spec.template),
    ],
  },
  daemonsets: {
    columns: [
      NAME,
      column('Desired', 'The total number of nodes that should be running the daemon pod.'),
      column('Current', 'The number of nodes that are running at least 1 daemon pod.'),
      column(
        'Ready',
        'The number of nodes that should be running the daemon pod and have one or more of it ready.',
      ),
      column('Up-to-date', 'The total number of nodes that are running updated daemon pod.'),
      column('Available', 'The number of nodes that should be running the daemon pod and have it available.'),
      column('Node Selector', 'A selector which must be true for the pod to fit on a node.'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (ds: Workload, now: number) => {
      const nodeSelector = Object.entries(
        (ds.spec.template as Template | undefined)?.spec?.nodeSelector ?? {},
      );
      return [
        ds.metadata.name,
        num(ds.status.desiredNumberScheduled),
        num(ds.status.currentNumberScheduled),
        num(ds.status.numberReady),
        num(ds.status.updatedNumberScheduled),
        num(ds.status.numberAvailable),
        nodeSelector.length === 0 ? '<none>' : nodeSelector.map(([k, v]) => `${k}=${v}`).join(','),
        since(ds.metadata.creationTimestamp as string, now),
        ...containerCells(ds.spec.template),
        selectorText(ds.spec.selector),
      ];
    },
  },
  jobs: {
    columns: [
      NAME,
      column('Status', 'Status of the job.'),
      column('Completions', 'The number of pods which reached phase Succeeded.'),
      column('Duration', 'Time required to complete the job.'),
      AGE,
      CONTAINERS,
      IMAGES,
      SELECTOR,
    ],
    cells: (job: Workload, now: number) => {
      const completions =
        job.spec.completions !== undefined
          ? `${num(job.status.succeeded)}/${job.spec.completions}`
          : num(job.spec.parallelism) > 1
            ? `${num(job.status.succeeded)}/1 of ${job.spec.parallelism}`
            : `${num(job.status.succeeded)}/1`;
      const start = Date.parse(job.status.startTime ?? '');
      const end = job.status.completionTime ? Date.parse(job.status.completionTime) : now;
      return [
        job.metadata.name,
        jobStatus(job),
        completions,
        Number.isNaN(start) ? '' : humanAge(end - start),
        since(job.metadata.creationTimestamp as string, now),
        ...containerCells(job.spec.template),
        selectorText(job.spec.selector),
      ];
    },
  },
  nodes: {
    columns: [
      NAME,
      column('Status', 'The status of the node'),
      column('Roles', 'The roles of the node'),
      AGE,
      column('Version', 'Kubelet Version reported by the node.'),
      column('Internal-IP', 'List of addresses reachable to the node.', 1),
      column('External-IP', 'List of addresses reachable to the node.', 1),
      column('OS-Image', 'OS Image reported by the node from /etc/os-release.', 1),
      column('Kernel-Version', "Kernel Version reported by the node from 'uname -r'.", 1),
      column(
        'Container-Runtime',
        'ContainerRuntime Version reported by the node through runtime remote API.',
        1,
      ),
    ],
    cells: (node: NodeObject, now: number) => {
      const status = node.status as {
        conditions?: { type: string; status: string }[];
        addresses?: { type: string; address: string }[];
        nodeInfo?: Record<string, string>;
      };
      const ready = status.conditions?.find((c) => c.type === 'Ready');
      const state = ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown';
      const address = (type: string) => status.addresses?.find((a) => a.type === type)?.address ?? '<none>';
      const info = status.nodeInfo ?? {};
      return [
        node.metadata.name,
        node.spec.unschedulable ? `${state},SchedulingDisabled` : state,
        nodeRoles(node.metadata.labels),
        since(node.metadata.creationTimestamp, now),
        info.kubeletVersion ?? '',
        address('InternalIP'),
        address('ExternalIP'),
        info.osImage || '<unknown>',
        info.kernelVersion || '<unknown>',
        info.containerRuntimeVersion || '<unknown>',
      ];
    },
  },
  customresourcedefinitions: {
    columns: [
      NAME,
      column(
        'Created At',
        'CreationTimestamp is a timestamp representing the server time when this object was created.',
        0,
        'date',
      ),
    ],
    cells: (crd: { metadata: { name: string; creationTimestamp?: string } }) => [
      crd.metadata.name,
      crd.metadata.creationTimestamp ?? '',
    ],
  },
} satisfies Record<string, Printer>;

/** printJob's Status column: the first terminal or suspended condition, else Running. */
function jobStatus(job: Workload): string {
  const conditions = (job.status.conditions ?? []) as { type: string; status: string }[];
  const has = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (has('Suspended')) return 'Suspended';
  return 'Running';
}

/** findNodeRoles: node-role.kubernetes.io/ROLE labels and kubernetes.io/role, sorted, or `<none>`. */
function nodeRoles(labels: Record<string, string>): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels)) {
    if (key.startsWith('node-role.kubernetes.io/')) roles.add(key.slice('node-role.kubernetes.io/'.length));
    else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}
