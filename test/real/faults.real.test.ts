import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import type { ClusterSource, WatchStatus } from '../../src/kube/source.js';
import type { Pod } from '../../src/model/pod.js';
import { parseScenario } from '../../src/sim/scenario-loader.js';
import { type Backend, startBackend } from '../helpers/backend.js';
import { runCli } from '../helpers/run-cli.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { Api } from './api.js';
import { compactEtcd } from './etcd.js';
import { Testenv } from './testenv.js';

// Faults against a real kube-apiserver of this file's own (it is stopped, compacted and cut off), each with its
// recovery time measured and printed. The watchers run with their production timings: what is measured here is
// what a user gets.

const SCENARIO = `
name: faults
namespaces:
  - name: app
    workloads:
      - name: web
        kind: Deployment
        replicas: 6
        containers:
          - { name: web, image: example/web:1, behavior: { run: {} } }
      - name: looper
        kind: Pod
        containers:
          - name: app
            image: example/looper:1
            behavior: { crash: { after: 5s, exitCode: 1 } }
            logs: ["starting looper"]
            exitLogs: ["panic: nil map"]
      - name: db
        kind: StatefulSet
        replicas: 2
        containers:
          - name: db
            image: example/db:1
            behavior: { crash: { after: 20s, exitCode: 1 } }
            exitLogs: ["FATAL: could not open file"]
`;

let env: Testenv;
let b: Backend;
let proxy: TcpProxy;
/** The kubeconfig through the TCP proxy, which a test can cut without either end noticing. */
let proxied: string;
const measured: string[] = [];

function measure(what: string, ms: number): void {
  const line = `fault ${what}: ${(ms / 1000).toFixed(1)} s`;
  measured.push(line);
  console.log(line);
}

beforeAll(async () => {
  env = await Testenv.create();
  b = await startBackend({ scenario: parseScenario('faults.yaml', SCENARIO), testenv: env.info() });
  proxy = await startTcpProxy({ port: env.port });
  const config = parse(await readFile(b.kubeconfigPath, 'utf8')) as {
    clusters: { cluster: { server: string } }[];
  };
  config.clusters[0]!.cluster.server = `https://127.0.0.1:${proxy.port}`;
  proxied = `${b.kubeconfigPath}.proxied`;
  await writeFile(proxied, stringify(config), { mode: 0o600 });
}, 300_000);

afterAll(async () => {
  await proxy?.close();
  await b?.close().catch(() => undefined);
  await env?.destroy();
  console.log(measured.join('\n'));
});

/** The server's pods in our namespaces, read with the harness's own client: `namespace/name@uid restarts`. */
async function truth(): Promise<string[]> {
  const list = await b.api!.call<{ items: Pod[] }>('GET', '/api/v1/pods');
  return list.items
    .filter((pod) => pod.metadata.namespace?.startsWith(b.ns('')))
    .map((pod) => podLine(pod))
    .sort();
}

/** A healthy web pod of the simulated cluster that no test has deleted yet (the crash-looping ones stay). */
function webPod(): string {
  const pod = b.cluster.pods.list().find((o) => o.name.startsWith('web-') && !deleted.has(o.name));
  deleted.add(pod!.name);
  return pod!.name;
}
const deleted = new Set<string>();

function podLine(pod: Pod): string {
  const restarts = (pod.status?.containerStatuses ?? []).map((c) => c.restartCount).join(',');
  return `${pod.metadata.namespace}/${pod.metadata.name}@${pod.metadata.uid} ${restarts}`;
}

function seen(source: ClusterSource): string[] {
  return [...source.getSnapshot().pods.values()]
    .filter((w) => w.pod.metadata.namespace?.startsWith(b.ns('')))
    .map((w) => podLine(w.pod))
    .sort();
}

function states(source: ClusterSource): WatchStatus['state'][] {
  return source.getSnapshot().watches.map((w) => w.state);
}

async function converged(source: ClusterSource, timeout: number): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(states(source).every((s) => s === 'live')).toBe(true);
      expect(seen(source)).toEqual(await truth());
    },
    { timeout, interval: 100 },
  );
}

async function withSource(kubeconfig: string, run: (source: ClusterSource) => Promise<void>): Promise<void> {
  const source = await createClusterSource({ kubeconfig, allNamespaces: true });
  try {
    await converged(source, 30_000);
    await run(source);
  } finally {
    await source.close();
  }
}

