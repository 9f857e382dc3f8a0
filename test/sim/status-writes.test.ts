import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/pod.js';
import { eventsOf, fixtureCluster, runFor } from './sim-fixture.js';

// The simulated API server sees a pod write only when its status changed, as from a real kubelet: the status
// manager drops a status equal to the last one it sent (pkg/kubelet/status/status_manager.go updateStatusInternal,
// "Ignoring same status for pod"), and etcd keeps an object whose bytes did not change without a new
// resourceVersion. A pod the kubelet retries every 10 s (CreateContainerConfigError) used to be sent anew each time.

describe('simulated pod status writes', () => {
  it('sends a retried CreateContainerConfigError once, while its Failed event keeps counting', async () => {
    const { cluster, clock } = await fixtureCluster('timeline.yaml');
    const writes: { rv: number; waiting?: string }[] = [];
    cluster.pods.subscribe((change) => {
      const pod = JSON.parse(change.object.json) as Pod;
      if (pod.metadata.name !== 'config') return;
      writes.push({ rv: change.rv, waiting: pod.status?.containerStatuses?.[0]?.state?.waiting?.reason });
    });
    runFor(cluster, clock, 5000);
    const early = writes.length;
    expect(writes.at(-1)?.waiting).toBe('CreateContainerConfigError');
    const rv = cluster.pods.get('t/config')!.rv;
    runFor(cluster, clock, 120_000);
    expect(writes.length).toBe(early);
    expect(cluster.pods.get('t/config')!.rv).toBe(rv);
    const failed = eventsOf(cluster, 'config').find((e) => e.reason === 'Failed');
    expect(failed?.count).toBeGreaterThan(10);
  });

  it('still sends every change of a crash loop', async () => {
    const { cluster, clock } = await fixtureCluster('timeline.yaml');
    const states: string[] = [];
    cluster.pods.subscribe((change) => {
      const pod = JSON.parse(change.object.json) as Pod;
      if (pod.metadata.name !== 'short') return;
      const state = pod.status?.containerStatuses?.[0]?.state;
      states.push(
        state?.waiting?.reason ?? (state?.running ? 'running' : (state?.terminated?.reason ?? '-')),
      );
    });
    // Start at 1 s, crash at 6 s (restarted at once), crash at 11 s, back-off 10 s, restart at 21 s.
    runFor(cluster, clock, 22_000);
    expect(states.slice(-4)).toEqual(['running', 'Error', 'CrashLoopBackOff', 'running']);
  });
});
