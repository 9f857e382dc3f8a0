import { describe, expect, it } from 'vitest';
import type { ContainerStatus } from '../../src/model/pod.js';
import { podSummary } from '../../src/model/status.js';
import { eventsOf, fixtureCluster, podOf, runFor, T0 } from './sim-fixture.js';

// The emulated kubelet against the rules of reference/kubelet-facts.md §1: the first crash restarts at once, then
// the waits double from `initial` to `max`, and a run longer than the reset period starts the curve afresh.

interface Restart {
  restartCount: number;
  previousFinishedAt: number;
  startedAt: number;
}

/** Every restart seen while the clock runs, as (crash time of the previous instance, start of the new one). */
function restarts(status: () => ContainerStatus, advance: () => void, steps: number): Restart[] {
  const seen: Restart[] = [];
  let count = status().restartCount;
  for (let i = 0; i < steps; i++) {
    advance();
    const s = status();
    if (s.restartCount !== count && s.state?.running) {
      count = s.restartCount;
      seen.push({
        restartCount: count,
        previousFinishedAt: Date.parse(s.lastState!.terminated!.finishedAt!),
        startedAt: Date.parse(s.state.running.startedAt!),
      });
    }
  }
  return seen;
}

function expectedWait(crash: number, initialS: number, maxS: number): number {
  return crash === 1 ? 0 : Math.min(initialS * 2 ** (crash - 2), maxS) * 1000;
}

