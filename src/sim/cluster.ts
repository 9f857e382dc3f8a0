import type { ObjectMeta, OwnerReference, Pod } from '../model/pod.js';
import { CrashLoopBackoff } from './backoff.js';
import type { SimClock } from './clock.js';
import { type EventObject, EventRecorder, eventFields } from './events.js';
import { PodRuntime } from './kubelet.js';
import { safeSuffix, seededInt, uid } from './names.js';
import {
  type NodeObject,
  nodeAfterEvent,
  nodeEventInput,
  nodeInternalIp,
  nodeObject,
  nodeUid,
} from './nodes.js';
import { type PodPlacement, podObject, podSpec, qosClass } from './pod-object.js';
import type { PodTemplateScenario, Scenario, WorkloadScenario } from './scenario.js';
import { Scheduler } from './scheduler.js';
import { ResourceStore, ResourceVersions, type Storable } from './store.js';
import { rfc3339 } from './time-format.js';
import { type Counted, type Revision, Workloads } from './workloads.js';

// The simulated cluster: the scenario's pods, each run by the kubelet emulator on the simulated clock, published to
// the stores the HTTP server lists and watches. Tests drive it directly through the control hooks at the bottom.

export interface NamespaceObject {
  apiVersion: 'v1';
  kind: 'Namespace';
  metadata: {
    name: string;
    uid: string;
    resourceVersion?: string;
    creationTimestamp: string;
    /** Set by `kubectl delete namespace`: the namespace is Terminating until its content is gone. */
    deletionTimestamp?: string;
    labels: Record<string, string>;
  };
  spec: { finalizers: string[] };
  status: { phase: 'Active' | 'Terminating' };
}

export interface SimPod {
  runtime: PodRuntime;
  placement: PodPlacement;
  /** The controller objects whose status counts this pod. */
  counters: readonly Counted[];
}

export interface SimClusterOptions {
  scenario: Scenario;
  clock: SimClock;
  /** Changes kept per resource kind for watches to resume from (older resourceVersions get 410). */
  historyLimit?: number;
}

export class SimCluster {
  readonly clock: SimClock;
  readonly scenario: Scenario;
  readonly versions = new ResourceVersions();
  readonly pods: ResourceStore<Pod>;
  readonly events: ResourceStore<EventObject>;
  readonly namespaces: ResourceStore<NamespaceObject>;
  readonly nodes: ResourceStore<NodeObject>;
  /** apps/v1 and batch/v1 objects above the pods. */
  readonly workloads: Workloads;
  /** Always empty: no CustomResourceDefinitions are installed. */
  readonly crds: ResourceStore<Storable>;
  /** Always empty: served so that `kubectl get configmap NAME` answers NotFound as on the real cluster. */
  readonly configMaps: ResourceStore<Storable>;
  readonly secrets: ResourceStore<Storable>;
  /** Namespaces the token may list pods and events in; undefined = everything (cluster-admin). */
  allowedNamespaces: ReadonlySet<string> | undefined;
  /** Nodes whose kubelet the API server cannot reach (`all`: every node); pods/log there gets a 500. */
  unreachableKubelets: ReadonlySet<string> | 'all' | undefined;
  /** Resources (plurals) the token may not read at all: a Role that leaves them out. */
  deniedResources: ReadonlySet<string> | undefined;
  /** Namespaces whose events cannot be read (a fault: the API server answers 500, as when etcd times out). */
  failingEventNamespaces: ReadonlySet<string> | undefined;
  private readonly scheduler = new Scheduler();
  private readonly recorder: EventRecorder;
  private readonly crashLoop: CrashLoopBackoff;
  private readonly imagePull = new CrashLoopBackoff({ initialMs: 10_000, maxMs: 300_000, resetMs: 600_000 });
  private readonly byKey = new Map<string, SimPod>();
  /** How often a pod of this namespace/name was deleted: a pod created again gets a uid of its own. */
  private readonly deletions = new Map<string, number>();
  private readonly dirty = new Set<SimPod>();

