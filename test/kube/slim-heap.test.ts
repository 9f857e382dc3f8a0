import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../../src/model/pod.js';

// What a watch's slim pods cost the garbage collector, counted in a heap snapshot: every object is one more for
// each full GC to mark. slim.ts runs in a worker thread, whose heap holds little else, so that two snapshots, taken
// before and after it slims more replicas, differ by those pods alone.

const full = parse(
  readFileSync(new URL('../fixtures/kube/pod-full.yaml', import.meta.url), 'utf8'),
) as Pod & { status: { containerStatuses: { lastState: unknown }[] } };

/** Replicas of the fixture's workload as a watch reads them (JSON text), with `change` made to each. */
function replicas(from: number, count: number, change: (pod: typeof full) => void = () => {}): string[] {
  return Array.from({ length: count }, (_, i) => {
    const pod = structuredClone(full);
    pod.metadata.name = `payments-api-7d9f8-r${from + i}`;
    pod.metadata.uid = `uid-${from + i}`;
    change(pod);
    return JSON.stringify(pod);
  });
}

/** The worker: slims and keeps the pods of each message it gets, then says so. */
const workerCode = (slim: string) => `${slim}
const { parentPort } = require('node:worker_threads');
const kept = [];
parentPort.on('message', (texts) => {
  for (const text of texts) kept.push(slim.slimPod(JSON.parse(text)));
  parentPort.postMessage(kept.length);
});
parentPort.postMessage(0);`;

interface Census {
  objects: number;
  propertyArrays: number;
  emptyObjects: number;
}

/** Plain objects, arrays, PropertyArrays and empty plain objects in the worker's heap. */
async function census(worker: Worker): Promise<Census> {
  let text = '';
  for await (const chunk of await worker.getHeapSnapshot()) text += chunk;
  const snapshot = JSON.parse(text) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
  const [type, name, edgeCount] = ['type', 'name', 'edge_count'].map((f) => fields.indexOf(f)) as number[];
  const counts: Census = { objects: 0, propertyArrays: 0, emptyObjects: 0 };
  for (let node = 0; node < snapshot.nodes.length; node += fields.length) {
    const edges = snapshot.nodes[node + edgeCount!]!;
    const kind = types[0][snapshot.nodes[node + type!]!];
    const label = snapshot.strings[snapshot.nodes[node + name!]!];
    if (kind === 'object' && (label === 'Object' || label === 'Array')) counts.objects++;
    if (kind === 'hidden' && label === 'system / PropertyArray') counts.propertyArrays++;
    // An object without a key has two edges, its map and __proto__ (numbers, which are no objects, have none).
    if (kind === 'object' && label === 'Object' && edges <= 2) counts.emptyObjects++;
  }
  return counts;
}

describe('slim pods in the heap', () => {
  it('cost a replica 13 objects: no PropertyArray, no empty object of its own, what replicas have in common shared', async () => {
    const bundled = await build({
      entryPoints: [new URL('../../src/kube/slim.ts', import.meta.url).pathname],
      bundle: true,
      format: 'iife',
      globalName: 'slim',
      platform: 'node',
      write: false,
    });
    const worker = new Worker(workerCode(bundled.outputFiles[0]!.text), { eval: true });
    const kept = (texts: string[]) =>
      new Promise<number>((resolve) => {
        worker.once('message', resolve);
        worker.postMessage(texts);
      });
    try {
      await new Promise((resolve) => worker.once('message', resolve));
      // The first pods fill the shared tables and compile slim.ts: the census counts only what more cost.
      // Pods without a previous state: `lastState: {}`, as the kubelet writes it.
      const noLastState = (pod: typeof full) => {
        for (const status of pod.status.containerStatuses) status.lastState = {};
      };
      await kept([...replicas(0, 50), ...replicas(50, 50, noLastState)]);
      const before = await census(worker);
      const count = 500;
      await kept([...replicas(100, count), ...replicas(100 + count, count, noLastState)]);
      const after = await census(worker);
      // Per pod, give or take what the worker itself made or let go of between the two snapshots.
      const perPod = (what: keyof Census) => (after[what] - before[what]) / (2 * count);
      expect(perPod('propertyArrays')).toBeLessThan(0.05);
      expect(perPod('emptyObjects')).toBeLessThan(0.05);
      // The pod, its metadata, spec and status, its volumes (a list and two), its container statuses (a list and
      // one) and their states (four): 13. Its owner references, labels, annotations and conditions are the other
      // replicas'. Built key by key, it was 20.5, with 8.5 PropertyArrays and 1.5 empty objects besides.
      expect(perPod('objects')).toBeLessThan(13.5);
    } finally {
      await worker.terminate();
    }
  }, 30_000);
});
