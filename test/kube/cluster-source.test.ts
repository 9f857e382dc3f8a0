import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ClusterSourceOptions,
  createClusterSource,
  startClusterSource,
} from '../../src/kube/cluster-source.js';
import { KubeError } from '../../src/kube/errors.js';
import { KubeClient } from '../../src/kube/http.js';
import { resolveContexts, type Scope } from '../../src/kube/kubeconfig.js';
import { isNoPreviousLog } from '../../src/kube/logs.js';
import type { ClusterSource, WatchStatus } from '../../src/kube/source.js';
import { LayeredMap } from '../../src/model/layered-map.js';
import {
  type FakeApiServer,
  fakePod,
  fastSourceOptions as fast,
  startFakeApiServer,
} from './fake-apiserver.js';

// The watchers against a real HTTP server, through the real request path, with every duration shrunk.

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

async function open(
  scope: Partial<Scope> = {},
  options: ClusterSourceOptions = fast,
): Promise<ClusterSource> {
  source = await createClusterSource({ kubeconfig: server.kubeconfigPath, ...scope }, options);
  return source;
}

function podNames(from: ClusterSource): string[] {
  return [...from.getSnapshot().pods.keys()].sort();
}

/** Five pods listed two a page, the pages after the first held until `release`. */
async function startPagedList() {
  for (const name of ['a', 'b', 'c', 'd', 'e']) server.put('pods', fakePod('shop', name));
  server.maxPage = 2;
  let release = () => {};
  server.laterPages = new Promise((resolve) => {
    release = resolve;
  });
  const started = await startClusterSource({ kubeconfig: server.kubeconfigPath }, fast);
  source = started.source;
  return { started, live: started.source, release };
}

const settle = { timeout: 5000, interval: 10 };
const watchRequests = () => server.requests.filter((request) => request.includes('watch=true'));
const podLists = () =>
  server.requests.filter((request) => /\/pods\?/.test(request) && !request.includes('watch=true'));

