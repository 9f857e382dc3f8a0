import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diagnose } from '../../src/model/classify/index.js';
import { containerCrashLoop, exitNotFromContainer, isActive } from '../../src/model/crash-loop.js';
import type { Pod } from '../../src/model/pod.js';
import { buildPodReport } from '../../src/model/report.js';
import { podRow } from '../../src/model/rows.js';
import {
  crashLoopEndsAt,
  effectiveRestartPolicy,
  failingContainers,
  isUnhealthy,
  podCrashLoops,
} from '../../src/model/status.js';

const NOW = Date.parse('2026-11-25T15:00:00Z');
const MINUTE = 60_000;

function loadPod(file: string): Pod {
  return parse(readFileSync(new URL(`../fixtures/crash-loop/${file}`, import.meta.url), 'utf8')) as Pod;
}

interface Case {
  file: string;
  /** The crash loop at NOW: its container and phase, or none. */
  loop?: { container: string; phase: 'waiting' | 'restarting' | 'running'; resetAt?: string };
  unhealthy: boolean;
}

// Each pod as the kubelet sees it at NOW (2026-11-25T15:00:00Z).
const cases: Case[] = [
  {
    file: 'running-between-crashes.yaml',
    loop: { container: 'api', phase: 'running', resetAt: '2026-11-25T15:09:35Z' },
    unhealthy: true,
  },
  { file: 'waiting-crashloopbackoff.yaml', loop: { container: 'api', phase: 'waiting' }, unhealthy: true },
  { file: 'just-crashed-again.yaml', loop: { container: 'api', phase: 'restarting' }, unhealthy: true },
  // Unhealthy (it is down), but not in a crash loop yet: the kubelet restarts a first crash at once.
  { file: 'first-crash.yaml', unhealthy: true },
  { file: 'restarted-an-hour-ago.yaml', unhealthy: false },
  { file: 'node-reboot-unknown.yaml', unhealthy: false },
  { file: 'container-status-unknown.yaml', unhealthy: false },
  // Failed for good: unhealthy, but restartPolicy Never never loops.
  { file: 'job-never-failed.yaml', unhealthy: true },
  {
    file: 'job-onfailure-running-again.yaml',
    loop: { container: 'importer', phase: 'running', resetAt: '2026-11-25T15:07:10Z' },
    unhealthy: true,
  },
  // Terminating is unhealthy, but a pod being deleted restarts nothing.
  { file: 'terminating-crashloop.yaml', unhealthy: true },
  // Down, but its 20-minute run reset the back-off: this crash restarts at once, as a first one.
  { file: 'crashed-after-long-run.yaml', unhealthy: true },
  {
    file: 'sidecar-running-between-crashes.yaml',
    loop: { container: 'vault-agent', phase: 'running', resetAt: '2026-11-25T15:09:41Z' },
    unhealthy: true,
  },
];

describe.each(cases)('$file', ({ file, loop, unhealthy }) => {
  const pod = loadPod(file);

  it(loop ? `is in a crash loop (${loop.phase})` : 'is not in a crash loop', () => {
    const loops = podCrashLoops(pod, NOW);
    expect(
      loops.map((l) => ({
        container: l.container,
        phase: l.phase,
        ...(l.resetAt !== undefined
          ? { resetAt: new Date(l.resetAt).toISOString().replace('.000Z', 'Z') }
          : {}),
      })),
    ).toEqual(loop ? [loop] : []);
  });

  it(`is ${unhealthy ? '' : 'not '}unhealthy`, () => {
    expect(isUnhealthy(pod, NOW)).toBe(unhealthy);
  });

  if (loop?.resetAt) {
    it('leaves the crash loop, and the unhealthy set, when its run passes the reset window', () => {
      const resetAt = Date.parse(loop.resetAt!);
      expect(isUnhealthy(pod, resetAt - 1000)).toBe(true);
      expect(podCrashLoops(pod, resetAt)).toEqual([]);
      expect(crashLoopEndsAt(pod, NOW)).toBe(resetAt);
      expect(isUnhealthy(pod, resetAt)).toBe(false);
    });
  }
});

