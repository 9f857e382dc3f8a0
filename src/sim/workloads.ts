import type { OwnerReference, Pod, PodSpec } from '../model/pod.js';
import { uid } from './names.js';
import type { WorkloadScenario } from './scenario.js';
import { ResourceStore, type ResourceVersions, type Storable } from './store.js';
import { rfc3339 } from './time-format.js';

// The controllers' objects above the pods (apps/v1 Deployments, ReplicaSets, StatefulSets, DaemonSets, batch/v1
// Jobs), derived from the scenario's workloads and kept in step with their pods: each status counts the pods that
// exist, are ready or have finished, as the controllers write it. An object is published again only when its
// status changes, so the many restarts of a crash loop do not churn them (a ready count moves, an object moves).

export interface WorkloadObject extends Storable {
  apiVersion: string;
  kind: string;
  metadata: Storable['metadata'] & Record<string, unknown>;
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
}

/** One revision of a workload's pods: a Deployment's ReplicaSet, or the StatefulSet itself. */
export interface Revision {
  /** The pods' template hash (pod-template-hash, controller-revision-hash). */
  hash: string;
  spec: PodSpec;
  replicas: number;
  createdAt: number;
}

interface PodState {
  ready: boolean;
  phase: string;
}

/** An object whose status counts a set of pods. */
export class Counted {
  readonly pods = new Map<string, PodState>();
  published = '';
  /** When a Job first had all its completions. */
  completedAt: number | undefined;
  constructor(
    readonly store: ResourceStore<WorkloadObject>,
    readonly build: (now: number) => WorkloadObject,
  ) {}
  get total(): number {
    return this.pods.size;
  }
  get ready(): number {
    return this.count((pod) => pod.ready);
  }
  count(which: (pod: PodState) => boolean): number {
    let n = 0;
    for (const pod of this.pods.values()) if (which(pod)) n++;
    return n;
  }
}

const podReady = (pod: Pod) =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

export class Workloads {
  readonly deployments: ResourceStore<WorkloadObject>;
  readonly replicaSets: ResourceStore<WorkloadObject>;
  readonly statefulSets: ResourceStore<WorkloadObject>;
  readonly daemonSets: ResourceStore<WorkloadObject>;
  readonly jobs: ResourceStore<WorkloadObject>;
  get stores(): ResourceStore<WorkloadObject>[] {
    return [this.deployments, this.replicaSets, this.statefulSets, this.daemonSets, this.jobs];
  }

  /** pod key → the objects that count it (its ReplicaSet and Deployment, or its StatefulSet). */
  private readonly countersOf = new Map<string, readonly Counted[]>();
  private readonly dirty = new Set<Counted>();

  constructor(versions: ResourceVersions, historyLimit?: number) {
    const store = () => new ResourceStore<WorkloadObject>(versions, () => ({}), historyLimit);
    this.deployments = store();
    this.replicaSets = store();
    this.statefulSets = store();
    this.daemonSets = store();
    this.jobs = store();
  }

  /**
   * Registers a workload's controller objects; returns, per revision, the owner reference its pods carry and
   * the key under which `podChanged` counts them (undefined for a bare Pod).
   */
  add(namespace: string, workload: WorkloadScenario, revisions: readonly Revision[], now: number) {
    if (workload.kind === 'Pod') return revisions.map(() => undefined);
    if (workload.kind !== 'Deployment') {
      const revision = revisions[0]!;
      const [store, build, apiVersion] = {
        StatefulSet: [this.statefulSets, statefulSet, 'apps/v1'] as const,
        DaemonSet: [this.daemonSets, daemonSet, 'apps/v1'] as const,
        Job: [this.jobs, job, 'batch/v1'] as const,
      }[workload.kind];
      const counted: Counted = new Counted(store, (at) =>
        build(namespace, workload, revision, counted, now, at),
      );
      this.dirty.add(counted);
      const owner = ownerRef(workload.kind, namespace, workload.name, apiVersion);
      return revisions.map(() => ({ owner, counters: [counted] }));
    }
    const sets: Counted[] = [];
    const deployment: Counted = new Counted(this.deployments, () =>
      deploymentObject(namespace, workload, revisions, sets, deployment, now),
    );
    this.dirty.add(deployment);
    return revisions.map((revision, index) => {
      const name = `${workload.name}-${revision.hash}`;
      const set: Counted = new Counted(this.replicaSets, () =>
        replicaSet(namespace, workload, revision, index + 1, set),
      );
      sets.push(set);
      this.dirty.add(set);
      return { owner: ownerRef('ReplicaSet', namespace, name), counters: [set, deployment] };
    });
  }

