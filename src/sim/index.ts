import { randomBytes } from 'node:crypto';
import { type ProbeFlap, readinessChurn } from './churn.js';
import { ScaledClock, type SimClock } from './clock.js';
import { SimCluster } from './cluster.js';
import { demoScenario } from './demo.js';
import { generateScenario } from './generator.js';
import { type DoneRequest, type SeenRequest, SimServer } from './http/server.js';
import { SIM_CONTEXT, writeKubeconfig } from './kubeconfig.js';
import type { Scenario } from './scenario.js';
import { selfSignedCertificate } from './tls-cert.js';

// The simulated cluster in-process: the kubelet emulator, the API server on 127.0.0.1 and a kubeconfig for both.
// Clients reach it only over HTTP through that kubeconfig, exactly like a real cluster.

export type { ProbeFlap } from './churn.js';
export type { SimClock } from './clock.js';
export { ManualClock, ScaledClock } from './clock.js';
export type { SimCluster } from './cluster.js';
export { demoScenario } from './demo.js';
export { generateScenario } from './generator.js';
export type { DoneRequest, SeenRequest } from './http/server.js';
export type { Scenario } from './scenario.js';
export { loadScenario } from './scenario-loader.js';
export { ScenarioError } from './yaml-reader.js';

export interface SimOptions {
  port?: number;
  scenario?: Scenario;
  /** Without a scenario: generate this many pods (the scale generator); without either, the demo scenario. */
  pods?: number;
  crashing?: number;
  /** Simulated seconds per real second. */
  speed?: number;
  clock?: SimClock /* injectable for tests */;
  token?: string;
  kubeconfigDir?: string;
  /** Changes kept per resource kind for watch resumption (default 20,000). */
  historyLimit?: number;
  /** Real milliseconds between BOOKMARK events on watches that allow them (default a minute, as a real apiserver). */
  bookmarkIntervalMs?: number;
  /** HTTPS with a fresh self-signed certificate (default); kubectl sends the token only over TLS. */
  tls?: boolean;
  /** Readiness flaps per second over pods that run steadily (churn.ts); 0 or absent: none. */
  churn?: number;
  /** With `churn`: called after each flap of the probe pod is published. */
  onProbeFlap?: (flap: ProbeFlap) => void;
  /** Called once per request when its response ends (`crashtop sim --request-log`). */
  onRequestDone?: (done: DoneRequest) => void;
}

export interface RunningSim {
  url: string;
  token: string;
  kubeconfigPath: string;
  context: string;
  cluster: SimCluster;
  close(): Promise<void>;
  /** Closes the listener and all connections; the cluster keeps its state and clock. */
  stopListener(): Promise<void>;
  /** Listens again on the same port. */
  startListener(): Promise<void>;
  /** Open watches receive nothing more while their connections stay open (a silent stall). */
  stallWatches(): void;
  /** Open watches get a 410 ERROR event and end, as when the server's watch cache is re-initialised. */
  expireWatches(): void;
  /** Forgets the change history: every resourceVersion older than now gets 410 Gone. */
  compactHistory(): void;
  /** The number of open watch streams. */
  openWatches(): number;
  /** The most recent requests the server received (at most 1,000), oldest first. */
  requests(): readonly SeenRequest[];
  /** TLS handshakes the server completed so far (one per new connection). */
  tlsHandshakes(): number;
  /** Only this bearer token is accepted from now on (`token` and the kubeconfig's get 401). */
  acceptToken(token: string): void;
}

const TICK_MS = 100;

export async function startSim(options: SimOptions = {}): Promise<RunningSim> {
  const scenario =
    options.scenario ??
    (options.pods !== undefined
      ? generateScenario({ pods: options.pods, crashing: options.crashing ?? 0 })
      : await demoScenario());
  const clock = options.clock ?? new ScaledClock(options.speed ?? 1);
  const cluster = new SimCluster({ scenario, clock, historyLimit: options.historyLimit });
  const token = options.token ?? randomBytes(24).toString('hex');
  const tls = options.tls === false ? undefined : selfSignedCertificate(SIM_CONTEXT);
  const server = new SimServer(cluster, {
    token,
    tls,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
    onRequestDone: options.onRequestDone,
  });
  const port = await server.start(options.port ?? 0);
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const namespace = scenario.namespaces[0]?.name ?? 'default';
  const kubeconfig = await writeKubeconfig(
    { url, token, namespace, caPem: tls?.certPem },
    options.kubeconfigDir,
  );
  const churn = options.churn ? readinessChurn(cluster, options.churn, TICK_MS) : undefined;
  const ticker = setInterval(() => {
    const flap = churn?.tick();
    cluster.advance();
    if (flap) options.onProbeFlap?.({ ...flap, publishedAt: Date.now() });
  }, TICK_MS);
  ticker.unref();
  return {
    url,
    token,
    kubeconfigPath: kubeconfig.path,
    context: SIM_CONTEXT,
    cluster,
    async close() {
      clearInterval(ticker);
      await server.stop();
      await kubeconfig.remove();
    },
    stopListener: () => server.stop(),
    startListener: async () => {
      await server.start(port);
    },
    stallWatches: () => server.watches.stallAll(),
    expireWatches: () => server.watches.expireAll(),
    compactHistory: () => cluster.compactHistory(),
    openWatches: () => server.watches.open.size,
    requests: () => server.seen,
    tlsHandshakes: () => server.handshakes,
    acceptToken: (token) => server.acceptToken(token),
  };
}
