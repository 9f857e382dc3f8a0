import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sim/clock.js';
import { nextBookmarkAt } from '../../src/sim/http/watch.js';
import { type RunningSim, type SimOptions, startSim } from '../../src/sim/index.js';
import { loadScenario } from '../../src/sim/scenario-loader.js';
import { fixturePath, T0 } from './sim-fixture.js';

// Watch semantics through @kubernetes/client-node, a client we did not write: resume from a resourceVersion,
// 410 Gone beyond the retained history, bookmarks, and timeouts.

interface Received {
  type: string;
  name?: string;
  rv: string;
  code?: number;
}

type WatchObject = {
  metadata?: { name?: string; resourceVersion?: string };
  code?: number;
  message?: string;
};

let sim: RunningSim | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: Partial<SimOptions> = {}) {
  const clock = new ManualClock(T0);
  sim = await startSim({ clock, scenario: await loadScenario(fixturePath('timeline.yaml')), ...options });
  const kc = new KubeConfig();
  kc.loadFromFile(sim.kubeconfigPath);
  return { sim, clock, kc, api: kc.makeApiClient(CoreV1Api) };
}

/** Opens a watch and collects its events until `done`. */
async function openWatch(
  kc: KubeConfig,
  query: Record<string, string | number | boolean>,
  path = '/api/v1/pods',
) {
  const events: Received[] = [];
  const messages: string[] = [];
  const times: number[] = [];
  const began = Date.now();
  let resolveDone: (error: unknown) => void = () => {};
  const done = new Promise<unknown>((resolve) => {
    resolveDone = resolve;
  });
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type, object: WatchObject) => {
      times.push(Date.now() - began);
      if (object.message !== undefined) messages.push(object.message);
      events.push({
        type,
        name: object.metadata?.name,
        rv: object.metadata?.resourceVersion ?? '',
        code: object.code,
      });
    },
    (error) => resolveDone(error),
  );
  return { events, messages, times, done, stop: () => controller.abort() };
}

function step(s: RunningSim, clock: ManualClock, seconds: number): void {
  for (let i = 0; i < seconds; i++) {
    clock.advance(1000);
    s.cluster.advance();
  }
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(condition()).toBe(true);
}