describe('cluster source: list and watch', () => {
  it('lists the pods of the context namespace, then applies watch changes', async () => {
    server.put('pods', fakePod('shop', 'web-1'));
    server.put('pods', fakePod('other', 'db-1'));
    const live = await open();
    expect(podNames(live)).toEqual(['fake/shop/web-1']);
    const web = live.getSnapshot().pods.get('fake/shop/web-1');
    expect(web?.context).toBe('fake');
    expect(web?.pod.metadata).not.toHaveProperty('managedFields');
    expect(web?.pod.metadata.annotations).toEqual({ 'meta.helm.sh/release-name': 'shop' });

    server.put('pods', fakePod('shop', 'web-2'));
    server.put('pods', fakePod('shop', 'web-1', { status: { phase: 'Failed' } }));
    server.put('pods', fakePod('other', 'db-2'));
    await vi.waitFor(() => {
      expect(podNames(live)).toEqual(['fake/shop/web-1', 'fake/shop/web-2']);
      expect(live.getSnapshot().pods.get('fake/shop/web-1')?.pod.status?.phase).toBe('Failed');
    }, settle);
    server.remove('pods', 'shop', 'web-1');
    await vi.waitFor(() => expect(podNames(live)).toEqual(['fake/shop/web-2']), settle);
    expect(live.getSnapshot().watches).toContainEqual(
      expect.objectContaining({ context: 'fake', namespaces: ['shop'], resource: 'pods', state: 'live' }),
    );
    expect(watchRequests()[0]).toMatch(/allowWatchBookmarks=true/);
    expect(watchRequests()[0]).toMatch(/timeoutSeconds=1\b/);
  });

  it('watches every namespace of -n, and all of them with -A', async () => {
    for (const namespace of ['a', 'b', 'c']) server.put('pods', fakePod(namespace, 'p'));
    const some = await open({ namespaces: ['a', 'b'] });
    expect(podNames(some)).toEqual(['fake/a/p', 'fake/b/p']);
    await some.close();
    const all = await open({ allNamespaces: true });
    expect(podNames(all)).toEqual(['fake/a/p', 'fake/b/p', 'fake/c/p']);
    expect(server.requests.some((request) => request.startsWith('/api/v1/namespaces?'))).toBe(false);
  });

  it('notifies subscribers, with a new snapshot only after a change', async () => {
    const live = await open();
    await vi.waitFor(() =>
      expect(live.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true),
    );
    const before = live.getSnapshot();
    expect(live.getSnapshot()).toBe(before);
    const listener = vi.fn();
    live.subscribe(listener);
    server.put('pods', fakePod('shop', 'new'));
    await vi.waitFor(() => expect(listener).toHaveBeenCalled(), settle);
    const after = live.getSnapshot();
    expect(after.version).toBeGreaterThan(before.version);
    expect(before.pods.has('fake/shop/new')).toBe(false);
  });

  it('can start before a long list is in, showing its pages as they arrive', async () => {
    const { started, live, release } = await startPagedList();
    await vi.waitFor(() => expect(podNames(live)).toEqual(['fake/shop/a', 'fake/shop/b']), settle);
    expect(live.getSnapshot().watches).toContainEqual(
      expect.objectContaining({ resource: 'pods', state: 'connecting' }),
    );
    release();
    await started.listed;
    await vi.waitFor(() => {
      expect(podNames(live)).toEqual([
        'fake/shop/a',
        'fake/shop/b',
        'fake/shop/c',
        'fake/shop/d',
        'fake/shop/e',
      ]);
      expect(live.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true);
    }, settle);
  });

  it('lists without pages when a page comes after the server compacted past the list (a long list on a busy cluster)', async () => {
    for (const name of ['a', 'b', 'c']) server.put('pods', fakePod('shop', name));
    server.maxPage = 1;
    server.expireContinue = true;
    const live = await open();
    await vi.waitFor(() => {
      expect(podNames(live)).toEqual(['fake/shop/a', 'fake/shop/b', 'fake/shop/c']);
      expect(live.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true);
    }, settle);
    // One expired page, then one list without `limit` (and so without a query at all), not the paged list again.
    expect(podLists()).toEqual([
      '/api/v1/namespaces/shop/pods?limit=500',
      '/api/v1/namespaces/shop/pods?limit=500&continue=1',
    ]);
    expect(server.requests.filter((request) => request === '/api/v1/namespaces/shop/pods')).toHaveLength(1);
  });

  it('gives the whole list in place of expired pages longer than a page to come (a big cluster sends it slowly)', async () => {
    for (const name of ['a', 'b']) server.put('pods', fakePod('shop', name));
    server.maxPage = 1;
    server.expireContinue = true;
    const requestTimeoutMs = 2000;
    expect(fast.timings?.requestTimeoutMs).toBe(requestTimeoutMs);
    server.wholeListDelayMs = requestTimeoutMs + 500;
    const live = await open();
    await vi.waitFor(() => expect(podNames(live)).toEqual(['fake/shop/a', 'fake/shop/b']), {
      ...settle,
      timeout: requestTimeoutMs * 3,
    });
    expect(server.requests.filter((request) => request === '/api/v1/namespaces/shop/pods')).toHaveLength(1);
  });

  it('names the pods watch events changed since the consumer last took a snapshot (the view draws those on screen at once)', async () => {
    server.put('pods', fakePod('shop', 'web-1'));
    const live = await open();
    await vi.waitFor(() =>
      expect(live.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true),
    );
    const view = live.trackPodChanges!();
    expect([...(view.keys() ?? ['list'])]).toEqual([]);
    server.put('pods', fakePod('shop', 'web-1', { status: { phase: 'Failed' } }));
    server.put('pods', fakePod('shop', 'web-2'));
    await vi.waitFor(() => expect(view.keys()?.size).toBe(2), settle);
    expect([...view.keys()!].sort()).toEqual(['fake/shop/web-1', 'fake/shop/web-2']);
    view.taken();
    expect(view.keys()?.size).toBe(0);
    view.stop();
  });

  it("keeps each consumer's changed pods until that consumer takes a snapshot (a log follower's resets none)", async () => {
    server.put('pods', fakePod('shop', 'web-1'));
    const live = await open();
    await vi.waitFor(() =>
      expect(live.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true),
    );
    const view = live.trackPodChanges!();
    const other = live.trackPodChanges!();
    server.put('pods', fakePod('shop', 'web-1', { status: { phase: 'Failed' } }));
    await vi.waitFor(() => expect(view.keys()?.size).toBe(1), settle);
    // What run-follower.ts does on every notification while a log view is open.
    live.getSnapshot();
    other.taken();
    expect([...view.keys()!]).toEqual(['fake/shop/web-1']);
    expect(other.keys()?.size).toBe(0);
    view.stop();
    server.put('pods', fakePod('shop', 'web-2'));
    await vi.waitFor(() => expect(other.keys()?.size).toBe(1), settle);
    expect(view.keys()?.size).toBe(1);
    other.stop();
  });

  it("says when a pods list's first page came, and when it ended (the view draws those at once)", async () => {
    const { started, live, release } = await startPagedList();
    // What a view sees at each notification, before it takes the snapshot.
    const seen: { listed: string | undefined; pods: number }[] = [];
    const view = live.trackPodChanges!();
    live.subscribe(() => {
      // Someone else (a log follower) builds a snapshot first: the view's own count must outlive it.
      const pods = live.getSnapshot().pods.size;
      seen.push({ listed: view.listed(), pods });
      view.taken();
    });
    await vi.waitFor(() => expect(seen.at(-1)?.pods).toBe(2), settle);
    expect(seen.find((s) => s.pods === 2)?.listed).toBe('first-page');
    release();
    await started.listed;
    await vi.waitFor(() => expect(seen.at(-1)?.pods).toBe(5), settle);
    expect(seen.find((s) => s.pods === 5)?.listed).toBe('complete');
    // The view's own snapshot resets it; a watch event is neither.
    expect(view.listed()).toBeUndefined();
    server.put('pods', fakePod('shop', 'f'));
    await vi.waitFor(() => expect(seen.at(-1)?.pods).toBe(6), settle);
    expect(seen.at(-1)?.listed).toBeUndefined();
  });

  it('asks for the pods before the events (the view waits for the pods; the first request sets up TLS)', async () => {
    server.put('pods', fakePod('shop', 'web-1'));
    await open({ allNamespaces: true });
    const lists = () => server.requests.filter((request) => !request.includes('watch=true'));
    await vi.waitFor(() => expect(lists().some((r) => r.startsWith('/api/v1/events?'))).toBe(true), settle);
    expect(lists()[0]).toMatch(/^\/api\/v1\/pods\?/);
  });

  it("keeps a snapshot's pod map while only events change", async () => {
    server.put('pods', fakePod('shop', 'web-1'));
    const live = await open();
    await vi.waitFor(() =>
      expect(live.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true),
    );
    const before = live.getSnapshot();
    server.put('events', {
      metadata: { name: 'web-1.1', namespace: 'shop' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'shop' },
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
    });
    await vi.waitFor(() => expect(live.getSnapshot().events.get('fake/shop/web-1')).toHaveLength(1), settle);
    const after = live.getSnapshot();
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.pods).toBe(before.pods);
    expect(after.events).not.toBe(before.events);
  });

  it('hands over pods that never change under a kept snapshot, and which keys changed between two', async () => {
    for (const name of ['web-1', 'web-2', 'web-3']) server.put('pods', fakePod('shop', name));
    const live = await open();
    await vi.waitFor(
      () => expect(live.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true),
      settle,
    );
    const before = live.getSnapshot();
    const web1 = before.pods.get('fake/shop/web-1');
    server.put('pods', fakePod('shop', 'web-1', { status: { phase: 'Failed' } }));
    server.remove('pods', 'shop', 'web-2');
    server.put('pods', fakePod('shop', 'web-4'));
    await vi.waitFor(() => expect(live.getSnapshot().pods.has('fake/shop/web-4')).toBe(true), settle);
    await vi.waitFor(() => expect(live.getSnapshot().pods.has('fake/shop/web-2')).toBe(false), settle);
    const after = live.getSnapshot();
    expect([...before.pods.keys()].sort()).toEqual(['fake/shop/web-1', 'fake/shop/web-2', 'fake/shop/web-3']);
    expect(before.pods.get('fake/shop/web-1')).toBe(web1);
    expect(after.pods.get('fake/shop/web-1')?.pod.status?.phase).toBe('Failed');
    expect([...after.pods.keys()].sort()).toEqual(['fake/shop/web-1', 'fake/shop/web-3', 'fake/shop/web-4']);
    expect(after.pods.size).toBe(3);
    const changed = LayeredMap.changedKeys(before.pods, after.pods);
    expect([...(changed ?? ['all'])].sort()).toEqual([
      'fake/shop/web-1',
      'fake/shop/web-2',
      'fake/shop/web-4',
    ]);
  });
});

