import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ClusterSourceOptions, createClusterSource } from '../../src/kube/cluster-source.js';
import { resolveContexts, type Scope } from '../../src/kube/kubeconfig.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { serverPodKeys } from '../helpers/server-pods.js';

// The watchers against the simulated cluster, over HTTP like any cluster: the sim is the server we did not
// write for this layer, with its own history, bookmarks, 410s and RBAC.

const fast: ClusterSourceOptions = {
  notifyIntervalMs: 5,
  timings: {
    watchTimeoutSeconds: () => 1,
    endGraceMs: 500,
    requestTimeoutMs: 3000,
    backoff: { initialMs: 50, maxMs: 200 },
    stale: { afterMs: 60_000 },
  },
};
const settle = { timeout: 8000, interval: 20 };

let sim: RunningSim;
let namespace: string;

beforeAll(async () => {
  sim = await startSim({ pods: 1200, crashing: 60, speed: 5 });
  const [context] = await resolveContexts({ kubeconfig: sim.kubeconfigPath });
  namespace = context!.defaultNamespace;
});

afterAll(async () => {
  await sim.close();
});

function truth(scope: { allNamespaces?: boolean } = {}): Promise<string[]> {
  return serverPodKeys(sim.kubeconfigPath, scope.allNamespaces ? undefined : namespace);
}

function keys(source: ClusterSource): string[] {
  return [...source.getSnapshot().pods.keys()].sort();
}

function allLive(source: ClusterSource): boolean {
  return source.getSnapshot().watches.every((watch) => watch.state === 'live');
}

async function withSource(scope: Scope, run: (source: ClusterSource) => Promise<void>): Promise<void> {
  const source = await createClusterSource({ kubeconfig: sim.kubeconfigPath, ...scope }, fast);
  try {
    await run(source);
  } finally {
    await source.close();
  }
}

function onePodOf(source: ClusterSource): { namespace: string; name: string } {
  const [key] = keys(source);
  const [, podNamespace, name] = key!.split('/') as [string, string, string];
  return { namespace: podNamespace, name };
}

describe('watching the simulator', () => {
  it('relists after the server restarts with its history compacted: no ghost, none missing', async () => {
    await withSource({ allNamespaces: true }, async (source) => {
      await vi.waitFor(() => expect(allLive(source)).toBe(true), settle);
      await sim.stopListener();
      const gone = onePodOf(source);
      sim.cluster.deletePod(gone.namespace, gone.name);
      sim.cluster.compactHistory();
      await sim.startListener();
      await vi.waitFor(async () => {
        expect(keys(source)).not.toContain(`${sim.context}/${gone.namespace}/${gone.name}`);
        expect(keys(source)).toEqual(await truth({ allNamespaces: true }));
        expect(allLive(source)).toBe(true);
      }, settle);
    });
  });

  it('relists when open watches get an in-stream 410', async () => {
    await withSource({}, async (source) => {
      await vi.waitFor(() => expect(sim.openWatches()).toBeGreaterThanOrEqual(2), settle);
      const gone = onePodOf(source);
      sim.cluster.compactHistory();
      sim.expireWatches();
      sim.cluster.deletePod(gone.namespace, gone.name);
      await vi.waitFor(async () => {
        expect(keys(source)).toEqual(await truth());
        expect(allLive(source)).toBe(true);
      }, settle);
    });
  });

  it('recovers from a silently stalled connection', async () => {
    await withSource({}, async (source) => {
      await vi.waitFor(() => expect(sim.openWatches()).toBeGreaterThanOrEqual(2), settle);
      sim.stallWatches();
      const gone = onePodOf(source);
      sim.cluster.deletePod(gone.namespace, gone.name);
      await vi.waitFor(async () => {
        expect(keys(source)).not.toContain(`${sim.context}/${gone.namespace}/${gone.name}`);
        expect(keys(source)).toEqual(await truth());
      }, settle);
    });
  });
});
