import type { ObjectMeta, Pod } from '../model/pod.js';
import { CrashLoopBackoff } from './backoff.js';
import type { SimClock } from './clock.js';
import { type EventObject, EventRecorder, eventFields } from './events.js';
import { PodRuntime } from './kubelet.js';
import { safeSuffix, seededInt, uid } from './names.js';
import { type PodPlacement, podObject, podSpec, qosClass } from './pod-object.js';
import type { PodTemplateScenario, Scenario, WorkloadScenario } from './scenario.js';
import { Scheduler } from './scheduler.js';
import { ResourceStore, ResourceVersions, type Storable } from './store.js';
import { rfc3339 } from './time-format.js';

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
    labels: Record<string, string>;
  };
  spec: { finalizers: string[] };
  status: { phase: 'Active' };
}

export interface SimPod {
  runtime: PodRuntime;
  placement: PodPlacement;
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
  /** Always empty: served so that `kubectl get configmap NAME` answers NotFound as on the real cluster. */
  readonly configMaps: ResourceStore<Storable>;
  readonly secrets: ResourceStore<Storable>;
  /** Namespaces the token may list pods and events in; undefined = everything (cluster-admin). */
  allowedNamespaces: ReadonlySet<string> | undefined;
  /** Nodes whose kubelet the API server cannot reach (`all`: every node); pods/log there gets a 500. */
  unreachableKubelets: ReadonlySet<string> | 'all' | undefined;
  private readonly scheduler = new Scheduler();
  private readonly recorder: EventRecorder;
  private readonly crashLoop: CrashLoopBackoff;
  private readonly imagePull = new CrashLoopBackoff({ initialMs: 10_000, maxMs: 300_000, resetMs: 600_000 });
  private readonly byKey = new Map<string, SimPod>();
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
    this.recorder = new EventRecorder(this.events, this.clock.now());
    this.crashLoop = new CrashLoopBackoff(options.scenario.crashLoop);
    const now = this.clock.now();
    const names = new Set(['default', ...options.scenario.namespaces.map((n) => n.name)]);
    for (const name of names) this.namespaces.put(namespaceObject(name, now - 86_400_000));
    for (const ns of options.scenario.namespaces) {
      for (const workload of ns.workloads) this.createWorkload(ns.name, workload, now);
    }
    this.advance();
  }

  /** Runs the kubelet up to the clock's now and publishes what changed. */
  advance(): void {
    const now = this.clock.now();
    this.scheduler.runDue(now);
    for (const pod of this.dirty) {
      if (!pod.runtime.deleted) this.pods.put(podObject(pod.runtime, pod.placement, now));
    }
    this.dirty.clear();
    this.recorder.flush(now);
  }

  pod(namespace: string, name: string): SimPod | undefined {
    return this.byKey.get(`${namespace}/${name}`);
  }

  // --- control hooks for tests and benchmarks ---

  /** Forgets the change history: every watch or list from an older resourceVersion now gets 410 Gone. */
  compactHistory(): void {
    this.pods.compact();
    this.events.compact();
    this.namespaces.compact();
  }

  /** Restricts the token to namespace-scoped access (cluster-wide lists get 403), or lifts it with undefined. */
  restrictTo(namespaces: readonly string[] | undefined): void {
    this.allowedNamespaces = namespaces ? new Set(namespaces) : undefined;
  }

  /** Makes the kubelets of these nodes (or of every node) unreachable, or reachable again with undefined. */
  kubeletsUnreachable(nodes: readonly string[] | 'all' | undefined): void {
    this.unreachableKubelets = nodes === 'all' || nodes === undefined ? nodes : new Set(nodes);
  }

  deletePod(namespace: string, name: string): boolean {
    const pod = this.byKey.get(`${namespace}/${name}`);
    if (!pod) return false;
    pod.runtime.deleted = true;
    this.byKey.delete(`${namespace}/${name}`);
    this.pods.delete(`${namespace}/${name}`);
    return true;
  }

  /** Adds the pods of one more workload now (a watch sees them ADDED). */
  addWorkload(namespace: string, workload: WorkloadScenario): void {
    if (!this.namespaces.get(namespace)) this.namespaces.put(namespaceObject(namespace, this.clock.now()));
    this.createWorkload(namespace, workload, this.clock.now());
    this.advance();
  }

  private createWorkload(namespace: string, workload: WorkloadScenario, now: number): void {
    this.createReplicas(
      namespace,
      workload,
      workload.template,
      workload.replicas,
      now - workload.ageMs,
      'v1',
    );
    const rollout = workload.rollout;
    if (rollout)
      this.createReplicas(namespace, workload, rollout.template, rollout.replicas, now - rollout.ageMs, 'v2');
  }

  private createReplicas(
    namespace: string,
    workload: WorkloadScenario,
    template: PodTemplateScenario,
    replicas: number,
    createdAt: number,
    revision: string,
  ): void {
    const seed = `${namespace}/${workload.name}/${revision}`;
    const hash = safeSuffix(`hash:${seed}`, 10);
    const replicaSet = `${workload.name}-${hash}`;
    const spec = podSpec(template, workload.restartPolicy);
    const qos = qosClass(spec);
    const owner = ownerFor(workload, namespace, replicaSet);
    for (let i = 0; i < replicas; i++) {
      const name =
        workload.kind === 'Pod'
          ? workload.name
          : workload.kind === 'StatefulSet'
            ? `${workload.name}-${i}`
            : `${replicaSet}-${safeSuffix(`${seed}/${i}`, 5)}`;
      const labels: Record<string, string> = { ...workload.labels };
      if (workload.kind === 'Deployment') labels['pod-template-hash'] = hash;
      if (workload.kind === 'StatefulSet') labels['statefulset.kubernetes.io/pod-name'] = name;
      // Replicas are created a second apart, as a controller would.
      const created = createdAt + i * 1000;
      const podUid = uid(`${namespace}/${name}`);
      const node = this.scenario.nodes[seededInt(`node:${seed}/${i}`, this.scenario.nodes.length)]!;
      const meta: ObjectMeta & Record<string, unknown> = {
        name,
        ...(workload.kind === 'Deployment' ? { generateName: `${replicaSet}-` } : {}),
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
        hostIP: `172.18.0.${this.scenario.nodes.indexOf(node) + 2}`,
        qosClass: qos,
      };
      const simPod: SimPod = { placement } as SimPod;
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
      this.byKey.set(`${namespace}/${name}`, simPod);
      this.dirty.add(simPod);
    }
  }
}

function ownerFor(workload: WorkloadScenario, namespace: string, replicaSet: string) {
  if (workload.kind === 'Pod') return undefined;
  const ownerName = workload.kind === 'Deployment' ? replicaSet : workload.name;
  return {
    apiVersion: 'apps/v1',
    kind: workload.kind === 'Deployment' ? 'ReplicaSet' : 'StatefulSet',
    name: ownerName,
    uid: uid(`${namespace}/owner/${ownerName}`),
    controller: true,
    blockOwnerDeletion: true,
  };
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