describe('exits the container did not cause', () => {
  it.each([
    [{ exitCode: 255, reason: 'Unknown', startedAt: '2026-11-20T09:00:10Z' }, true],
    [{ exitCode: 137, reason: 'ContainerStatusUnknown' }, true],
    [{ exitCode: 255 }, true],
    // An app may exit(-1) after running: that is its own crash.
    [{ exitCode: 255, reason: 'Error', startedAt: '2026-11-25T14:00:00Z' }, false],
    // The OOMKilled-with-255 trap: the kernel killed it for its memory use.
    [{ exitCode: 255, reason: 'OOMKilled' }, false],
    [{ exitCode: 137, reason: 'OOMKilled', startedAt: '2026-11-25T14:00:00Z' }, false],
    [{ exitCode: 0, reason: 'Completed', startedAt: '2026-11-25T14:00:00Z' }, false],
  ])('%o → %s', (exit, expected) => {
    expect(exitNotFromContainer(exit)).toBe(expected);
  });
});

describe('a container running between crashes', () => {
  const pod = loadPod('running-between-crashes.yaml');
  const logs = new Map([
    [
      'api',
      [
        'orders-api 2.3.1 starting',
        'connecting to postgres at orders-db.shop.svc:5432',
        'FATAL: could not connect to server: Connection refused',
      ],
    ],
  ]);

  it('is the failing container, and is classified from lastState and its previous log like a waiting one', () => {
    expect(failingContainers(pod, NOW).map((c) => c.name)).toEqual(['api']);
    const cause = diagnose({ pod, logs, nowMs: NOW }).cause;
    expect(cause).toMatchObject({ id: 'dependency-unreachable', container: 'api', confidence: 'high' });
    expect(cause?.evidence.join('\n')).toContain('lastState.terminated');
    // The same pod waiting in CrashLoopBackOff after this crash gets the same cause.
    const waiting = loadPod('waiting-crashloopbackoff.yaml');
    expect(diagnose({ pod: waiting, logs, nowMs: NOW }).cause?.id).toBe('dependency-unreachable');
  });

  it('has no cause once its back-off has reset', () => {
    expect(diagnose({ pod, logs, nowMs: NOW + 10 * MINUTE }).cause).toBeUndefined();
  });

  it('is in the report with the cause of its last crash and when its back-off resets', () => {
    const report = buildPodReport({ context: 'prod', pod, logs, nowMs: NOW });
    expect(report.status).toBe('Running');
    expect(report.cause?.id).toBe('dependency-unreachable');
    expect(report.containers[0]).toMatchObject({
      name: 'api',
      state: 'running',
      lastExit: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-25T14:57:35Z' },
      crashLoop: { resetAt: '2026-11-25T15:09:35Z' },
    });
  });

  it('is a row of the default view counting down to its reset, with its cause', () => {
    const row = podRow('prod/shop/orders-api-5c9d7-k2p4x', 'prod', pod, [], { nowMs: NOW });
    // Without its log (the live view reads it for the rows on screen), as for the waiting pod.
    const waiting = podRow('prod/shop/w', 'prod', loadPod('waiting-crashloopbackoff.yaml'), [], {
      nowMs: NOW,
    });
    expect(row).toMatchObject({
      unhealthy: true,
      crashLoop: true,
      container: 'api',
      causeId: waiting.causeId,
    });
    expect(row.backoff).toEqual({ kind: 'running-after-crash', resetAt: Date.parse('2026-11-25T15:09:35Z') });
  });
});

describe('a pod being deleted', () => {
  it('counts down to nothing (bug: Terminating still showed a NEXT RESTART)', () => {
    const pod = loadPod('terminating-crashloop.yaml');
    const row = podRow('prod/shop/x', 'prod', pod, [], { nowMs: NOW });
    expect(row.summary.status).toBe('Terminating');
    expect(row.backoff).toEqual({ kind: 'none' });
    expect(buildPodReport({ context: 'prod', pod, nowMs: NOW }).containers[0]?.backoff).toBeUndefined();
  });
});

it('uses the restart policy the kubelet applies (a Never container does not loop)', () => {
  const pod = loadPod('job-never-failed.yaml');
  const status = pod.status!.containerStatuses![0]!;
  expect(effectiveRestartPolicy(pod, 'report', false)).toBe('Never');
  expect(containerCrashLoop(pod, { name: 'report', init: false, status }, 'Never')).toBeUndefined();
  const running = loadPod('running-between-crashes.yaml');
  const loop = podCrashLoops(running, NOW)[0]!;
  expect(isActive(loop, NOW)).toBe(true);
});
