import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/pod.js';
import { readinessChurn } from '../../src/sim/churn.js';
import { ManualClock } from '../../src/sim/clock.js';
import { SimCluster } from '../../src/sim/cluster.js';
import { generateScenario } from '../../src/sim/generator.js';
import { T0 } from './sim-fixture.js';

// `crashtop sim --churn N`: the status changes bench/live.js times from the watch to the screen.

const tickMs = 100;

function churningCluster(perSecond: number) {
  const clock = new ManualClock(T0);
  const cluster = new SimCluster({ scenario: generateScenario({ pods: 300, crashing: 30 }), clock });
  // Past the pods' start-up: every steady pod is running and ready.
  for (let i = 0; i < 30; i++) {
    clock.advance(1000);
    cluster.advance();
  }
  const changed: Pod[] = [];
  cluster.pods.subscribe((change) => {
    if (change.type === 'MODIFIED') changed.push(JSON.parse(change.object.json) as Pod);
  });
  const churn = readinessChurn(cluster, perSecond, tickMs);
  const tick = () => {
    clock.advance(tickMs);
    const flap = churn.tick();
    cluster.advance();
    return flap;
  };
  return { cluster, changed, tick };
}

const ready = (pod: Pod) => pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

describe('readiness churn', () => {
  it('sends the asked number of status changes a second, each a readiness flip of a running pod', () => {
    const { changed, tick } = churningCluster(200);
    for (let i = 0; i < 10; i++) tick();
    const flips = changed.filter((pod) => pod.status?.containerStatuses?.every((c) => c.state?.running));
    // The kubelet's own crash loops change a few pods too; the churn is the 200 on top.
    expect(flips.length).toBeGreaterThanOrEqual(200);
    expect(changed.length).toBeLessThan(260);
    expect(new Set(flips.map((pod) => pod.metadata.name)).size).toBeGreaterThanOrEqual(100);
    const flipped = flips.find((pod) => !ready(pod));
    expect(flipped?.status?.containerStatuses?.[0]?.ready).toBe(false);
    expect(flipped?.status?.phase).toBe('Running');
  });

  it('flips the probe pod every 2 s, alternating, and says which way', () => {
    const { cluster, tick } = churningCluster(50);
    const flaps = [];
    for (let i = 0; i < 60; i++) {
      const flap = tick();
      if (flap) {
        const stored = cluster.pods.get(`${flap.namespace}/${flap.name}`)!;
        flaps.push({ at: i, ready: flap.ready, published: ready(JSON.parse(stored.json) as Pod) });
      }
    }
    expect(flaps.map((f) => f.at)).toEqual([19, 39, 59]);
    expect(flaps.map((f) => f.ready)).toEqual([false, true, false]);
    for (const flap of flaps) expect(flap.published).toBe(flap.ready);
  });
});
