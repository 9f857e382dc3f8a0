import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import type { ClusterSource, PodRef } from '../../src/kube/source.js';
import { describeText } from '../../src/ui/describe-lines.js';
import { type Backend, startBackend } from '../helpers/backend.js';

// Golden comparison with kubectl itself: for every pod of the demo (one workload per cause, init containers,
// probes, env from ConfigMaps and Secrets, volumes), served by the simulator or a real kube-apiserver
// (test/helpers/backend.ts), `kubectl describe pod` and the `d` page read the same objects from the same server
// and must print the same text, line by line and column by column. The simulated cluster stands still near the
// real time; ages are computed at the moment kubectl returns, and a comparison is repeated when an age crossed a
// second boundary in between (at most twice).

const run = promisify(execFile);
let b: Backend;
let source: ClusterSource;
let refs: PodRef[];

beforeAll(async () => {
  b = await startBackend({ speed: 0 });
  await b.synced();
  source = await createClusterSource({ kubeconfig: b.kubeconfigPath, allNamespaces: true });
  refs = [...source.getSnapshot().pods.values()].map((w) => ({
    context: w.context,
    namespace: w.pod.metadata.namespace ?? '',
    name: w.pod.metadata.name,
  }));
}, 60_000);
afterAll(async () => {
  await source.close();
  await b.close();
});

async function compare(ref: PodRef): Promise<{ ours: string[]; theirs: string[] }> {
  const [pod, events] = await Promise.all([source.getPod(ref), source.listEvents(ref)]);
  const { stdout } = await run('kubectl', [
    '--kubeconfig',
    b.kubeconfigPath,
    'describe',
    'pod',
    '-n',
    ref.namespace,
    ref.name,
  ]);
  const ours = describeText(pod, events, Date.now());
  return { ours: ours.split('\n'), theirs: stdout.split('\n') };
}

describe('describe like kubectl', () => {
  it('covers the demo: every cause, init containers, probes, env refs, volumes', () => {
    expect(refs.length).toBeGreaterThanOrEqual(12);
  });

  it('prints what `kubectl describe pod` prints for every pod of the demo', async () => {
    let compared = 0;
    for (const ref of refs) {
      let result = await compare(ref);
      for (let attempt = 0; attempt < 2 && result.ours.join('\n') !== result.theirs.join('\n'); attempt++) {
        result = await compare(ref);
      }
      expect(result.ours, `${ref.namespace}/${ref.name}`).toEqual(result.theirs);
      compared++;
    }
    expect(compared).toBe(refs.length);
  }, 240_000);
});