describe('cluster source: resilience', () => {
  it.each(['stream', 'http'] as const)(
    'relists after a 410 (%s) with no ghost and no missing pod',
    async (mode) => {
      for (const name of ['a', 'b', 'c']) server.put('pods', fakePod('shop', name));
      const live = await open();
      await server.stop();
      server.remove('pods', 'shop', 'b');
      server.put('pods', fakePod('shop', 'd'));
      server.compact(mode);
      await server.restart();
      await vi.waitFor(
        () => expect(podNames(live)).toEqual(['fake/shop/a', 'fake/shop/c', 'fake/shop/d']),
        settle,
      );
      expect(podLists().length).toBeGreaterThanOrEqual(2);
      await vi.waitFor(
        () => expect(live.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true),
        settle,
      );
    },
  );

  it('shows reconnecting while the server is down, resumes from its resourceVersion when it is back', async () => {
    server.put('pods', fakePod('shop', 'a'));
    const live = await open();
    const listsBefore = podLists().length;
    await server.stop();
    await vi.waitFor(() => {
      const pods = live.getSnapshot().watches.find((watch) => watch.resource === 'pods');
      expect(pods?.state).toBe('reconnecting');
      expect(pods?.message).toMatch(
        /^cannot reach http:\/\/127\.0\.0\.1:\d+ \(context fake\): connect ECONNREFUSED/,
      );
    }, settle);
    expect(podNames(live)).toEqual(['fake/shop/a']);
    server.put('pods', fakePod('shop', 'b'));
    await server.restart();
    await vi.waitFor(() => expect(podNames(live)).toEqual(['fake/shop/a', 'fake/shop/b']), settle);
    expect(podLists().length).toBe(listsBefore);
    expect(live.getSnapshot().watches.find((watch) => watch.resource === 'pods')?.state).toBe('live');
  });

  it('catches a silently stalled connection, silent past its timeoutSeconds, and recovers', async () => {
    server.put('pods', fakePod('shop', 'a'));
    const live = await open();
    await vi.waitFor(() => expect(server.openWatches()).toBe(2), settle);
    const watchesBefore = watchRequests().length;
    server.stall();
    server.put('pods', fakePod('shop', 'b'));
    await vi.waitFor(() => expect(podNames(live)).toEqual(['fake/shop/a', 'fake/shop/b']), settle);
    expect(watchRequests().length).toBeGreaterThan(watchesBefore);
  });

  it("counts a stalled watch's outage from the last byte it received, not from when the silence was noticed", async () => {
    server.put('pods', fakePod('shop', 'a'));
    const live = await open({}, { ...fast, timings: { ...fast.timings, stale: { afterMs: 300 } } });
    await vi.waitFor(() => expect(server.openWatches()).toBe(2), settle);
    const seen: WatchStatus[] = [];
    const unsubscribe = live.subscribe(() => {
      const pods = live.getSnapshot().watches.find((watch) => watch.resource === 'pods');
      if (pods && pods.state !== 'live') seen.push(pods);
    });
    const stalledAt = Date.now();
    server.stall();
    try {
      // Noticed past timeoutSeconds (1 s) and the end grace (0.4 s): longer than the 0.3 s stale policy.
      await vi.waitFor(() => expect(seen.length).toBeGreaterThan(0), settle);
      expect(seen[0]).toMatchObject({ state: 'stale' });
      expect(seen[0]?.since).toBeLessThanOrEqual(stalledAt);
      expect(seen[0]?.neverConnected).toBeUndefined();
    } finally {
      unsubscribe();
    }
  });

  it('re-watches from the last resourceVersion when the server ends the stream, without relisting', async () => {
    server.put('pods', fakePod('shop', 'a'));
    const live = await open({}, { ...fast, timings: { ...fast.timings, watchTimeoutSeconds: () => 1 } });
    server.put('pods', fakePod('shop', 'b'));
    await vi.waitFor(
      () => expect(watchRequests().filter((r) => r.includes('/pods?')).length).toBeGreaterThan(2),
      {
        ...settle,
        timeout: 8000,
      },
    );
    expect(podLists()).toHaveLength(1);
    expect(podNames(live)).toEqual(['fake/shop/a', 'fake/shop/b']);
  });

  it('reconnects and resumes when the stream carries a line that is not JSON', async () => {
    server.put('pods', fakePod('shop', 'a'));
    const live = await open();
    await vi.waitFor(() => expect(server.openWatches()).toBe(2), settle);
    const watchesBefore = watchRequests().length;
    server.sendRaw('{"type":"MODIFIED","object":{"metadata":\n');
    server.put('pods', fakePod('shop', 'b'));
    await vi.waitFor(() => {
      expect(podNames(live)).toEqual(['fake/shop/a', 'fake/shop/b']);
      expect(watchRequests().length).toBeGreaterThan(watchesBefore);
      expect(live.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true);
    }, settle);
    expect(podLists()).toHaveLength(1);
  });

  it('advances the resourceVersion on bookmarks', async () => {
    await open();
    await vi.waitFor(() => expect(server.openWatches()).toBe(2), settle);
    server.put('pods', fakePod('elsewhere', 'x'));
    server.put('pods', fakePod('elsewhere', 'y'));
    server.bookmark();
    await new Promise((resolve) => setTimeout(resolve, 50));
    server.stall();
    await vi.waitFor(() => {
      const resumed = watchRequests().filter((r) => r.includes('/pods?'));
      expect(resumed.length).toBeGreaterThan(1);
      expect(resumed.at(-1)).toMatch(/resourceVersion=102\b/);
    }, settle);
  });
});