describe('kubelet emulator timeline', () => {
  it.each([
    { fixture: 'timeline.yaml', initialS: 10, maxS: 300, crashes: 10 },
    { fixture: 'fast-curve.yaml', initialS: 1, maxS: 60, crashes: 10 },
  ])(
    'restarts a crash loop on the kubelet curve ($initialS s doubling to $maxS s)',
    async ({ fixture, initialS, maxS, crashes }) => {
      const { cluster, clock } = await fixtureCluster(fixture);
      const status = () => podOf(cluster, 't', 'short').status!.containerStatuses![0]!;
      const seen = restarts(status, () => runFor(cluster, clock, 1000), 2000);
      expect(seen.length).toBeGreaterThanOrEqual(crashes);
      seen.slice(0, crashes).forEach((r, i) => {
        expect(r.restartCount).toBe(i + 1);
        expect(r.startedAt - r.previousFinishedAt).toBe(expectedWait(i + 1, initialS, maxS));
      });
    },
  );

  it('writes the CrashLoopBackOff state and message while it waits', async () => {
    const { cluster, clock } = await fixtureCluster('timeline.yaml');
    const pod = () => podOf(cluster, 't', 'short');
    // First start after 1 s, crash at 6 s (restarted at once), crash at 11 s: the status first shows the exit,
    // then, one sync later, the back-off.
    runFor(cluster, clock, 11_000);
    expect(pod().status!.containerStatuses![0]!.state?.terminated).toMatchObject({
      exitCode: 1,
      reason: 'Error',
    });
    expect(podSummary(pod()).status).toBe('Error');
    runFor(cluster, clock, 1000);
    const s = pod().status!.containerStatuses![0]!;
    const uid = pod().metadata.uid;
    expect(s.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(s.state?.waiting?.message).toBe(
      `back-off 10s restarting failed container=app pod=short_t(${uid})`,
    );
    expect(s.lastState?.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(s.ready).toBe(false);
    expect(s.restartCount).toBe(1);
    expect(pod().status!.phase).toBe('Running');
    expect(pod().status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
    const backOff = eventsOf(cluster, 'short').find((e) => e.reason === 'BackOff');
    expect(backOff).toMatchObject({
      type: 'Warning',
      message: `Back-off restarting failed container app in pod short_t(${uid})`,
      involvedObject: { fieldPath: 'spec.containers{app}' },
    });
  });

  it('keeps doubling after runs just under the reset period', async () => {
    const { cluster, clock } = await fixtureCluster('timeline.yaml');
    const status = () => podOf(cluster, 't', 'almost-long').status!.containerStatuses![0]!;
    const seen = restarts(status, () => runFor(cluster, clock, 5000, 5000), 1000);
    expect(seen.slice(0, 4).map((r) => r.startedAt - r.previousFinishedAt)).toEqual([
      0, 10_000, 20_000, 40_000,
    ]);
  });

  it('restarts at once after every run longer than the reset period', async () => {
    const { cluster, clock } = await fixtureCluster('timeline.yaml');
    const status = () => podOf(cluster, 't', 'long').status!.containerStatuses![0]!;
    const seen = restarts(status, () => runFor(cluster, clock, 5000, 5000), 1000);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const r of seen.slice(0, 4)) expect(r.startedAt).toBe(r.previousFinishedAt);
  });

  it('kills a container whose liveness probe fails, with the kubelet events', async () => {
    const { cluster, clock } = await fixtureCluster('timeline.yaml');
    // Starts at 1 s, probe fails from 21 s every 5 s: 4th failure (kill) at 36 s, SIGKILL after 30 s grace.
    runFor(cluster, clock, 66_000);
    const s = podOf(cluster, 't', 'probe').status!.containerStatuses![0]!;
    expect(s.lastState?.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
    expect(Date.parse(s.lastState!.terminated!.finishedAt!) - T0).toBe(66_000);
    const events = eventsOf(cluster, 'probe');
    expect(events.find((e) => e.reason === 'Unhealthy')).toMatchObject({
      type: 'Warning',
      message: 'Liveness probe failed: HTTP probe failed with statuscode: 500',
      count: 4,
    });
    expect(events.find((e) => e.reason === 'Killing')?.message).toBe(
      'Container app failed liveness probe, will be restarted',
    );
  });

  it('reports a missing Secret key as CreateContainerConfigError, without restarts', async () => {
    const { cluster, clock } = await fixtureCluster('timeline.yaml');
    runFor(cluster, clock, 30_000);
    const pod = podOf(cluster, 't', 'config');
    const s = pod.status!.containerStatuses![0]!;
    expect(s.state?.waiting).toEqual({
      reason: 'CreateContainerConfigError',
      message: "couldn't find key password in Secret t/db-credentials",
    });
    expect(s.restartCount).toBe(0);
    expect(pod.status!.phase).toBe('Pending');
    const failed = eventsOf(cluster, 'config').find((e) => e.reason === 'Failed');
    expect(failed?.message).toBe("Error: couldn't find key password in Secret t/db-credentials");
    expect(failed?.count).toBeGreaterThan(1);
  });

  it('alternates ErrImagePull and ImagePullBackOff on the image backoff', async () => {
    const { cluster, clock } = await fixtureCluster('timeline.yaml');
    const waiting = () => podOf(cluster, 't', 'pull').status!.containerStatuses![0]!.state?.waiting;
    runFor(cluster, clock, 1000);
    expect(waiting()?.reason).toBe('ErrImagePull');
    expect(waiting()?.message).toContain('failed to pull and unpack image "example/missing:9"');
    runFor(cluster, clock, 6000);
    expect(waiting()).toEqual({
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "example/missing:9"',
    });
    const pulls = () => eventsOf(cluster, 'pull').find((e) => e.reason === 'Pulling')?.count;
    // Pulls at 1 s, 11 s, 31 s, 71 s: the image backoff doubles from 10 s.
    runFor(cluster, clock, 63_000);
    expect(pulls()).toBe(3);
    runFor(cluster, clock, 1000);
    expect(pulls()).toBe(4);
  });

  it.each([
    [4, 'init-fails', 'Init:0/1', 'Pending'],
    [10, 'init-fails', 'Init:CrashLoopBackOff', 'Pending'],
    [2, 'init-ok', 'Init:0/1', 'Pending'],
    [10, 'init-ok', 'Running', 'Running'],
    [10, 'once', 'Error', 'Failed'],
  ])('after %i s, %s is %s (phase %s)', async (seconds, name, status, phase) => {
    const { cluster, clock } = await fixtureCluster('timeline.yaml');
    runFor(cluster, clock, seconds * 1000);
    const pod = podOf(cluster, 't', name);
    expect(podSummary(pod).status).toBe(status);
    expect(pod.status!.phase).toBe(phase);
  });
});

describe('a pod deleted and created again under the same name', () => {
  it('is a new pod: a new uid, and its first crash restarts at once, with no back-off carried over', async () => {
    const { cluster, clock } = await fixtureCluster('timeline.yaml');
    const workload = cluster.scenario.namespaces[0]!.workloads.find((w) => w.name === 'short')!;
    const first = podOf(cluster, 't', 'short');
    runFor(cluster, clock, 120_000);
    expect(first.metadata.uid).toBe(podOf(cluster, 't', 'short').metadata.uid);
    expect(podOf(cluster, 't', 'short').status!.containerStatuses![0]!.restartCount).toBeGreaterThan(3);

    expect(cluster.deletePod('t', 'short')).toBe(true);
    cluster.addWorkload('t', workload);
    const again = podOf(cluster, 't', 'short');
    expect(again.metadata.uid).not.toBe(first.metadata.uid);
    const status = () => podOf(cluster, 't', 'short').status!.containerStatuses![0]!;
    // As on a fresh pod: started at 1 s, crashed at 6 s, restarted at once; the back-off message names the new uid.
    const seen = restarts(status, () => runFor(cluster, clock, 1000), 30);
    expect(seen.map((r) => [r.restartCount, r.startedAt - r.previousFinishedAt])).toEqual([
      [1, 0],
      [2, 10_000],
    ]);
    expect(eventsOf(cluster, 'short').some((e) => e.message?.includes(`(${again.metadata.uid})`))).toBe(true);
    expect(cluster.deletePod('t', 'short')).toBe(true);
    cluster.addWorkload('t', workload);
    expect(new Set([first, again, podOf(cluster, 't', 'short')].map((p) => p.metadata.uid)).size).toBe(3);
  });
});