  constructor(options: SimClusterOptions) {
    this.clock = options.clock;
    this.scenario = options.scenario;
    const limit = options.historyLimit;
    this.pods = new ResourceStore<Pod>(this.versions, podFields, limit);
    this.events = new ResourceStore<EventObject>(this.versions, eventFields, limit);
    this.namespaces = new ResourceStore<NamespaceObject>(this.versions, () => ({}), limit);
    this.configMaps = new ResourceStore<Storable>(this.versions, () => ({}), limit);
    this.secrets = new ResourceStore<Storable>(this.versions, () => ({}), limit);
    this.crds = new ResourceStore<Storable>(this.versions, () => ({}), limit);
    this.nodes = new ResourceStore<NodeObject>(this.versions, nodeFields, limit);
    this.workloads = new Workloads(this.versions, limit);
    this.recorder = new EventRecorder(this.events, this.clock.now());
    this.crashLoop = new CrashLoopBackoff(options.scenario.crashLoop);
    const now = this.clock.now();
    const names = new Set(['default', ...options.scenario.namespaces.map((n) => n.name)]);
    for (const name of names) this.namespaces.put(namespaceObject(name, now - 86_400_000));
    const nodes = new Map(
      options.scenario.nodes.map((name, index) => [name, nodeObject(name, index, now - 30 * 86_400_000)]),
    );
    for (const node of nodes.values()) this.nodes.put(node);
    for (const ns of options.scenario.namespaces) {
      for (const workload of ns.workloads) this.createWorkload(ns.name, workload, now);
    }
    for (const event of options.scenario.nodeEvents ?? []) {
      this.scheduler.at(now + event.atMs, (at) => {
        this.recorder.recordNode({ name: event.node, uid: nodeUid(event.node) }, at, nodeEventInput(event));
        const changed = nodeAfterEvent(nodes.get(event.node)!, event, at);
        if (changed) {
          nodes.set(event.node, changed);
          this.nodes.put(changed);
        }
      });
    }
    this.advance();
  }

  /** Runs the kubelet up to the clock's now and publishes what changed. */
  advance(): void {
    const now = this.clock.now();
    this.scheduler.runDue(now);
    for (const pod of this.dirty) {
      if (pod.runtime.deleted) continue;
      const object = podObject(pod.runtime, pod.placement, now);
      this.pods.put(object);
      this.workloads.podChanged(`${object.metadata.namespace}/${object.metadata.name}`, pod.counters, object);
    }
    this.dirty.clear();
    this.workloads.publish(now);
    this.recorder.flush(now);
  }

  pod(namespace: string, name: string): SimPod | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  // --- control hooks for tests and benchmarks ---

  /** Forgets the change history: every watch or list from an older resourceVersion now gets 410 Gone. */
  compactHistory(): void {
    for (const store of [this.pods, this.events, this.namespaces, this.nodes, ...this.workloads.stores]) {
      store.compact();
    }
  }

  /** Restricts the token to namespace-scoped access (cluster-wide lists get 403), or lifts it with undefined. */
  restrictTo(namespaces: readonly string[] | undefined): void {
    this.allowedNamespaces = namespaces ? new Set(namespaces) : undefined;
  }

  /**
   * Takes access to these resources away from the token, or gives it back with undefined: plurals (`deployments`)
   * or subresources alone (`pods/log`, `pods/exec`: a role that may read pods but not their logs).
   */
  deny(resources: readonly string[] | undefined): void {
    this.deniedResources = resources ? new Set(resources) : undefined;
  }

  /** Makes the kubelets of these nodes (or of every node) unreachable, or reachable again with undefined. */
  kubeletsUnreachable(nodes: readonly string[] | 'all' | undefined): void {
    this.unreachableKubelets = nodes === 'all' || nodes === undefined ? nodes : new Set(nodes);
  }

  /** Makes reading events in these namespaces fail with a 500, or work again with undefined. */
  eventReadsFail(namespaces: readonly string[] | undefined): void {
    this.failingEventNamespaces = namespaces ? new Set(namespaces) : undefined;
  }

  private flapCursor: Iterator<SimPod> | undefined;

  /**
   * Flaps the readiness of `count` pods that run steadily, round robin (a deploy's readiness probes
   * failing and passing): each is one status change a watcher receives. Returns how many changed.
   */
  flapReadiness(count: number, skip?: SimPod): number {
    let changed = 0;
    // Bounded: one pass over every pod at most, however few of them run steadily.
    for (let tried = 0; changed < count && tried < this.byKey.size; tried++) {
      let next = this.flapCursor?.next();
      if (next === undefined || next.done) {
        this.flapCursor = this.byKey.values();
        next = this.flapCursor.next();
        if (next.done) return changed;
      }
      if (next.value !== skip && next.value.runtime.flapReadiness()) changed++;
    }
    return changed;
  }

