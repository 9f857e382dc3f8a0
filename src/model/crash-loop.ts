import { BACKOFF_RESET_MS } from './backoff.js';
import type { ContainerStateTerminated, ContainerStatus, Pod } from './pod.js';

// When is a container in a crash loop? DESIGN.md §5: while the kubelet's back-off for it has not reset.
// The kubelet (doBackOff in pkg/kubelet/kuberuntime/kuberuntime_manager.go, with client-go's
// flowcontrol.Backoff; reference/kubelet-facts.md §1.3) keeps one back-off entry per container, advanced
// (`Next`) just before each start; on the next exit, `finishedAt − lastUpdate > 600 s` resets it. So a
// container that has restarted stays in the loop while it waits (CrashLoopBackOff), while its restart is
// pending, and while its current run is younger than 600 s; after that its next crash counts as a first
// one again. Pure: the caller gives the time (the API server's clock, epoch ms).

export type CrashLoopPhase = 'waiting' | 'restarting' | 'running';

export interface CrashLoop {
  container: string;
  init: boolean;
  status: ContainerStatus;
  phase: CrashLoopPhase;
  /** The crash the back-off counts: state.terminated while restarting, else lastState.terminated. */
  lastCrash: ContainerStateTerminated;
  /**
   * While running: when this run passes the reset window and the kubelet's back-off for it resets. Undefined
   * while it waits or is about to restart: the loop lasts at least until the next start.
   */
  resetAt?: number;
}

/**
 * Exits that the container did not cause, so they are not crashes:
 * - `ContainerStatusUnknown` (exit 137, synthetic) is written by the kubelet itself when it can no longer find
 *   the container (status_manager TerminatePod, convertContainerStatus) — a lost node or an eviction.
 * - `Unknown` (exit 255) is written by containerd when, on restart, it finds a container it knew as running
 *   whose task is gone (internal/cri/server restart.go: unknownExitCode / unknownExitReason): the node or
 *   the runtime restarted under it. A node reboot also restarts the kubelet, whose back-off entries live only
 *   in memory (flowcontrol.NewBackOff in NewMainKubelet): it holds no back-off for such a restart.
 * - exit 255 with no start time: the runtime never saw the process run (a container record recovered after a
 *   reboot), so there was no run to crash.
 */
export function exitNotFromContainer(exit: ContainerStateTerminated): boolean {
  if (exit.reason === 'ContainerStatusUnknown' || exit.reason === 'Unknown') return true;
  return exit.exitCode === 255 && !exit.startedAt && exit.reason !== 'OOMKilled';
}

function timeOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Whether the kubelet restarts a container after this exit under `restartPolicy` (status.ts decides it). */
function restartsAfter(exit: ContainerStateTerminated, restartPolicy: string): boolean {
  return restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && exit.exitCode !== 0);
}

/** The kubelet restarts no container of a pod being deleted or finished. */
export function restartsContainers(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * The crash loop one container is in as its status reads, whatever the time (see `isActive`), or undefined.
 * `restartPolicy` is the policy the kubelet applies to it after its latest exit (status.ts
 * effectiveRestartPolicy): `Never` containers (and Job pods with `restartPolicy: Never`, whose retries are new
 * pods made by the Job controller) never loop; `OnFailure` ones loop like `Always` ones while they fail.
 */
export function containerCrashLoop(
  pod: Pod,
  container: { name: string; init: boolean; status: ContainerStatus },
  restartPolicy: string,
): CrashLoop | undefined {
  if (!restartsContainers(pod)) return undefined;
  const { status } = container;
  const { waiting, terminated, running } = status.state ?? {};
  const last = status.lastState?.terminated;
  const base = { container: container.name, init: container.init, status };

  // The kubelet says so itself: it is holding this container's back-off.
  if (waiting?.reason === 'CrashLoopBackOff') {
    return last ? { ...base, phase: 'waiting', lastCrash: last } : undefined;
  }
  if (terminated) {
    if (status.restartCount === 0 || exitNotFromContainer(terminated)) return undefined;
    if (!restartsAfter(terminated, restartPolicy)) return undefined;
    const started = timeOf(terminated.startedAt);
    const finished = timeOf(terminated.finishedAt);
    // A run longer than the window resets the entry: this crash restarts at once, as a first one.
    if (started !== undefined && finished !== undefined && finished - started > BACKOFF_RESET_MS)
      return undefined;
    return { ...base, phase: 'restarting', lastCrash: terminated };
  }
  if (running && status.restartCount > 0 && last && !exitNotFromContainer(last)) {
    const started = timeOf(running.startedAt);
    if (started === undefined) return undefined;
    return { ...base, phase: 'running', lastCrash: last, resetAt: started + BACKOFF_RESET_MS };
  }
  return undefined;
}

/** Whether the loop still holds at `nowMs`: a running container leaves it when its run passes the window. */
export function isActive(loop: CrashLoop, nowMs: number): boolean {
  return loop.resetAt === undefined || nowMs < loop.resetAt;
}
