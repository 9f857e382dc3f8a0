import { type BackoffCurve, containerBackoff, countdown } from './backoff.js';
import type { ContainerStateTerminated, ContainerStatus, Pod } from './pod.js';
import { effectiveRestartPolicy } from './status.js';
import { flattenUntrusted } from './untrusted-text.js';

// Following one container's log across its restarts, as stern does. The kubelet serves `logs` (not
// --previous) from the newest instance of the container and ends a follow stream when that instance exits
// (pkg/kubelet/kuberuntime/logs/logs.go: ReadLogs stops once the container is no longer running). So a
// follower reads until its stream ends, then waits for the pod's status to name a newer instance (a new
// containerID) and follows that one; these functions read the status for it. Instances are told apart by
// containerID, never by restartCount: the count changes when the kubelet creates the next instance, not
// when the old one exits.

export interface ContainerRef {
  status: ContainerStatus;
  init: boolean;
}

/** The status of container `name`, init containers included. */
export function containerStatus(pod: Pod, name: string): ContainerRef | undefined {
  const init = pod.status?.initContainerStatuses?.find((s) => s.name === name);
  if (init) return { status: init, init: true };
  const status = pod.status?.containerStatuses?.find((s) => s.name === name);
  return status ? { status, init: false } : undefined;
}

/** The instance `kubectl logs` reads now: the running or exited one, or (while waiting) the one that crashed. */
export function servedRun(status: ContainerStatus): string | undefined {
  const { running, terminated, waiting } = status.state ?? {};
  if (running) return status.containerID;
  if (terminated) return terminated.containerID ?? status.containerID;
  if (waiting) return status.lastState?.terminated?.containerID;
  return undefined;
}

/** How instance `runId` ended, once the status says so. */
export function exitOf(status: ContainerStatus, runId: string): ContainerStateTerminated | undefined {
  const terminated = status.state?.terminated;
  if (terminated && (terminated.containerID ?? status.containerID) === runId) return terminated;
  const last = status.lastState?.terminated;
  return last?.containerID === runId ? last : undefined;
}

/** A newer instance than `runId` that has started (running, or already exited): the one to follow next. */
export function newerRun(status: ContainerStatus, runId: string | undefined): string | undefined {
  const served = servedRun(status);
  return served === runId ? undefined : served;
}

export interface RunEndOptions {
  pod: Pod;
  container: ContainerRef;
  serverNowMs: number;
  curve?: BackoffCurve;
  /** Wall-clock time of day for an instant (the terminal's time zone). */
  clockTime(ms: number): string;
}

/**
 * The separator written when instance `runId` has ended: `exited 1 (Error) at 10:31:02 · restart 9 due 10:31:22`.
 * Undefined until the status records the exit.
 */
export function runEndText(runId: string, options: RunEndOptions): string | undefined {
  const { status } = options.container;
  const exit = exitOf(status, runId);
  if (exit === undefined) return undefined;
  const at = exit.finishedAt ? ` at ${options.clockTime(Date.parse(exit.finishedAt))}` : '';
  const signal = exit.signal ? `, signal ${exit.signal}` : '';
  const reason = exit.reason === undefined ? undefined : flattenUntrusted(exit.reason);
  const head = `exited ${exit.exitCode} (${reason ?? (exit.exitCode === 0 ? 'Completed' : 'Error')}${signal})${at}`;
  const after = afterExit(runId, exit, options);
  return after ? `${head} · ${after}` : head;
}

function afterExit(runId: string, exit: ContainerStateTerminated, options: RunEndOptions): string {
  const { status } = options.container;
  const next = newerRun(status, runId);
  if (next !== undefined) {
    const started = status.state?.running?.startedAt ?? exitOf(status, next)?.startedAt;
    return `restart ${status.restartCount}${started ? ` at ${options.clockTime(Date.parse(started))}` : ''}`;
  }
  const pending = restartDue(options);
  // An init container (or a Job's) that completed is done, not "not restarted".
  if (pending === undefined)
    return exit.exitCode === 0
      ? ''
      : `not restarted (restartPolicy ${policyOf(options.pod, options.container)})`;
  return pending;
}

function policyOf(pod: Pod, container: ContainerRef): string {
  const exit = (container.status.state?.terminated ?? container.status.lastState?.terminated)?.exitCode;
  return effectiveRestartPolicy(pod, container.status.name, container.init, exit);
}

/** The restart the kubelet will make next (its number, back-off and time left), or undefined when none is pending. */
function nextRestart(pod: Pod, container: ContainerRef, serverNowMs: number, curve?: BackoffCurve) {
  const { status } = container;
  const backoff = containerBackoff(status, { curve, restartPolicy: policyOf(pod, container) });
  if (backoff.kind !== 'waiting' && backoff.kind !== 'pending-restart') return undefined;
  return { name: `restart ${status.restartCount + 1}`, backoff, left: countdown(backoff, serverNowMs) };
}

/**
 * `restart 9 in 20s` while the container waits for the kubelet to start it again (the log view's header
 * says it while no run is shown); undefined when no restart is pending.
 */
export function pendingRestart(
  pod: Pod,
  container: ContainerRef,
  serverNowMs: number,
  curve?: BackoffCurve,
): string | undefined {
  const next = nextRestart(pod, container, serverNowMs, curve);
  if (next === undefined) return undefined;
  return `${next.name} ${next.left.remainingMs === 0 ? 'now' : `in ${next.left.label}`}`;
}

/**
 * `restart 9 due 10:31:22` (`due ~10:31:22` when estimated): the separator is a log line that stays on screen, so
 * it names the time; a countdown in it (`in 20s`) stood still while the restart came and went.
 */
function restartDue(options: RunEndOptions): string | undefined {
  const next = nextRestart(options.pod, options.container, options.serverNowMs, options.curve);
  const at = next?.backoff.nextRestartAt;
  if (next === undefined || at === undefined || next.left.remainingMs === 0)
    return pendingRestart(options.pod, options.container, options.serverNowMs, options.curve);
  return `${next.name} due ${next.left.estimate ? '~' : ''}${options.clockTime(at)}`;
}

/** `10:31:02` in the terminal's time zone. */
export function localClockTime(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}
