import { fileURLToPath } from 'node:url';
import type { Pod } from '../../src/model/pod.js';
import { ManualClock } from '../../src/sim/clock.js';
import { SimCluster } from '../../src/sim/cluster.js';
import type { EventObject } from '../../src/sim/events.js';
import { loadScenario } from '../../src/sim/scenario-loader.js';

export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);

export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../fixtures/sim/${name}`, import.meta.url));
}

export async function fixtureCluster(name: string): Promise<{ cluster: SimCluster; clock: ManualClock }> {
  const clock = new ManualClock(T0);
  const cluster = new SimCluster({ scenario: await loadScenario(fixturePath(name)), clock });
  return { cluster, clock };
}

export function podOf(cluster: SimCluster, namespace: string, name: string): Pod {
  const stored = cluster.pods.get(`${namespace}/${name}`);
  if (!stored) throw new Error(`no pod ${namespace}/${name}`);
  return JSON.parse(stored.json) as Pod;
}

export function eventsOf(cluster: SimCluster, name: string): EventObject[] {
  return cluster.events
    .list()
    .map((e) => JSON.parse(e.json) as EventObject)
    .filter((e) => e.involvedObject.name === name);
}

/** Advances the simulated clock in steps, letting the kubelet emulator run at each. */
export function runFor(cluster: SimCluster, clock: ManualClock, ms: number, stepMs = 1000): void {
  for (let t = 0; t < ms; t += stepMs) {
    clock.advance(stepMs);
    cluster.advance();
  }
}
