import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { SimCluster } from '../../src/sim/cluster.js';
import {
  demoScenario,
  ManualClock,
  type RunningSim,
  ScaledClock,
  type Scenario,
  startSim,
} from '../../src/sim/index.js';
import { Api } from '../real/api.js';
import { FakeKubelet } from '../real/fake-kubelet.js';
import { kubeconfigYaml, REAL_CONTEXT } from '../real/kubeconfig.js';
import { type KubeletStreaming, Mirror } from '../real/mirror.js';
import { LIMITED_USER, type TestenvInfo, TOKENS } from '../real/testenv.js';

// One suite, two backends. The same test talks to either the simulator (`npm test`) or a real kube-apiserver
// (`npm run test:real`, which sets CRASHTOP_BACKEND=real and starts the server once for all files). On the real
// server the simulated kubelet still decides what happens to each pod, and the Mirror writes it there as a kubelet
// would; every read goes through the real server (its printers, selectors, RBAC, watch cache, log proxy).

declare module 'vitest' {
  export interface ProvidedContext {
    testenv: TestenvInfo;
  }
}

export type BackendKind = 'sim' | 'real';
export const BACKEND: BackendKind = process.env.CRASHTOP_BACKEND === 'real' ? 'real' : 'sim';

export interface BackendOptions {
  scenario?: Scenario;
  pods?: number;
  crashing?: number;
  /** Simulated seconds per real second; 0 holds the simulated cluster still (a manual clock at the real now). */
  speed?: number;
  /** The real server to use instead of the one shared by all files (fault tests stop theirs). */
  testenv?: TestenvInfo;
  /**
   * Real server: the prefix of this backend's namespaces and nodes (default: random, so files never meet). Two
   * backends on two servers can share one, so that both clusters have the same namespace names.
   */
  prefix?: string;
  /** Real server: how its nodes' kubelet takes exec streams (default: a v1.36 kubelet's WebSocket). */
  streaming?: KubeletStreaming;
}

export interface Backend {
  kind: BackendKind;
  kubeconfigPath: string;
  context: string;
  cluster: SimCluster;
  /** The namespace a scenario namespace has on this backend (the real server's are prefixed per test file). */
  ns(name: string): string;
  /** Resolves when the server shows everything the simulated kubelet has done so far. */
  synced(): Promise<void>;
  /**
   * A kubeconfig whose user may read pods, logs and events only in these (scenario) namespaces; `without` takes
   * resources out of that role (`pods/log`: a Role that grants pods but not their logs).
   */
  limitedKubeconfig(namespaces: readonly string[], without?: readonly string[]): Promise<string>;
  /**
   * `kubectl delete namespace` of a scenario namespace: it turns Terminating and the namespace controller deletes
   * its content (pods, RoleBindings). The real server runs no controllers: this plays that step on it.
   */
  deleteNamespace(name: string): Promise<void>;
  /** The namespace controller's last step: the emptied namespace's finalizer removed, the namespace gone. */
  finalizeNamespace(name: string): Promise<void>;
  /** The real server's admin client (undefined on the simulator). */
  api?: Api;
  kubelet?: FakeKubelet;
  close(): Promise<void>;
}

export async function startBackend(options: BackendOptions = {}): Promise<Backend> {
  return BACKEND === 'real' ? startReal(options) : startSimBackend(options);
}

async function startSimBackend(options: BackendOptions): Promise<Backend> {
  const sim: RunningSim = await startSim({
    scenario: options.scenario,
    pods: options.pods,
    crashing: options.crashing,
    ...(options.speed === 0 ? { clock: new ManualClock(Date.now()) } : { speed: options.speed }),
  });
  return {
    kind: 'sim',
    kubeconfigPath: sim.kubeconfigPath,
    context: sim.context,
    cluster: sim.cluster,
    ns: (name) => name,
    synced: async () => sim.cluster.advance(),
    limitedKubeconfig: async (namespaces, without) => {
      sim.cluster.restrictTo(namespaces);
      sim.cluster.deny(without);
      return sim.kubeconfigPath;
    },
    deleteNamespace: async (name) => sim.cluster.deleteNamespace(name),
    finalizeNamespace: async (name) => sim.cluster.finalizeNamespace(name),
    close: () => sim.close(),
  };
}

