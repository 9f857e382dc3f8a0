import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listPodEvents } from '../../src/kube/events.js';
import { KubeClient } from '../../src/kube/http.js';
import { type ResolvedContext, resolveContexts } from '../../src/kube/kubeconfig.js';
import { followLogs, readLogs, readPreviousLog } from '../../src/kube/logs.js';
import { getPod, listPods } from '../../src/kube/pods.js';
import type { Pod } from '../../src/model/pod.js';
import { type FakeApiServer, fakePod, startFakeApiServer } from './fake-apiserver.js';

// The bounded one-shot calls of `crashtop explain` and of the detail views.

let server: FakeApiServer;
let context: ResolvedContext;

beforeAll(async () => {
  server = await startFakeApiServer();
  [context] = (await resolveContexts({ kubeconfig: server.kubeconfigPath })) as [ResolvedContext];
  server.put('pods', fakePod('shop', 'web'));
  server.put('pods', fakePod('shop', 'api'));
  server.put('pods', fakePod('ops', 'job'));
  server.put('events', {
    metadata: { name: 'ev1', namespace: 'shop' },
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web', uid: 'uid-shop-web' },
    reason: 'BackOff',
    type: 'Warning',
  });
  server.put('events', {
    metadata: { name: 'ev2', namespace: 'shop' },
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web', uid: 'uid-of-an-older-web' },
    reason: 'Killing',
  });
});

afterAll(async () => {
  await server.close();
});

const names = (pods: Pod[]) => pods.map((pod) => `${pod.metadata.namespace}/${pod.metadata.name}`).sort();

describe('one-shot reads', () => {
  it.each([
    { scope: {}, pods: ['shop/api', 'shop/web'] },
    { scope: { namespaces: ['ops', 'shop'] }, pods: ['ops/job', 'shop/api', 'shop/web'] },
    { scope: { allNamespaces: true }, pods: ['ops/job', 'shop/api', 'shop/web'] },
  ])('lists the pods of $scope', async ({ scope, pods }) => {
    expect(names(await listPods(context, scope))).toEqual(pods);
  });

  it('passes the label selector and pages', async () => {
    await listPods(context, { selector: 'app=web' });
    expect(server.requests.at(-1)).toBe('/api/v1/namespaces/shop/pods?labelSelector=app%3Dweb&limit=500');
  });

  it('reads one pod in full', async () => {
    const pod = await getPod(context, 'shop', 'web');
    expect(pod.metadata).toHaveProperty('managedFields');
  });

  it('lists the events of exactly this pod (by uid), as kubectl describe does', async () => {
    const events = await listPodEvents(context, fakePod('shop', 'web') as unknown as Pod);
    expect(events.map((event) => event.metadata?.name)).toEqual(['ev1']);
  });

  it('reads the previous log, or undefined when the container never restarted', async () => {
    server.setLog('shop', 'web', 'app', true, 'line 1\nline 2\n');
    const pod = fakePod('shop', 'web') as unknown as Pod;
    expect(await readPreviousLog(context, pod, 'app')).toEqual(['line 1', 'line 2']);
    expect(server.requests.at(-1)).toMatch(/previous=true&tailLines=200&limitBytes=65536$/);
    expect(await readPreviousLog(context, pod, 'sidecar')).toBeUndefined();
  });

  it('keeps reading within the byte bound even if the server ignores limitBytes', async () => {
    server.setLog('shop', 'api', 'app', false, `${'x'.repeat(100)}\n`.repeat(100));
    const lines = await readLogs(
      new KubeClient(context),
      { namespace: 'shop', name: 'api' },
      { container: 'app', previous: false },
      { tailLines: 10, limitBytes: 250, timeoutMs: 5000 },
    );
    expect(lines.join('\n').length).toBeLessThanOrEqual(250);
  });

  it('says why a followed log ended', async () => {
    const onEnd = vi.fn();
    followLogs(
      new KubeClient(context),
      { namespace: 'shop', name: 'web' },
      { container: 'nope', previous: false },
      () => {},
      onEnd,
    );
    await vi.waitFor(() =>
      expect(onEnd).toHaveBeenCalledWith({
        kind: 'failed',
        message: 'previous terminated container "nope" in pod "web" not found',
      }),
    );
  });

  it('times out on a server that accepts the connection and never answers', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const client = new KubeClient({ ...context, server: url });
      const error = await client
        .getText('/api/v1/pods', {}, { verb: 'list', resource: 'pods' }, { timeoutMs: 300, maxBytes: 10 })
        .catch((caught: unknown) => caught);
      expect((error as Error).message).toBe(
        `no answer from ${url} (context fake) within 0.3s — is the cluster up? check --context`,
      );
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  // AbortSignal.any costs ≈ 0.15 ms and 4 KB of weakly held garbage a call in Node 20, and the live view reads
  // a previous log about once a second at rest: the client listens to each signal itself.
  it("joins its deadline and the caller's signal without AbortSignal.any", async () => {
    const any = vi.spyOn(AbortSignal, 'any');
    try {
      const caller = new AbortController();
      const lines = await readLogs(
        new KubeClient(context),
        { namespace: 'shop', name: 'web' },
        { container: 'app', previous: true },
      );
      expect(lines.length).toBeGreaterThan(0);
      await new KubeClient(context).getText(
        '/api/v1/namespaces/shop/pods',
        {},
        { verb: 'list', resource: 'pods' },
        { timeoutMs: 2000, maxBytes: 1000, signal: caller.signal },
      );
      expect(any).not.toHaveBeenCalled();
    } finally {
      any.mockRestore();
    }
  });

  it.each([
    [
      'getText',
      (client: KubeClient, signal: AbortSignal) =>
        client.getText(
          '/api/v1/pods',
          {},
          { verb: 'list', resource: 'pods' },
          { timeoutMs: 5000, maxBytes: 10, signal },
        ),
    ],
    [
      'open',
      (client: KubeClient, signal: AbortSignal) =>
        client.open('/api/v1/pods', {}, { verb: 'list', resource: 'pods' }, { timeoutMs: 5000, signal }),
    ],
  ])("%s ends a request in flight when the caller aborts, with the caller's reason", async (_, call) => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const caller = new AbortController();
      const pending = call(new KubeClient({ ...context, server: url }), caller.signal).catch(
        (caught: unknown) => caught,
      );
      setTimeout(() => caller.abort(new Error('stopped by the caller')), 50);
      expect(((await pending) as Error).message).toBe('stopped by the caller');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('names the HTTP status when the server gives no Status object', async () => {
    const error = await new KubeClient(context)
      .getText('/api/v1/nodes', {}, { verb: 'list', resource: 'nodes' }, { timeoutMs: 2000, maxBytes: 1000 })
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      'cannot list nodes in all namespaces on context fake (404 NotFound): the server could not find the requested resource',
    );
  });
});
