import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startClusterSource } from '../../src/kube/cluster-source.js';
import { KubeError } from '../../src/kube/errors.js';
import { KubeClient } from '../../src/kube/http.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import type { ClusterSource } from '../../src/kube/source.js';
import {
  type FakeApiServer,
  fakePod,
  fastSourceOptions as fast,
  startFakeApiServer,
} from './fake-apiserver.js';

// Lists asked for gzipped, as kubectl asks (the apiserver compresses an answer over 128 KiB ≈ 14×), against a
// server that gzips them soundly or breaks them on the way: a broken body is one clear error, never a hang nor a
// JSON parse error, and the watch recovers once the answers are sound again. What the simulator and a real
// kube-apiserver send is in compressed-lists.both.test.ts.

let server: FakeApiServer;
let source: ClusterSource | undefined;

beforeEach(async () => {
  server = await startFakeApiServer();
});

afterEach(async () => {
  await source?.close();
  source = undefined;
  await server.close();
});

const settle = { timeout: 5000, interval: 10 };

async function client(): Promise<KubeClient> {
  const [context] = await resolveContexts({ kubeconfig: server.kubeconfigPath });
  return new KubeClient(context!);
}

function listPods(kube: KubeClient) {
  return kube.getJson<{ items: { metadata: { name: string } }[] }>(
    '/api/v1/namespaces/shop/pods',
    { limit: 500 },
    { verb: 'list', resource: 'pods', namespace: 'shop' },
    { timeoutMs: 2000 },
  );
}

/** The Accept-Encoding of every request sent meanwhile, by path (Node announces each request as it goes out). */
function acceptEncodings(into: Map<string, string>): () => void {
  const onRequest = (message: unknown) => {
    const request = (message as { request: ClientRequest }).request;
    into.set(request.path, String(request.getHeader('accept-encoding')));
  };
  subscribe('http.client.request.start', onRequest);
  return () => unsubscribe('http.client.request.start', onRequest);
}

describe('a list the server sends gzipped', () => {
  it('asks for gzip on lists and not on watches, and reads the gzipped list as the list it was', async () => {
    for (const name of ['a', 'b', 'c']) server.put('pods', fakePod('shop', name));
    server.gzip = 'sound';
    const asked = new Map<string, string>();
    const stopListening = acceptEncodings(asked);
    try {
      const started = await startClusterSource({ kubeconfig: server.kubeconfigPath }, fast);
      source = started.source;
      await started.listed;
      await vi.waitFor(() => expect(server.openWatches()).toBe(2), settle);
    } finally {
      stopListening();
    }
    expect([...source.getSnapshot().pods.keys()].sort()).toEqual([
      'fake/shop/a',
      'fake/shop/b',
      'fake/shop/c',
    ]);
    const lists = [...asked].filter(([path]) => /\/pods\?/.test(path) && !path.includes('watch=true'));
    const watches = [...asked].filter(([path]) => path.includes('watch=true'));
    expect(lists.length).toBeGreaterThan(0);
    expect(watches.length).toBe(2);
    for (const [, encoding] of lists) expect(encoding).toBe('gzip');
    for (const [, encoding] of watches) expect(encoding).toBe('undefined');
  });

  it.each([
    { how: 'corrupt', zlib: /incorrect data check|invalid/ },
    { how: 'truncated', zlib: /unexpected end of file/ },
  ] as const)('fails a $how gzip body with one clear error', async ({ how, zlib }) => {
    server.put('pods', fakePod('shop', 'a'));
    server.gzip = how;
    const error = await listPods(await client()).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(KubeError);
    const { message } = error as KubeError;
    expect(message).toMatch(
      /^the answer from http:\/\/127\.0\.0\.1:\d+ \(context fake\) to list pods could not be decoded \(gzip: .*\): a proxy on the way may have cut or altered it$/,
    );
    expect(message).toMatch(zlib);
  });

  it('times a gzipped body that stops half-way out as it times out a plain one', async () => {
    server.put('pods', fakePod('shop', 'a'));
    server.gzip = 'sound';
    // The head is sent (and flushed through gzip), the items never.
    server.pageItems = new Promise(() => {});
    const kube = await client();
    await expect(
      kube.getJson(
        '/api/v1/namespaces/shop/pods',
        { limit: 500 },
        { verb: 'list', resource: 'pods', namespace: 'shop' },
        { timeoutMs: 300 },
      ),
    ).rejects.toThrow(/^no answer from http:\/\/127\.0\.0\.1:\d+ \(context fake\) within 0\.3s/);
  });

  it('fails a body in an encoding it did not ask for with one clear error', async () => {
    server.put('pods', fakePod('shop', 'a'));
    server.gzip = 'deflate';
    await expect(listPods(await client())).rejects.toThrow(
      /to list pods could not be decoded \(Content-Encoding deflate, which was not asked for\)/,
    );
  });

  it('ends the first list of a broken body with that error (the CLI prints it and exits)', async () => {
    server.put('pods', fakePod('shop', 'a'));
    server.gzip = 'truncated';
    const started = await startClusterSource({ kubeconfig: server.kubeconfigPath }, fast);
    source = started.source;
    await expect(started.listed).rejects.toThrow(
      /to list pods could not be decoded \(gzip: unexpected end of file\)/,
    );
  });

  it('shows a broken relist on the watch, and lists again once the bodies are sound', async () => {
    server.put('pods', fakePod('shop', 'a'));
    server.gzip = 'sound';
    const started = await startClusterSource({ kubeconfig: server.kubeconfigPath }, fast);
    source = started.source;
    const live = source;
    await started.listed;
    // The next re-watch (timeoutSeconds 1) is refused with 410: a relist, which arrives broken.
    server.gzip = 'corrupt';
    server.put('pods', fakePod('shop', 'b'));
    server.compact('http');
    await vi.waitFor(() => {
      const pods = live.getSnapshot().watches.find((watch) => watch.resource === 'pods');
      expect(pods?.state).toBe('reconnecting');
      expect(pods?.message).toMatch(/to list pods could not be decoded \(gzip: /);
    }, settle);
    server.gzip = 'sound';
    await vi.waitFor(() => {
      expect([...live.getSnapshot().pods.keys()].sort()).toEqual(['fake/shop/a', 'fake/shop/b']);
      expect(live.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true);
    }, settle);
  });
});
