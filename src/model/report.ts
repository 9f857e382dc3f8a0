// The `explain -o json` report of DESIGN.md §3: field names, nesting and key order as the contract shows them.
import { type BackoffCurve, containerBackoff } from './backoff.js';
import { type Cause, type DiagnosisInput, diagnose } from './classify/index.js';
import { type CrashLoop, restartsContainers } from './crash-loop.js';
import { type Owner, ownerOf } from './owner.js';
import type { ContainerStatus, Pod } from './pod.js';
import { effectiveRestartPolicy, podCrashLoops, podSummary } from './status.js';
import { terminationMessageLines } from './termination-message.js';
import { noteUnavailableEvents, noteUnavailableLogs, type UnavailableLogs } from './unavailable-evidence.js';

export interface ContainerReport {
  name: string;
  init: boolean;
  state: 'waiting' | 'running' | 'terminated' | 'unknown';
  reason?: string;
  restartCount: number;
  /**
   * `terminationMessage` (not in DESIGN.md §3's example, an addition): the last lines of the exit's termination
   * message, as termination-message.ts makes them; absent when it has none.
   */
  lastExit?: { exitCode: number; reason?: string; finishedAt?: string; terminationMessage?: string[] };
  backoff?: { seconds: number; source: 'message' | 'estimate'; nextRestartAt?: string };
  /**
   * Not in DESIGN.md §3's example (an addition): set while the container runs between crashes, still in its
   * crash loop (crash-loop.ts), with when the kubelet's back-off resets if it keeps running.
   */
  crashLoop?: { resetAt: string };
  /** §3 shows containers[].cause without `container` (implied) and without `title` (pods[].cause has it). */
  cause?: Omit<Cause, 'container' | 'title'>;
}

export interface PodReport {
  context: string;
  namespace: string;
  name: string;
  status: string;
  ready: string;
  restarts: number;
  owner?: Owner;
  cause?: Cause;
  containers: ContainerReport[];
}

/** What one context's part of an online report looked at, and why an empty answer may not be an all-clear. */
export interface ScopeReport {
  context: string;
  /** The namespaces read; empty means all namespaces. */
  namespaces: string[];
  selector?: string;
  /** Pods listed there (matching the selector), healthy or not. */
  pods: number;
  /** One line each: a namespace that does not exist, a selector that matched nothing, -A forbidden… */
  notes: string[];
  /** The context could not be read (unreachable, credentials refused…): none of its pods are in the report. */
  failed?: true;
}

export interface Report {
  pods: PodReport[];
  /** Online only: per context, the scope read. */
  scope?: ScopeReport[];
}

/** RFC 3339 as the API server writes times: whole seconds unless there is a fraction to keep. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function stateOf(status: ContainerStatus): ContainerReport['state'] {
  const state = status.state ?? {};
  if (state.waiting) return 'waiting';
  if (state.running) return 'running';
  if (state.terminated) return 'terminated';
  return 'unknown';
}

function containerReport(
  pod: Pod,
  status: ContainerStatus,
  init: boolean,
  causes: readonly Cause[],
  loops: readonly CrashLoop[],
  curve: BackoffCurve | undefined,
): ContainerReport {
  const reason = status.state?.waiting?.reason ?? status.state?.terminated?.reason;
  const report: ContainerReport = {
    name: status.name,
    init,
    state: stateOf(status),
    ...(reason ? { reason } : {}),
    restartCount: status.restartCount,
  };

  const exit = status.state?.terminated ?? status.lastState?.terminated;
  if (exit) {
    report.lastExit = { exitCode: exit.exitCode };
    if (exit.reason) report.lastExit.reason = exit.reason;
    if (exit.finishedAt) report.lastExit.finishedAt = exit.finishedAt;
    const message = terminationMessageLines(exit.message);
    if (message.length > 0) report.lastExit.terminationMessage = message;
  }

  const restartPolicy = effectiveRestartPolicy(pod, status.name, init, exit?.exitCode);
  const backoff = containerBackoff(status, { curve, restartPolicy });
  if (restartsContainers(pod) && (backoff.kind === 'waiting' || backoff.kind === 'pending-restart')) {
    report.backoff = { seconds: backoff.backoffMs / 1000, source: backoff.source };
    if (backoff.nextRestartAt !== undefined) report.backoff.nextRestartAt = rfc3339(backoff.nextRestartAt);
  }

  const loop = loops.find((l) => l.container === status.name && l.init === init);
  if (loop?.resetAt !== undefined) report.crashLoop = { resetAt: rfc3339(loop.resetAt) };

  const cause = causes.find((c) => c.container === status.name);
  if (cause) {
    const { id, confidence, evidence, fix, commands } = cause;
    report.cause = { id, confidence, evidence, fix, commands };
  }
  return report;
}

/**
 * One pod of the report. Containers are listed init containers first, then regular ones, in status order. The
 * JSON holds absolute times only; `nowMs` (the API server's time) only decides which containers running
 * between crashes are still in their crash loop, and so are diagnosed.
 */
export function buildPodReport(
  input: DiagnosisInput & {
    context: string;
    curve?: BackoffCurve;
    unavailableLogs?: UnavailableLogs;
    /** Why the pod's events could not be listed, when they could not. */
    unavailableEvents?: string;
  },
): PodReport {
  const { pod, context, curve } = input;
  const summary = podSummary(pod);
  const diagnosis = noteUnavailableEvents(
    noteUnavailableLogs(diagnose(input), input.unavailableLogs),
    input.unavailableEvents,
  );
  const loops = podCrashLoops(pod, input.nowMs);
  const owner = ownerOf(pod);
  return {
    context,
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    status: summary.status,
    ready: summary.ready,
    restarts: summary.restarts,
    ...(owner ? { owner } : {}),
    ...(diagnosis.cause ? { cause: diagnosis.cause } : {}),
    containers: [
      ...(pod.status?.initContainerStatuses ?? []).map((s) =>
        containerReport(pod, s, true, diagnosis.containers, loops, curve),
      ),
      ...(pod.status?.containerStatuses ?? []).map((s) =>
        containerReport(pod, s, false, diagnosis.containers, loops, curve),
      ),
    ],
  };
}
