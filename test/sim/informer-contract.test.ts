import { get as httpGet } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sim/clock.js';
import { generateScenario } from '../../src/sim/generator.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { T0 } from './sim-fixture.js';

// What client-go's informers ask (k9s v0.50.16, client-go v0.34.1, from the simulator's --request-log at 50,000
// pods): a LIST with `limit=500&resourceVersion=0`, then a WATCH from that list's resourceVersion. The apiserver
// answers such a list from its watch cache, whole: "the limit is ignored for requests that set RV == 0"
// (k8s.io/apiserver v0.36.3 pkg/storage/cacher/cacher.go computeListLimit); without a watch cache (events) or
// without resourceVersion=0 (kubectl, crashtop) the list pages. Paged, k9s needed 100 round trips for 50,000 pods and
// then a replay of every change made meanwhile, and showed no pod within 120 s.

const PODS = 1_200;
const INFORMER_LIST = 'limit=500&resourceVersion=0';

let sim: RunningSim;
let clock: ManualClock;

interface ListBody {
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: { metadata: { name: string; namespace: string; resourceVersion: string } }[];
}

async function get(path: string) {
  // Without gzip (fetch asks for it), so that the declared length can be checked against the body.
  const response = await fetch(`${sim.url}${path}`, {
    headers: { authorization: `Bearer ${sim.token}`, 'accept-encoding': 'identity' },
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    length: response.headers.get('content-length'),
    bytes: bytes.length,
    body: JSON.parse(bytes.toString()) as ListBody,
  };
}

/** Every line of a watch that ends by itself (`timeoutSeconds`). */
async function watchLines(path: string): Promise<{ type: string; object: ListBody['items'][number] }[]> {
  const response = await fetch(`${sim.url}${path}`, { headers: { authorization: `Bearer ${sim.token}` } });
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}

const keyOf = (item: ListBody['items'][number]) => `${item.metadata.namespace}/${item.metadata.name}`;

beforeAll(async () => {
  clock = new ManualClock(T0);
  sim = await startSim({
    clock,
    tls: false,
    scenario: generateScenario({ pods: PODS, crashing: PODS / 20 }),
  });
});

afterAll(async () => {
  await sim.close();
});

describe('the LIST + WATCH client-go informers send', () => {
  it.each([
    ['client-go informer, watch-cached pods', `/api/v1/pods?${INFORMER_LIST}`, PODS, false],
    ['kubectl get pods -A (no resourceVersion)', '/api/v1/pods?limit=500', 500, true],
    ['informer on events (no watch cache: etcd pages)', '/api/v1/events?limit=2&resourceVersion=0', 2, true],
  ])('%s: %s gives %i items, paged: %s', async (_who, path, items, paged) => {
    const page = await get(path);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(items);
    expect(page.body.metadata.continue !== undefined).toBe(paged);
    expect(Number(page.length)).toBe(page.bytes);
  });

  it('answers the informer list whole at the latest resourceVersion, every pod once', async () => {
    const page = await get(`/api/v1/pods?${INFORMER_LIST}`);
    expect(page.body.metadata.resourceVersion).toBe(String(sim.cluster.versions.latest));
    expect(new Set(page.body.items.map(keyOf)).size).toBe(PODS);
  });

  it('list, then watch from its resourceVersion: the informer ends with what the server has', async () => {
    const list = await get(`/api/v1/pods?${INFORMER_LIST}`);
    const cache = new Map(list.body.items.map((item) => [keyOf(item), item.metadata.resourceVersion]));
    // The crash loops go on between the list and the watch, as they do while a client digests a big list.
    for (let s = 0; s < 120; s++) {
      clock.advance(1000);
      sim.cluster.advance();
    }
    const events = await watchLines(
      `/api/v1/pods?allowWatchBookmarks=true&resourceVersion=${list.body.metadata.resourceVersion}&timeoutSeconds=1&watch=true`,
    );
    const changes = events.filter((e) => e.type !== 'BOOKMARK');
    expect(changes.length).toBeGreaterThan(0);
    // Only what changed after the list, never the list again.
    expect(changes.length).toBeLessThan(PODS);
    for (const { type, object } of changes) {
      if (type === 'DELETED') cache.delete(keyOf(object));
      else cache.set(keyOf(object), object.metadata.resourceVersion);
    }
    const now = await get('/api/v1/pods');
    expect(cache).toEqual(
      new Map(now.body.items.map((item) => [keyOf(item), item.metadata.resourceVersion])),
    );
  });

  it('streams the whole list as it was when asked, however slowly the client reads it', async () => {
    const url = new URL(`${sim.url}/api/v1/pods?${INFORMER_LIST}`);
    const body = await new Promise<string>((resolve, reject) => {
      httpGet(url, { headers: { authorization: `Bearer ${sim.token}` } }, (response) => {
        const chunks: Buffer[] = [];
        response.pause();
        // The pods change while the body waits in the socket: the list must not.
        for (let s = 0; s < 60; s++) {
          clock.advance(1000);
          sim.cluster.advance();
        }
        setTimeout(() => {
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(Buffer.concat(chunks).toString()));
          response.resume();
        }, 200);
      }).on('error', reject);
    });
    const list = JSON.parse(body) as ListBody;
    expect(list.items).toHaveLength(PODS);
    const listRv = Number(list.metadata.resourceVersion);
    expect(Math.max(...list.items.map((item) => Number(item.metadata.resourceVersion)))).toBeLessThanOrEqual(
      listRv,
    );
    expect(sim.cluster.versions.latest).toBeGreaterThan(listRv);
  });
});

describe('a watch the simulator ends for a client that does not keep up', () => {
  it('leaves no timer behind once it has ended (the server can stop)', async () => {
    // 7,000 pods are ≈ 21 MB of ADDED events, past the 16 MB a watch may have unsent: the replay itself ends it.
    const big = await startSim({
      clock: new ManualClock(T0),
      tls: false,
      scenario: generateScenario({ pods: 7_000, crashing: 0 }),
    });
    try {
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
      const before = timers();
      // No keep-alive: the connection closes with the response.
      await new Promise<void>((resolve, reject) => {
        httpGet(
          `${big.url}/api/v1/pods?watch=true&allowWatchBookmarks=true`,
          { agent: false, headers: { authorization: `Bearer ${big.token}` } },
          (response) => {
            response.resume();
            response.on('end', resolve);
          },
        ).on('error', reject);
      });
      expect(big.openWatches()).toBe(0);
      // The sockets' own timers go with the sockets, within a moment; a leaked watch timer lasts 15 s to an hour.
      for (let i = 0; i < 40 && timers() > before; i++) await new Promise((r) => setTimeout(r, 50));
      expect(timers()).toBe(before);
    } finally {
      await big.close();
    }
  });
});
