import { describe, expect, it } from 'vitest';
import type { EventObject } from '../../src/sim/events.js';
import { SPAM_BURST, SPAM_REFILL_MS } from '../../src/sim/events.js';
import { eventsOf, fixtureCluster, podOf, runFor, T0 } from './sim-fixture.js';

// What the API server sees of a long crash loop's events, against client-go tools/record/events_cache.go (the
// kubelet's EventCorrelator): merged into counts, then at most a burst of 25 writes per source and object,
// refilled at one per 5 minutes (getSpamKey: source + involved object, not reason or type), and the pod
// worker's resyncs inside a back-off recording BackOff again (pkg/kubelet/pod_workers.go completeWork).

interface Write {
  at: number;
  reason: string;
  count: number;
}

async function crashLoop(hours: number) {
  const { cluster, clock } = await fixtureCluster('timeline.yaml');
  const writes: Write[] = [];
  cluster.events.subscribe((change) => {
    if (change.type === 'DELETED') return;
    const event = JSON.parse(change.object.json) as EventObject;
    if (event.involvedObject.name !== 'short' || event.source?.component !== 'kubelet') return;
    writes.push({ at: clock.now() - T0, reason: event.reason ?? '', count: event.count ?? 1 });
  });
  runFor(cluster, clock, hours * 3_600_000, 5000);
  return { cluster, writes };
}

describe('simulated kubelet events, spam filter', () => {
  it('writes a long crash loop’s events at most 25 at once, then one per 5 minutes', async () => {
    const { cluster, writes } = await crashLoop(3);
    const restarts = podOf(cluster, 't', 'short').status!.containerStatuses![0]!.restartCount;
    // 5 s runs, waits 10 s … 300 s: about 40 restarts in 3 h, each with Pulled, Created, Started and BackOff.
    expect(restarts).toBeGreaterThan(35);
    expect(writes.length).toBeGreaterThanOrEqual(SPAM_BURST);
    // Every write within the budget: the burst plus one per refill period since the first.
    const span = writes.at(-1)!.at - writes[0]!.at;
    expect(writes.length).toBeLessThanOrEqual(SPAM_BURST + Math.floor(span / SPAM_REFILL_MS) + 1);
    // In the third hour the bucket is long empty: about one write per 5 minutes (12), not four per restart.
    const third = writes.filter((w) => w.at >= 7_200_000);
    expect(third.length).toBeGreaterThanOrEqual(10);
    expect(third.length).toBeLessThanOrEqual(13);
  });

  it('counts the occurrences it filtered in the next write', async () => {
    const { cluster, writes } = await crashLoop(3);
    const backOffs = writes.filter((w) => w.reason === 'BackOff');
    const jumps = backOffs.slice(1).map((w, i) => w.count - backOffs[i]!.count);
    expect(Math.max(...jumps)).toBeGreaterThan(1);
    // The stored count is what the kubelet saw: one at each crash, and again at each resync of a 5-minute wait.
    const stored = eventsOf(cluster, 'short').find((e) => e.reason === 'BackOff')!;
    const restarts = podOf(cluster, 't', 'short').status!.containerStatuses![0]!.restartCount;
    expect(stored.count).toBeGreaterThan(restarts * 2);
    expect(stored.count).toBe(backOffs.at(-1)!.count);
  });
});