describe('cluster source: scope and errors', () => {
  it('falls back to the context namespace when -A is forbidden, and says so', async () => {
    server.forbidClusterWide.add('pods');
    server.forbidClusterWide.add('events');
    server.put('pods', fakePod('shop', 'mine'));
    server.put('pods', fakePod('other', 'theirs'));
    const live = await open({ allNamespaces: true });
    expect(podNames(live)).toEqual(['fake/shop/mine']);
    await vi.waitFor(() => {
      const { watches, notes } = live.getSnapshot();
      // Said once, as a note: no watch is left in a forbidden (error) state for it.
      expect(notes).toEqual([
        'context fake may not list pods in all namespaces (403 Forbidden), so only its namespace "shop" is read',
      ]);
      expect(watches.filter((w) => w.state !== 'live')).toEqual([]);
      expect(watches).toContainEqual(
        expect.objectContaining({ namespaces: ['shop'], resource: 'pods', state: 'live' }),
      );
      expect(watches).toContainEqual(
        expect.objectContaining({ namespaces: ['shop'], resource: 'events', state: 'live' }),
      );
    }, settle);
  });

  it.each([
    {
      name: 'a bad token',
      scope: { contexts: ['bad-token'] },
      message:
        'the server rejected the credentials of context bad-token (401 Unauthorized): log in again or check --kubeconfig',
      exitCode: 1,
    },
    {
      name: 'an unknown context',
      scope: { contexts: ['nope'] },
      message: /^context "nope" not found in .*kubeconfig \(contexts: fake, bad-token, refused\)$/,
      exitCode: 2,
    },
    {
      name: 'an unreachable server',
      scope: { contexts: ['refused'] },
      message:
        'cannot reach http://127.0.0.1:1 (context refused): connect ECONNREFUSED — is the cluster up? check --context',
      exitCode: 1,
    },
    {
      name: 'a missing kubeconfig',
      scope: { kubeconfig: '/nonexistent/kubeconfig' },
      message: 'kubeconfig /nonexistent/kubeconfig not found: check --kubeconfig',
      exitCode: 2,
    },
  ])('fails with one clear line on $name', async ({ scope, message, exitCode }) => {
    const attempt = createClusterSource({ kubeconfig: server.kubeconfigPath, ...scope }, fast);
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).message).toMatch(message);
    expect((error as KubeError).exitCode).toBe(exitCode);
    expect((error as KubeError).message).not.toContain('wrong-secret-token');
  });

  it('started early, says through `listed` that an unreachable server could list nothing', async () => {
    const started = await startClusterSource(
      { kubeconfig: server.kubeconfigPath, contexts: ['refused'] },
      fast,
    );
    const error = await started.listed.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:1 \(context refused\)/);
  });

  it('watches several contexts in one view, and keeps the reachable ones when one is down', async () => {
    server.put('pods', fakePod('shop', 'a'));
    const live = await open({ contexts: ['fake', 'refused'] });
    expect(podNames(live)).toEqual(['fake/shop/a']);
    await vi.waitFor(() => {
      const refused = live.getSnapshot().watches.find((watch) => watch.context === 'refused');
      expect(refused?.state).toBe('reconnecting');
    }, settle);
  });

  it('says a context that never answered never connected, and takes none of its silence for RBAC', async () => {
    server.put('pods', fakePod('shop', 'a'));
    const live = await open({ contexts: ['fake', 'refused'], namespaces: ['shop'] });
    await vi.waitFor(() => {
      const refused = live.getSnapshot().watches.filter((watch) => watch.context === 'refused');
      expect(refused.length).toBeGreaterThan(0);
      for (const watch of refused) {
        expect(watch).toMatchObject({ state: 'reconnecting', neverConnected: true });
        expect(watch.message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:1 \(context refused\)/);
      }
    }, settle);
    // The scope check runs once the first lists are in; an unreachable server answers it at once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(live.getSnapshot().notes).toEqual([]);
    expect(live.getSnapshot().watches.find((w) => w.context === 'fake')?.neverConnected).toBeUndefined();
  });
});

