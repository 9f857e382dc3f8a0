import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import { eventTime } from '../../src/kube/events.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { nodesOfPods } from '../../src/model/node-events.js';
import { BACKEND, type Backend, startBackend } from '../helpers/backend.js';

// The events view's node part: a node's pressure, evictions and reboots are events on the Node (cluster-scoped),
// read with a field selector per node. The demo scenario's kubelets report memory pressure on sim-node-2 and a
// reboot of sim-node-3 (scenarios/demo.yaml, nodeEvents).

let b: Backend;
let source: ClusterSource;
let nodes: string[];

beforeAll(async () => {
  b = await startBackend();
  await b.synced();
  source = await createClusterSource({ kubeconfig: b.kubeconfigPath, allNamespaces: true });
  await vi.waitFor(() => expect(source.getSnapshot().pods.size).toBeGreaterThan(20), { timeout: 30_000 });
  const pods = [...source.getSnapshot().pods.values()];
  nodes = [
    ...new Set(pods.flatMap((w) => nodesOfPods(pods, w.context, w.pod.metadata.namespace ?? ''))),
  ].sort();
}, 300_000);
afterAll(async () => {
  await source?.close();
  await b?.close();
});

describe(`node events (${BACKEND})`, () => {
  it("lists the kubelets' reports on the nodes of the pods, newest first, only for the nodes asked", async () => {
    expect(nodes).toHaveLength(3);
    const { events, forbidden } = await source.listNodeEvents({ context: b.context, nodes });
    expect(forbidden).toBeUndefined();
    expect(
      events.every((e) => e.involvedObject.kind === 'Node' && nodes.includes(e.involvedObject.name ?? '')),
    ).toBe(true);
    const times = events.map(eventTime);
    expect(times).toEqual([...times].sort((x, y) => y - x));
    const seen = events.map((e) => [
      e.type,
      e.reason,
      e.involvedObject.name?.replace(/^.*(sim-node-\d)$/, '$1'),
    ]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['Normal', 'NodeHasInsufficientMemory', 'sim-node-2'],
        ['Warning', 'EvictionThresholdMet', 'sim-node-2'],
        ['Warning', 'Rebooted', 'sim-node-3'],
      ]),
    );
    expect(events.find((e) => e.reason === 'EvictionThresholdMet')?.message).toBe(
      'Attempting to reclaim memory',
    );
    expect(events.find((e) => e.reason === 'NodeHasInsufficientMemory')?.message).toMatch(
      /^Node \S+ status is now: NodeHasInsufficientMemory$/,
    );
    // The server filters by node: sim-node-1 reported nothing.
    const first = nodes.find((n) => n.endsWith('sim-node-1'))!;
    expect((await source.listNodeEvents({ context: b.context, nodes: [first] })).events).toEqual([]);
  });

  it('says in one line that RBAC forbids them when the user may read only namespaces', async () => {
    const limited = await b.limitedKubeconfig(['shop']);
    const narrow = await createClusterSource({ kubeconfig: limited });
    try {
      const result = await narrow.listNodeEvents({ context: b.context, nodes });
      expect(result.events).toEqual([]);
      expect(result.forbidden).toMatch(/may not list events cluster-wide \(403 Forbidden\)/);
      expect(result.forbidden).not.toContain('\n');
    } finally {
      await narrow.close();
      b.cluster.restrictTo(undefined);
    }
  });
});
