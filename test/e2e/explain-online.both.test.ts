import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUSE_IDS } from '../../src/model/classify/types.js';
import { BACKEND, type Backend, startBackend } from '../helpers/backend.js';
import { runCli } from '../helpers/run-cli.js';

const BACKEND_NAME = BACKEND === 'real' ? 'a real kube-apiserver' : 'crashtop sim';

// `crashtop explain` online: the built binary over a kubeconfig, against the simulator and against a real
// kube-apiserver (test/helpers/backend.ts): list, events and previous logs over HTTPS with a bearer token.

interface JsonReport {
  pods: {
    namespace: string;
    name: string;
    status: string;
    owner?: { kind: string; name: string };
    cause?: { id: string; evidence: string[]; commands: string[] };
  }[];
}

let b: Backend;
beforeAll(async () => {
  b = await startBackend();
});
afterAll(async () => {
  await b.close();
});

describe(`crashtop explain against ${BACKEND_NAME}`, () => {
  it('finds every cause id of the demo scenario, with evidence and commands naming the real objects', async () => {
    const result = await runCli(['explain', '--kubeconfig', b.kubeconfigPath, '-A', '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    const ids = new Set(report.pods.map((pod) => pod.cause?.id));
    for (const id of CAUSE_IDS) {
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
    const shop = await runCli([
      'explain',
      '--kubeconfig',
      b.kubeconfigPath,
      '-n',
      b.ns('shop'),
      '-o',
      'json',
    ]);
    const pods = (JSON.parse(shop.stdout) as JsonReport).pods;
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((pod) => pod.namespace === b.ns('shop'))).toBe(true);

    const one = pods[0]!;
    const single = await runCli([
      'explain',
      one.name,
      '--kubeconfig',
      b.kubeconfigPath,
      '-n',
      b.ns('shop'),
      '-o',
      'json',
    ]);
    expect((JSON.parse(single.stdout) as JsonReport).pods.map((pod) => pod.name)).toEqual([one.name]);

    const missing = await runCli([
      'explain',
      'no-such-pod',
      '--kubeconfig',
      b.kubeconfigPath,
      '-n',
      b.ns('shop'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`pod "no-such-pod" not found in namespace ${b.ns('shop')}`);
  });

  it('falls back from a forbidden cluster-wide list to the context namespace, as the live view does, and says so', async () => {
    const limited = await b.limitedKubeconfig(['shop']);
    try {
      const result = await runCli(['explain', '--kubeconfig', limited, '-A']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(
        /^note: context \S+ may not list pods in all namespaces \(403 Forbidden\), so only its namespace "\S*shop" is read$/m,
      );
    } finally {
      b.cluster.restrictTo(undefined);
    }
  });
});
