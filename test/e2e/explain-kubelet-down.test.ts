import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { runCli } from '../helpers/run-cli.js';

// `crashtop explain` when the API server cannot reach a node's kubelet: pods/log answers 500 with the dial
// error (as a real API server does). Each pod's report degrades on its own: the cause comes from status
// and events, the evidence says why the log is missing, and the report is printed in full, exit 0.

interface JsonPod {
  namespace: string;
  name: string;
  cause?: { id: string; container: string; evidence: string[] };
  containers: { name: string; restartCount: number }[];
}

const unavailable =
  /^previous log unavailable: cannot get pods\/log in namespace "[^"]+" on context crashtop-sim \(500 InternalError\): Get "https:\/\/172\.18\.0\.\d+:10250\/containerLogs\/[^"]+\?previous=true&tailLines=200&limitBytes=65536": dial tcp 172\.18\.0\.\d+:10250: connect: connection refused$/;

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSim();
});
afterEach(() => {
  sim.cluster.kubeletsUnreachable(undefined);
});
afterAll(async () => {
  await sim.close();
});

async function explainJson(): Promise<JsonPod[]> {
  const result = await runCli(['explain', '--kubeconfig', sim.kubeconfigPath, '-A', '-o', 'json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return (JSON.parse(result.stdout) as { pods: JsonPod[] }).pods;
}

const nodeOf = (pod: JsonPod) => sim.cluster.pod(pod.namespace, pod.name)?.placement.spec.nodeName;

describe('crashtop explain with a kubelet the API server cannot reach', () => {
  it('reports every pod, causes from status and events, evidence saying why the log is missing (-o json)', async () => {
    sim.cluster.kubeletsUnreachable('all');
    const pods = await explainJson();
    expect(pods.length).toBeGreaterThan(10);
    for (const pod of pods) expect(pod.cause, pod.name).toBeDefined();
    const notes = pods.flatMap(
      (pod) => pod.cause?.evidence.filter((line) => line.startsWith('previous log')) ?? [],
    );
    expect(notes.length).toBeGreaterThan(5);
    for (const note of notes) expect(note).toMatch(unavailable);
    for (const pod of pods) expect(pod.cause?.evidence, pod.name).not.toContain('no previous log');
    const ids = new Set(pods.map((pod) => pod.cause?.id));
    for (const id of ['oom-killed', 'image-pull', 'liveness-probe', 'missing-config'])
      expect(ids, id).toContain(id);
  });

  it('degrades only the pods on the unreachable node', async () => {
    sim.cluster.kubeletsUnreachable(['sim-node-1']);
    const pods = await explainJson();
    const down = pods.filter((pod) => nodeOf(pod) === 'sim-node-1');
    const up = pods.filter((pod) => nodeOf(pod) !== 'sim-node-1');
    expect(down.length).toBeGreaterThan(0);
    expect(up.length).toBeGreaterThan(0);
    expect(down.some((pod) => pod.cause?.evidence.some((line) => unavailable.test(line)))).toBe(true);
    for (const pod of up) {
      expect(pod.cause?.evidence.some((line) => line.startsWith('previous log unavailable'))).toBe(false);
    }
    // The pods whose cause is only in their log still get it where the log could be read.
    expect(up.some((pod) => pod.cause?.evidence.some((line) => line.startsWith('log: ')))).toBe(true);
  });

  it('prints the text report in full, the unavailable log in the evidence', async () => {
    sim.cluster.kubeletsUnreachable('all');
    const [result, pods] = await Promise.all([
      runCli(['explain', '--kubeconfig', sim.kubeconfigPath, '-A']),
      explainJson(),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // A pod or two of the demo may turn healthy (or crash) between the two runs: the report is complete
    // when it holds nearly all of them, and an aborted one holds none.
    const shown = pods.filter((pod) => result.stdout.includes(`${pod.namespace}/${pod.name}`));
    expect(shown.length).toBeGreaterThanOrEqual(pods.length - 2);
    // The evidence wraps where the width says: read it with its continuation lines joined.
    const evidence = result.stdout.replace(/\n +/g, ' ');
    expect(evidence).toContain('previous log unavailable: cannot get pods/log in namespace');
    expect(evidence).toContain('connect: connection refused');
    expect(result.stdout).not.toContain('no previous log');
  });
});
