import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import { KubeClient } from '../../src/kube/http.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import { BACKEND, type Backend, startBackend } from '../helpers/backend.js';
import { serverPodKeys } from '../helpers/server-pods.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

// crashtop's lists cross the wire gzipped, as kubectl's do, against the simulator and a real kube-apiserver: the
// server compresses a list over 128 KiB for a client that asks, and what crosses the wire (counted by a TCP proxy
// in front of the server; TLS goes through it untouched) is a fraction of the JSON the client then reads. Broken
// gzip bodies, which neither server sends, are in cluster-source.test.ts.

const PODS = 300;

let b: Backend;
let namespace: string;
let temp: string;

beforeAll(async () => {
  b = await startBackend({ pods: PODS, crashing: 10, speed: 1 });
  const [context] = await resolveContexts({ kubeconfig: b.kubeconfigPath });
  namespace = context!.defaultNamespace;
  temp = mkdtempSync(join(tmpdir(), 'crashtop-gzip-'));
}, 300_000);

afterAll(async () => {
  await b.close();
  rmSync(temp, { recursive: true, force: true });
});

/** `run` with a kubeconfig that reaches the server through a new TCP proxy (same host: the certificate fits). */
async function throughProxy(run: (kubeconfig: string, proxy: TcpProxy) => Promise<void>): Promise<void> {
  const [context] = await resolveContexts({ kubeconfig: b.kubeconfigPath });
  const { host, port } = new URL(context!.server);
  const proxy = await startTcpProxy({ port: Number(port) });
  const path = join(temp, `kubeconfig-${proxy.port}`);
  const text = readFileSync(b.kubeconfigPath, 'utf8').replace(host, `127.0.0.1:${proxy.port}`);
  writeFileSync(path, text, { mode: 0o600 });
  try {
    await run(path, proxy);
  } finally {
    await proxy.close();
  }
}

describe(`lists gzipped on the wire, from ${BACKEND === 'real' ? 'a real kube-apiserver' : 'the simulator'}`, () => {
  it('reads a page over 128 KiB that crossed the wire gzipped, whole', async () => {
    await throughProxy(async (kubeconfig, proxy) => {
      const [context] = await resolveContexts({ kubeconfig });
      const page = await new KubeClient(context!).getJson<{
        items: { metadata: { namespace: string; name: string } }[];
      }>(
        `/api/v1/namespaces/${namespace}/pods`,
        { limit: 500 },
        { verb: 'list', resource: 'pods', namespace },
        { timeoutMs: 30_000 },
      );
      const json = Buffer.byteLength(JSON.stringify(page));
      expect(json).toBeGreaterThan(128 * 1024);
      // Level-1 gzip of pod JSON is ≈ 14× smaller; uncompressed, the wire would carry more than the JSON itself.
      expect(proxy.bytesToClients()).toBeLessThan(json / 4);
      const keys = page.items.map((pod) => `${context!.name}/${pod.metadata.namespace}/${pod.metadata.name}`);
      expect(keys.sort()).toEqual(await serverPodKeys(b.kubeconfigPath, namespace));
    });
  });

  it('lists and watches through it: every pod of the server, for a fraction of their JSON', async () => {
    const truth = await serverPodKeys(b.kubeconfigPath, namespace);
    let wire = 0;
    await throughProxy(async (kubeconfig, proxy) => {
      const source = await createClusterSource({ kubeconfig }, { notifyIntervalMs: 5 });
      try {
        expect([...source.getSnapshot().pods.keys()].sort()).toEqual(truth);
        wire = proxy.bytesToClients();
      } finally {
        await source.close();
      }
    });
    const [context] = await resolveContexts({ kubeconfig: b.kubeconfigPath });
    // getText does not ask for gzip: the JSON as the server has it.
    const json = await new KubeClient(context!).getText(
      `/api/v1/namespaces/${namespace}/pods`,
      {},
      { verb: 'list', resource: 'pods', namespace },
      { timeoutMs: 30_000, maxBytes: 64 * 1024 * 1024 },
    );
    expect(wire).toBeLessThan(Buffer.byteLength(json) / 4);
  });
});
