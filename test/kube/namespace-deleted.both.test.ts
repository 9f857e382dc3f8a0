import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterSourceOptions, createClusterSource } from '../../src/kube/cluster-source.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import { listPods } from '../../src/kube/pods.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { type Backend, startBackend } from '../helpers/backend.js';

// `-n shop` while shop is deleted (kubectl delete namespace shop). What the API server does: the namespace turns
// Terminating, the namespace controller deletes its pods (the pods watch gets each DELETED and stays open, live),
// then removes the namespace's finalizer and the namespace is gone; a pods list there is then an empty 200, not a
// 404. The real server runs no controllers, so the backend plays the namespace controller's two steps on it as the
// simulator's hooks do them. The view must say what became of the namespace, not just empty its table.

const fast: ClusterSourceOptions = {
  notifyIntervalMs: 5,
  timings: { backoff: { initialMs: 50, maxMs: 200 } },
  namespaceTimings: { settleMs: 50, recheckMs: 200 },
};
const settle = { timeout: 20_000, interval: 50 };

let b: Backend;

beforeAll(async () => {
  b = await startBackend({ speed: 0 });
}, 300_000);

afterAll(async () => {
  await b.close();
});

/**
 * Resolves once the source's pods watch of this namespace is open (its first list alone does not say so): a pod
 * deleted now must reach it. A namespace deleted before the watch opens would be a 403 or an empty list instead.
 */
async function watching(source: ClusterSource, name: string): Promise<void> {
  await expect.poll(() => podsOf(source, b.ns(name)), settle).toBeGreaterThan(1);
  const pod = b.cluster.pods.list().find((p) => p.namespace === name)!.name;
  b.cluster.deletePod(name, pod);
  await b.synced();
  await expect
    .poll(() => source.getSnapshot().pods.has(`${b.context}/${b.ns(name)}/${pod}`), settle)
    .toBe(false);
}

function podsOf(source: ClusterSource, namespace: string): number {
  return [...source.getSnapshot().pods.values()].filter((w) => w.pod.metadata.namespace === namespace).length;
}

describe('a watched namespace deleted', () => {
  it('says it is being deleted, then gone, with what to do; the watch stays live', async () => {
    const ns = b.ns('shop');
    const [context] = await resolveContexts({ kubeconfig: b.kubeconfigPath });
    const source = await createClusterSource({ kubeconfig: b.kubeconfigPath, namespaces: [ns] }, fast);
    const podWatch = () => source.getSnapshot().watches.find((w) => w.resource !== 'events')!;
    try {
      await watching(source, 'shop');
      expect(source.getSnapshot().notes ?? []).toEqual([]);

      await b.deleteNamespace('shop');
      await b.synced();
      await expect.poll(() => podsOf(source, ns), settle).toBe(0);
      await expect
        .poll(() => source.getSnapshot().notes, settle)
        .toEqual([
          `namespace "${ns}" is being deleted (Terminating) in context ${b.context}: no pod can start there; to watch another, restart crashtop with -n NS or -A`,
        ]);
      // The server said nothing of it to the pods watch: it only deleted the pods.
      expect(podWatch().state).toBe('live');

      await b.finalizeNamespace('shop');
      await expect
        .poll(() => source.getSnapshot().notes, settle)
        .toEqual([
          `namespace "${ns}" was deleted in context ${b.context} (still watched, in case it comes back); to watch another, restart crashtop with -n NS or -A`,
        ]);
      expect(podWatch().state).toBe('live');
      // A list in a namespace that no longer exists is an empty answer, not an error.
      expect(await listPods(context!, { namespaces: [ns] })).toEqual([]);

      // Created again (a redeploy): its pods come to the same watch, and the note goes.
      b.cluster.addWorkload(
        'shop',
        b.cluster.scenario.namespaces.find((n) => n.name === 'shop')!.workloads[0]!,
      );
      await b.synced();
      await expect.poll(() => podsOf(source, ns), settle).toBeGreaterThan(0);
      await expect.poll(() => source.getSnapshot().notes, settle).toEqual([]);
    } finally {
      await source.close();
    }
  }, 60_000);

  it('a namespace that never existed is said so once, not taken for one deleted', async () => {
    const ns = b.ns('nowhere');
    const source = await createClusterSource({ kubeconfig: b.kubeconfigPath, namespaces: [ns] }, fast);
    try {
      const missing = `namespace "${ns}" does not exist in context ${b.context}`;
      await expect.poll(() => source.getSnapshot().notes, settle).toEqual([missing]);
      // Longer than a namespace read after its pods' deletion would take (namespaceTimings).
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(source.getSnapshot().notes).toEqual([missing]);
    } finally {
      await source.close();
    }
  });

  it('a user who may not read namespaces is told the namespace emptied and that it cannot be checked', async () => {
    const ns = b.ns('payments');
    const kubeconfig = await b.limitedKubeconfig(['payments']);
    const source = await createClusterSource({ kubeconfig, namespaces: [ns] }, fast);
    try {
      await watching(source, 'payments');
      await b.deleteNamespace('payments');
      await b.synced();
      await expect.poll(() => podsOf(source, ns), settle).toBe(0);
      await expect
        .poll(() => source.getSnapshot().notes, settle)
        .toEqual([
          `namespace "${ns}" has no pods you may see any more, and whether it was deleted cannot be checked (no permission to get namespaces in context ${b.context})`,
        ]);
    } finally {
      await source.close();
    }
  }, 60_000);
});
