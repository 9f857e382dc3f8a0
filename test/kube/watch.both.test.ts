import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { type ClusterSourceOptions, createClusterSource } from '../../src/kube/cluster-source.js';
import { KubeError } from '../../src/kube/errors.js';
import { resolveContexts, type Scope } from '../../src/kube/kubeconfig.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { BACKEND, type Backend, startBackend } from '../helpers/backend.js';
import { serverPodKeys } from '../helpers/server-pods.js';

// The watchers (list + watch, paging, scope, credentials) against the simulator and a real kube-apiserver, with the
// same expectations. What only one server can do to a watch (stall it, restart it, compact it) is tested in
// sim.test.ts and test/real/faults.real.test.ts.

const fast: ClusterSourceOptions = {
  notifyIntervalMs: 5,
  timings: {
    watchTimeoutSeconds: () => 60,
    requestTimeoutMs: 10_000,
    backoff: { initialMs: 50, maxMs: 200 },
    stale: { afterMs: 60_000 },
  },
};
const settle = { timeout: 20_000, interval: 50 };
const PODS = 600;

let b: Backend;
let namespace: string;

beforeAll(async () => {
  b = await startBackend({ pods: PODS, crashing: 30, speed: 5 });
  const [context] = await resolveContexts({ kubeconfig: b.kubeconfigPath });
  namespace = context!.defaultNamespace;
}, 300_000);

afterAll(async () => {
  await b.close();
});

function truth(scope: { allNamespaces?: boolean } = {}): Promise<string[]> {
  return serverPodKeys(b.kubeconfigPath, scope.allNamespaces ? undefined : namespace);
}

function keys(source: ClusterSource): string[] {
  return [...source.getSnapshot().pods.keys()].sort();
}

function allLive(source: ClusterSource): boolean {
  return source.getSnapshot().watches.every((watch) => watch.state === 'live');
}

async function withSource(scope: Scope, run: (source: ClusterSource) => Promise<void>): Promise<void> {
  const source = await createClusterSource({ kubeconfig: b.kubeconfigPath, ...scope }, fast);
  try {
    await run(source);
  } finally {
    await source.close();
  }
}

describe(`watching ${BACKEND === 'real' ? 'a real kube-apiserver' : 'the simulator'}`, () => {
  it('lists what the server has and follows its changes', async () => {
    await withSource({}, async (source) => {
      expect(keys(source)).toEqual(await truth());
      expect(keys(source).length).toBeGreaterThan(0);
      await vi.waitFor(() => expect(allLive(source)).toBe(true), settle);
      const [key] = keys(source);
      const [, podNamespace, name] = key!.split('/') as [string, string, string];
      const simNamespace = b.cluster.scenario.namespaces.find((n) => b.ns(n.name) === podNamespace)!.name;
      b.cluster.deletePod(simNamespace, name);
      await b.synced();
      await vi.waitFor(() => expect(keys(source)).not.toContain(key), settle);
      expect(keys(source)).toEqual(await truth());
      expect(source.getSnapshot().clockOffsetMs.has(b.context)).toBe(true);
    });
  });

  it('pages through a large list (limit 500 and continue) without losing a pod', async () => {
    await withSource({ allNamespaces: true }, async (source) => {
      expect(keys(source)).toEqual(await truth({ allNamespaces: true }));
      expect(keys(source).length).toBeGreaterThan(500);
    });
  });

  it('falls back to the context namespace when the token may not read all namespaces', async () => {
    const simNamespace = b.cluster.scenario.namespaces[0]!.name;
    const limited = await b.limitedKubeconfig([simNamespace]);
    try {
      const source = await createClusterSource({ kubeconfig: limited, allNamespaces: true }, fast);
      try {
        expect(keys(source)).toEqual(await truth());
        // Said once, as a note, not as a watch left in an error state.
        expect(source.getSnapshot().notes).toEqual([
          `context ${b.context} may not list pods in all namespaces (403 Forbidden), so only its namespace "${namespace}" is read`,
        ]);
        expect(source.getSnapshot().watches.some((watch) => watch.state === 'forbidden')).toBe(false);
        await vi.waitFor(() => {
          const live = source.getSnapshot().watches.filter((watch) => watch.state === 'live');
          expect(live.map((watch) => watch.namespaces)).toEqual([[namespace], [namespace]]);
        }, settle);
      } finally {
        await source.close();
      }
    } finally {
      b.cluster.restrictTo(undefined);
    }
  });

  it('reports a rejected token as one line', async () => {
    const config = parse(readFileSync(b.kubeconfigPath, 'utf8')) as { users: { user: { token: string } }[] };
    config.users[0]!.user.token = 'not-the-token';
    const path = `${b.kubeconfigPath}.bad`;
    writeFileSync(path, stringify(config), { mode: 0o600 });
    const error = await createClusterSource({ kubeconfig: path }, fast).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).message).toBe(
      `the server rejected the credentials of context ${b.context} (401 Unauthorized): log in again or check --kubeconfig`,
    );
  });
});
