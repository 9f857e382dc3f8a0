import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse, stringify } from 'yaml';
import {
  type ClusterSourceOptions,
  createClusterSource,
  startClusterSource,
} from '../../src/kube/cluster-source.js';
import { defaultWatchTimings } from '../../src/kube/list-watch.js';
import type { ClusterSource, WatchState } from '../../src/kube/source.js';
import type { KubeEvent } from '../../src/model/pod.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { type FakeApiServer, fakePod, startFakeApiServer } from './fake-apiserver.js';

// Watch timing, tested as timing, with every duration shrunk: servers end each watch after 1–2 s, a stream
// silent 300–500 ms past that is dead, and the back-off delays are fixed (random = 0.99) so they can be
// counted. The simulator serves events without bookmarks, as a real API server does; a TCP proxy in front
// of it stalls or refuses connections the way broken networks do.

const timings = (overrides: Partial<NonNullable<ClusterSourceOptions['timings']>> = {}) => ({
  notifyIntervalMs: 5,
  firstListWaitMs: 5000,
  timings: {
    watchTimeoutSeconds: () => 1,
    endGraceMs: 300,
    requestTimeoutMs: 3000,
    backoff: { initialMs: 100, maxMs: 1600, random: () => 0.99 },
    stale: { afterMs: 120_000 },
    ...overrides,
  },
});
const settle = { timeout: 10_000, interval: 20 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Seen = { resource: string; state: WatchState; message?: string; at: number };

/** Every watch state the source goes through, as a subscriber would see it. */
function recordStates(source: ClusterSource): { seen: Seen[]; stop: () => void } {
  const seen: Seen[] = [];
  const last = new Map<string, WatchState>();
  const look = () => {
    for (const watch of source.getSnapshot().watches) {
      const resource = watch.resource ?? 'pods';
      if (last.get(resource) === watch.state) continue;
      last.set(resource, watch.state);
      seen.push({ resource, state: watch.state, message: watch.message, at: Date.now() });
    }
  };
  look();
  const unsubscribe = source.subscribe(look);
  // Subscribers hear of a change a notify interval late; a caller that saw it in getSnapshot() and stops now
  // must not lose it (under load the last change was missing, and the test read an undefined message).
  const stop = () => {
    look();
    unsubscribe();
  };
  return { seen, stop };
}

function allLive(source: ClusterSource): boolean {
  return source.getSnapshot().watches.every((watch) => watch.state === 'live');
}

let sim: RunningSim;
let namespace: string;
const temp = mkdtempSync(join(tmpdir(), 'crashtop-watch-timing-'));
let source: ClusterSource | undefined;
let proxy: TcpProxy | undefined;

beforeAll(async () => {
  // Healthy pods only: after start-up nothing changes, so both watches are quiet.
  sim = await startSim({ pods: 6, crashing: 0 });
  namespace = /namespace: (\S+)/.exec(readFileSync(sim.kubeconfigPath, 'utf8'))![1]!;
});

afterEach(async () => {
  await source?.close();
  source = undefined;
  await proxy?.close();
  proxy = undefined;
});

afterAll(async () => {
  await sim.close();
  rmSync(temp, { recursive: true, force: true });
});

/** A kubeconfig for the simulator that goes through the proxy (same host, so the certificate still fits). */
function kubeconfigThrough(via: TcpProxy): string {
  const port = new URL(sim.url).port;
  const path = join(temp, `kubeconfig-${via.port}`);
  const text = readFileSync(sim.kubeconfigPath, 'utf8').replace(`127.0.0.1:${port}`, `127.0.0.1:${via.port}`);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

async function openThroughProxy(options = timings()): Promise<ClusterSource> {
  proxy = await startTcpProxy({ port: Number(new URL(sim.url).port) });
  source = await createClusterSource({ kubeconfig: kubeconfigThrough(proxy) }, options);
  await vi.waitFor(() => expect(allLive(source!)).toBe(true), settle);
  return source;
}

const requestsSince = (index: number, match: (url: string) => boolean) =>
  sim
    .requests()
    .slice(index)
    .map((request) => request.url)
    .filter(match);
const isEventsWatch = (url: string) => url.includes('/events?') && url.includes('watch=true');
const isEventsList = (url: string) => url.includes('/events?') && !url.includes('watch=true');
const isPodsList = (url: string) => url.includes('/pods?') && !url.includes('watch=true');

let eventSerial = 0;
function putEvent(pod: string): string {
  const name = `${pod}.timing-${++eventSerial}`;
  sim.cluster.events.put({
    metadata: { name, namespace },
    involvedObject: { kind: 'Pod', name: pod, namespace },
    type: 'Warning',
    reason: 'BackOff',
    message: 'Back-off restarting failed container app in pod',
    lastTimestamp: new Date(sim.cluster.clock.now()).toISOString(),
  } as never);
  return name;
}

function eventNames(live: ClusterSource): string[] {
  return [...live.getSnapshot().events.values()].flatMap((list: readonly KubeEvent[]) =>
    list.map((event) => event.metadata?.name ?? ''),
  );
}

describe('the default timings', () => {
  it('end every watch within a minute, spread, and take a silent one for dead within 45 s', () => {
    const asked = Array.from({ length: 2000 }, () => defaultWatchTimings.watchTimeoutSeconds());
    // Whole seconds (the API takes an integer), under the 60 s idle timeout of common proxies.
    expect(asked.every((seconds) => Number.isInteger(seconds) && seconds >= 25 && seconds <= 35)).toBe(true);
    expect(new Set(asked).size).toBe(11);
    // A stalled path is shown `live` until then: under a minute was not enough for the SRE watching a deploy.
    expect(Math.max(...asked) * 1000 + defaultWatchTimings.endGraceMs).toBeLessThanOrEqual(45_000);
    expect(defaultWatchTimings.endGraceMs).toBeGreaterThanOrEqual(5_000);
  });
});

describe('a quiet, healthy watch', () => {
  it('is never taken for dead: each time the server ends it, it is watched again from its resourceVersion', async () => {
    const live = await openThroughProxy();
    const before = sim.requests().length;
    const states = recordStates(live);
    await sleep(4500);
    states.stop();
    expect(states.seen.filter((seen) => seen.state !== 'live')).toEqual([]);
    const rewatches = requestsSince(before, isEventsWatch);
    expect(rewatches.length).toBeGreaterThanOrEqual(3);
    const versions = new Set(
      rewatches.map((url) => new URL(url, sim.url).searchParams.get('resourceVersion')),
    );
    expect(versions.size).toBe(1);
    expect(requestsSince(before, isEventsList)).toEqual([]);
  });

  it('relists once after etcd compaction, unseen: always live, nothing doubled, nothing lost', async () => {
    const pod = [...sim.cluster.pods.list()].find((object) => object.namespace === namespace)!.name;
    const live = await openThroughProxy();
    const first = putEvent(pod);
    await vi.waitFor(() => expect(eventNames(live)).toContain(first), settle);
    const before = sim.requests().length;
    const states = recordStates(live);
    // Other objects change meanwhile (on a real cluster, node leases every 10 s), then etcd compacts: the
    // events watch's last resourceVersion is gone.
    sim.cluster.events.put({
      metadata: { name: 'elsewhere.1', namespace: 'elsewhere' },
      involvedObject: { kind: 'Pod', name: 'other', namespace: 'elsewhere' },
    } as never);
    sim.cluster.compactHistory();
    await vi.waitFor(() => expect(requestsSince(before, isEventsList).length).toBe(1), settle);
    const after = putEvent(pod);
    await vi.waitFor(() => expect(eventNames(live)).toContain(after), settle);
    await sleep(1500);
    states.stop();
    expect(states.seen.filter((seen) => seen.state !== 'live')).toEqual([]);
    const names = eventNames(live);
    expect(names.length).toBe(new Set(names).size);
    const truth = sim.cluster.events
      .list()
      .filter((event) => event.namespace === namespace)
      .map((event) => event.name);
    expect([...names].sort()).toEqual([...truth].sort());
    expect(requestsSince(before, isEventsList)).toHaveLength(1);
  });
});

describe('a dead connection: a proxy that stops forwarding without closing', () => {
  it('is caught once silent past its timeoutSeconds, for the pods watch and the quiet events watch, and recovered', async () => {
    const live = await openThroughProxy(timings({ watchTimeoutSeconds: () => 2, endGraceMs: 500 }));
    const pod = [...live.getSnapshot().pods.values()][0]!.pod;
    const states = recordStates(live);
    const stalledAt = Date.now();
    proxy!.stall();
    sim.cluster.deletePod(namespace, pod.metadata.name);
    const event = putEvent('some-pod');
    await vi.waitFor(() => {
      expect([...live.getSnapshot().pods.values()].map((watched) => watched.pod.metadata.name)).not.toContain(
        pod.metadata.name,
      );
      expect(eventNames(live)).toContain(event);
      expect(allLive(live)).toBe(true);
    }, settle);
    const recoveredMs = Date.now() - stalledAt;
    states.stop();
    for (const resource of ['pods', 'events']) {
      const dead = states.seen.find((seen) => seen.resource === resource && seen.state === 'reconnecting');
      expect(dead?.message, resource).toMatch(/past the end the server promised: the connection looks dead/);
      // Silent for the 2 s timeout plus the 0.5 s grace: not sooner (that would be a false alarm).
      expect(dead!.at - stalledAt, resource).toBeGreaterThanOrEqual(2400);
    }
    expect(recoveredMs).toBeLessThan(2500 + 3000);
  });
});

describe('a link that goes down while the watches are quiet', () => {
  // Watches the server would end only after 30 s: the dead-stream deadline alone would call the link down after
  // 30.5 s, the first 30 of them shown `live`.
  const quiet = () =>
    timings({ watchTimeoutSeconds: () => 30, endGraceMs: 500, quietProbeMs: 400, silentPastAnswerMs: 400 });

  it('is told within a second: a quiet watch probes the server, and no answer to that is no link', async () => {
    const live = await openThroughProxy(quiet());
    const states = recordStates(live);
    const downAt = Date.now();
    proxy!.stall();
    proxy!.stallNew(true);
    await vi.waitFor(
      () => expect(live.getSnapshot().watches.every((w) => w.state !== 'live')).toBe(true),
      settle,
    );
    states.stop();
    for (const resource of ['pods', 'events']) {
      const down = states.seen.find((seen) => seen.resource === resource && seen.state === 'reconnecting');
      expect(down?.message, resource).toMatch(/no answer to a probe either/);
      // Quiet 0.4 s, then the probe's 0.4 s: not before (a quiet watch is not a dead one), well before 30 s.
      expect(down!.at - downAt, resource).toBeGreaterThanOrEqual(750);
      expect(down!.at - downAt, resource).toBeLessThan(3000);
    }
    // One reason for both watches, word for word: the header says it once.
    expect(
      new Set(states.seen.filter((seen) => seen.state === 'reconnecting').map((seen) => seen.message)).size,
    ).toBe(1);
    proxy!.stallNew(false);
    await vi.waitFor(() => expect(allLive(live)).toBe(true), settle);
  }, 20_000);

  it('leaves no connection from before it in the pool: what is sent next does not wait on one', async () => {
    const live = await openThroughProxy(quiet());
    const pod = [...live.getSnapshot().pods.values()][0]!.pod;
    const ref = { context: live.getSnapshot().watches[0]!.context, namespace, name: pod.metadata.name };
    const read = () => live.readLogs(ref, { container: pod.spec!.containers[0]!.name, previous: false });
    // Reads at once (a screen of rows entering): as many connections, idle in the pool afterwards.
    await Promise.all(Array.from({ length: 6 }, read));
    // A tunnel restarted: what was open leads nowhere, without a reset; new connections get through.
    proxy!.stall();
    await vi.waitFor(
      () => expect(live.getSnapshot().watches.every((w) => w.state !== 'live')).toBe(true),
      settle,
    );
    // The probe that went unanswered ended them all at once: otherwise each would hold the next request sent on
    // it (a log read, a watch reconnecting) for that request's whole timeout, 10 s for a log read.
    await vi.waitFor(() => expect(proxy!.stalledOpen()).toBe(0), { timeout: 500, interval: 10 });
    await vi.waitFor(() => expect(allLive(live)).toBe(true), settle);
    await read();
  });

  it('is never told of a quiet watch whose server answers the probe', async () => {
    const live = await openThroughProxy(quiet());
    const states = recordStates(live);
    const before = sim.requests().length;
    await sleep(3000);
    states.stop();
    expect(states.seen.filter((seen) => seen.state !== 'live')).toEqual([]);
    expect(requestsSince(before, (url) => url.includes('watch=true'))).toEqual([]);
    expect(requestsSince(before, (url) => url.startsWith('/version')).length).toBeGreaterThan(0);
  });
});

describe('reconnect timing', () => {
  it('starts the back-off over once a watch is open again', async () => {
    const live = await openThroughProxy(
      timings({ backoff: { initialMs: 100, maxMs: 3200, random: () => 0.99 } }),
    );
    proxy!.refuseNew(true);
    proxy!.resetOpen();
    // Both watches retry after 99, 198, 396, 792, 1584 ms: by now their next delay is 3.2 s.
    await sleep(3500);
    proxy!.refuseNew(false);
    await vi.waitFor(() => expect(allLive(live)).toBe(true), settle);
    const attemptsBefore = proxy!.attempts.length;
    const lostAt = Date.now();
    proxy!.refuseNew(true);
    proxy!.resetOpen();
    await sleep(1000);
    const retries = proxy!.attempts.slice(attemptsBefore).filter((at) => at - lostAt <= 1000);
    // From 100 ms again: three retries each within the second (99, 297, 693 ms), not one 3.2 s later.
    expect(retries.length).toBeGreaterThanOrEqual(4);
    proxy!.refuseNew(false);
  });

  it('reconnects at once when another request of the same context gets through', async () => {
    const live = await openThroughProxy(
      timings({ backoff: { initialMs: 200, maxMs: 10_000, random: () => 0.99 } }),
    );
    const ref = {
      context: sim.context,
      namespace,
      name: [...live.getSnapshot().pods.values()][0]!.pod.metadata.name,
    };
    proxy!.refuseNew(true);
    proxy!.resetOpen();
    // Retries after 198, 396, 792, 1584 and 3168 ms: at 4 s both watches wait until about 6.1 s.
    await sleep(4000);
    await vi.waitFor(() =>
      expect(live.getSnapshot().watches.every((w) => w.state === 'reconnecting')).toBe(true),
    );
    proxy!.refuseNew(false);
    const backAt = Date.now();
    await live.getPod(ref);
    await vi.waitFor(() => expect(allLive(live)).toBe(true), settle);
    expect(Date.now() - backAt).toBeLessThan(1200);
  });
});

describe('a request stuck on a connection that died', () => {
  it('is asked again at once when a request sent after it gets through, of any context of its server', async () => {
    proxy = await startTcpProxy({ port: Number(new URL(sim.url).port) });
    // Two contexts of the one server: the answer that shows the link is back comes to the other one.
    const config = parse(readFileSync(kubeconfigThrough(proxy), 'utf8')) as {
      contexts: { name: string; context: object }[];
    };
    config.contexts.push({ ...config.contexts[0]!, name: 'other' });
    const kubeconfig = join(temp, `kubeconfig-two-${proxy.port}`);
    writeFileSync(kubeconfig, stringify(config), { mode: 0o600 });
    source = await createClusterSource(
      { kubeconfig, contexts: [sim.context, 'other'] },
      timings({ requestTimeoutMs: 20_000, silentPastAnswerMs: 500 }),
    );
    const live = source;
    await vi.waitFor(() => expect(allLive(live)).toBe(true), settle);
    expect(new Set(live.getSnapshot().watches.map((watch) => watch.context))).toEqual(
      new Set([sim.context, 'other']),
    );
    const ref = {
      context: 'other',
      namespace,
      name: [...live.getSnapshot().pods.values()][0]!.pod.metadata.name,
    };
    // The link is cut: the open connections and any new one carry nothing, and none is closed.
    proxy!.stallNew(true);
    proxy!.stall();
    // Each watch is taken for dead 1.3 s after its last byte, and asked again over a connection as dead.
    await vi.waitFor(
      () => expect(live.getSnapshot().watches.every((w) => w.state === 'reconnecting')).toBe(true),
      settle,
    );
    await sleep(1500);
    // The link is back for new connections; those of the cut stay dead, as when a NAT lost its state.
    proxy!.stallNew(false);
    const backAt = Date.now();
    // Several at once: the pool may give one a connection from before the cut, which never answers.
    await Promise.any(Array.from({ length: 4 }, () => live.getPod(ref)));
    await vi.waitFor(() => expect(allLive(live)).toBe(true), { timeout: 30_000, interval: 50 });
    // Left alone, the stuck requests wait out their 20 s timeout: live only ~19 s after the link is back.
    expect(Date.now() - backAt).toBeLessThan(8000);
  }, 45_000);

  it('at start-up, when every request went out during the cut, is asked again once a probe gets through', async () => {
    proxy = await startTcpProxy({ port: Number(new URL(sim.url).port) });
    proxy.stallNew(true);
    const started = await startClusterSource(
      { kubeconfig: kubeconfigThrough(proxy) },
      timings({ requestTimeoutMs: 20_000, silentPastAnswerMs: 500 }),
    );
    started.listed.catch(() => undefined);
    source = started.source;
    const live = source;
    await sleep(2000);
    expect(live.getSnapshot().watches.map((watch) => watch.state)).toEqual(['connecting', 'connecting']);
    proxy.stallNew(false);
    const backAt = Date.now();
    await vi.waitFor(() => expect(allLive(live)).toBe(true), { timeout: 30_000, interval: 50 });
    // Left alone, the first lists wait out their 20 s timeout: live only ~18 s after the link is back.
    expect(Date.now() - backAt).toBeLessThan(8000);
  }, 45_000);

  it('is never an open watch that is merely quiet, however many answers come meanwhile', async () => {
    // Watches the server ends every 5 s; answers 0.2 s after a silence of 0.2 s would take a waiting request for stuck.
    const live = await openThroughProxy(timings({ watchTimeoutSeconds: () => 5, silentPastAnswerMs: 200 }));
    const ref = {
      context: sim.context,
      namespace,
      name: [...live.getSnapshot().pods.values()][0]!.pod.metadata.name,
    };
    await sleep(300);
    const before = sim.requests().length;
    for (let i = 0; i < 10; i++) {
      await live.getPod(ref);
      await sleep(200);
    }
    // Both watches were quiet for 2 s, under answers all along, and neither was asked again.
    expect(
      requestsSince(before, (url) => url.includes('watch=true') || isPodsList(url) || isEventsList(url)),
    ).toEqual([]);
    expect(allLive(live)).toBe(true);
  });
});

describe('a busy, healthy watch', () => {
  let fake: FakeApiServer;
  beforeAll(async () => {
    fake = await startFakeApiServer();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('is never torn down while data flows, even on a server that keeps it open past timeoutSeconds', async () => {
    fake.honourTimeouts = false;
    fake.put('pods', fakePod('shop', 'busy'));
    source = await createClusterSource({ kubeconfig: fake.kubeconfigPath }, timings());
    const live = source;
    await vi.waitFor(() => expect(allLive(live)).toBe(true), settle);
    const watchesBefore = fake.requests.filter(
      (r) => r.includes('/pods?') && r.includes('watch=true'),
    ).length;
    const states = recordStates(live);
    // A change every 100 ms for 3 s: three times the 1.3 s a silent stream may last.
    for (let i = 0; i < 30; i++) {
      fake.put('pods', fakePod('shop', 'busy', { status: { phase: 'Running', message: `step ${i}` } }));
      await sleep(100);
    }
    await vi.waitFor(
      () => expect(live.getSnapshot().pods.get('fake/shop/busy')?.pod.status?.message).toBe('step 29'),
      settle,
    );
    states.stop();
    expect(states.seen.filter((seen) => seen.resource === 'pods' && seen.state !== 'live')).toEqual([]);
    expect(fake.requests.filter((r) => r.includes('/pods?') && r.includes('watch=true')).length).toBe(
      watchesBefore,
    );
    expect(fake.requests.filter((r) => isPodsList(r))).toHaveLength(1);
  });
});
