import { BoundedMap } from '../model/bounded-map.js';
import type {
  Container,
  ContainerState,
  ContainerStatus,
  KubeEvent,
  ObjectMeta,
  OwnerReference,
  Pod,
  PodCondition,
  PodSpec,
  PodStatus,
  Volume,
} from '../model/pod.js';

// The watcher keeps thousands of pods for hours, so it keeps only the fields `src/model/pod.ts` declares
// (what the views and the classifier read). A real pod's JSON is mostly managedFields, last-applied
// annotations and projected volumes; dropping them makes 10,000 pods cost megabytes, not hundreds.
// `getPod` (describe) reads the full pod from the server instead.

/** Annotations a view or a fix command reads: Helm's release, Argo CD's tracking id, kubectl's default container. */
function keptAnnotation(key: string): boolean {
  return (
    key.startsWith('meta.helm.sh/') ||
    key === 'argocd.argoproj.io/tracking-id' ||
    key === 'kubectl.kubernetes.io/default-container'
  );
}

const maxMessageLength = 4096;

/** `value`, with the API server's `null` for unset fields (`eventTime: null`) as absent, as the model types say. */
function given<T>(value: T | null): T {
  return value === null ? (undefined as T) : value;
}

/** `value` like `given`, and one copy (`share`) when it is a string: values that pods have in common. */
function common<T>(value: T | null): T {
  return typeof value === 'string' ? (share(value) as T) : given(value);
}

// JSON.parse gives every value its own string: 10,000 pods held 19,000 copies of 950 image names, 89,000
// timestamps of which 11,000 differ, 10,000 copies of each condition type. Values that pods have in common
// (images, nodes, owners, condition types, times and messages, label values, events' times) are kept once. The table is bounded:
// when full it starts over, which only loses sharing for the strings already kept, never correctness.
export const maxSharedStrings = 50_000;
const sharedStrings = new BoundedMap<string, string>(maxSharedStrings);

/** One copy of `text` for every pod that has it. */
export function share(text: string): string {
  return sharedStrings.intern(text, text);
}

/** How many strings the table holds (bounded by maxSharedStrings). */
export function sharedStringCount(): number {
  return sharedStrings.size;
}

// Replicas of one workload have the same containers: the same env, probes, ports and resources, a dozen
// objects each. Pods with equal slim containers share one array (read only, as all watched data is).
export const maxSharedSpecs = 5_000;
const sharedSpecs = new BoundedMap<string, Container[]>(maxSharedSpecs);

/** `value`, or the equal one (as JSON) that `table` kept: one object for what replicas have in common. */
function sharedAsJson<T>(table: BoundedMap<string, T>, value: T): T {
  return table.intern(JSON.stringify(value), value);
}

/** How many container lists the table holds (bounded). */
export function sharedSpecCount(): number {
  return sharedSpecs.size;
}

// Replicas of one ReplicaSet have the same labels (pod-template-hash included), annotations and owner reference:
// kept once as well, which at 50,000 pods is 150,000 objects fewer (the array, its store and the reference)
// for owners and 50,000 for labels. A StatefulSet's pods each have a label of their own, and share nothing.
export const maxSharedOwnersAndLabels = 5_000;
const sharedOwners = new BoundedMap<string, OwnerReference[]>(maxSharedOwnersAndLabels);
const sharedLabels = new BoundedMap<string, Record<string, string>>(maxSharedOwnersAndLabels);

/** How many owner reference lists and label (or annotation) sets the tables hold (bounded). */
export function sharedOwnersAndLabelsCount(): number {
  return sharedOwners.size + sharedLabels.size;
}

// Each pod has five conditions, and those of pods scheduled, started or made ready in the same second are
// equal. Plain ones (no reason or message: all but a failing pod's Ready and ContainersReady) are kept once,
// found by their time, whose string is already shared, so that the table costs no key strings, then by type
// and status among the few of that second. On the simulator's 10,000 pods, 50,000 condition objects became
// 1,200 (2.3 MB less heap); a cluster whose pods started over days shares fewer, and the table is bounded.
export const maxSharedConditionTimes = 5_000;
/** A second holds one plain condition per type and status: a handful, unless pods bring types of their own. */
const maxConditionsPerTime = 16;
const sharedConditions = new BoundedMap<string, PodCondition[]>(maxSharedConditionTimes);

