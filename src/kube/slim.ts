import { BoundedMap } from '../model/bounded-map.js';
import type {
  Container,
  ContainerState,
  ContainerStatus,
  KubeEvent,
  ObjectMeta,
  Pod,
  PodCondition,
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

/**
 * The named keys of `source`; typed so that the caller can add the others it keeps. String values of the
 * `shared` keys go through `share`.
 */
function pick<T extends object, K extends keyof T>(
  source: T | undefined,
  keys: readonly K[],
  shared: readonly K[] = [],
): Pick<T, K> & Partial<T> {
  const kept = {} as Pick<T, K> & Partial<T>;
  if (source === undefined || source === null) return kept;
  for (const key of keys) {
    const value = source[key];
    // The API server writes `null` for unset times (`eventTime: null`); the model types say absent.
    if (value === undefined || value === null) continue;
    kept[key] = typeof value === 'string' && shared.includes(key) ? (share(value) as T[K]) : value;
  }
  return kept;
}

// JSON.parse gives every value its own string: 10,000 pods held 19,000 copies of 950 image names, 89,000
// timestamps of which 11,000 differ, 10,000 copies of each condition type. Values that pods have in common
// (images, nodes, owners, condition types and times, label values) are kept once. The table is bounded:
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

function shareContainers(containers: Container[]): Container[] {
  return sharedSpecs.intern(JSON.stringify(containers), containers);
}

/** How many container lists the table holds (bounded). */
export function sharedSpecCount(): number {
  return sharedSpecs.size;
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

function shareValues(record: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const key in record) {
    const value = record[key];
    if (typeof value === 'string') kept[key] = share(value);
  }
  return kept;
}

// Every slim object is built as `{}` plus properties added one by one, never as `{ ...picked, more }`:
// V8 gives an object made by spreading and then extended a hidden class of its own, and 10,000 pods made
// that way cost 90,000 hidden classes (20 MB of maps and descriptor arrays, more than the pods' data).
// Added in order onto `{}`, objects of one kind share a handful of hidden classes.

/** `kept` with `message`, bounded, when there is one. */
function withMessage<T extends { message?: string }>(kept: T, message: string | undefined): T {
  const text = bounded(message);
  if (text !== undefined) kept.message = text;
  return kept;
}

function bounded(text: string | undefined): string | undefined {
  return text !== undefined && text.length > maxMessageLength ? `${text.slice(0, maxMessageLength)}…` : text;
}

function slimMeta(meta: ObjectMeta): ObjectMeta {
  const kept: ObjectMeta = pick(
    meta,
    ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp'],
    ['namespace', 'creationTimestamp'],
  );
  if (meta.labels !== undefined && meta.labels !== null) kept.labels = shareValues(meta.labels);
  const annotations = Object.entries(meta.annotations ?? {}).filter(([key]) => keptAnnotation(key));
  if (annotations.length > 0) kept.annotations = Object.fromEntries(annotations);
  if (meta.ownerReferences !== undefined) {
    kept.ownerReferences = meta.ownerReferences.map((owner) =>
      pick(owner, ['apiVersion', 'kind', 'name', 'uid', 'controller'], ['apiVersion', 'kind', 'name', 'uid']),
    );
  }
  return kept;
}

function slimContainer(container: Container): Container {
  const kept: Container = pick(
    container,
    [
      'name',
      'image',
      'command',
      'args',
      'env',
      'envFrom',
      'ports',
      'resources',
      'livenessProbe',
      'readinessProbe',
      'startupProbe',
      'securityContext',
      'restartPolicy',
    ],
    ['name', 'image', 'restartPolicy'],
  );
  if (container.volumeMounts !== undefined) {
    kept.volumeMounts = container.volumeMounts.map((mount) =>
      pick(mount, ['name', 'mountPath', 'readOnly'], ['name', 'mountPath']),
    );
  }
  return kept;
}

function slimVolume(volume: Volume): Volume {
  const kept: Volume = { name: volume.name };
  if (volume.configMap !== undefined) kept.configMap = volume.configMap;
  if (volume.secret !== undefined) kept.secret = volume.secret;
  return kept;
}

function slimState(state: ContainerState | undefined): ContainerState | undefined {
  if (state === undefined) return undefined;
  const kept: ContainerState = {};
  if (state.waiting !== undefined)
    kept.waiting = withMessage(pick(state.waiting, ['reason'], ['reason']), state.waiting.message);
  if (state.running !== undefined) kept.running = pick(state.running, ['startedAt'], ['startedAt']);
  if (state.terminated !== undefined) {
    kept.terminated = withMessage(
      pick(
        state.terminated,
        ['exitCode', 'signal', 'reason', 'startedAt', 'finishedAt', 'containerID'],
        ['reason', 'startedAt', 'finishedAt'],
      ),
      state.terminated.message,
    );
  }
  return kept;
}

function slimContainerStatus(status: ContainerStatus): ContainerStatus {
  const kept = pick(
    status,
    ['name', 'image', 'imageID', 'containerID', 'ready', 'started', 'restartCount'],
    ['name', 'image', 'imageID'],
  );
  const state = slimState(status.state);
  if (state !== undefined) kept.state = state;
  const lastState = slimState(status.lastState);
  if (lastState !== undefined) kept.lastState = lastState;
  return kept;
}

function slimCondition(condition: PodCondition): PodCondition {
  const kept = withMessage(
    pick(
      condition,
      ['type', 'status', 'reason', 'lastTransitionTime'],
      ['type', 'status', 'reason', 'lastTransitionTime'],
    ),
    condition.message,
  );
  return shareCondition(kept);
}

export function slimPod(pod: Pod): Pod {
  const spec = pod.spec;
  const status = pod.status;
  const slimSpec = pick(
    spec,
    ['restartPolicy', 'nodeName', 'securityContext', 'serviceAccountName'],
    ['restartPolicy', 'nodeName', 'serviceAccountName'],
  ) as Pod['spec'];
  slimSpec.containers = shareContainers((spec?.containers ?? []).map(slimContainer));
  if (spec?.initContainers !== undefined) slimSpec.initContainers = spec.initContainers.map(slimContainer);
  if (spec?.volumes !== undefined) slimSpec.volumes = spec.volumes.map(slimVolume);
  const slim: Pod = { metadata: slimMeta(pod.metadata), spec: slimSpec };
  if (status !== undefined) {
    const kept = withMessage(
      pick(
        status,
        ['phase', 'reason', 'hostIP', 'podIP', 'startTime', 'qosClass'],
        ['phase', 'reason', 'hostIP', 'startTime', 'qosClass'],
      ),
      status.message,
    );
    if (status.conditions !== undefined) kept.conditions = status.conditions.map(slimCondition);
    if (status.initContainerStatuses !== undefined) {
      kept.initContainerStatuses = status.initContainerStatuses.map(slimContainerStatus);
    }
    if (status.containerStatuses !== undefined) {
      kept.containerStatuses = status.containerStatuses.map(slimContainerStatus);
    }
    slim.status = kept;
  }
  return slim;
}

export function slimEvent(event: KubeEvent): KubeEvent {
  const kept = pick(
    event,
    ['reason', 'type', 'count', 'firstTimestamp', 'lastTimestamp', 'eventTime'],
    ['reason', 'type'],
  );
  kept.metadata = pick(event.metadata ?? {}, [
    'name',
    'namespace',
    'uid',
    'resourceVersion',
    'creationTimestamp',
  ]);
  kept.involvedObject = pick(
    event.involvedObject ?? {},
    ['kind', 'namespace', 'name', 'uid', 'fieldPath'],
    ['kind', 'namespace', 'fieldPath'],
  );
  withMessage(kept, event.message);
  if (event.source !== undefined)
    kept.source = pick(event.source, ['component', 'host'], ['component', 'host']);
  return kept as KubeEvent;
}