  /** Counts a pod's latest state in the objects that own it. */
  podChanged(key: string, counters: readonly Counted[], pod: Pod): void {
    this.countersOf.set(key, counters);
    const ready = podReady(pod);
    const phase = pod.status?.phase ?? 'Pending';
    for (const counted of counters) {
      const state = counted.pods.get(key);
      if (state?.ready === ready && state.phase === phase) continue;
      counted.pods.set(key, { ready, phase });
      this.dirty.add(counted);
    }
  }

  podDeleted(key: string): void {
    for (const counted of this.countersOf.get(key) ?? []) {
      counted.pods.delete(key);
      this.dirty.add(counted);
    }
    this.countersOf.delete(key);
  }

  /** Publishes the objects whose counts changed since the last call. */
  publish(now: number): void {
    for (const counted of this.dirty) {
      const object = counted.build(now);
      const status = JSON.stringify(object.status);
      if (status === counted.published) continue;
      counted.published = status;
      counted.store.put(object);
    }
    this.dirty.clear();
  }
}

/** The owner reference of a workload's pods (or of a ReplicaSet); the uid is derived from the name. */
function ownerRef(kind: string, namespace: string, name: string, apiVersion = 'apps/v1'): OwnerReference {
  return {
    apiVersion,
    kind,
    name,
    uid: uid(`${namespace}/owner/${name}`),
    controller: true,
    blockOwnerDeletion: true,
  } as OwnerReference;
}

function meta(namespace: string, name: string, createdAt: number, labels: Record<string, string>) {
  return {
    name,
    namespace,
    uid: uid(`${namespace}/owner/${name}`),
    generation: 1,
    creationTimestamp: rfc3339(createdAt),
    labels,
  };
}

const template = (labels: Record<string, string>, spec: PodSpec) => ({ metadata: { labels }, spec });

/** The controller object's labels: its pods' and its own (scenario `metadata`). */
const objectLabels = (workload: WorkloadScenario) => ({ ...workload.labels, ...workload.metadata?.labels });

function deploymentObject(
  namespace: string,
  workload: WorkloadScenario,
  revisions: readonly Revision[],
  sets: readonly Counted[],
  self: Counted,
  now: number,
): WorkloadObject {
  const latest = revisions[revisions.length - 1]!;
  const newest = sets[sets.length - 1];
  const desired = workload.replicas;
  const ready = self.ready;
  // RollingUpdate with the default 25 % maxUnavailable: Available while at least desired − 25 % are available.
  const minAvailable = desired - Math.floor(desired * 0.25);
  const available = ready >= minAvailable;
  const since = rfc3339(now);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      ...meta(namespace, workload.name, now - workload.ageMs, objectLabels(workload)),
      uid: uid(`${namespace}/deployment/${workload.name}`),
      generation: revisions.length,
      annotations: {
        ...workload.metadata?.annotations,
        'deployment.kubernetes.io/revision': String(revisions.length),
      },
    },
    spec: {
      replicas: desired,
      selector: { matchLabels: workload.labels },
      template: template(workload.labels, latest.spec),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
    status: {
      observedGeneration: revisions.length,
      replicas: self.total,
      updatedReplicas: newest?.total ?? 0,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(self.total > ready ? { unavailableReplicas: self.total - ready } : {}),
      conditions: [
        {
          type: 'Available',
          status: available ? 'True' : 'False',
          reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          message: available
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
          lastUpdateTime: since,
          lastTransitionTime: since,
        },
        {
          type: 'Progressing',
          status: 'True',
          reason: revisions.length > 1 ? 'ReplicaSetUpdated' : 'NewReplicaSetAvailable',
          message:
            revisions.length > 1
              ? `ReplicaSet "${workload.name}-${latest.hash}" is progressing.`
              : `ReplicaSet "${workload.name}-${latest.hash}" has successfully progressed.`,
          lastUpdateTime: since,
          lastTransitionTime: since,
        },
      ],
    },
  };
}

