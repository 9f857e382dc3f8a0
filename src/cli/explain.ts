import { KubeError } from '../kube/errors.js';
import { listPodEvents } from '../kube/events.js';
import type { ResolvedContext, Scope } from '../kube/kubeconfig.js';
import { logUnavailableReason, readPreviousLog } from '../kube/logs.js';
import { scopeNamespaces } from '../kube/pods.js';
import { readReplicaSetRevisions } from '../kube/replica-sets.js';
import { listScope, scopeNotes } from '../kube/scope.js';
import { readWorkloadMeta } from '../kube/workload.js';
import type { BackoffCurve } from '../model/backoff.js';
import type { WorkloadLookup } from '../model/gitops.js';
import { ownerOf } from '../model/owner.js';
import type { KubeEvent, Pod } from '../model/pod.js';
import { buildPodReport, type PodReport, type Report, type ScopeReport } from '../model/report.js';
import {
  deploymentRevisions,
  type ReplicaSetLookup,
  type ReplicaSetMeta,
  replicaSetsToRead,
} from '../model/rollout.js';
import { failingContainers, isUnhealthy } from '../model/status.js';
import { sanitizeLine } from '../ui/sanitize.js';
import { readEvents, readLogFile, readPodFile } from './input-files.js';
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
  const { pods: allPods, replicaSets } = await readPodFile(input.podFile);
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
      replicaSets: replicaSetsInFile(pod, allPods, replicaSets),
      nowMs,
    });
  });
  return { pods: reports };
}

/** The revisions of the pod's Deployment's ReplicaSets in the file; undefined when it has none of them. */
function replicaSetsInFile(
  pod: Pod,
  allPods: readonly Pod[],
  replicaSets: readonly ReplicaSetMeta[],
): ReplicaSetLookup | undefined {
  const read = replicaSetsToRead(pod, allPods);
  if (!read) return undefined;
  const revisions = deploymentRevisions(
    read.deployment,
    replicaSets.filter((rs) => (rs.metadata.namespace ?? 'default') === read.namespace),
  );
  return revisions.size > 0 ? { revisions } : undefined;
}

function containerNames(pod: Pod): string[] {
  return [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].map((c) => c.name);
}

export interface OnlineReport extends Report {
  scope: ScopeReport[];
  /** Namespaces named with -n that do not exist: the report is printed, and the exit code says it. */
  missingNamespaces: string[];
}

/** A context that cannot be read, when others can: its scope entry says why, and its pods are missing. */
function failedScope(context: ResolvedContext, scope: Scope, error: KubeError): ScopeReport {
  return {
    context: context.name,
    namespaces: scopeNamespaces(context, scope).filter((ns): ns is string => ns !== undefined),
    ...(scope.selector ? { selector: scope.selector } : {}),
    pods: 0,
    notes: [error.message],
    failed: true,
  };
}

/**
 * After the report is printed: each context that could not be read and each namespace that does not exist, one
 * line each on stderr, and the exit code. An unread context is a runtime failure (1) even when a namespace
 * typo (2) is also there: the report is missing a cluster.
 */
export function reportProblems(report: OnlineReport, stderr: NodeJS.WritableStream): number {
  const failed = report.scope.filter((s) => s.failed);
  for (const note of failed.flatMap((s) => s.notes)) stderr.write(`crashtop: ${sanitizeLine(note)}\n`);
  if (report.missingNamespaces.length > 0) {
    const names = report.missingNamespaces.map((ns) => `"${ns}"`).join(', ');
    stderr.write(`crashtop: namespace ${names} does not exist: check -n\n`);
  }
  if (failed.length > 0) return 1;
  return report.missingNamespaces.length > 0 ? 2 : 0;
}

/** One context's pods, the ones to explain among them, and what its scope covered. */
async function readContext(context: ResolvedContext, input: OnlineInput, nowMs: number) {
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
    input.contexts.map((context) =>
      readContext(context, input, nowMs).catch((error: unknown) => {
        // One cluster down must not hide the others' crash loops (the live view shows them too); an input
        // error (a bad selector) is everyone's, and a lone context's failure is the whole answer.
        if (!(error instanceof KubeError) || error.exitCode !== 1 || input.contexts.length === 1) throw error;
        return { targets: [], scope: failedScope(context, input.scope, error), missing: [], error };
      }),
    ),
  );
  const failed = perContext.flatMap((c) => ('error' in c ? [c.error] : []));
  if (failed.length === input.contexts.length) throw failed[0];
  const targets = perContext.flatMap((c) => c.targets);
  if (input.podName && targets.length === 0) {
    const reached = input.contexts.filter((_, i) => !perContext[i]?.scope.failed);
    const unread = input.contexts.filter((_, i) => perContext[i]?.scope.failed).map((c) => c.name);
    const unreadText = unread.length > 0 ? `; context ${unread.join(', ')} could not be read` : '';
    const message = `pod "${input.podName}" not found in ${describeScope(input, reached)}${unreadText}`;
    // It may be in the context that could not be read: that is not the input's fault.
    throw unread.length > 0 ? new KubeError(message) : new UsageError(message);
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
  const replicaSetLookups = new Map<string, Promise<ReplicaSetLookup>>();
  // Read only for a pod that may be part of a failing rollout, once per Deployment and set of ReplicaSets.
  const replicaSetsOf = (context: ResolvedContext, pod: Pod, siblings: readonly Pod[]) => {
    const read = replicaSetsToRead(pod, siblings);
    if (!read) return Promise.resolve(undefined);
    const key = JSON.stringify([context.name, read.namespace, read.deployment, read.hashes]);
    const known = replicaSetLookups.get(key);
    if (known) return known;
    const lookup = readReplicaSetRevisions(context, read.namespace, read.deployment, read.hashes);
    replicaSetLookups.set(key, lookup);
    return lookup;
  };
  const pods = await mapLimited(targets, FETCH_CONCURRENCY, async ({ context, pod, siblings }) => {
    const [{ events, unavailableEvents }, { logs, unavailableLogs }, workload, replicaSets] =
      await Promise.all([
        podEvents(context, pod),
        previousLogs(context, pod, nowMs),
        workloadOf(context, pod),
        replicaSetsOf(context, pod, siblings),
      ]);
    return buildPodReport({
      context: context.name,
      kubeconfig: context.kubeconfig,
      inCluster: context.inCluster,
      pod,
      events,
      unavailableEvents,
      logs,
      unavailableLogs,
      workload,
      curve,
      siblings,
      replicaSets,
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

function describeScope(input: OnlineInput, contexts: readonly ResolvedContext[]): string {
  const namespaces = input.scope.allNamespaces
    ? 'all namespaces'
    : `namespace ${input.scope.namespaces?.join(', ') || contexts.map((c) => c.defaultNamespace).join(', ')}`;
  return `${namespaces} of context ${contexts.map((c) => c.name).join(', ')}`;
}