  /** The first pod (by namespace/name) whose containers just run, and are running: the one a benchmark watches. */
  steadyPod(): SimPod | undefined {
    for (const key of [...this.byKey.keys()].sort()) {
      const pod = this.byKey.get(key)!;
      const { template, ready } = pod.runtime;
      if (
        ready &&
        template.containers.length > 0 &&
        template.containers.every((c) => c.behavior.kind === 'run')
      ) {
        return pod;
      }
    }
    return undefined;
  }

  deletePod(namespace: string, name: string): boolean {
    const key = `${namespace}/${name}`;
    const pod = this.byKey.get(key);
    if (!pod) return false;
    pod.runtime.deleted = true;
    this.deletions.set(key, (this.deletions.get(key) ?? 0) + 1);
    this.byKey.delete(key);
    this.pods.delete(key);
    this.workloads.podDeleted(key);
    this.workloads.publish(this.clock.now());
    return true;
  }

  /**
   * `kubectl delete namespace NAME` as the API server and the namespace controller carry it out: the namespace
   * turns Terminating (deletionTimestamp and status.phase, a MODIFIED event), then its pods are deleted (each a
   * DELETED event, as with a grace period of 0) and its controllers with them. `finalizeNamespace` ends it.
   */
  deleteNamespace(name: string): void {
    const namespace = this.namespaces.get(name);
    if (!namespace) return;
    const object = JSON.parse(namespace.json) as NamespaceObject;
    object.metadata.deletionTimestamp = rfc3339(this.clock.now());
    object.status.phase = 'Terminating';
    this.namespaces.put(object);
    for (const key of [...this.byKey.keys()]) {
      if (key.startsWith(`${name}/`)) this.deletePod(name, key.slice(name.length + 1));
    }
    for (const store of this.workloads.stores) {
      for (const stored of store.list()) if (stored.namespace === name) store.delete(stored.key);
    }
    // Its Roles and RoleBindings go with the rest of its content: a token restricted to it loses it now.
    if (this.allowedNamespaces?.has(name))
      this.restrictTo([...this.allowedNamespaces].filter((ns) => ns !== name));
  }

  /**
   * The namespace controller's last step once a Terminating namespace is empty: its `kubernetes` finalizer removed,
   * the Namespace object is deleted.
   */
  finalizeNamespace(name: string): void {
    this.namespaces.delete(name);
  }

  /** Adds the pods of one more workload now (a watch sees them ADDED). */
  addWorkload(namespace: string, workload: WorkloadScenario): void {
    if (!this.namespaces.get(namespace)) this.namespaces.put(namespaceObject(namespace, this.clock.now()));
    this.createWorkload(namespace, workload, this.clock.now());
    this.advance();
  }

  private createWorkload(namespace: string, workload: WorkloadScenario, now: number): void {
    const revision = (
      template: PodTemplateScenario,
      replicas: number,
      ageMs: number,
      name: string,
    ): Revision & { template: PodTemplateScenario; seed: string } => {
      const seed = `${namespace}/${workload.name}/${name}`;
      const spec = podSpec(template, workload.restartPolicy);
      const hash = safeSuffix(`hash:${seed}`, 10);
      return { hash, spec, replicas, createdAt: now - ageMs, template, seed };
    };
    const revisions = [revision(workload.template, workload.replicas, workload.ageMs, 'v1')];
    const rollout = workload.rollout;
    if (rollout) revisions.push(revision(rollout.template, rollout.replicas, rollout.ageMs, 'v2'));
    const owners = this.workloads.add(namespace, workload, revisions, now);
    revisions.forEach((r, i) => {
      this.createReplicas(namespace, workload, r, owners[i]);
    });
  }

