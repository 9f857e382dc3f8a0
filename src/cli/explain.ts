import { listPodEvents } from '../kube/events.js';
import type { ResolvedContext, Scope } from '../kube/kubeconfig.js';
import { logUnavailableReason, readPreviousLog } from '../kube/logs.js';
import { listScope, scopeNotes } from '../kube/scope.js';
import { readWorkloadMeta } from '../kube/workload.js';
import type { BackoffCurve } from '../model/backoff.js';
import type { WorkloadLookup } from '../model/gitops.js';
import { ownerOf } from '../model/owner.js';
import type { KubeEvent, Pod } from '../model/pod.js';
import { buildPodReport, type PodReport, type Report, type ScopeReport } from '../model/report.js';
import { failingContainers, isUnhealthy } from '../model/status.js';
import { readEvents, readLogFile, readPods } from './input-files.js';
import { UsageError } from './usage-error.js';

export interface OfflineInput {
  podFile: string;
  eventsFile?: string;
  logSpecs: string[];
}

export interface OnlineInput {
  contexts: ResolvedContext[];
  scope: Scope;
  podName?: string;
}

const FETCH_CONCURRENCY = 8;

/** Runs `work` over `items` with at most `limit` calls in flight, keeping the input order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function eventsOfPod(events: readonly KubeEvent[], pod: Pod): KubeEvent[] {
  return events.filter(
    (event) =>
      (event.involvedObject.name === undefined || event.involvedObject.name === pod.metadata.name) &&
      (event.involvedObject.uid === undefined ||
        pod.metadata.uid === undefined ||
        event.involvedObject.uid === pod.metadata.uid),
  );
}

/**
 * A single pod file is always explained; from a List, only the unhealthy pods are, as online. Logs name
 * their container (`--logs C=FILE`) or, for a single pod, go to its first failing container.
 */
export async function explainFromFiles(
  input: OfflineInput,
  curve?: BackoffCurve,
  nowMs = Date.now(),
): Promise<Report> {
  const allPods = await readPods(input.podFile);
  const pods = allPods.length === 1 ? allPods : allPods.filter((pod) => isUnhealthy(pod, nowMs));
  const events = input.eventsFile ? await readEvents(input.eventsFile) : [];
  const logFiles = await Promise.all(input.logSpecs.map(readLogFile));
  for (const file of logFiles) {
    if (file.container === undefined && allPods.length > 1) {
      throw new UsageError(
        `--pod ${input.podFile} holds several pods: name the container, --logs CONTAINER=FILE`,
      );
    }
    if (
      file.container !== undefined &&
      !allPods.some((pod) => containerNames(pod).includes(file.container!))
    ) {
      throw new UsageError(
        `--logs ${file.container}=…: no pod in ${input.podFile} has a container "${file.container}"`,
      );
    }
  }
  const reports: PodReport[] = pods.map((pod) => {
    const logs = new Map<string, string[]>();
    const firstFailing = failingContainers(pod, nowMs)[0]?.name ?? pod.spec.containers[0]?.name;
    for (const file of logFiles) {
      const container = file.container ?? firstFailing;
      if (container !== undefined && containerNames(pod).includes(container)) logs.set(container, file.lines);
    }
    return buildPodReport({
      context: '',
      pod,
      events: eventsOfPod(events, pod),
      logs,
      curve,
      siblings: allPods,
      nowMs,
    });
  });
  return { pods: reports };
}

function containerNames(pod: Pod): string[] {
  return [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => c.name);
}

export interface OnlineReport extends Report {
  scope: ScopeReport[];
  /** Namespaces named with -n that do not exist: the report is printed, and the exit code says it. */
  missingNamespaces: string[];
}

/**
 * `nowMs` dates crash loops (a pod running between crashes is reported until its back-off resets); it is our
 * clock, not the API server's: one report does not measure the skew the live view does.
 */