async function startReal(options: BackendOptions): Promise<Backend> {
  const env = options.testenv ?? inject('testenv');
  const scenario =
    options.scenario ??
    (options.pods !== undefined
      ? (await import('../../src/sim/index.js')).generateScenario({
          pods: options.pods,
          crashing: options.crashing ?? 0,
        })
      : await demoScenario());
  const clock = options.speed === 0 ? new ManualClock(Date.now()) : new ScaledClock(options.speed ?? 1);
  const cluster = new SimCluster({ scenario, clock });
  const api = new Api(env.url, env.caFile, TOKENS.admin);
  const prefix = options.prefix ?? realPrefix();
  let mirror: Mirror | undefined;
  const kubelet = new FakeKubelet(cluster, (ns) => mirror?.simNs(ns));
  const kubeletPort = await kubelet.up();
  mirror = new Mirror(cluster, api, prefix, kubeletPort, options.streaming);
  await mirror.start();
  const ticker = setInterval(() => cluster.advance(), 100);
  ticker.unref();
  const dir = await mkdtemp(join(tmpdir(), 'crashtop-real-'));
  const m = mirror;
  const writeConfig = async (file: string, token: string): Promise<string> => {
    const path = join(dir, file);
    const namespace = m.ns(scenario.namespaces[0]?.name ?? 'default');
    await writeFile(path, kubeconfigYaml(env, token, namespace), { mode: 0o600 });
    return path;
  };
  const kubeconfigPath = await writeConfig('kubeconfig', TOKENS.admin);
  return {
    kind: 'real',
    kubeconfigPath,
    context: REAL_CONTEXT,
    cluster,
    api,
    kubelet,
    ns: (name) => m.ns(name),
    synced: () => m.synced(),
    limitedKubeconfig: async (namespaces, without = []) => {
      for (const ns of namespaces) await grantReader(api, m.ns(ns), without);
      return writeConfig('limited.kubeconfig', TOKENS.limited);
    },
    async deleteNamespace(name) {
      await api.call('DELETE', `/api/v1/namespaces/${m.ns(name)}`);
      await api.call('DELETE', `/apis/rbac.authorization.k8s.io/v1/namespaces/${m.ns(name)}/rolebindings`);
      // The simulated kubelet's pods go, and the mirror deletes them on the server.
      cluster.deleteNamespace(name);
      await m.synced();
    },
    async finalizeNamespace(name) {
      cluster.finalizeNamespace(name);
      const path = `/api/v1/namespaces/${m.ns(name)}`;
      const namespace = await api.call<{ spec: { finalizers: string[] } }>('GET', path);
      namespace.spec.finalizers = [];
      await api.call('PUT', `${path}/finalize`, namespace);
    },
    async close() {
      clearInterval(ticker);
      m.stop();
      await kubelet.down();
      // Leave nothing for the next file: pods (grace 0, as the kubelet would confirm) and events of our namespaces.
      for (const ns of [...new Set(cluster.namespaces.list().map((n) => n.name))]) {
        await api.tryCall('DELETE', `/api/v1/namespaces/${m.ns(ns)}/pods?gracePeriodSeconds=0`);
        await api.tryCall('DELETE', `/api/v1/namespaces/${m.ns(ns)}/events`);
      }
      api.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A namespace prefix for the real server: short, lower-case, unlikely to meet another file's. */
export function realPrefix(): string {
  return `t${randomBytes(2).toString('hex')}-`;
}

/** What DESIGN.md §7 says crashtop needs: pods list/watch/get, pods/log, events list/watch, in one namespace. */
async function grantReader(api: Api, namespace: string, without: readonly string[]): Promise<void> {
  const rules = [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    { apiGroups: [''], resources: ['events'], verbs: ['get', 'list', 'watch'] },
  ];
  await api.tryCall('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles`, {
    metadata: { name: 'crashtop-reader' },
    rules: rules.filter((rule) => !without.includes(rule.resources[0]!)),
  });
  await api.tryCall('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
    metadata: { name: 'crashtop-reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'crashtop-reader' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: LIMITED_USER }],
  });
}