describe('cluster source: events, logs, clock', () => {
  const event = (name: string, pod: string, type: string, reason: string, at: string) => ({
    metadata: { name, namespace: 'shop' },
    involvedObject: { kind: 'Pod', namespace: 'shop', name: pod, uid: `uid-shop-${pod}` },
    type,
    reason,
    message: `${reason} happened`,
    lastTimestamp: at,
  });

  it("asks the server for pods' events only, on the list and on the watch", async () => {
    server.put('events', event('e1', 'web', 'Warning', 'BackOff', '2026-11-25T14:01:00Z'));
    const live = await open();
    await vi.waitFor(() => expect(live.getSnapshot().events.get('fake/shop/web')).toHaveLength(1), settle);
    const events = () => server.requests.filter((request) => /\/events\?/.test(request));
    expect(events().some((request) => !request.includes('watch=true'))).toBe(true);
    await vi.waitFor(() => expect(events().some((request) => request.includes('watch=true'))).toBe(true));
    for (const request of events()) {
      expect(new URL(request, 'http://x').searchParams.get('fieldSelector')).toBe('involvedObject.kind=Pod');
    }
  });

  it('keeps the events of watched pods by pod, newest last', async () => {
    server.put('events', event('e1', 'web', 'Normal', 'Pulled', '2026-11-25T14:00:00Z'));
    server.put('events', event('e2', 'web', 'Warning', 'BackOff', '2026-11-25T14:01:00Z'));
    server.put('events', {
      ...event('e3', 'web', 'Normal', 'x', '2026-11-25T14:00:00Z'),
      involvedObject: { kind: 'Node', name: 'n' },
    });
    const live = await open();
    await vi.waitFor(
      () =>
        expect(
          live
            .getSnapshot()
            .events.get('fake/shop/web')
            ?.map((e) => e.reason),
        ).toEqual(['Pulled', 'BackOff']),
      settle,
    );
    server.put('events', { ...event('e1', 'web', 'Normal', 'Pulled', '2026-11-25T14:02:00Z'), count: 2 });
    await vi.waitFor(
      () =>
        expect(
          live
            .getSnapshot()
            .events.get('fake/shop/web')
            ?.map((e) => e.reason),
        ).toEqual(['BackOff', 'Pulled']),
      settle,
    );
    server.put('pods', fakePod('shop', 'web'));
    await vi.waitFor(() => expect(podNames(live)).toEqual(['fake/shop/web']), settle);
    const described = await live.listEvents({ context: 'fake', namespace: 'shop', name: 'web' });
    expect(described.map((e) => e.metadata?.name)).toEqual(['e2', 'e1']);
    expect(server.requests.at(-1)).toContain(
      'fieldSelector=involvedObject.name%3Dweb%2CinvolvedObject.namespace%3Dshop%2CinvolvedObject.uid%3Duid-shop-web',
    );
  });

  it('reads previous and current logs, bounded, and says plainly when there is no previous run', async () => {
    const live = await open();
    const ref = { context: 'fake', namespace: 'shop', name: 'web' };
    server.setLog('shop', 'web', 'app', true, 'panic: boom\r\ngoroutine 1 [running]:\n');
    expect(await live.readLogs(ref, { container: 'app', previous: true })).toEqual([
      'panic: boom',
      'goroutine 1 [running]:',
    ]);
    expect(server.requests.at(-1)).toMatch(/previous=true.*tailLines=1000.*limitBytes=262144/);
    await expect(live.readLogs(ref, { container: 'app', previous: false })).rejects.toThrow(
      'previous terminated container "app" in pod "web" not found',
    );
    // The log view tells this answer from a failed read by it (it says `no previous log`).
    await expect(live.readLogs(ref, { container: 'app', previous: false })).rejects.toSatisfy(
      isNoPreviousLog,
    );
  });

  it('follows a log until stopped', async () => {
    const live = await open();
    server.setLog('shop', 'web', 'app', false, 'first\nsecond part');
    const lines: string[] = [];
    const onEnd = vi.fn();
    const follower = live.followLogs(
      { context: 'fake', namespace: 'shop', name: 'web' },
      { container: 'app', previous: false },
      (batch) => lines.push(...batch),
      onEnd,
    );
    await vi.waitFor(() => expect(lines).toEqual(['first']), settle);
    server.appendLog('shop', 'web', 'app', ' arrives\nthird\n');
    await vi.waitFor(() => expect(lines).toEqual(['first', 'second part arrives', 'third']), settle);
    follower.stop();
    server.appendLog('shop', 'web', 'app', 'after stop\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines).toHaveLength(3);
    expect(onEnd).not.toHaveBeenCalled();
  });

  it('measures the server clock offset from the Date header', async () => {
    server.dateOffsetMs = -42_000;
    const live = await open();
    const offset = live.getSnapshot().clockOffsetMs.get('fake');
    expect(offset).toBeDefined();
    expect(Math.abs(offset! + 42_000)).toBeLessThan(1500);
  });
});

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

// Lists asked for gzipped, as kubectl asks (the apiserver compresses an answer over 128 KiB ≈ 14×), from a server
// that gzips them soundly or breaks them on the way: a broken body is one clear error, never a hang nor a JSON parse
// error, and the watch recovers once the answers are sound again. What the simulator and a real kube-apiserver send
// is in compressed-lists.both.test.ts.
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