describe('watch semantics', () => {
  it('delivers every change after the list RV once, in order, and resumes from any RV in the window', async () => {
    const { sim, clock, kc, api } = await start();
    const list = await api.listPodForAllNamespaces();
    const listRv = list.metadata!.resourceVersion!;
    const live = await openWatch(kc, { resourceVersion: listRv });
    step(sim, clock, 120);
    const history = sim.cluster.pods.changesSince(Number(listRv))!;
    await until(() => live.events.length === history.length);
    expect(history.length).toBeGreaterThan(10);
    expect(live.events.map((e) => `${e.type} ${e.name} ${e.rv}`)).toEqual(
      history.map((c) => `${c.type} ${c.object.name} ${c.rv}`),
    );
    const rvs = live.events.map((e) => Number(e.rv));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);

    const middle = live.events[Math.floor(live.events.length / 2)]!;
    const resumed = await openWatch(kc, { resourceVersion: middle.rv });
    const expected = live.events.filter((e) => Number(e.rv) > Number(middle.rv));
    await until(() => resumed.events.length === expected.length);
    expect(resumed.events).toEqual(expected);
    live.stop();
    resumed.stop();
  });

  it('answers a watch from a compacted RV with 200 and one ERROR event carrying a 410 Status, as the watch cache does', async () => {
    const { sim, clock, kc, api } = await start();
    const listRv = (await api.listPodForAllNamespaces()).metadata!.resourceVersion!;
    step(sim, clock, 30);
    sim.compactHistory();
    const watch = await openWatch(kc, { resourceVersion: listRv });
    expect(await watch.done).toBeNull();
    expect(watch.events).toEqual([{ type: 'ERROR', name: undefined, rv: '', code: 410 }]);
    expect(watch.messages).toEqual([
      `too old resource version: ${listRv} (${sim.cluster.pods.oldestResumable})`,
    ]);
  });

  it('keeps a bounded history: a watch from beyond it gets an ERROR 410, one inside it resumes', async () => {
    const { sim, clock, kc, api } = await start({ historyLimit: 10 });
    const listRv = (await api.listPodForAllNamespaces()).metadata!.resourceVersion!;
    step(sim, clock, 120);
    const tooOld = await openWatch(kc, { resourceVersion: listRv });
    await tooOld.done;
    expect(tooOld.events.map((e) => `${e.type} ${e.code}`)).toEqual(['ERROR 410']);
    const oldest = sim.cluster.pods.oldestResumable;
    const recent = await openWatch(kc, { resourceVersion: String(oldest) });
    await until(() => recent.events.length === 10);
    expect(Number(recent.events[0]!.rv)).toBeGreaterThan(oldest);
    recent.stop();
  });

  it('says only "too old" for a resource without a watch cache (events), as etcd does', async () => {
    const { sim, clock, kc } = await start();
    const rv = String(sim.cluster.versions.latest);
    step(sim, clock, 30);
    sim.compactHistory();
    const watch = await openWatch(kc, { resourceVersion: rv }, '/api/v1/events');
    await watch.done;
    expect(watch.messages).toEqual(['The resourceVersion for the provided watch is too old.']);
  });

  it('sends an ERROR 410 to open watches when told to expire them', async () => {
    const { sim, kc } = await start();
    const watch = await openWatch(kc, { resourceVersion: String(sim.cluster.versions.latest) });
    await until(() => sim.openWatches() === 1);
    sim.expireWatches();
    await watch.done;
    expect(watch.events.at(-1)).toMatchObject({ type: 'ERROR', code: 410 });
  });

  it('sends the initial-events-end bookmark, then bookmarks with the newest pod RV once pods change', async () => {
    const { sim, clock, kc } = await start({ bookmarkIntervalMs: 50 });
    const watch = await openWatch(kc, {
      allowWatchBookmarks: true,
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
    });
    await until(() => watch.events.some((e) => e.type === 'BOOKMARK'));
    const firstBookmark = watch.events.findIndex((e) => e.type === 'BOOKMARK');
    expect(watch.events.slice(0, firstBookmark).every((e) => e.type === 'ADDED')).toBe(true);
    expect(firstBookmark).toBe(sim.cluster.pods.size);
    step(sim, clock, 20);
    await until(
      () =>
        watch.events.at(-1)?.type === 'BOOKMARK' &&
        watch.events.at(-1)?.rv === String(sim.cluster.pods.latestRv),
    );
    watch.stop();
  });

  it('sends no bookmark while nothing changed since the resourceVersion the watch started from', async () => {
    const { sim, kc } = await start({ bookmarkIntervalMs: 20 });
    const watch = await openWatch(kc, {
      allowWatchBookmarks: true,
      resourceVersion: String(sim.cluster.versions.latest),
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(watch.events).toEqual([]);
    watch.stop();
  });

  it('sends no bookmarks unless asked', async () => {
    const { sim, clock, kc } = await start({ bookmarkIntervalMs: 20 });
    const watch = await openWatch(kc, {});
    step(sim, clock, 20);
    await new Promise((r) => setTimeout(r, 200));
    expect(watch.events.some((e) => e.type === 'BOOKMARK')).toBe(false);
    watch.stop();
  });

  it('sends no bookmarks on events, which the apiserver serves without a watch cache', async () => {
    const { sim, clock, kc } = await start({ bookmarkIntervalMs: 30 });
    const events = await openWatch(kc, { allowWatchBookmarks: true, timeoutSeconds: 3 }, '/api/v1/events');
    const pods = await openWatch(kc, { allowWatchBookmarks: true, timeoutSeconds: 3 });
    await until(() => sim.openWatches() === 2);
    step(sim, clock, 20);
    expect(await events.done).toBeNull();
    expect(await pods.done).toBeNull();
    expect(events.events.some((e) => e.type === 'BOOKMARK')).toBe(false);
    expect(pods.events.some((e) => e.type === 'BOOKMARK')).toBe(true);
  });

  it('sends a watch of 2 s or less no bookmark: the last is due 2 s before its end', async () => {
    const { sim, clock, kc } = await start({ bookmarkIntervalMs: 30 });
    const pods = await openWatch(kc, { allowWatchBookmarks: true, timeoutSeconds: 2 });
    await until(() => sim.openWatches() === 1);
    step(sim, clock, 20);
    expect(await pods.done).toBeNull();
    expect(pods.events.some((e) => e.type === 'BOOKMARK')).toBe(false);
  });

  it.each([
    // [now, deadline, interval, due] in ms: every interval, but 2 s before the deadline when sooner; then none.
    [0, 1_800_000, 60_000, 60_000],
    [0, 50_000, 60_000, 48_000],
    [47_500, 50_000, 60_000, 48_000],
    [47_999, 50_000, 60_000, 48_000],
    [48_000, 50_000, 60_000, undefined],
    [0, 2_000, 60_000, undefined],
    [0, 1_000, 60_000, undefined],
  ])('nextBookmarkAt(%i, %i, %i) is %s', (now, deadline, interval, due) => {
    expect(nextBookmarkAt(now, deadline, interval)).toBe(due);
  });

  it('keeps a watch with timeoutSeconds=0 open (the default: 30 to 60 minutes), refuses one that is not a number', async () => {
    const { sim, kc } = await start();
    const watch = await openWatch(kc, { timeoutSeconds: 0 });
    await new Promise((r) => setTimeout(r, 1500));
    expect(sim.openWatches()).toBe(1);
    watch.stop();
    const refused = await openWatch(kc, { timeoutSeconds: 'soon' }).then(
      (w) => w.done,
      (error: unknown) => error,
    );
    expect(String((refused as Error).message ?? refused)).toMatch(/Bad Request|400/);
  });

  it('ends the stream cleanly after timeoutSeconds', async () => {
    const { kc } = await start();
    const watch = await openWatch(kc, { timeoutSeconds: 1 });
    const began = Date.now();
    expect(await watch.done).toBeNull();
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
  });

  it('turns changes in and out of a field selector into ADDED and DELETED', async () => {
    const { sim, clock, kc } = await start();
    const watch = await openWatch(kc, {
      resourceVersion: String(sim.cluster.versions.latest),
      fieldSelector: 'status.phase=Running,metadata.namespace=t',
    });
    await until(() => sim.openWatches() === 1);
    step(sim, clock, 30);
    await until(() => watch.events.length > 0);
    // The missing-config and image-pull pods stay Pending and never match.
    expect(watch.events.some((e) => e.name === 'config' || e.name === 'pull')).toBe(false);
    expect(watch.events.filter((e) => e.name === 'short')[0]?.type).toBe('ADDED');
    // Running from 1 s, Failed at 4 s (restartPolicy Never).
    expect(watch.events.filter((e) => e.name === 'once').map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
    watch.stop();
  });

  it('streams DELETED for a deleted pod and ADDED for a new workload', async () => {
    const { sim, kc } = await start();
    const watch = await openWatch(kc, { resourceVersion: String(sim.cluster.versions.latest) });
    await until(() => sim.openWatches() === 1);
    expect(sim.cluster.deletePod('t', 'short')).toBe(true);
    const template = sim.cluster.scenario.namespaces[0]!.workloads[0]!.template;
    sim.cluster.addWorkload('t', {
      ...sim.cluster.scenario.namespaces[0]!.workloads[0]!,
      name: 'fresh',
      template,
    });
    await until(() => watch.events.length >= 2);
    expect(watch.events.slice(0, 2).map((e) => `${e.type} ${e.name}`)).toEqual([
      'DELETED short',
      'ADDED fresh',
    ]);
    watch.stop();
  });

  it('keeps state across a listener restart on the same port', async () => {
    const { sim, api } = await start();
    const before = (await api.listPodForAllNamespaces()).items.length;
    await sim.stopListener();
    await expect(api.listPodForAllNamespaces()).rejects.toThrow();
    await sim.startListener();
    expect((await api.listPodForAllNamespaces()).items.length).toBe(before);
  });

  it('stalls open watches: the connection stays open and nothing more arrives', async () => {
    const { sim, clock, kc } = await start();
    const watch = await openWatch(kc, { resourceVersion: String(sim.cluster.versions.latest) });
    await until(() => sim.openWatches() === 1);
    sim.stallWatches();
    step(sim, clock, 60);
    await new Promise((r) => setTimeout(r, 200));
    expect(watch.events).toEqual([]);
    expect(sim.openWatches()).toBe(1);
    watch.stop();
  });
});