export async function explainFromCluster(
  input: OnlineInput,
  curve?: BackoffCurve,
  nowMs = Date.now(),
): Promise<OnlineReport> {
  // Every pod listed in the same context is a sibling: that is how a failing rollout is told apart.
  const perContext = await Promise.all(
    input.contexts.map(async (context) => {
      const { pods: siblings, looked } = await listScope(context, input.scope);
      const perNamespace = new Map<string, number>();
      for (const pod of siblings) {
        const ns = pod.metadata.namespace ?? '';
        perNamespace.set(ns, (perNamespace.get(ns) ?? 0) + 1);
      }
      const checked = await scopeNotes(context, looked, perNamespace);
      const pods = siblings.filter((pod) =>
        input.podName ? pod.metadata.name === input.podName : isUnhealthy(pod, nowMs),
      );
      return {
        targets: pods.map((pod) => ({ context, pod, siblings })),
        scope: { ...looked, notes: [...looked.notes, ...checked.notes] },
        missing: checked.missingNamespaces,
      };
    }),
  );
  const targets = perContext.flatMap((c) => c.targets);
  if (input.podName && targets.length === 0) {
    throw new UsageError(`pod "${input.podName}" not found in ${describeScope(input)}`);
  }
  const workloads = new Map<string, Promise<WorkloadLookup | undefined>>();
  // The pods of one Deployment share its labels: one request for them all.
  const workloadOf = (context: ResolvedContext, pod: Pod) => {
    const owner = ownerOf(pod);
    if (!owner) return Promise.resolve(undefined);
    const namespace = pod.metadata.namespace ?? context.defaultNamespace;
    const key = JSON.stringify([context.name, namespace, owner.kind, owner.name]);
    const known = workloads.get(key);
    if (known) return known;
    const lookup = readWorkloadMeta(context, namespace, owner);
    workloads.set(key, lookup);
    return lookup;
  };
  const pods = await mapLimited(targets, FETCH_CONCURRENCY, async ({ context, pod, siblings }) => {
    const [{ events, unavailableEvents }, { logs, unavailableLogs }, workload] = await Promise.all([
      podEvents(context, pod),
      previousLogs(context, pod, nowMs),
      workloadOf(context, pod),
    ]);
    return buildPodReport({
      context: context.name,
      kubeconfig: context.kubeconfig,
      pod,
      events,
      unavailableEvents,
      logs,
      unavailableLogs,
      workload,
      curve,
      siblings,
      nowMs,
    });
  });
  return {
    pods,
    scope: perContext.map((c) => c.scope),
    missingNamespaces: perContext.flatMap((c) => c.missing),
  };
}

/** Events that cannot be listed (events forbidden, a timeout) degrade this pod's report only, as logs do. */
async function podEvents(
  context: ResolvedContext,
  pod: Pod,
): Promise<{ events: KubeEvent[]; unavailableEvents?: string }> {
  try {
    return { events: await listPodEvents(context, pod) };
  } catch (error) {
    return { events: [], unavailableEvents: logUnavailableReason(error) };
  }
}

/**
 * A log that cannot be read (the kubelet unreachable, pods/log forbidden) degrades this pod's report
 * only: its cause then comes from status and events, and its evidence says why the log is missing.
 */
async function previousLogs(
  context: ResolvedContext,
  pod: Pod,
  nowMs: number,
): Promise<{ logs: Map<string, string[]>; unavailableLogs: Map<string, string> }> {
  const logs = new Map<string, string[]>();
  const unavailableLogs = new Map<string, string>();
  for (const failing of failingContainers(pod, nowMs)) {
    try {
      const lines = await readPreviousLog(context, pod, failing.name);
      if (lines) logs.set(failing.name, lines);
    } catch (error) {
      unavailableLogs.set(failing.name, logUnavailableReason(error));
    }
  }
  return { logs, unavailableLogs };
}

function describeScope(input: OnlineInput): string {
  const namespaces = input.scope.allNamespaces
    ? 'all namespaces'
    : `namespace ${input.scope.namespaces?.join(', ') || input.contexts.map((c) => c.defaultNamespace).join(', ')}`;
  return `${namespaces} of context ${input.contexts.map((c) => c.name).join(', ')}`;
}
