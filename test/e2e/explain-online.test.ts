import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { runCli } from '../helpers/run-cli.js';

// `crashtop explain` online: the built binary against the simulated cluster over its kubeconfig, the way
// it runs against a real cluster (list, events and previous logs over HTTPS with a bearer token).

interface JsonReport {
  pods: {
    namespace: string;
    name: string;
    status: string;
    owner?: { kind: string; name: string };
    cause?: { id: string; evidence: string[]; commands: string[] };
  }[];
}

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});

describe('crashtop explain against crashtop sim', () => {
  it('finds every cause id of the demo scenario, with evidence and commands naming the real objects', async () => {
    const result = await runCli(['explain', '--kubeconfig', sim.kubeconfigPath, '-A', '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    const ids = new Set(report.pods.map((pod) => pod.cause?.id));
    for (const id of [
      'oom-killed',
      'missing-config',
      'bad-command',
      'liveness-probe',
      'permission-denied',
      'dependency-unreachable',
      'image-pull',
      'exit-zero',
      'segfault',
      'app-error',
      'unknown',
    ]) {
      expect(ids, id).toContain(id);
    }
    for (const pod of report.pods) {
      expect(pod.cause?.evidence.length, pod.name).toBeGreaterThan(0);
      expect(pod.cause?.commands.join('\n'), pod.name).toContain(`-n ${pod.namespace}`);
    }
    const oom = report.pods.find((pod) => pod.cause?.id === 'oom-killed');
    expect(oom?.cause?.commands.join('\n')).toContain(`deployment/${oom?.owner?.name}`);
  });

  it('narrows to one namespace and to one pod, and says so when the pod does not exist', async () => {
    const shop = await runCli(['explain', '--kubeconfig', sim.kubeconfigPath, '-n', 'shop', '-o', 'json']);
    const pods = (JSON.parse(shop.stdout) as JsonReport).pods;
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((pod) => pod.namespace === 'shop')).toBe(true);

    const one = pods[0]!;
    const single = await runCli([
      'explain',
      one.name,
      '--kubeconfig',
      sim.kubeconfigPath,
      '-n',
      'shop',
      '-o',
      'json',
    ]);
    expect((JSON.parse(single.stdout) as JsonReport).pods.map((pod) => pod.name)).toEqual([one.name]);

    const missing = await runCli([
      'explain',
      'no-such-pod',
      '--kubeconfig',
      sim.kubeconfigPath,
      '-n',
      'shop',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/pod "no-such-pod" not found in namespace shop/);
  });

  it('reports a forbidden cluster-wide list as one line with exit code 1', async () => {
    sim.cluster.restrictTo(['shop']);
    try {
      const result = await runCli(['explain', '--kubeconfig', sim.kubeconfigPath, '-A']);
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(/forbidden|Forbidden|may not/);
    } finally {
      sim.cluster.restrictTo(undefined);
    }
  });
});