function replicaSet(
  namespace: string,
  workload: WorkloadScenario,
  revision: Revision,
  number: number,
  self: Counted,
): WorkloadObject {
  const name = `${workload.name}-${revision.hash}`;
  const labels = { ...workload.labels, 'pod-template-hash': revision.hash };
  const deployment = ownerRef('Deployment', namespace, workload.name);
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      ...meta(namespace, name, revision.createdAt, labels),
      annotations: {
        'deployment.kubernetes.io/desired-replicas': String(workload.replicas),
        'deployment.kubernetes.io/max-replicas': String(
          workload.replicas + Math.ceil(workload.replicas * 0.25),
        ),
        'deployment.kubernetes.io/revision': String(number),
      },
      ownerReferences: [{ ...deployment, uid: uid(`${namespace}/deployment/${workload.name}`) }],
    },
    spec: {
      replicas: revision.replicas,
      selector: { matchLabels: labels },
      template: template(labels, revision.spec),
    },
    status: {
      replicas: self.total,
      fullyLabeledReplicas: self.total,
      readyReplicas: self.ready,
      availableReplicas: self.ready,
      observedGeneration: 1,
    },
  };
}

function statefulSet(
  namespace: string,
  workload: WorkloadScenario,
  revision: Revision,
  self: Counted,
  now: number,
): WorkloadObject {
  const currentRevision = `${workload.name}-${revision.hash}`;
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: {
      ...meta(namespace, workload.name, now - workload.ageMs, objectLabels(workload)),
      ...(workload.metadata ? { annotations: workload.metadata.annotations } : {}),
    },
    spec: {
      replicas: workload.replicas,
      selector: { matchLabels: workload.labels },
      template: template(workload.labels, revision.spec),
      serviceName: workload.name,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    },
    status: {
      observedGeneration: 1,
      replicas: self.total,
      readyReplicas: self.ready,
      currentReplicas: self.total,
      updatedReplicas: self.total,
      availableReplicas: self.ready,
      currentRevision,
      updateRevision: currentRevision,
      collisionCount: 0,
    },
  };
}

function daemonSet(
  namespace: string,
  workload: WorkloadScenario,
  revision: Revision,
  self: Counted,
  now: number,
): WorkloadObject {
  const ready = self.ready;
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: {
      ...meta(namespace, workload.name, now - workload.ageMs, objectLabels(workload)),
      annotations: { ...workload.metadata?.annotations, 'deprecated.daemonset.template.generation': '1' },
    },
    spec: {
      selector: { matchLabels: workload.labels },
      template: template(workload.labels, revision.spec),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
    },
    status: {
      currentNumberScheduled: self.total,
      numberMisscheduled: 0,
      desiredNumberScheduled: revision.replicas,
      numberReady: ready,
      observedGeneration: 1,
      updatedNumberScheduled: self.total,
      numberAvailable: ready,
      ...(self.total > ready ? { numberUnavailable: self.total - ready } : {}),
    },
  };
}

/** A Job whose pods restart OnFailure: they stay active until they succeed (no pod is ever replaced). */
function job(
  namespace: string,
  workload: WorkloadScenario,
  revision: Revision,
  self: Counted,
  now: number,
  at: number,
): WorkloadObject {
  const jobUid = uid(`${namespace}/owner/${workload.name}`);
  const selector = { 'batch.kubernetes.io/controller-uid': jobUid };
  const labels = {
    ...workload.labels,
    ...selector,
    'batch.kubernetes.io/job-name': workload.name,
    'controller-uid': jobUid,
    'job-name': workload.name,
  };
  const created = now - workload.ageMs;
  const succeeded = self.count((pod) => pod.phase === 'Succeeded');
  const failed = self.count((pod) => pod.phase === 'Failed');
  const complete = succeeded >= revision.replicas;
  if (complete) self.completedAt ??= at;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(namespace, workload.name, created, labels),
    spec: {
      parallelism: revision.replicas,
      completions: revision.replicas,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      suspend: false,
      manualSelector: false,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: selector },
      template: template(labels, revision.spec),
    },
    status: {
      startTime: rfc3339(created),
      active: self.total - succeeded - failed,
      ready: self.ready,
      terminating: 0,
      uncountedTerminatedPods: {},
      ...(succeeded > 0 ? { succeeded } : {}),
      ...(failed > 0 ? { failed } : {}),
      ...(complete
        ? {
            completionTime: rfc3339(self.completedAt ?? at),
            conditions: [
              { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached' },
              { type: 'Complete', status: 'True', reason: 'CompletionsReached' },
            ],
          }
        : {}),
    },
  };
}
