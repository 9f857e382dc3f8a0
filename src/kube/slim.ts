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

function pick<T extends object, K extends keyof T>(source: T | undefined, keys: readonly K[]): Pick<T, K> {
  const kept = {} as Pick<T, K>;
  if (source === undefined || source === null) return kept;
  for (const key of keys) {
    // The API server writes `null` for unset times (`eventTime: null`); the model types say absent.
    if (source[key] !== undefined && source[key] !== null) kept[key] = source[key];
  }
  return kept;
}

function bounded(text: string | undefined): string | undefined {
  return text !== undefined && text.length > maxMessageLength ? `${text.slice(0, maxMessageLength)}…` : text;
}

function slimMeta(meta: ObjectMeta): ObjectMeta {
  const kept: ObjectMeta = pick(meta, [
    'name',
    'namespace',
    'uid',
    'resourceVersion',
    'creationTimestamp',
    'deletionTimestamp',
    'labels',
  ]);
  const annotations = Object.entries(meta.annotations ?? {}).filter(([key]) => keptAnnotation(key));
  if (annotations.length > 0) kept.annotations = Object.fromEntries(annotations);
  if (meta.ownerReferences !== undefined) {
    kept.ownerReferences = meta.ownerReferences.map((owner) =>
      pick(owner, ['apiVersion', 'kind', 'name', 'uid', 'controller']),
    );
  }
  return kept;
}

function slimContainer(container: Container): Container {
  const kept: Container = pick(container, [
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
  ]);
  if (container.volumeMounts !== undefined) {
    kept.volumeMounts = container.volumeMounts.map((mount) => pick(mount, ['name', 'mountPath', 'readOnly']));
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
  if (state.waiting !== undefined) {
    kept.waiting = { ...pick(state.waiting, ['reason']), message: bounded(state.waiting.message) };
  }
  if (state.running !== undefined) kept.running = pick(state.running, ['startedAt']);
  if (state.terminated !== undefined) {
    kept.terminated = {
      ...pick(state.terminated, ['exitCode', 'signal', 'reason', 'startedAt', 'finishedAt', 'containerID']),
      message: bounded(state.terminated.message),
    };
  }
  return kept;
}

function slimContainerStatus(status: ContainerStatus): ContainerStatus {
  return {
    ...pick(status, ['name', 'image', 'imageID', 'containerID', 'ready', 'started', 'restartCount']),
    state: slimState(status.state),
    lastState: slimState(status.lastState),
  };
}

function slimCondition(condition: PodCondition): PodCondition {
  return {
    ...pick(condition, ['type', 'status', 'reason', 'lastTransitionTime']),
    message: bounded(condition.message),
  };
}

export function slimPod(pod: Pod): Pod {
  const spec = pod.spec;
  const status = pod.status;
  const slim: Pod = {
    metadata: slimMeta(pod.metadata),
    spec: {
      ...pick(spec, ['restartPolicy', 'nodeName', 'securityContext', 'serviceAccountName']),
      containers: (spec?.containers ?? []).map(slimContainer),
    },
  };
  if (spec?.initContainers !== undefined) slim.spec.initContainers = spec.initContainers.map(slimContainer);
  if (spec?.volumes !== undefined) slim.spec.volumes = spec.volumes.map(slimVolume);
  if (status !== undefined) {
    slim.status = {
      ...pick(status, ['phase', 'reason', 'hostIP', 'podIP', 'startTime', 'qosClass']),
      message: bounded(status.message),
    };
    if (status.conditions !== undefined) slim.status.conditions = status.conditions.map(slimCondition);
    if (status.initContainerStatuses !== undefined) {
      slim.status.initContainerStatuses = status.initContainerStatuses.map(slimContainerStatus);
    }
    if (status.containerStatuses !== undefined) {
      slim.status.containerStatuses = status.containerStatuses.map(slimContainerStatus);
    }
  }
  return slim;
}

export function slimEvent(event: KubeEvent): KubeEvent {
  return {
    ...pick(event, ['reason', 'type', 'count', 'firstTimestamp', 'lastTimestamp', 'eventTime']),
    metadata: pick(event.metadata ?? {}, [
      'name',
      'namespace',
      'uid',
      'resourceVersion',
      'creationTimestamp',
    ]),
    involvedObject: pick(event.involvedObject ?? {}, ['kind', 'namespace', 'name', 'uid', 'fieldPath']),
    message: bounded(event.message),
    source: event.source === undefined ? undefined : pick(event.source, ['component', 'host']),
  };
}
