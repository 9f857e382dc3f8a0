import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  BACKOFF_RESET_MS,
  type BackoffCurve,
  type ContainerBackoff,
  containerBackoff,
  countdown,
  DEFAULT_CURVE,
  serverNow,
} from '../../src/model/backoff.js';
import type { ContainerStatus, Pod } from '../../src/model/pod.js';
import { effectiveRestartPolicy, failingContainers } from '../../src/model/status.js';

const NOW = Date.parse('2026-11-25T15:00:00Z');
const at = (time: string) => Date.parse(`2026-11-25T${time}Z`);
const FAST_CURVE: BackoffCurve = { initialMs: 1_000, maxMs: 60_000 };

/** A container status as `kubectl get pod -o yaml` prints it, with the waiting message filled in. */
function crashLooping(restartCount: number, message?: string, finishedAt = '14:59:30'): ContainerStatus {
  return parse(`
name: app
ready: false
restartCount: ${restartCount}
lastState:
  terminated:
    exitCode: 1
    reason: Error
    startedAt: "2026-11-25T14:59:20Z"
    ${finishedAt === '' ? '' : `finishedAt: "2026-11-25T${finishedAt}Z"`}
state:
  waiting:
    reason: CrashLoopBackOff
    ${message === undefined ? '' : `message: ${JSON.stringify(message)}`}
`) as ContainerStatus;
}

function justExited(restartCount: number, exitCode: number, startedAt: string, finishedAt: string) {
  return parse(`
name: app
ready: false
restartCount: ${restartCount}
state:
  terminated:
    exitCode: ${exitCode}
    reason: ${exitCode === 0 ? 'Completed' : 'Error'}
    startedAt: "2026-11-25T${startedAt}Z"
    finishedAt: "2026-11-25T${finishedAt}Z"
`) as ContainerStatus;
}

function fromYaml(yaml: string): ContainerStatus {
  return parse(yaml) as ContainerStatus;
}

const podMessage = (b: string) =>
  `back-off ${b} restarting failed container=app pod=payments-api-7d9f8-abc12_shop(3f1c9a2e-8b7d-4e6f-a5c4-1b2d3e4f5a6b)`;