function shareCondition(condition: PodCondition): PodCondition {
  const { type, status, lastTransitionTime, reason, message } = condition;
  if (reason !== undefined || message !== undefined || lastTransitionTime === undefined) return condition;
  const sameTime = sharedConditions.get(lastTransitionTime);
  if (sameTime === undefined) {
    sharedConditions.set(lastTransitionTime, [condition]);
    return condition;
  }
  const known = sameTime.find((kept) => kept.type === type && kept.status === status);
  if (known !== undefined) return known;
  if (sameTime.length < maxConditionsPerTime) sameTime.push(condition);
  return condition;
}

/** How many condition times the table holds (bounded by maxSharedConditionTimes). */
export function sharedConditionTimeCount(): number {
  return sharedConditions.size;
}

// Pods that started in the same seconds have the same list of (shared) conditions: the list is kept once too.
export const maxSharedConditionLists = 5_000;
const sharedConditionLists = new BoundedMap<string, PodCondition[]>(maxSharedConditionLists);

/** How many condition lists the table holds (bounded by maxSharedConditionLists). */
export function sharedConditionListCount(): number {
  return sharedConditionLists.size;
}

// Every slim object is one object literal naming all the fields it may have, absent ones as undefined, never
// `{}` with properties added one by one nor `{ ...picked, more }`. V8 gives a literal's objects one hidden class
// and room inside the object for every field. Added one by one, the fifth property and later went into a
// separate PropertyArray: 352,000 of them at 50,000 pods, each one more object for every full GC to mark. A
// spread and then extended object got a hidden class of its own (90,000 at 10,000 pods, 20 MB).

/** A state, or a securityContext, that says nothing: one frozen object for all the pods that have one. */
const nothing = Object.freeze({});

/** `value`, or `nothing` when it is an object without a key (`securityContext: {}`, `lastState: {}`). */
function orNothing<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return given(value);
  for (const _ in value) return value;
  return Array.isArray(value) ? value : (nothing as T);
}

/**
 * `record` with its string values shared. A record of strings only (every pod's labels) is the parsed object
 * itself, its values swapped for their shared copies: JSON.parse gave it room for all its keys, where a copy
 * built key by key would put the fifth and later ones into a PropertyArray. The parsed pod is the watch's own
 * and dropped once slimmed, and the values stay equal.
 */
function shareValues(record: Record<string, string>): Record<string, string> {
  for (const key in record) {
    if (typeof record[key] !== 'string') return sharedStringsOf(record);
  }
  for (const key in record) record[key] = share(record[key]!);
  return record;
}

function sharedStringsOf(record: Record<string, unknown>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const key in record) {
    const value = record[key];
    if (typeof value === 'string') kept[key] = share(value);
  }
  return kept;
}

function bounded(text: string | undefined | null): string | undefined {
  if (text === undefined || text === null) return undefined;
  return text.length > maxMessageLength ? `${text.slice(0, maxMessageLength)}…` : text;
}

function keptAnnotations(
  annotations: Record<string, string> | undefined,
): Record<string, string> | undefined {
  const kept = Object.entries(annotations ?? {}).filter(([key]) => keptAnnotation(key));
  return kept.length > 0 ? shareLabels(Object.fromEntries(kept)) : undefined;
}

function slimMeta(meta: ObjectMeta): ObjectMeta {
  return {
    name: given(meta.name),
    namespace: common(meta.namespace),
    uid: given(meta.uid),
    resourceVersion: given(meta.resourceVersion),
    creationTimestamp: common(meta.creationTimestamp),
    deletionTimestamp: given(meta.deletionTimestamp),
    labels: meta.labels === undefined || meta.labels === null ? undefined : shareLabels(meta.labels),
    annotations: keptAnnotations(meta.annotations),
    ownerReferences:
      meta.ownerReferences === undefined || meta.ownerReferences === null
        ? undefined
        : sharedAsJson(sharedOwners, meta.ownerReferences.map(slimOwner)),
  };
}

function shareLabels(labels: Record<string, string>): Record<string, string> {
  const key = JSON.stringify(labels);
  const known = sharedLabels.get(key);
  if (known !== undefined) return known;
  const kept = shareValues(labels);
  sharedLabels.set(key, kept);
  return kept;
}

function slimOwner(owner: OwnerReference): OwnerReference {
  return {
    apiVersion: common(owner.apiVersion),
    kind: common(owner.kind),
    name: common(owner.name),
    uid: common(owner.uid),
    controller: given(owner.controller),
  };
}

