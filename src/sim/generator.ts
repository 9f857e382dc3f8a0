import { DEFAULT_CRASH_LOOP_CURVE } from './backoff.js';
import type {
  Behavior,
  ContainerScenario,
  NamespaceScenario,
  Scenario,
  WorkloadScenario,
} from './scenario.js';

// The scale scenario (`crashtop sim --pods N --crashing M`): N pods in Deployments of realistic shape spread over
// namespaces and nodes, M of them crash-looping with a mix of causes. Deterministic for a given N and M.

export interface GeneratorOptions {
  pods: number;
  crashing: number;
}

const MAX_PODS = 50_000;
const HEALTHY_REPLICAS = 10;
const CRASHING_REPLICAS = 5;
const PODS_PER_NAMESPACE = 2_000;
const PODS_PER_NODE = 100;

interface Failure {
  behavior: Behavior;
  exitLines: string[];
}

const FAILURES: Failure[] = [
  {
    behavior: { kind: 'crash', afterMs: 45_000, exitCode: 137, reason: 'OOMKilled' },
    exitLines: ['INFO loading product catalogue into memory (1843201 items)'],
  },
  {
    behavior: { kind: 'crash', afterMs: 3_000, exitCode: 1, reason: 'Error' },
    exitLines: [
      'Error: connect ECONNREFUSED 10.96.14.7:5432',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)',
    ],
  },
  {
    behavior: { kind: 'crash', afterMs: 2_000, exitCode: 2, reason: 'Error' },
    exitLines: [
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x6d2f3a]',
      'goroutine 1 [running]:',
      'main.(*Server).Start(0x0)',
      '\t/src/cmd/server/main.go:88 +0x3a',
    ],
  },
  {
    behavior: {
      kind: 'liveness-failure',
      probe: 'Liveness',
      afterMs: 20_000,
      probeMessage: 'Get "http://10.244.3.17:8080/healthz": context deadline exceeded',
      exitCode: 137,
    },
    exitLines: [],
  },
  { behavior: { kind: 'missing-config', resource: 'ConfigMap', name: 'feature-flags' }, exitLines: [] },
];

function container(name: string, image: string, behavior: Behavior, exitLines: string[]): ContainerScenario {
  return {
    spec: {
      name,
      image,
      ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }],
      env: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10, failureThreshold: 3 },
      readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5 },
    },
    behavior,
    logs: {
      lines: [
        `{"level":"info","msg":"starting ${name}","version":"1.8.2"}`,
        '{"level":"info","msg":"listening on :8080"}',
      ],
      exitLines,
      repeat: { everyMs: 30_000, line: '{"level":"info","msg":"GET /healthz 200","duration_ms":1}' },
    },
  };
}

/** A well-mixed, deterministic number for `index` (Knuth's multiplicative hash). */
const scatter = (index: number): number => Math.imul(index + 1, 0x9e3779b1) >>> 0;

function workload(index: number, replicas: number, failure: Failure | undefined): WorkloadScenario {
  const name = `${failure ? 'worker' : 'service'}-${String(index).padStart(4, '0')}`;
  const behavior = failure?.behavior ?? { kind: 'run' };
  return {
    name,
    kind: 'Deployment',
    replicas,
    labels: { app: name, 'app.kubernetes.io/part-of': 'scale-test' },
    restartPolicy: 'Always',
    // Ages from minutes to a day (crash loops at most 3 h, whose history the emulator replays at start) so that
    // AGE and RESTARTS vary as in a real cluster, scattered to the second: ages in whole minutes a step apart put
    // every fifth workload (the same failure) 300 s, one back-off cap, from the next, and half the crash loops
    // restarted in the same minute of every five.
    ageMs: 120_000 + (scatter(index) % ((failure ? 180 : 24 * 60) * 60)) * 1000,
    template: {
      initContainers: [],
      containers: [
        container('app', `registry.example.com/scale/${name}:1.8.2`, behavior, failure?.exitLines ?? []),
      ],
    },
  };
}

export function generateScenario(options: GeneratorOptions): Scenario {
  const pods = Math.min(Math.max(0, Math.floor(options.pods)), MAX_PODS);
  const crashing = Math.min(Math.max(0, Math.floor(options.crashing)), pods);
  const workloads: WorkloadScenario[] = [];
  let index = 0;
  for (let left = crashing; left > 0; left -= CRASHING_REPLICAS) {
    workloads.push(workload(index, Math.min(left, CRASHING_REPLICAS), FAILURES[index % FAILURES.length]));
    index += 1;
  }
  for (let left = pods - crashing; left > 0; left -= HEALTHY_REPLICAS) {
    workloads.push(workload(index, Math.min(left, HEALTHY_REPLICAS), undefined));
    index += 1;
  }
  const namespaceCount = Math.max(1, Math.ceil(pods / PODS_PER_NAMESPACE));
  const namespaces: NamespaceScenario[] = Array.from({ length: namespaceCount }, (_, i) => ({
    name: `team-${String(i + 1).padStart(2, '0')}`,
    workloads: [],
  }));
  workloads.forEach((w, i) => {
    namespaces[i % namespaceCount]!.workloads.push(w);
  });
  const nodeCount = Math.max(1, Math.ceil(pods / PODS_PER_NODE));
  return {
    name: `generated-${pods}-${crashing}`,
    nodes: Array.from({ length: nodeCount }, (_, i) => `sim-node-${i + 1}`),
    crashLoop: DEFAULT_CRASH_LOOP_CURVE,
    namespaces,
  };
}