describe('containerBackoff', () => {
  it.each<[string, ContainerStatus, { curve?: BackoffCurve; restartPolicy?: string }, ContainerBackoff]>([
    [
      'message 40s',
      crashLooping(3, podMessage('40s')),
      {},
      { kind: 'waiting', backoffMs: 40_000, source: 'message', nextRestartAt: at('15:00:10') },
    ],
    [
      'message 1m20s, old kubelet capital B',
      crashLooping(4, podMessage('1m20s').replace('back-off', 'Back-off')),
      {},
      { kind: 'waiting', backoffMs: 80_000, source: 'message', nextRestartAt: at('15:00:50') },
    ],
    [
      'message 5m0s, words in upper case (Go units stay case-sensitive)',
      crashLooping(9, 'BACK-OFF 5m0s RESTARTING FAILED CONTAINER=app POD=x_y(z)'),
      {},
      { kind: 'waiting', backoffMs: 300_000, source: 'message', nextRestartAt: at('15:04:30') },
    ],
    [
      'message 1.5s from a custom curve',
      crashLooping(2, podMessage('1.5s')),
      {},
      { kind: 'waiting', backoffMs: 1_500, source: 'message', nextRestartAt: at('14:59:31.500') },
    ],
    [
      'the message beats the curve',
      crashLooping(2, podMessage('20s')),
      { curve: FAST_CURVE },
      { kind: 'waiting', backoffMs: 20_000, source: 'message', nextRestartAt: at('14:59:50') },
    ],
    [
      'no message: estimate from restartCount',
      crashLooping(4),
      {},
      { kind: 'waiting', backoffMs: 80_000, source: 'estimate', nextRestartAt: at('15:00:50') },
    ],
    [
      'unreadable duration: estimate',
      crashLooping(1, 'back-off soon restarting failed container=app pod=x_y(z)'),
      {},
      { kind: 'waiting', backoffMs: 10_000, source: 'estimate', nextRestartAt: at('14:59:40') },
    ],
    [
      'negative duration: estimate',
      crashLooping(2, podMessage('-20s')),
      {},
      { kind: 'waiting', backoffMs: 20_000, source: 'estimate', nextRestartAt: at('14:59:50') },
    ],
    [
      'estimate capped at 300 s',
      crashLooping(12),
      {},
      { kind: 'waiting', backoffMs: 300_000, source: 'estimate', nextRestartAt: at('15:04:30') },
    ],
    [
      'estimate on a 1 s / 60 s curve',
      crashLooping(4),
      { curve: FAST_CURVE },
      { kind: 'waiting', backoffMs: 8_000, source: 'estimate', nextRestartAt: at('14:59:38') },
    ],
    [
      'estimate capped at 60 s on a 1 s / 60 s curve',
      crashLooping(8),
      { curve: FAST_CURVE },
      { kind: 'waiting', backoffMs: 60_000, source: 'estimate', nextRestartAt: at('15:00:30') },
    ],
    [
      'missing finishedAt: no next restart time',
      crashLooping(3, podMessage('40s'), ''),
      {},
      { kind: 'waiting', backoffMs: 40_000, source: 'message' },
    ],
    [
      'just exited after earlier restarts',
      justExited(3, 1, '14:59:00', '14:59:40'),
      {},
      { kind: 'pending-restart', backoffMs: 40_000, source: 'estimate', nextRestartAt: at('15:00:20') },
    ],
    [
      'first crash restarts at once',
      justExited(0, 1, '14:59:00', '14:59:40'),
      {},
      { kind: 'pending-restart', backoffMs: 0, source: 'estimate', nextRestartAt: at('14:59:40') },
    ],
    [
      'a run over 600 s resets the backoff',
      justExited(6, 1, '14:49:39', '14:59:40'),
      {},
      { kind: 'pending-restart', backoffMs: 0, source: 'estimate', nextRestartAt: at('14:59:40') },
    ],
    [
      'a run of exactly 600 s does not',
      justExited(1, 1, '14:49:40', '14:59:40'),
      {},
      { kind: 'pending-restart', backoffMs: 10_000, source: 'estimate', nextRestartAt: at('14:59:50') },
    ],
    [
      'exit 0 under Always restarts too',
      justExited(2, 0, '14:59:00', '14:59:40'),
      { restartPolicy: 'Always' },
      { kind: 'pending-restart', backoffMs: 20_000, source: 'estimate', nextRestartAt: at('15:00:00') },
    ],
    [
      'exit 1 under OnFailure restarts',
      justExited(2, 1, '14:59:00', '14:59:40'),
      { restartPolicy: 'OnFailure' },
      { kind: 'pending-restart', backoffMs: 20_000, source: 'estimate', nextRestartAt: at('15:00:00') },
    ],
    [
      'exit 0 under OnFailure is done',
      justExited(2, 0, '14:59:00', '14:59:40'),
      { restartPolicy: 'OnFailure' },
      {
        kind: 'none',
      },
    ],
    [
      'exit 1 under Never is final',
      justExited(0, 1, '14:59:00', '14:59:40'),
      { restartPolicy: 'Never' },
      {
        kind: 'none',
      },
    ],
    [
      'running again after a crash',
      fromYaml(
        '{name: app, ready: true, restartCount: 2, state: {running: {startedAt: "2026-11-25T14:53:00Z"}}}',
      ),
      {},
      { kind: 'running-after-crash', resetAt: at('15:03:00') },
    ],
    [
      'running, never crashed',
      fromYaml(
        '{name: app, ready: true, restartCount: 0, state: {running: {startedAt: "2026-11-25T14:53:00Z"}}}',
      ),
      {},
      { kind: 'none' },
    ],
    [
      'creating',
      fromYaml('{name: app, ready: false, restartCount: 0, state: {waiting: {reason: ContainerCreating}}}'),
      {},
      { kind: 'none' },
    ],
    [
      'image pull back-off has its own timer',
      fromYaml(`{name: app, ready: false, restartCount: 0,
        state: {waiting: {reason: ImagePullBackOff, message: 'Back-off pulling image "nginx:1.277"'}}}`),
      {},
      { kind: 'none' },
    ],
  ])('%s', (_name, status, options, expected) => {
    expect(containerBackoff(status, options)).toEqual(expected);
  });

  it('defaults to the kubelet curve of 10 s doubling to 300 s, reset after 600 s', () => {
    expect(DEFAULT_CURVE).toEqual({ initialMs: 10_000, maxMs: 300_000 });
    expect(BACKOFF_RESET_MS).toBe(600_000);
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => {
      const backoff = containerBackoff(crashLooping(n));
      return backoff.kind === 'waiting' ? backoff.backoffMs / 1000 : undefined;
    });
    expect(waits).toEqual([10, 20, 40, 80, 160, 300, 300]);
  });
});