function slimContainer(container: Container): Container {
  return {
    name: common(container.name),
    image: common(container.image),
    command: given(container.command),
    args: given(container.args),
    env: given(container.env),
    envFrom: given(container.envFrom),
    ports: given(container.ports),
    resources: given(container.resources),
    livenessProbe: given(container.livenessProbe),
    readinessProbe: given(container.readinessProbe),
    startupProbe: given(container.startupProbe),
    securityContext: given(container.securityContext),
    restartPolicy: common(container.restartPolicy),
    restartPolicyRules: given(container.restartPolicyRules),
    volumeMounts: container.volumeMounts?.map((mount) => ({
      name: common(mount.name),
      mountPath: common(mount.mountPath),
      readOnly: given(mount.readOnly),
    })),
  };
}

function slimVolume(volume: Volume): Volume {
  return { name: volume.name, configMap: given(volume.configMap), secret: given(volume.secret) };
}

function slimState(state: ContainerState | undefined): ContainerState | undefined {
  if (state === undefined || state === null) return undefined;
  const { waiting, running, terminated } = state;
  if (waiting == null && running == null && terminated == null) return nothing;
  return {
    waiting:
      waiting == null ? undefined : { reason: common(waiting.reason), message: bounded(waiting.message) },
    // Not shared: a running container's start is its own (43,700 distinct of 47,800 at 50,000 pods), and
    // sharing it only churned the string table.
    running: running == null ? undefined : { startedAt: given(running.startedAt) },
    terminated:
      terminated == null
        ? undefined
        : {
            exitCode: given(terminated.exitCode),
            signal: given(terminated.signal),
            reason: common(terminated.reason),
            message: bounded(terminated.message),
            startedAt: common(terminated.startedAt),
            finishedAt: common(terminated.finishedAt),
            containerID: given(terminated.containerID),
          },
  };
}

function slimContainerStatus(status: ContainerStatus): ContainerStatus {
  return {
    name: common(status.name),
    image: common(status.image),
    imageID: common(status.imageID),
    containerID: given(status.containerID),
    ready: given(status.ready),
    started: given(status.started),
    restartCount: given(status.restartCount),
    state: slimState(status.state),
    lastState: slimState(status.lastState),
  };
}

function slimCondition(condition: PodCondition): PodCondition {
  return shareCondition({
    type: common(condition.type),
    status: common(condition.status),
    reason: common(condition.reason),
    message: common(bounded(condition.message)),
    lastTransitionTime: common(condition.lastTransitionTime),
  });
}

function slimStatus(status: PodStatus): PodStatus {
  return {
    phase: common(status.phase),
    reason: common(status.reason),
    message: bounded(status.message),
    conditions:
      status.conditions === undefined || status.conditions === null
        ? undefined
        : sharedAsJson(sharedConditionLists, status.conditions.map(slimCondition)),
    initContainerStatuses: status.initContainerStatuses?.map(slimContainerStatus),
    containerStatuses: status.containerStatuses?.map(slimContainerStatus),
    hostIP: common(status.hostIP),
    podIP: given(status.podIP),
    startTime: common(status.startTime),
    qosClass: common(status.qosClass),
  };
}

export function slimPod(pod: Pod): Pod {
  const spec: Partial<PodSpec> = pod.spec ?? {};
  return {
    metadata: slimMeta(pod.metadata),
    spec: {
      containers: sharedAsJson(sharedSpecs, (spec.containers ?? []).map(slimContainer)),
      initContainers: spec.initContainers?.map(slimContainer),
      restartPolicy: common(spec.restartPolicy),
      nodeName: common(spec.nodeName),
      volumes: spec.volumes?.map(slimVolume),
      securityContext: orNothing(spec.securityContext),
      serviceAccountName: common(spec.serviceAccountName),
    },
    status: pod.status === undefined || pod.status === null ? undefined : slimStatus(pod.status),
  };
}

export function slimEvent(event: KubeEvent): KubeEvent {
  const meta = event.metadata ?? {};
  const involved = event.involvedObject ?? {};
  return {
    metadata: {
      name: given(meta.name),
      namespace: given(meta.namespace),
      uid: given(meta.uid),
      resourceVersion: given(meta.resourceVersion),
      creationTimestamp: common(meta.creationTimestamp),
    },
    involvedObject: {
      kind: common(involved.kind),
      namespace: common(involved.namespace),
      name: given(involved.name),
      uid: given(involved.uid),
      fieldPath: common(involved.fieldPath),
    },
    reason: common(event.reason),
    message: bounded(event.message),
    type: common(event.type),
    count: given(event.count),
    firstTimestamp: common(event.firstTimestamp),
    lastTimestamp: common(event.lastTimestamp),
    eventTime: given(event.eventTime),
    source:
      event.source === undefined || event.source === null
        ? undefined
        : { component: common(event.source.component), host: common(event.source.host) },
  };
}
