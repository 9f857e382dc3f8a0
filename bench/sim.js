// Benchmark of the simulated cluster (run `npm run build` first, then `node bench/sim.js`). Prints its figures;
// no thresholds. What it measures, against the targets:
//   1. start-up time and memory of the scale scenario (50,000 pods),
//   2. a 10,000-pod LIST over HTTPS, as JSON and as the Table kubectl asks for (target: under 1 s),
//   3. status changes per second delivered to one watcher while the emulated kubelet runs flat out
//      (target: 500 per second sustained).

import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { ManualClock, startSim } from '../dist/lib/sim.js';

const mb = (bytes) => `${Math.round(bytes / 1e6)} MB`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function client(sim) {
  const config = readFileSync(sim.kubeconfigPath, 'utf8');
  const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(config)[1], 'base64');
  const url = new URL(sim.url);
  return (path, accept = 'application/json', onLine) =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          ca,
          headers: { authorization: `Bearer ${sim.token}`, accept },
        },
        (res) => {
          let size = 0;
          let rest = '';
          res.on('data', (chunk) => {
            size += chunk.length;
            if (!onLine) return;
            const lines = (rest + chunk.toString()).split('\n');
            rest = lines.pop();
            for (const line of lines) onLine(line);
          });
          res.on('end', () => resolve(size));
        },
      );
      req.on('error', reject);
      req.end();
      if (onLine) resolve({ request: req });
    });
}

async function startup() {
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const began = performance.now();
  const sim = await startSim({ pods: 50_000, crashing: 5_000 });
  const ms = performance.now() - began;
  global.gc?.();
  const heap = process.memoryUsage().heapUsed - before;
  console.log(
    `start-up, 50,000 pods (5,000 crash-looping): ${Math.round(ms)} ms, heap +${mb(heap)}, rss ${mb(process.memoryUsage().rss)}`,
  );
  await sim.close();
}

async function listing() {
  const sim = await startSim({ pods: 10_000, crashing: 1_000 });
  const get = client(sim);
  for (const [label, accept] of [
    ['JSON PodList', 'application/json'],
    ['Table (kubectl get pods -A)', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'],
  ]) {
    const times = [];
    let bytes = 0;
    for (let i = 0; i < 7; i++) {
      const began = performance.now();
      bytes = await get('/api/v1/pods', accept);
      times.push(performance.now() - began);
    }
    console.log(
      `LIST 10,000 pods as ${label}: median ${Math.round(median(times))} ms (min ${Math.round(Math.min(...times))}), ${mb(bytes)}`,
    );
  }
  await sim.close();
}

async function watchThroughput() {
  const clock = new ManualClock(Date.now());
  const sim = await startSim({ pods: 10_000, crashing: 3_000, clock });
  const get = client(sim);
  let received = 0;
  const rv = sim.cluster.versions.latest;
  await get(`/api/v1/pods?watch=true&resourceVersion=${rv}`, 'application/json', (line) => {
    if (line.startsWith('{"type":"MODIFIED"')) received += 1;
  });
  const seconds = 10;
  const began = performance.now();
  let produced = 0;
  // Each real 20 ms, the simulated clock jumps 2 s and the kubelet emulator publishes what changed.
  while (performance.now() - began < seconds * 1000) {
    const rvBefore = sim.cluster.versions.latest;
    clock.advance(2000);
    sim.cluster.advance();
    produced += sim.cluster.pods.changesSince(rvBefore)?.length ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const produceMs = performance.now() - began;
  while (received < produced && performance.now() - began < (seconds + 30) * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const drainMs = performance.now() - began - produceMs;
  console.log(
    `WATCH: ${produced} pod status changes in ${(produceMs / 1000).toFixed(1)} s = ${Math.round(produced / (produceMs / 1000))}/s produced, ` +
      `${received} delivered to the watcher (${Math.round(received / ((produceMs + drainMs) / 1000))}/s), last one ${Math.round(drainMs)} ms after the run`,
  );
  await sim.close();
}

await startup();
await listing();
await watchThroughput();
