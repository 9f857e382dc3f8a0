// The live view's cost with 10,000 pods (issue 4, "Cost"): time to first frame, RSS, CPU while idle, bytes
// written per second to a 120×40 terminal, and key → frame latency. Run after `npm run build`:
//   node bench/tui.js [--pods N] [--seconds S]
// The cluster is an in-memory ClusterSource (no HTTP), so this measures the UI alone. A third of the pods
// crash-loop with staggered restarts, so countdowns tick on screen the whole time, as in a bad deploy.
import { PassThrough, Writable } from 'node:stream';
import { numberFlag } from './flags.js';

process.env.NODE_ENV = 'production';
// A 256-colour terminal, as over SSH into tmux: colour codes are part of the bytes.
process.env.FORCE_COLOR ??= '2';

const POD_COUNT = numberFlag('--pods', 10_000);
const IDLE_SECONDS = numberFlag('--seconds', 10);
const COLUMNS = 120;
const ROWS = 40;

const { runTui } = await import('../dist/lib/run-tui.js');

function makePod(i, nowMs) {
  const crashing = i % 3 === 0;
  const name = `svc-${String(i % 97).padStart(2, '0')}-7d9f8c6b5-${i.toString(36).padStart(5, 'x')}`;
  const restartCount = crashing ? 1 + (i % 9) : 0;
  const backoffS = Math.min(10 * 2 ** (restartCount - 1), 300);
  const finishedAt = new Date(nowMs - ((i * 7919) % (backoffS * 1000))).toISOString();
  return {
    metadata: {
      name,
      namespace: `team-${i % 20}`,
      uid: `uid-${i}`,
      creationTimestamp: new Date(nowMs - 3_600_000 - i * 1000).toISOString(),
      labels: { app: `svc-${i % 97}`, 'pod-template-hash': '7d9f8c6b5' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `svc-${String(i % 97).padStart(2, '0')}-7d9f8c6b5`,
          controller: true,
        },
      ],
    },
    spec: {
      restartPolicy: 'Always',
      containers: [{ name: 'app', image: 'shop/app:1.0', resources: { limits: { memory: '128Mi' } } }],
    },
    status: {
      phase: 'Running',
      containerStatuses: [
        crashing
          ? {
              name: 'app',
              ready: false,
              restartCount,
              state: {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: `back-off ${backoffS}s restarting failed container=app pod=${name}`,
                },
              },
              lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt } },
            }
          : {
              name: 'app',
              ready: true,
              restartCount: 0,
              state: { running: { startedAt: new Date(nowMs - 3_000_000).toISOString() } },
            },
      ],
    },
  };
}

function memorySource(count) {
  const nowMs = Date.now();
  const listeners = new Set();
  let snapshot = {
    version: 1,
    pods: new Map(
      Array.from({ length: count }, (_, i) => {
        const pod = makePod(i, nowMs);
        return [`bench/${pod.metadata.namespace}/${pod.metadata.name}`, { context: 'bench', pod }];
      }),
    ),
    watches: [{ context: 'bench', namespaces: [], state: 'live', since: nowMs }],
    clockOffsetMs: new Map([['bench', 0]]),
    events: new Map(),
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    /** A burst of watch events: `n` pods change (one restart each), one notification, like the watcher's coalescing. */
    churn(n) {
      const pods = new Map(snapshot.pods);
      const keys = [...pods.keys()];
      for (let k = 0; k < n; k++) {
        const key = keys[Math.floor(Math.random() * keys.length)];
        const { context, pod } = pods.get(key);
        const status = pod.status.containerStatuses[0];
        pods.set(key, {
          context,
          pod: {
            ...pod,
            status: {
              ...pod.status,
              containerStatuses: [{ ...status, restartCount: status.restartCount + 1 }],
            },
          },
        });
      }
      snapshot = { ...snapshot, pods, version: snapshot.version + 1 };
      for (const listener of listeners) listener();
    },
    readLogs: async () => [],
    followLogs: () => ({ stop() {} }),
    getPod: async () => {
      throw new Error('not in the benchmark');
    },
    listEvents: async () => [],
    close: async () => {},
  };
}

let bytes = 0;
let lastWriteAt = 0;
let firstFrameAt = 0;
const stdout = Object.assign(
  new Writable({
    write(chunk, _encoding, done) {
      bytes += chunk.length;
      lastWriteAt = performance.now();
      if (!firstFrameAt && chunk.toString().includes('NEXT RESTART')) firstFrameAt = lastWriteAt;
      done();
    },
  }),
  { isTTY: true, columns: COLUMNS, rows: ROWS },
);
const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode() {}, ref() {}, unref() {} });

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const source = memorySource(POD_COUNT);
const start = performance.now();
const exit = runTui(
  source,
  { ascii: false, color: true, demo: false, multiContext: false, stdin, stdout },
  { handleProcessEvents: false, patchConsole: false },
);

while (!firstFrameAt) await sleep(5);
const timeToFirstFrame = firstFrameAt - start;
await sleep(2000);

// Idle: only the shared clock ticks.
const idleBytes0 = bytes;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await sleep(IDLE_SECONDS * 1000);
const idleSeconds = (performance.now() - t0) / 1000;
const cpuIdle = process.cpuUsage(cpu0);
const idleBytesPerSecond = (bytes - idleBytes0) / idleSeconds;
const idleCpuMsPerSecond = (cpuIdle.user + cpuIdle.system) / 1000 / idleSeconds;
const rss = process.memoryUsage().rss;

// Keys: time from a key to the frame that answers it (every key here changes the screen).
const KEYS = ['j', 'j', 'j', 'j', 'G', 'k', 'k', 'k', 'k', 'g'];
const latencies = [];
for (let k = 0; k < 30; k++) {
  const before = lastWriteAt;
  const pressed = performance.now();
  stdin.write(KEYS[k % KEYS.length]);
  while (lastWriteAt === before) await sleep(1);
  latencies.push(lastWriteAt - pressed);
  await sleep(60);
}

// Bursts: 200 pods change every 100 ms (coalesced watch events) for 5 s.
const churnBytes0 = bytes;
const cpu1 = process.cpuUsage();
const t1 = performance.now();
for (let k = 0; k < 50; k++) {
  source.churn(200);
  await sleep(100);
}
const churnSeconds = (performance.now() - t1) / 1000;
const cpuChurn = process.cpuUsage(cpu1);

stdin.write('q');
const code = await exit;

const result = {
  pods: POD_COUNT,
  terminal: `${COLUMNS}x${ROWS}`,
  timeToFirstFrameMs: Math.round(timeToFirstFrame),
  rssMB: Math.round(rss / 1024 / 1024),
  idle: {
    cpuMsPerSecond: Number(idleCpuMsPerSecond.toFixed(1)),
    bytesPerSecond: Math.round(idleBytesPerSecond),
  },
  keyToFrameMs: {
    median: Number(median(latencies).toFixed(1)),
    max: Number(Math.max(...latencies).toFixed(1)),
  },
  churn200Every100ms: {
    cpuMsPerSecond: Number(((cpuChurn.user + cpuChurn.system) / 1000 / churnSeconds).toFixed(1)),
    bytesPerSecond: Math.round((bytes - churnBytes0) / churnSeconds),
  },
  exitCode: code,
};
process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
