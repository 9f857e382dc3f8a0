import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/kube/http.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import { defaultWatchTimings, ListWatch } from '../../src/kube/list-watch.js';
import { watchPods } from '../../src/kube/pod-watcher.js';
import type { WatchedPod } from '../../src/kube/source.js';
import { WatchHealth } from '../../src/kube/watch-health.js';
import { type FakeApiServer, fakePod, startFakeApiServer } from './fake-apiserver.js';

// A long LIST's pages against a real HTTP server: page 2 is asked for as soon as page 1 has shown its continue
// token (its first bytes), so that the server's work and the round trip overlap the view's (2 pages at 1,000 pods,
// 20 at 10,000), and each page's items are shown as they arrive.

let server: FakeApiServer;

beforeEach(async () => {
  server = await startFakeApiServer();
});

afterEach(async () => {
  await server.close();
});

/** The pods' watch on the fake server; `onList` hears each list page or whole list shown. */
async function watchAll(pods: Map<string, WatchedPod>, onList: () => void) {
  const [context] = await resolveContexts({ kubeconfig: server.kubeconfigPath });
  const now = Date.now;
  return watchPods({
    client: new KubeClient(context!),
    pods,
    health: new WatchHealth(
      { context: context!.name, namespaces: [], resource: 'pods' },
      context!.server,
      defaultWatchTimings.stale,
      now,
      () => {},
    ),
    timings: defaultWatchTimings,
    now,
    onChange: (key) => {
      if (key === undefined) onList();
    },
  });
}

/** `ask from TOKEN` for each LIST page asked for (Node announces each request as it goes out), into `order`. */
function pagesAsked(order: string[]): () => void {
  const onRequest = (message: unknown) => {
    const path = (message as { request: ClientRequest }).request.path;
    const next = new URL(path, 'http://x').searchParams.get('continue');
    if (next !== null && !path.includes('watch=true')) order.push(`ask from ${next}`);
  };
  subscribe('http.client.request.start', onRequest);
  return () => unsubscribe('http.client.request.start', onRequest);
}

describe('a paged list', () => {
  it('shows the pages in order, then the whole list', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) server.put('pods', fakePod('shop', name));
    server.maxPage = 2;
    const order: string[] = [];
    const stopListening = pagesAsked(order);
    const pods = new Map<string, WatchedPod>();
    const watch = await watchAll(pods, () => order.push(`show ${pods.size}`));
    try {
      expect(await watch.firstList).toBeUndefined();
      // Shown as they arrive (how many at a time is the network's doing), the last `show 5` the whole list
      // replacing what the pages showed.
      const shown = order.filter((step) => step.startsWith('show')).map((step) => Number(step.slice(5)));
      expect(shown).toEqual([...shown].sort((a, b) => a - b));
      expect(shown.slice(-2)).toEqual([5, 5]);
      expect(order.filter((step) => step.startsWith('ask'))).toEqual(['ask from 2', 'ask from 4']);
      expect([...pods.keys()].map((key) => key.split('/').pop())).toEqual(['a', 'b', 'c', 'd', 'e']);
    } finally {
      stopListening();
      await watch.stop();
    }
  });

  it("shows a page's items as they arrive, before the page has ended", async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) server.put('pods', fakePod('shop', name));
    let sendLastItem = () => {};
    server.lastItem = new Promise((resolve) => {
      sendLastItem = resolve;
    });
    const pods = new Map<string, WatchedPod>();
    const watch = await watchAll(pods, () => {});
    try {
      await expect.poll(() => pods.size, { timeout: 5000 }).toBe(4);
      sendLastItem();
      expect(await watch.firstList).toBeUndefined();
      expect(pods.size).toBe(5);
    } finally {
      await watch.stop();
    }
  });

  // Gzipped (as the apiserver sends a page over 128 KiB), the token is read from the first bytes decoded.
  it.each(['off', 'sound'] as const)(
    'asks for page 2 as soon as page 1 has sent its continue token, before its items arrive (gzip: %s)',
    async (gzip) => {
      for (const name of ['a', 'b', 'c', 'd', 'e']) server.put('pods', fakePod('shop', name));
      server.maxPage = 2;
      server.gzip = gzip;
      let sendItems = () => {};
      server.pageItems = new Promise((resolve) => {
        sendItems = resolve;
      });
      const order: string[] = [];
      const stopListening = pagesAsked(order);
      const pods = new Map<string, WatchedPod>();
      const watch = await watchAll(pods, () => order.push(`show ${pods.size}`));
      try {
        // Page 1's items have not been sent, page 2's neither; page 3 is asked for once page 2 is in.
        await expect.poll(() => order, { timeout: 5000 }).toEqual(['ask from 2']);
        sendItems();
        expect(await watch.firstList).toBeUndefined();
        expect(order.filter((step) => step.startsWith('ask'))).toEqual(['ask from 2', 'ask from 4']);
        expect([...pods.keys()].map((key) => key.split('/').pop())).toEqual(['a', 'b', 'c', 'd', 'e']);
      } finally {
        stopListening();
        await watch.stop();
      }
    },
  );

  it('keeps no parsed page while it waits for the next one', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) server.put('pods', fakePod('shop', name));
    server.maxPage = 2;
    let sendLaterPages = () => {};
    server.laterPages = new Promise((resolve) => {
      sendLaterPages = resolve;
    });
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const parsed: WeakRef<object>[] = [];
    let firstPageShown = () => {};
    const shown = new Promise<void>((resolve) => {
      firstPageShown = resolve;
    });
    const [context] = await resolveContexts({ kubeconfig: server.kubeconfigPath });
    const list = new ListWatch<{ metadata?: { name?: string; resourceVersion?: string } }>({
      client: new KubeClient(context!),
      resource: 'pods',
      // The slim pod is a new object, as slimPod's is: whatever still holds the parsed one is the list's.
      slim: (raw) => {
        parsed.push(new WeakRef(raw));
        return { metadata: { name: raw.metadata?.name } };
      },
      handlers: { page: () => firstPageShown(), replace: () => {}, apply: () => {} },
      health: new WatchHealth(
        { context: context!.name, namespaces: [], resource: 'pods' },
        context!.server,
        defaultWatchTimings.stale,
        Date.now,
        () => {},
      ),
      timings: defaultWatchTimings,
      now: Date.now,
    });
    try {
      await shown;
      expect(parsed).toHaveLength(2);
      // Page 2 is held back by the server: the list is waiting for it.
      await new Promise((resolve) => setTimeout(resolve, 50));
      collectGarbage();
      expect(parsed.map((ref) => ref.deref()?.constructor.name ?? 'collected')).toEqual([
        'collected',
        'collected',
      ]);
      sendLaterPages();
      expect(await list.firstList).toBeUndefined();
      expect(parsed).toHaveLength(5);
    } finally {
      await list.stop();
    }
  });
});
