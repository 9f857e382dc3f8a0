import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sim/clock.js';
import { type NamespaceObject, SimCluster } from '../../src/sim/cluster.js';
import { demoScenario } from '../../src/sim/demo.js';
import type { Change } from '../../src/sim/store.js';
import { T0 } from './sim-fixture.js';

// `kubectl delete namespace shop` as the simulator carries it out (cluster.deleteNamespace, finalizeNamespace): the
// API server's and the namespace controller's steps, each a change a watch receives.

describe('deleteNamespace, finalizeNamespace', () => {
  it('turns the namespace Terminating, deletes its pods and controllers, then the namespace', async () => {
    const cluster = new SimCluster({ scenario: await demoScenario(), clock: new ManualClock(T0) });
    cluster.restrictTo(['shop', 'payments']);
    const seen: Change[] = [];
    for (const store of [cluster.namespaces, cluster.pods, ...cluster.workloads.stores])
      store.subscribe((change) => seen.push(change));
    const shopPods = cluster.pods.list().filter((p) => p.namespace === 'shop').length;
    expect(shopPods).toBeGreaterThan(0);

    cluster.deleteNamespace('shop');
    const namespace = JSON.parse(cluster.namespaces.get('shop')!.json) as NamespaceObject;
    expect(namespace.status.phase).toBe('Terminating');
    expect(namespace.metadata.deletionTimestamp).toBe(new Date(T0).toISOString().replace('.000Z', 'Z'));
    expect(seen[0]).toMatchObject({ type: 'MODIFIED', object: { key: 'shop' } });
    expect(
      seen.filter((c) => c.type === 'DELETED' && c.object.namespace === 'shop' && c.object.key.includes('/')),
    ).not.toHaveLength(0);
    expect(cluster.pods.list().filter((p) => p.namespace === 'shop')).toEqual([]);
    for (const store of cluster.workloads.stores)
      expect(store.list().filter((o) => o.namespace === 'shop')).toEqual([]);
    // Its RoleBindings went with its content; other namespaces keep theirs.
    expect([...cluster.allowedNamespaces!]).toEqual(['payments']);
    expect(cluster.pods.list().some((p) => p.namespace === 'payments')).toBe(true);

    cluster.finalizeNamespace('shop');
    expect(cluster.namespaces.get('shop')).toBeUndefined();
    expect(seen.at(-1)).toMatchObject({ type: 'DELETED', object: { key: 'shop' } });
  });
});