describe('countdown', () => {
  const waiting = (backoffMs: number, nextRestartAt?: number, source: 'message' | 'estimate' = 'message') =>
    ({
      kind: 'waiting',
      backoffMs,
      source,
      ...(nextRestartAt === undefined ? {} : { nextRestartAt }),
    }) as const;

  it.each<[string, ContainerBackoff, number, ReturnType<typeof countdown>]>([
    [
      'exactly due',
      waiting(40_000, NOW),
      NOW,
      { label: 'restarting…', remainingMs: 0, fraction: 1, estimate: false },
    ],
    [
      '1 s before',
      waiting(40_000, NOW + 1_000),
      NOW,
      { label: '1s', remainingMs: 1_000, fraction: 0.975, estimate: false },
    ],
    [
      'half way through 2m40s',
      waiting(160_000, NOW + 80_000),
      NOW,
      { label: '1m20s', remainingMs: 80_000, fraction: 0.5, estimate: false },
    ],
    [
      'overdue: never negative',
      waiting(40_000, NOW - 12_000),
      NOW,
      { label: 'restarting…', remainingMs: 0, fraction: 1, estimate: false },
    ],
    [
      'finishedAt ahead of the server clock',
      waiting(10_000, NOW + 15_000),
      NOW,
      { label: '15s', remainingMs: 15_000, fraction: 0, estimate: false },
    ],
    [
      'estimate',
      waiting(40_000, NOW + 40_000, 'estimate'),
      NOW,
      { label: '~40s', remainingMs: 40_000, fraction: 0, estimate: true },
    ],
    ['missing finishedAt', waiting(40_000), NOW, { label: '≤40s', estimate: true }],
    [
      'pending immediate restart',
      { kind: 'pending-restart', backoffMs: 0, source: 'estimate', nextRestartAt: NOW - 2_000 },
      NOW,
      { label: 'restarting…', remainingMs: 0, fraction: 1, estimate: true },
    ],
    [
      'pending restart without finishedAt',
      { kind: 'pending-restart', backoffMs: 0, source: 'estimate' },
      NOW,
      { label: 'restarting…', remainingMs: 0, fraction: 1, estimate: true },
    ],
    [
      'running after a crash',
      { kind: 'running-after-crash', resetAt: NOW + 7 * 60_000 },
      NOW,
      { label: 'resets in 7m', remainingMs: 420_000, fraction: 0.3, estimate: false },
    ],
    [
      'running past the reset',
      { kind: 'running-after-crash', resetAt: NOW - 1 },
      NOW,
      { label: '', estimate: false },
    ],
    ['nothing to count', { kind: 'none' }, NOW, { label: '', estimate: false }],
  ])('%s', (_name, backoff, now, expected) => {
    expect(countdown(backoff, now)).toEqual(expected);
  });

  it('counts on the server clock, not the local one', () => {
    // The bastion runs 30 s behind the API server; the kubelet restarts 10 s from now on the server.
    const localNow = NOW - 30_000;
    const backoff = waiting(40_000, NOW + 10_000);
    expect(serverNow(localNow, 30_000)).toBe(NOW);
    expect(countdown(backoff, serverNow(localNow, 30_000)).label).toBe('10s');
    expect(countdown(backoff, localNow).label).toBe('40s');
  });
});

describe('countdowns of real pods', () => {
  const loadPod = (file: string) =>
    parse(readFileSync(new URL(`../fixtures/status/${file}`, import.meta.url), 'utf8')) as Pod;

  function labels(file: string, now: number): string[] {
    const pod = loadPod(file);
    return failingContainers(pod).map(({ name, init, status }) => {
      const restartPolicy = effectiveRestartPolicy(pod, name, init);
      return `${name} ${countdown(containerBackoff(status, { restartPolicy }), now).label}`;
    });
  }

  it.each([
    ['init-crashloopbackoff.yaml', at('14:58:00'), ['migrate 20s']],
    ['init-crashloopbackoff.yaml', at('14:58:20'), ['migrate restarting…']],
    ['sidecar-crashloop-initialized.yaml', at('14:58:00'), ['proxy 1m40s']],
    ['init-error.yaml', at('14:59:41'), ['migrate ~10s']],
    ['init-0-of-2.yaml', NOW, ['wait-for-db resets in 9m51s']],
    ['two-containers-first-wins.yaml', NOW, ['api restarting…', 'worker ~20s']],
    ['running-after-crash-beside-crashloop.yaml', NOW, ['worker 3m', 'api resets in 5m10s']],
    ['oomkilled.yaml', NOW, ['search restarting…']],
    ['exit-zero-loop.yaml', NOW, ['oneshot ~44s']],
    ['crashloopbackoff.yaml', NOW, ['app 2m']],
    ['restart-rules-exit-code.yaml', NOW, ['trainer ~10s', 'exporter ']],
  ])('%s at %d', (file, now, expected) => {
    expect(labels(file, now)).toEqual(expected);
  });
});
