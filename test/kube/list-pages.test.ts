import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/kube/http.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import { defaultWatchTimings } from '../../src/kube/list-watch.js';
import { watchPods } from '../../src/kube/pod-watcher.js';
import type { WatchedPod } from '../../src/kube/source.js';
import { WatchHealth } from '../../src/kube/watch-health.js';
import { type FakeApiServer, fakePod, startFakeApiServer } from './fake-apiserver.js';

// A long LIST's pages against a real HTTP server: each next page is asked for before the one in hand is slimmed
// and shown, so that the server's work and the round trip overlap the view's (20 pages at 10,000 pods).

let server: FakeApiServer;

beforeEach(async () => {
  server = await startFakeApiServer();
});

afterEach(async () => {
  await server.close();
});

describe('a paged list', () => {
  it('asks for the next page before it shows the one it has', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) server.put('pods', fakePod('shop', name));
    server.maxPage = 2;
    const [context] = await resolveContexts({ kubeconfig: server.kubeconfigPath });
    const client = new KubeClient(context!);
    const order: string[] = [];
    // Node announces each request on this channel as it goes out.
    const onRequest = (message: unknown) => {
      const path = (message as { request: ClientRequest }).request.path;
      const next = new URL(path, 'http://x').searchParams.get('continue');
      if (next !== null && !path.includes('watch=true')) order.push(`ask from ${next}`);
    };
    subscribe('http.client.request.start', onRequest);
    const pods = new Map<string, WatchedPod>();
    const now = Date.now;
    const watch = watchPods({
      client,
      pods,
      health: new WatchHealth(
        { context: context!.name, namespaces: [], resource: 'pods' },
        defaultWatchTimings.stale,
        now,
        () => {},
      ),
      timings: defaultWatchTimings,
      now,
      onChange: (key) => {
        if (key === undefined) order.push(`show ${pods.size}`);
      },
    });
    try {
      expect(await watch.firstList).toBeUndefined();
      // The last `show 5` is the whole list replacing what the pages showed.
      expect(order).toEqual(['ask from 2', 'show 2', 'ask from 4', 'show 4', 'show 5', 'show 5']);
    } finally {
      unsubscribe('http.client.request.start', onRequest);
      await watch.stop();
    }
  });
});
