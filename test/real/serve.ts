import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SimCluster } from '../../src/sim/cluster.js';
import { generateScenario, ScaledClock } from '../../src/sim/index.js';
import { Api } from './api.js';
import { FakeKubelet } from './fake-kubelet.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { Mirror } from './mirror.js';
import { Testenv, TOKENS } from './testenv.js';

// A real kube-apiserver seeded with the simulator's generated cluster, for bench/live.js --server real (which
// bundles this file with esbuild: the bench is plain JS). The simulated kubelet runs at real speed and the Mirror
// writes every pod, status and event to the real server as a kubelet would, for as long as this process lives.
//   node serve.mjs --binary KUBE_TESTENV --pods N --crashing M [--concurrency C]
// Prints `seeded: …` with the time the writes took, then `kubeconfig: PATH` (an admin token), as `crashtop sim`
// does. Stops the server and removes its files on SIGTERM/SIGINT, or when its stdin closes (its parent died).

const { values } = parseArgs({
  options: {
    binary: { type: 'string' },
    pods: { type: 'string' },
    crashing: { type: 'string', default: '0' },
    concurrency: { type: 'string', default: '16' },
  },
});
const pods = Number(values.pods);
const crashing = Number(values.crashing);
const concurrency = Number(values.concurrency);
if (!values.binary || !Number.isInteger(pods) || pods < 1 || !(crashing >= 0) || !(concurrency >= 1)) {
  process.stderr.write('usage: serve --binary KUBE_TESTENV --pods N [--crashing M] [--concurrency C]\n');
  process.exit(2);
}

const started = performance.now();
const env = await Testenv.create({ binary: values.binary });
const readyMs = performance.now() - started;
const dir = await mkdtemp(join(tmpdir(), 'crashtop-serve-'));
const api = new Api(env.url, env.caFile, TOKENS.admin);
const cluster = new SimCluster({ scenario: generateScenario({ pods, crashing }), clock: new ScaledClock(1) });
let mirror: Mirror | undefined;
const kubelet = new FakeKubelet(cluster, (ns) => mirror?.simNs(ns));
let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(ticker);
  mirror?.stop();
  await kubelet.down();
  api.close();
  await env.destroy();
  await rm(dir, { recursive: true, force: true });
  process.exit(code);
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void stop(0));
process.stdin.on('end', () => void stop(0)).resume();

const ticker = setInterval(() => cluster.advance(), 100);
try {
  // The Node objects name the kubelet's port. No prefix: namespaces and nodes are named as the simulator's.
  mirror = new Mirror(cluster, api, '', await kubelet.up(), 'websocket', concurrency);
  const seedBegan = performance.now();
  await mirror.start();
  const seedMs = performance.now() - seedBegan;
  const path = join(dir, 'kubeconfig');
  await writeFile(path, kubeconfigYaml(env, TOKENS.admin, 'default'), { mode: 0o600 });
  process.stdout.write(
    `seeded: ${cluster.pods.list().length} pods and ${cluster.events.list().length} events in ${Math.round(seedMs)} ms ` +
      `(server ready in ${Math.round(readyMs)} ms, pid ${env.pid})\nkubeconfig: ${path}\n`,
  );
} catch (error) {
  process.stderr.write(`serve: ${(error as Error).message}\n`);
  await stop(1);
}
