import { formatCountdown, parseGoDuration } from './duration.js';
import type { ContainerStatus } from './pod.js';

// When will the kubelet restart a crashed container? DESIGN.md §5; the kubelet facts (doBackOff in
// pkg/kubelet/kuberuntime/kuberuntime_manager.go, client-go util/flowcontrol/backoff.go) are in
// reference/kubelet-facts.md §1–3. All times are epoch milliseconds on the API server's clock.

export interface BackoffCurve {
  initialMs: number;
  maxMs: number;
}

/** The kubelet's defaults (initialCrashLoopBackOff 10 s, MaxContainerBackOff 300 s). */
export const DEFAULT_CURVE: BackoffCurve = Object.freeze({ initialMs: 10_000, maxMs: 300_000 });

/** A run longer than this resets the backoff (the kubelet's HasExpiredFunc, fixed at 10 min since v1.32). */
export const BACKOFF_RESET_MS = 600_000;

export type ContainerBackoff =
  | { kind: 'waiting'; backoffMs: number; source: 'message' | 'estimate'; nextRestartAt?: number }
  | { kind: 'pending-restart'; backoffMs: number; source: 'estimate'; nextRestartAt?: number }
  | { kind: 'running-after-crash'; resetAt: number }
  | { kind: 'none' };

/** Nothing counts down: one frozen object for the tens of thousands of rows that have nothing to count. */
export const noBackoff: ContainerBackoff = Object.freeze({ kind: 'none' });

export interface Countdown {
  /** "2m40s", "~40s" for an estimate, "restarting…" once due, "resets in 7m"; "" when nothing counts down. */
  label: string;
  /** Time left, never negative. */
  remainingMs?: number;
  /** Elapsed share (0..1) of the current backoff step or of the reset window, for the small bar. */
  fraction?: number;
  estimate: boolean;
}

// `back-off 40s restarting failed container=app pod=…`; older kubelets wrote `Back-off`.
const BACKOFF_MESSAGE = /back-off (\S+) restarting failed container=/i;

function parseTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** B while waiting after crash number restartCount+1: min(initial·2^(restartCount−1), max). */
function estimatedBackoff(restartCount: number, curve: BackoffCurve): number {
  return Math.min(curve.initialMs * 2 ** (Math.max(restartCount, 1) - 1), curve.maxMs);
}

function backoffFromMessage(message: string | undefined): number | undefined {
  const text = message === undefined ? undefined : BACKOFF_MESSAGE.exec(message)?.[1];
  const ms = text === undefined ? undefined : parseGoDuration(text);
  return ms !== undefined && ms >= 0 ? ms : undefined;
}

/** nextRestartAt when the instant the step started from is known. */
function nextRestart(finishedAt: string | undefined, backoffMs: number): { nextRestartAt?: number } {
  const finishedMs = parseTime(finishedAt);
  return finishedMs === undefined ? {} : { nextRestartAt: finishedMs + backoffMs };
}

function willRestart(exitCode: number, restartPolicy: string): boolean {
  return restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && exitCode !== 0);
}

/**
 * Where one container is in the kubelet's restart cycle. `restartPolicy` is the one the kubelet applies to
 * this container (status.ts effectiveRestartPolicy); it defaults to the pod default, Always.
 * - waiting in CrashLoopBackOff: B from the kubelet's message, else estimated from restartCount;
 *   next restart = lastState.terminated.finishedAt + B (the instant doBackOff measures from).
 * - terminated and the policy restarts it: the kubelet has not published CrashLoopBackOff yet. The first
 *   crash (restartCount 0) and a crash after a run longer than BACKOFF_RESET_MS restart at once (B = 0);
 *   otherwise B is estimated, from state.terminated.finishedAt.
 * - running after earlier restarts: the backoff resets once this run passes BACKOFF_RESET_MS.
 */
export function containerBackoff(
  status: ContainerStatus,
  options: { curve?: BackoffCurve; restartPolicy?: string } = {},
): ContainerBackoff {
  const curve = options.curve ?? DEFAULT_CURVE;
  const { waiting, terminated, running } = status.state ?? {};

  if (waiting?.reason === 'CrashLoopBackOff') {
    const fromMessage = backoffFromMessage(waiting.message);
    const finishedAt = status.lastState?.terminated?.finishedAt;
    const source = fromMessage === undefined ? 'estimate' : 'message';
    const backoffMs = fromMessage ?? estimatedBackoff(status.restartCount, curve);
    return { kind: 'waiting', backoffMs, source, ...nextRestart(finishedAt, backoffMs) };
  }

  if (terminated && willRestart(terminated.exitCode, options.restartPolicy ?? 'Always')) {
    const startedMs = parseTime(terminated.startedAt);
    const finishedMs = parseTime(terminated.finishedAt);
    const ranLong =
      startedMs !== undefined && finishedMs !== undefined && finishedMs - startedMs > BACKOFF_RESET_MS;
    const backoffMs = status.restartCount === 0 || ranLong ? 0 : estimatedBackoff(status.restartCount, curve);
    return {
      kind: 'pending-restart',
      backoffMs,
      source: 'estimate',
      ...nextRestart(terminated.finishedAt, backoffMs),
    };
  }

  const startedMs = parseTime(running?.startedAt);
  if (status.restartCount > 0 && startedMs !== undefined) {
    return { kind: 'running-after-crash', resetAt: startedMs + BACKOFF_RESET_MS };
  }
  return noBackoff;
}

function elapsedShare(remainingMs: number, windowMs: number): number {
  if (windowMs <= 0) return 1;
  return Math.min(1, Math.max(0, (windowMs - remainingMs) / windowMs));
}

/**
 * What the NEXT RESTART column shows at serverNowMs. A due restart reads "restarting…" (the kubelet
 * restarts at the next pod sync, up to ~30 s later), never a negative time. Without finishedAt the start of
 * the step is unknown, so the label only bounds it: "≤40s".
 */
export function countdown(backoff: ContainerBackoff, serverNowMs: number): Countdown {
  switch (backoff.kind) {
    case 'none':
      return { label: '', estimate: false };
    case 'running-after-crash': {
      const remainingMs = backoff.resetAt - serverNowMs;
      if (remainingMs <= 0) return { label: '', estimate: false };
      return {
        label: `resets in ${formatCountdown(remainingMs)}`,
        remainingMs,
        fraction: elapsedShare(remainingMs, BACKOFF_RESET_MS),
        estimate: false,
      };
    }
    case 'waiting':
    case 'pending-restart': {
      const estimate = backoff.source === 'estimate';
      if (backoff.nextRestartAt === undefined) {
        if (backoff.backoffMs === 0) return { label: 'restarting…', remainingMs: 0, fraction: 1, estimate };
        return { label: `≤${formatCountdown(backoff.backoffMs)}`, estimate: true };
      }
      const remainingMs = backoff.nextRestartAt - serverNowMs;
      if (remainingMs <= 0) return { label: 'restarting…', remainingMs: 0, fraction: 1, estimate };
      return {
        label: `${estimate ? '~' : ''}${formatCountdown(remainingMs)}`,
        remainingMs,
        fraction: elapsedShare(remainingMs, backoff.backoffMs),
        estimate,
      };
    }
  }
}

/** The API server's clock, from ours and the offset measured on its `Date` header (server − local). */
export function serverNow(localNowMs: number, clockOffsetMs: number): number {
  return localNowMs + clockOffsetMs;
}
