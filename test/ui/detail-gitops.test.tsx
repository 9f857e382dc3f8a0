import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import type { ClusterSource, WatchedPod } from '../../src/kube/source.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { loadScenario } from '../../src/sim/scenario-loader.js';
import { renderDetail } from './render-detail.js';

// The detail page through the real cluster source against the simulator, whose Deployments carry the marks
// Flux and Argo CD write (on the Deployment, not its pods): the page reads the Deployment and the fix names the
// app to change in Git, the pause command first. Without read access to Deployments it says so.

let sim: RunningSim;
let source: ClusterSource;

beforeAll(async () => {
  const scenario = await loadScenario(new URL('../fixtures/sim/gitops.yaml', import.meta.url).pathname);
  sim = await startSim({ scenario });
  source = await createClusterSource({ kubeconfig: sim.kubeconfigPath, namespaces: ['apps'] });
  await vi.waitFor(() => expect(source.getSnapshot().pods.size).toBe(3), { timeout: 5000 });
});

afterAll(async () => {
  await source.close();
  await sim.close();
});

function podOf(deployment: string): WatchedPod {
  return [...source.getSnapshot().pods.values()].find(({ pod }) =>
    pod.metadata.name.startsWith(`${deployment}-`),
  )!;
}

async function detailText(deployment: string, expected: string): Promise<string> {
  const view = renderDetail(source, podOf(deployment), { height: 80 });
  try {
    // Wrapped at the test terminal's width: read the page as one run of words.
    const words = () => (view.lastFrame() ?? '').replace(/\s+/g, ' ');
    await vi.waitFor(() => expect(words()).toContain(expected), { timeout: 5000, interval: 20 });
    return words();
  } finally {
    view.unmount();
  }
}

describe('the detail page: ownership decides the command', () => {
  it('names the Flux Kustomization read from the Deployment, suspend first', async () => {
    const text = await detailText(
      'podinfo',
      'is managed by Flux Kustomization apps in namespace flux-system',
    );
    expect(text).toMatch(
      /flux --kubeconfig \S+ --context crashtop-sim suspend kustomization apps -n flux-system/,
    );
  });

  it('names the Argo CD application', async () => {
    const text = await detailText('guestbook-ui', 'is managed by Argo CD application guestbook');
    expect(text).toContain('argocd app set guestbook --sync-policy none');
  });

  it('says when the Deployment cannot be read, and keeps the kubectl fix', async () => {
    sim.cluster.deny(['deployments']);
    try {
      const text = await detailText(
        'podinfo',
        'crashtop could not read deployment/podinfo (context crashtop-sim may not get deployments in namespace apps)',
      );
      expect(text).not.toContain('flux ');
      expect(text).toMatch(/kubectl .*set resources deployment\/podinfo/);
    } finally {
      sim.cluster.deny(undefined);
    }
  });
});
