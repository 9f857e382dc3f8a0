import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import { eventTime } from '../../src/kube/events.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { ManualClock, type RunningSim, startSim } from '../../src/sim/index.js';

// The events view's read against the simulator over HTTPS: one namespace, newest first, warnings included.

let sim: RunningSim;
let source: ClusterSource;

beforeAll(async () => {
  sim = await startSim({ clock: new ManualClock(Date.parse('2026-11-25T14:00:00Z')) });
  source = await createClusterSource({ kubeconfig: sim.kubeconfigPath, allNamespaces: true });
}, 60_000);
afterAll(async () => {
  await source.close();
  await sim.close();
});

describe('listNamespaceEvents', () => {
  it("reads one namespace's events, newest first, with the kubelet's warnings", async () => {
    const [namespace] = [...source.getSnapshot().pods.values()].map((w) => w.pod.metadata.namespace ?? '');
    const events = await source.listNamespaceEvents({ context: sim.context, namespace: namespace! });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.involvedObject.namespace === namespace)).toBe(true);
    const times = events.map(eventTime);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(events.some((e) => e.type === 'Warning')).toBe(true);
  });
});
