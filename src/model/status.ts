import { type CrashLoop, containerCrashLoop, isActive } from './crash-loop.js';
import { humanAge } from './duration.js';
import type { Container, ContainerRestartRule, ContainerStatus, Pod } from './pod.js';
import { flattenUntrusted } from './untrusted-text.js';

// kubectl's READY / STATUS / RESTARTS columns, and which containers of a pod are failing.
//
// podSummary is a port of printPod in kubernetes/kubernetes pkg/printers/internalversion/printers.go
// (the version with restartable init containers, i.e. sidecars, v1.29+). The apiserver's server-side
// printing runs the same code, so these are the strings users already know from `kubectl get pods`.

export interface PodSummary {
  status: string;
  ready: string;
  restarts: number;
  /** RFC 3339 time of the newest lastState.terminated.finishedAt that printPod counts. */
  lastRestartAt?: string;
}

export interface FailingContainer {
  name: string;
  init: boolean;
  status: ContainerStatus;
}

// Newest finishedAt seen so far, as printPod tracks it (`lastRestartDate.Before(&terminatedDate)`).
interface LastRestart {
  at: string;
  ms: number;
}

function newerRestart(current: LastRestart | undefined, status: ContainerStatus): LastRestart | undefined {
  const at = status.lastState?.terminated?.finishedAt;
  const ms = at === undefined ? Number.NaN : Date.parse(at);
  if (at === undefined || Number.isNaN(ms)) return current;
  return current === undefined || current.ms < ms ? { at, ms } : current;
}