describe('faults against a real kube-apiserver', () => {
  it('(a) SIGTERM and restart on the same data dir mid-watch: reconnecting shown, then every change seen', async () => {
    await withSource(b.kubeconfigPath, async (source) => {
      await env.stop();
      await vi.waitFor(() => expect(states(source)).toContain('reconnecting'), { timeout: 20_000 });
      // Changes the kubelet makes while the server is down reach it once it is back (the mirror retries).
      const gone = webPod();
      b.cluster.deletePod('app', gone);
      const readyMs = await env.start();
      const ready = Date.now();
      await b.synced();
      await converged(source, 60_000);
      measure('(a) restart: ready after', readyMs);
      measure('(a) restart: view complete and live after readiness', Date.now() - ready);
      expect(seen(source).some((line) => line.includes(`/${gone}@`))).toBe(false);
    });
  });

  it('(b) etcd compaction and a too-old resourceVersion: relist, nothing lost or doubled', async () => {
    await withSource(proxied, async (source) => {
      const eventsBefore = source.getSnapshot().events.size;
      await compactEtcd(env.etcdUrl);
      // Cut every connection: the watches come back with resourceVersions the server has compacted away.
      const cut = Date.now();
      proxy.resetOpen();
      b.cluster.deletePod('app', webPod());
      await b.synced();
      await converged(source, 60_000);
      measure('(b) compaction + cut connections: view complete after', Date.now() - cut);
      const keys = [...source.getSnapshot().pods.keys()];
      expect(new Set(keys).size).toBe(keys.length);
      for (const [key, events] of source.getSnapshot().events) {
        const ids = events.map(
          (e) => `${e.reason}|${e.message}|${(e as { metadata?: { name?: string } }).metadata?.name}`,
        );
        expect(new Set(ids).size, key).toBe(ids.length);
      }
      expect(source.getSnapshot().events.size).toBeGreaterThanOrEqual(Math.min(eventsBefore, 1));
    });
  });

  it('(c) a proxy that stops forwarding without closing: detected and recovered, pods and events alike', async () => {
    await withSource(proxied, async (source) => {
      const stalled = Date.now();
      proxy.stall();
      b.cluster.deletePod('app', webPod());
      await b.synced();
      await vi.waitFor(() => expect(states(source).some((s) => s !== 'live')).toBe(true), {
        timeout: 120_000,
        interval: 200,
      });
      measure('(c) stalled connection: detected after', Date.now() - stalled);
      await converged(source, 60_000);
      measure('(c) stalled connection: view complete after', Date.now() - stalled);
    });
  }, 240_000);

  it('(d) a pod deleted and recreated with the same name: one row, the new pod', async () => {
    await withSource(b.kubeconfigPath, async (source) => {
      const before = seen(source).find((line) => line.includes('/looper@'))!;
      const workload = b.cluster.scenario.namespaces[0]!.workloads.find((w) => w.name === 'looper')!;
      b.cluster.deletePod('app', 'looper');
      b.cluster.addWorkload('app', workload);
      await b.synced();
      await converged(source, 30_000);
      const rows = seen(source).filter((line) => line.includes('/looper@'));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.split(' ')[0]).not.toBe(before.split(' ')[0]);
    });
  });

  it('(e) a user limited to one namespace: -A falls back in the live view and in explain; logs and events work', async () => {
    const limited = await b.limitedKubeconfig(['app']);
    const source = await createClusterSource({ kubeconfig: limited, allNamespaces: true });
    try {
      await vi.waitFor(
        () => {
          const snapshot = source.getSnapshot();
          expect(snapshot.notes?.some((note) => note.includes('may not list pods in all namespaces'))).toBe(
            true,
          );
          expect(snapshot.pods.size).toBeGreaterThan(0);
          expect(snapshot.events.size).toBeGreaterThan(0);
        },
        { timeout: 30_000 },
      );
      const looping = [...source.getSnapshot().pods.values()].find((w) =>
        (w.pod.status?.containerStatuses ?? []).some((c) => c.restartCount > 0),
      )!;
      const lines = await source.readLogs(
        {
          context: looping.context,
          namespace: looping.pod.metadata.namespace!,
          name: looping.pod.metadata.name,
        },
        { container: looping.pod.spec.containers[0]!.name, previous: true, tailLines: 20 },
      );
      expect(lines.length).toBeGreaterThan(0);
    } finally {
      await source.close();
    }
    const report = await runCli(['explain', '--kubeconfig', limited, '-A', '-o', 'json']);
    expect(report.code).toBe(0);
    const pods = (JSON.parse(report.stdout) as { pods: { namespace: string }[] }).pods;
    expect(pods.length).toBeGreaterThan(0);
    expect(pods.every((pod) => pod.namespace === b.ns('app'))).toBe(true);
    expect(report.stderr).toMatch(/all namespaces/);
  });

  it('(f) a bad token at start, and a token revoked mid-session: one clear line, exit 1', async () => {
    const config = parse(await readFile(b.kubeconfigPath, 'utf8')) as {
      users: { user: { token: string } }[];
    };
    config.users[0]!.user.token = 'not-a-token';
    const bad = `${b.kubeconfigPath}.bad`;
    await writeFile(bad, stringify(config), { mode: 0o600 });
    for (const args of [['explain', '-A'], ['-A']]) {
      const result = await runCli([...args, '--kubeconfig', bad]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(/rejected the credentials/);
    }

    // A ServiceAccount token stops working when its ServiceAccount is deleted: a real revocation.
    const ns = b.ns('app');
    await b.api!.call('POST', `/api/v1/namespaces/${ns}/serviceaccounts`, { metadata: { name: 'viewer' } });
    // Not the bootstrap `view` role: its rules are filled in by a controller that does not run here.
    const role = `crashtop-viewer-${randomBytes(3).toString('hex')}`;
    await b.api!.call('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
      metadata: { name: role },
      rules: [
        { apiGroups: [''], resources: ['pods', 'events'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      ],
    });
    await b.api!.call('POST', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`, {
      metadata: { name: role },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
      subjects: [{ kind: 'ServiceAccount', name: 'viewer', namespace: ns }],
    });
    const request = await b.api!.call<{ status: { token: string } }>(
      'POST',
      `/api/v1/namespaces/${ns}/serviceaccounts/viewer/token`,
      { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
    );
    config.users[0]!.user.token = request.status.token;
    const revocable = `${b.kubeconfigPath}.sa`;
    await writeFile(revocable, stringify(config), { mode: 0o600 });
    // The new binding reaches the authorizer's cache a moment later.
    const asViewer = new Api(env.url, env.caFile, request.status.token);
    await vi.waitFor(
      async () => expect((await asViewer.raw('GET', '/api/v1/pods?limit=1')).status).toBe(200),
      {
        timeout: 10_000,
      },
    );
    asViewer.close();
    const source = await createClusterSource({ kubeconfig: revocable, allNamespaces: true });
    try {
      await converged(source, 30_000);
      await b.api!.call('DELETE', `/api/v1/namespaces/${ns}/serviceaccounts/viewer`);
      // The open watches live on (the apiserver authenticates a request once); the next request, at the latest the
      // re-watch when the server ends the stream after its timeoutSeconds, is refused.
      const revoked = Date.now();
      await vi.waitFor(
        () => {
          const messages = source
            .getSnapshot()
            .watches.map((w) => w.message ?? '')
            .join('\n');
          expect(messages).toMatch(/rejected the credentials|401/);
        },
        { timeout: 120_000, interval: 200 },
      );
      measure('(f) revoked token: said after', Date.now() - revoked);
    } finally {
      await source.close();
    }
  }, 180_000);

  it('(g) 2,000 status changes in a burst: every final state right', async () => {
    await withSource(b.kubeconfigPath, async (source) => {
      b.cluster.advance();
      const ns = b.ns('app');
      // The healthy web pods: the simulated kubelet has nothing more to write for them, so the burst is their only
      // writer and their final state is known.
      const names = [...source.getSnapshot().pods.values()]
        .filter((w) => w.pod.metadata.namespace === ns && w.pod.metadata.name.startsWith('web-'))
        .map((w) => w.pod);
      const start = Date.now();
      const perPod = Math.ceil(2000 / names.length);
      let written = 0;
      await Promise.all(
        names.map(async (pod) => {
          for (let i = 1; i <= perPod; i++) {
            const statuses = (pod.status?.containerStatuses ?? []).map((c) => ({
              ...c,
              restartCount: 1000 + i,
            }));
            await b.api!.mergePatch(`/api/v1/namespaces/${ns}/pods/${pod.metadata.name}/status`, {
              status: { containerStatuses: statuses },
            });
            written += 1;
          }
        }),
      );
      const wrote = Date.now() - start;
      await vi.waitFor(
        () => {
          for (const pod of names) {
            const now = [...source.getSnapshot().pods.values()].find(
              (w) => w.pod.metadata.uid === pod.metadata.uid,
            );
            expect(now?.pod.status?.containerStatuses?.[0]?.restartCount).toBe(1000 + perPod);
          }
        },
        { timeout: 60_000, interval: 100 },
      );
      measure(`(g) ${written} status changes: written in`, wrote);
      measure('(g) every final state shown after', Date.now() - start);
      expect(written).toBeGreaterThanOrEqual(2000);
    });
  }, 180_000);

  it('(h) the kubelet unreachable: logs unavailable, the report and the view still complete', async () => {
    await b.kubelet!.down();
    try {
      const report = await runCli(
        ['explain', '--kubeconfig', b.kubeconfigPath, '-A', '-o', 'json'],
        {},
        60_000,
      );
      expect(report.code).toBe(0);
      const pods = (JSON.parse(report.stdout) as { pods: { cause?: { evidence: string[] } }[] }).pods;
      expect(pods.length).toBeGreaterThan(0);
      expect(JSON.stringify(pods)).toMatch(/previous log unavailable/);
      await withSource(b.kubeconfigPath, async (source) => {
        const [pod] = [...source.getSnapshot().pods.values()];
        const read = source.readLogs(
          { context: pod!.context, namespace: pod!.pod.metadata.namespace!, name: pod!.pod.metadata.name },
          { container: pod!.pod.spec.containers[0]!.name, previous: true },
        );
        await expect(read).rejects.toThrow(/connection refused|unavailable|500/);
      });
    } finally {
      await b.kubelet!.up();
    }
  });
});
