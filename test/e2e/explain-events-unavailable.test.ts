import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { runCli } from '../helpers/run-cli.js';

// `crashtop explain -A` when the events of one namespace cannot be read (the API server answers 500, as when
// etcd times out): the other pods are reported as usual, and each pod of that namespace says in its evidence
// why its events are missing. The report is printed in full, exit 0.

interface JsonPod {
  namespace: string;
  name: string;
  cause?: { id: string; evidence: string[] };
}

const unavailable =
  'events unavailable: cannot list events in namespace "payments" on context crashtop-sim (500 InternalError): etcdserver: request timed out';

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSim();
  sim.cluster.eventReadsFail(['payments']);
});
afterAll(async () => {
  await sim.close();
});

describe('crashtop explain when one namespace’s events cannot be listed', () => {
  it('reports every pod; those of that namespace say why their events are missing (-o json)', async () => {
    const result = await runCli(['explain', '--kubeconfig', sim.kubeconfigPath, '-A', '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const pods = (JSON.parse(result.stdout) as { pods: JsonPod[] }).pods;
    const payments = pods.filter((pod) => pod.namespace === 'payments');
    const others = pods.filter((pod) => pod.namespace !== 'payments');
    expect(payments.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(5);
    for (const pod of payments) expect(pod.cause?.evidence, pod.name).toContain(unavailable);
    for (const pod of others) {
      expect(
        pod.cause?.evidence.some((line) => line.startsWith('events unavailable')),
        pod.name,
      ).toBe(false);
    }
    // Event-only causes still come from the events where they could be read.
    expect(others.some((pod) => pod.cause?.evidence.some((line) => line.startsWith('event ')))).toBe(true);
  });

  it('prints the text report in full, the missing events in the evidence', async () => {
    const result = await runCli(['explain', '--kubeconfig', sim.kubeconfigPath, '-A']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // The report wraps at 80 columns, continuation lines indented: read it as one run of words.
    const words = result.stdout.replace(/\s+/g, ' ');
    expect(words).toContain(unavailable);
    expect(result.stdout).toMatch(/^shop\//m);
  });
});