function hasCondition(pod: Pod, type: string): boolean {
  return pod.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

function isTerminalPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

/** podutil.IsRestartableInitContainer: an init container with `restartPolicy: Always` is a sidecar. */
function isSidecar(container: Container | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

function initContainerSpec(pod: Pod, name: string): Container | undefined {
  return pod.spec.initContainers?.find((c) => c.name === name);
}

/** The reason printPod's init loop reports for the container where it stops, or undefined to go on. */
function initReason(
  status: ContainerStatus,
  index: number,
  sidecar: boolean,
  initCount: number,
): string | undefined {
  const { terminated, waiting } = status.state ?? {};
  if (terminated && terminated.exitCode === 0) return undefined;
  if (sidecar && status.started === true) return undefined;
  if (terminated) {
    if (terminated.reason) return `Init:${flattenUntrusted(terminated.reason)}`;
    return terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`;
  }
  if (waiting?.reason && waiting.reason !== 'PodInitializing')
    return `Init:${flattenUntrusted(waiting.reason)}`;
  return `Init:${index}/${initCount}`;
}

/** The reason a regular container imposes on STATUS in printPod's reverse loop, if any. */
function containerReason(status: ContainerStatus): string | undefined {
  const { terminated, waiting } = status.state ?? {};
  if (waiting?.reason) return waiting.reason;
  if (terminated?.reason) return terminated.reason;
  if (terminated) {
    return terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`;
  }
  return undefined;
}

interface InitProgress {
  /** Index of the init container status where printPod's loop stopped with an `Init:` reason. */
  stoppedAt?: number;
  reason?: string;
}

function initProgress(pod: Pod): InitProgress {
  const statuses = pod.status?.initContainerStatuses ?? [];
  const initCount = pod.spec.initContainers?.length ?? 0;
  for (const [index, status] of statuses.entries()) {
    const reason = initReason(status, index, isSidecar(initContainerSpec(pod, status.name)), initCount);
    if (reason !== undefined) return { stoppedAt: index, reason };
  }
  return {};
}

/** Whether printPod goes on to the regular containers (`!initializing || Initialized == True`). */
function pastInit(pod: Pod, progress: InitProgress): boolean {
  return progress.stoppedAt === undefined || hasCondition(pod, 'Initialized');
}

export function podSummary(pod: Pod): PodSummary {
  const status = pod.status ?? {};
  let reason = status.reason || status.phase || '';
  if (pod.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) {
    reason = 'SchedulingGated';
  }

  const initStatuses = status.initContainerStatuses ?? [];
  const sidecarCount = (pod.spec.initContainers ?? []).filter(isSidecar).length;
  const total = pod.spec.containers.length + sidecarCount;
  let ready = 0;
  let restarts = 0;
  let lastRestart: LastRestart | undefined;
  let sidecarRestarts = 0;
  let sidecarLastRestart: LastRestart | undefined;

  // printPod sums restarts only up to the init container where it stops.
  const progress = initProgress(pod);
  for (const initStatus of initStatuses.slice(0, (progress.stoppedAt ?? initStatuses.length) + 1)) {
    restarts += initStatus.restartCount;
    lastRestart = newerRestart(lastRestart, initStatus);
    if (isSidecar(initContainerSpec(pod, initStatus.name))) {
      sidecarRestarts += initStatus.restartCount;
      sidecarLastRestart = newerRestart(sidecarLastRestart, initStatus);
      const finished = initStatus.state?.terminated?.exitCode === 0;
      if (!finished && initStatus.started === true && initStatus.ready) ready++;
    }
  }
  if (progress.reason !== undefined) reason = progress.reason;

  if (pastInit(pod, progress)) {
    restarts = sidecarRestarts;
    lastRestart = sidecarLastRestart;
    let hasRunning = false;
    for (const containerStatus of [...(status.containerStatuses ?? [])].reverse()) {
      restarts += containerStatus.restartCount;
      lastRestart = newerRestart(lastRestart, containerStatus);
      const containerStatusReason = containerReason(containerStatus);
      if (containerStatusReason !== undefined) {
        reason = containerStatusReason;
      } else if (containerStatus.ready && containerStatus.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') {
    reason = 'Unknown';
  } else if (pod.metadata.deletionTimestamp && !isTerminalPhase(status.phase)) {
    reason = 'Terminating';
  }

  return { status: reason, ready: readyText(ready, total), restarts, lastRestartAt: lastRestart?.at };
}

// Nearly every pod is `1/1` or `0/1`: one string for all the rows that show the same READY, not one each.
const readyTexts: string[][] = [];
const maxSharedReady = 16;

/** READY's `ready/total`. */
function readyText(ready: number, total: number): string {
  if (total > maxSharedReady) return `${ready}/${total}`;
  let texts = readyTexts[total];
  if (texts === undefined) {
    texts = [];
    readyTexts[total] = texts;
  }
  let text = texts[ready];
  if (text === undefined) {
    text = `${ready}/${total}`;
    texts[ready] = text;
  }
  return text;
}

/** The RESTARTS column: "0", "7", or "7 (3m ago)" when the time of the last restart is known. */
export function formatRestarts(summary: PodSummary, nowMs: number): string {
  if (summary.restarts === 0 || summary.lastRestartAt === undefined) return String(summary.restarts);
  return `${summary.restarts} (${humanAge(nowMs - Date.parse(summary.lastRestartAt))} ago)`;
}

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

function asRestartPolicy(text: string | undefined): RestartPolicy | undefined {
  return text === 'Always' || text === 'OnFailure' || text === 'Never' ? text : undefined;
}

/** findMatchingContainerRestartRule (pkg/api/v1/pod/util.go): the first rule whose exit codes match. */
function matchingRestartRule(container: Container, exitCode: number): ContainerRestartRule | undefined {
  return container.restartPolicyRules?.find((rule) => {
    const listed = rule.exitCodes?.values?.includes(exitCode) ?? false;
    if (rule.exitCodes?.operator === 'In') return listed;
    if (rule.exitCodes?.operator === 'NotIn') return !listed;
    return false;
  });
}

// `RestartAllContainers` (1.35 alpha) restarts this container along with the others.
const RESTARTING_ACTIONS: ReadonlySet<string> = new Set(['Restart', 'RestartAllContainers']);

/** The exit whose restart is in question: the current terminated state, else the previous one. */
function latestExitCode(pod: Pod, name: string, init: boolean): number | undefined {
  const statuses = init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses;
  const status = statuses?.find((s) => s.name === name);
  return (status?.state?.terminated ?? status?.lastState?.terminated)?.exitCode;
}

/**
 * The restart policy the kubelet applies to one container after exiting with `exitCode` (by default its latest
 * exit, from the pod's status). For regular containers this is ContainerShouldRestart in
 * kubernetes/kubernetes pkg/api/v1/pod/util.go: when the container sets its own `restartPolicy`
 * (ContainerRestartRules, k8s ≥ 1.34), its `restartPolicyRules` are tried first (first match wins; a matching
 * Restart rule is reported as `Always`, i.e. "restarted after this exit"), then its own policy; otherwise the
 * pod's. A sidecar always restarts; a plain init container is retried only on failure (exit 0 means it is done)
 * unless its own policy or the pod's says Never — the kubelet does not evaluate rules for init containers
 * (computeInitContainerActions uses the container-level policy only).
 */
export function effectiveRestartPolicy(
  pod: Pod,
  name: string,
  init: boolean,
  exitCode: number | undefined = latestExitCode(pod, name, init),
): RestartPolicy {
  const podPolicy = asRestartPolicy(pod.spec.restartPolicy) ?? 'Always';
  if (init) {
    const spec = initContainerSpec(pod, name);
    if (isSidecar(spec)) return 'Always';
    return (asRestartPolicy(spec?.restartPolicy) ?? podPolicy) === 'Never' ? 'Never' : 'OnFailure';
  }
  const spec = pod.spec.containers.find((c) => c.name === name);
  const own = asRestartPolicy(spec?.restartPolicy);
  if (spec === undefined || own === undefined) return podPolicy;
  const rule = exitCode === undefined ? undefined : matchingRestartRule(spec, exitCode);
  return rule !== undefined && RESTARTING_ACTIONS.has(rule.action) ? 'Always' : own;
}

const STARTING_REASONS: ReadonlySet<string> = new Set(['ContainerCreating', 'PodInitializing']);

function crashLoopOf(pod: Pod, status: ContainerStatus, init: boolean): CrashLoop | undefined {
  return containerCrashLoop(
    pod,
    { name: status.name, init, status },
    effectiveRestartPolicy(pod, status.name, init),
  );
}

/**
 * Failing: waiting for anything but its first start, terminated in a way the kubelet restarts (or with an
 * error), or running again after a crash while its crash loop holds at `nowMs` (crash-loop.ts) or while it is
 * not ready. A caller without a clock gives +Infinity: only the crash loops that wait or restart hold then.
 */
function isCrashedOrStuck(pod: Pod, status: ContainerStatus, init: boolean, nowMs: number): boolean {
  const { waiting, terminated, running } = status.state ?? {};
  if (waiting?.reason) return !STARTING_REASONS.has(waiting.reason);
  if (terminated) {
    const policy = effectiveRestartPolicy(pod, status.name, init);
    // The kubelet stops sidecars once a pod has finished; their exit then is not a crash.
    if (init && policy === 'Always' && isTerminalPhase(pod.status?.phase)) return false;
    return terminated.exitCode !== 0 || policy === 'Always';
  }
  if (running === undefined || status.restartCount === 0) return false;
  if (!status.ready) return true;
  const loop = crashLoopOf(pod, status, init);
  return loop !== undefined && isActive(loop, nowMs);
}

/**
 * Crashing or stuck containers, the one kubectl's STATUS comes from first (DESIGN.md §3 "first failing
 * container"). Order: containers whose waiting/terminated state shows the failure before those running
 * again after a crash (printPod ignores running ones); among the former, init containers first while the
 * pod is still initializing (printPod never reaches the regular ones then), regular containers first
 * otherwise (their reason overrides an `Init:` one); then declaration order, which is the order in which
 * printPod's reverse loop lets the first non-running container win. `nowMs` is the API server's time: a
 * container running between crashes is failing while its crash loop holds (see isCrashedOrStuck); without
 * it, only while it is not ready.
 */
export function failingContainers(pod: Pod, nowMs = Number.POSITIVE_INFINITY): FailingContainer[] {
  const initializing = !pastInit(pod, initProgress(pod));
  const ranked = [
    ...(pod.status?.initContainerStatuses ?? []).map((status, index) => ({ status, init: true, index })),
    ...(pod.status?.containerStatuses ?? []).map((status, index) => ({ status, init: false, index })),
  ]
    .filter(({ status, init }) => isCrashedOrStuck(pod, status, init, nowMs))
    .map((entry) => ({
      ...entry,
      runningAgain: entry.status.state?.running !== undefined,
      phaseRank: entry.init === initializing ? 0 : 1,
    }));
  ranked.sort(
    (a, b) =>
      Number(a.runningAgain) - Number(b.runningAgain) || a.phaseRank - b.phaseRank || a.index - b.index,
  );
  return ranked.map(({ status, init }) => ({ name: status.name, init, status }));
}

/** The containers of a pod in a crash loop at `nowMs` (crash-loop.ts), in failingContainers' order. */
export function podCrashLoops(
  pod: Pod,
  nowMs = Number.POSITIVE_INFINITY,
  failing = failingContainers(pod, nowMs),
): CrashLoop[] {
  return failing.flatMap((c) => {
    const loop = crashLoopOf(pod, c.status, c.init);
    return loop && isActive(loop, nowMs) ? [loop] : [];
  });
}

/**
 * When the pod's crash loop ends if nothing else changes: the latest reset of its running containers, or
 * Infinity while one waits or is about to restart; undefined when no container of it is in a crash loop at
 * `nowMs`. Rows built at one time use it to know when to be built again.
 */
export function crashLoopEndsAt(
  pod: Pod,
  nowMs = Number.POSITIVE_INFINITY,
  failing = failingContainers(pod, nowMs),
): number | undefined {
  const loops = podCrashLoops(pod, nowMs, failing);
  if (loops.length === 0) return undefined;
  return Math.max(...loops.map((loop) => loop.resetAt ?? Number.POSITIVE_INFINITY));
}

/**
 * Containers not created yet (waiting ContainerCreating, or PodInitializing behind init containers), init
 * containers first. They are not failing by themselves; the classifier gives them a cause only when an event
 * says why the pod cannot start them (a volume that cannot be mounted).
 */
export function notStartedContainers(pod: Pod): FailingContainer[] {
  const waitingToStart = (status: ContainerStatus) =>
    STARTING_REASONS.has(status.state?.waiting?.reason ?? '');
  return [
    ...(pod.status?.initContainerStatuses ?? [])
      .filter(waitingToStart)
      .map((status) => ({ name: status.name, init: true, status })),
    ...(pod.status?.containerStatuses ?? [])
      .filter(waitingToStart)
      .map((status) => ({ name: status.name, init: false, status })),
  ];
}

const SETTLED_STATUSES: ReadonlySet<string> = new Set(['Running', 'Completed', 'Succeeded']);

/**
 * What crashtop lists by default. A pod is unhealthy when a container is failing at `nowMs` (see
 * failingContainers: this includes a container running between crashes while its crash loop holds), when its
 * STATUS is anything but Running/Completed/Succeeded (Pending, ContainerCreating, Terminating, Evicted,
 * NotReady, Init:…, …), or when it is Running but not ready: the PodReady condition is False, or, without
 * conditions (a pod read from a trimmed file), fewer containers are ready than exist. A pod whose last
 * restart is older than the back-off reset window and that runs ready has recovered.
 */
/**
 * How bad a STATUS string reads, worst first: 0 a crash loop (`CrashLoopBackOff`, `Init:CrashLoopBackOff`), 1 any
 * other failure (`Error`, `OOMKilled`, `ImagePullBackOff`, `CreateContainerConfigError`, `Evicted`, an unknown
 * reason…), 2 on its way (`Pending`, `ContainerCreating`, `Init:0/2`, `Terminating`, `NotReady`), 3 settled
 * (`Running`, `Completed`, `Succeeded`). The STATUS column sorts by it and the table colours by it.
 */
export function statusSeverity(status: string): 0 | 1 | 2 | 3 {
  if (SETTLED_STATUSES.has(status)) return 3;
  if (PROGRESSING_STATUSES.has(status) || /^Init:\d+\/\d+$/.test(status)) return 2;
  return status.endsWith('CrashLoopBackOff') ? 0 : 1;
}

const PROGRESSING_STATUSES: ReadonlySet<string> = new Set([
  'Pending',
  'ContainerCreating',
  'PodInitializing',
  'Terminating',
  'NotReady',
]);

export function isUnhealthy(
  pod: Pod,
  nowMs = Number.POSITIVE_INFINITY,
  failing = failingContainers(pod, nowMs),
  summary = podSummary(pod),
): boolean {
  if (failing.length > 0) return true;
  if (!SETTLED_STATUSES.has(summary.status)) return true;
  if (summary.status !== 'Running') return false;
  const readyCondition = pod.status?.conditions?.find((c) => c.type === 'Ready');
  if (readyCondition !== undefined) return readyCondition.status !== 'True';
  const [ready, total] = summary.ready.split('/');
  return ready !== total;
}