  private createReplicas(
    namespace: string,
    workload: WorkloadScenario,
    revision: Revision & { template: PodTemplateScenario; seed: string },
    controller: { owner: OwnerReference; counters: readonly Counted[] } | undefined,
  ): void {
    const { seed, hash, spec, template, replicas, createdAt } = revision;
    const replicaSet = `${workload.name}-${hash}`;
    const qos = qosClass(spec);
    const owner = controller?.owner;
    const generateName = {
      Deployment: `${replicaSet}-`,
      DaemonSet: `${workload.name}-`,
      Job: `${workload.name}-`,
    }[workload.kind as string];
    for (let i = 0; i < replicas; i++) {
      const name =
        workload.kind === 'Pod'
          ? workload.name
          : workload.kind === 'StatefulSet'
            ? `${workload.name}-${i}`
            : `${generateName}${safeSuffix(`${seed}/${i}`, 5)}`;
      const labels: Record<string, string> = {
        ...workload.labels,
        ...controllerLabels(workload, hash, owner),
      };
      if (workload.kind === 'StatefulSet') labels['statefulset.kubernetes.io/pod-name'] = name;
      // Replicas are created a second apart, as a controller would.
      const created = createdAt + i * 1000;
      // A pod deleted and created again under the same name is a new object with a new uid, as the API server
      // makes it: the kubelet keys its back-off by uid, so the new pod starts the curve afresh.
      const key = `${namespace}/${name}`;
      const deletions = this.deletions.get(key) ?? 0;
      const podUid = uid(deletions === 0 ? key : `${key}#${deletions}`);
      // A DaemonSet puts one pod on each node.
      const nodeIndex =
        workload.kind === 'DaemonSet' ? i : seededInt(`node:${seed}/${i}`, this.scenario.nodes.length);
      const node = this.scenario.nodes[nodeIndex]!;
      const meta: ObjectMeta & Record<string, unknown> = {
        name,
        ...(generateName ? { generateName } : {}),
        namespace,
        uid: podUid,
        creationTimestamp: rfc3339(created),
        labels,
        ...(owner ? { ownerReferences: [owner] } : {}),
      };
      const placement: PodPlacement = {
        meta,
        spec: { ...spec, nodeName: node },
        podIP: `10.244.${seededInt(`ip:${podUid}`, 250) + 1}.${seededInt(`ip2:${podUid}`, 250) + 2}`,
        hostIP: nodeInternalIp(nodeIndex),
        qosClass: qos,
      };
      const simPod: SimPod = { placement, counters: controller?.counters ?? [] } as SimPod;
      simPod.runtime = new PodRuntime(
        { name, namespace, uid: podUid, node },
        template,
        workload.restartPolicy,
        created,
        {
          scheduler: this.scheduler,
          crashLoop: this.crashLoop,
          imagePull: this.imagePull,
          event: (ref, at, input) => this.recorder.record(ref, at, input),
          onChange: () => this.dirty.add(simPod),
        },
      );
      this.byKey.set(key, simPod);
      this.dirty.add(simPod);
    }
  }
}

/** The labels a controller adds to its pods' template labels. */
function controllerLabels(
  workload: WorkloadScenario,
  hash: string,
  owner: OwnerReference | undefined,
): Record<string, string> {
  switch (workload.kind) {
    case 'Deployment':
      return { 'pod-template-hash': hash };
    case 'DaemonSet':
      return { 'controller-revision-hash': hash, 'pod-template-generation': '1' };
    case 'Job':
      return {
        'batch.kubernetes.io/controller-uid': owner?.uid ?? '',
        'batch.kubernetes.io/job-name': workload.name,
        'controller-uid': owner?.uid ?? '',
        'job-name': workload.name,
      };
    default:
      return {};
  }
}

function podFields(pod: Pod): Record<string, string> {
  return {
    'spec.nodeName': pod.spec.nodeName ?? '',
    'spec.restartPolicy': pod.spec.restartPolicy ?? '',
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': pod.spec.serviceAccountName ?? '',
    'status.phase': pod.status?.phase ?? '',
    'status.podIP': pod.status?.podIP ?? '',
  };
}

function nodeFields(node: NodeObject): Record<string, string> {
  return { 'spec.unschedulable': String(node.spec.unschedulable ?? false) };
}

function namespaceObject(name: string, createdAt: number): NamespaceObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid: uid(`namespace/${name}`),
      creationTimestamp: rfc3339(createdAt),
      labels: { 'kubernetes.io/metadata.name': name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}
