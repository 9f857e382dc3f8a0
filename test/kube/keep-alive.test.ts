import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { explainFromCluster } from '../../src/cli/explain.js';
import { closeConnections } from '../../src/kube/connections.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';

// `crashtop explain` makes dozens of one-shot requests (the pods, then events, previous logs and the owner of
// each unhealthy pod, 8 at a time): over one context's keep-alive connections, not a TLS handshake each.

let sim: RunningSim;
beforeAll(async () => {
  // Enough crashing pods that the requests outnumber the connections a pool of 8 pods in flight needs.
  sim = await startSim({ pods: 120, crashing: 60 });
});
// Contexts with the same credentials share an agent: each test ends the connections of the contexts it resolved.
afterEach(() => closeConnections());
afterAll(async () => {
  await sim.close();
});

describe('one keep-alive agent per TLS identity', () => {
  it('explain -A reuses its connections: at most one handshake per request in flight', async () => {
    const scope = { kubeconfig: sim.kubeconfigPath, allNamespaces: true };
    const requestsBefore = sim.requests().length;
    const handshakesBefore = sim.tlsHandshakes();
    const report = await explainFromCluster({ contexts: await resolveContexts(scope), scope });
    const requests = sim.requests().length - requestsBefore;
    const handshakes = sim.tlsHandshakes() - handshakesBefore;
    expect(report.pods.length).toBeGreaterThanOrEqual(50);
    expect(requests).toBeGreaterThan(2 * report.pods.length);
    // 8 pods are explained at a time, each with up to 3 requests at once (events, log, owner): the pool never
    // needs more connections than that, however many pods there are.
    expect(handshakes).toBeLessThanOrEqual(24);
  });

  it('closeConnections ends the pooled connections: the next request shakes hands again', async () => {
    const scope = { kubeconfig: sim.kubeconfigPath, allNamespaces: true };
    const contexts = await resolveContexts(scope);
    await explainFromCluster({ contexts, scope, podName: 'nonexistent' }).catch(() => undefined);
    const before = sim.tlsHandshakes();
    await explainFromCluster({ contexts, scope, podName: 'nonexistent' }).catch(() => undefined);
    expect(sim.tlsHandshakes()).toBe(before);
    closeConnections(contexts);
    await explainFromCluster({ contexts, scope, podName: 'nonexistent' }).catch(() => undefined);
    expect(sim.tlsHandshakes()).toBeGreaterThan(before);
  });
});
