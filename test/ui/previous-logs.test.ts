import { describe, expect, it } from 'vitest';
import type { LogRequest, PodRef } from '../../src/kube/source.js';
import { createPreviousLogCache, type LogTarget, logTargets } from '../../src/ui/previous-logs.js';
import { fixturePods } from './fake-source.js';

/** A log endpoint the test answers by hand, recording what was asked and how many at once. */
function endpoint() {
  const pending: {
    ref: PodRef;
    request: LogRequest;
    resolve(lines: string[]): void;
    reject(e: Error): void;
  }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  return {
    pending,
    maxInFlight: () => maxInFlight,
    readLogs(ref: PodRef, request: LogRequest): Promise<string[]> {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<string[]>((resolve, reject) =>
        pending.push({ ref, request, resolve, reject }),
      ).finally(() => inFlight--);
    },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function target(name: string, restartCount = 3, container = 'app'): LogTarget {
  return { ref: { context: 'c', namespace: 'ns', name }, uid: `uid-${name}`, container, restartCount };
}

describe('previous log cache', () => {
  it('reads at most `concurrency` logs at once, in the order wanted, with the tail asked for', async () => {
    const api = endpoint();
    const cache = createPreviousLogCache(api, { concurrency: 2, tailLines: 200 });
    cache.want(['a', 'b', 'c', 'd'].map((n) => target(n)));
    expect(api.pending.map((p) => p.ref.name)).toEqual(['a', 'b']);
    expect(api.pending[0]?.request).toEqual({ container: 'app', previous: true, tailLines: 200 });
    expect(cache.get(target('a'))).toEqual(expect.objectContaining({ state: 'pending' }));
    expect(cache.get(target('c'))).toBeUndefined();
    api.pending[0]!.resolve(['boom']);
    await flush();
    expect(api.pending.map((p) => p.ref.name)).toEqual(['a', 'b', 'c']);
    expect(cache.get(target('a'))).toEqual(expect.objectContaining({ state: 'done', lines: ['boom'] }));
    expect(api.maxInFlight()).toBe(2);
  });

  it('keeps an answer per pod uid, container and restart count: a new crash is read again', async () => {
    const api = endpoint();
    const cache = createPreviousLogCache(api);
    cache.want([target('a', 3)]);
    api.pending[0]!.resolve(['first crash']);
    await flush();
    cache.want([target('a', 3)]);
    expect(api.pending).toHaveLength(1);
    cache.want([target('a', 4), target('a', 4, 'sidecar')]);
    expect(api.pending).toHaveLength(3);
    expect(cache.get(target('a', 4))).toEqual(expect.objectContaining({ state: 'pending' }));
  });

  it("forgets a container's earlier crashes once a later one's log is in", async () => {
    const api = endpoint();
    const cache = createPreviousLogCache(api, { concurrency: 4 });
    cache.want([target('a', 3), target('a', 3, 'sidecar'), target('b', 3)]);
    for (const p of api.pending.splice(0)) p.resolve([`${p.ref.name} ${p.request.container}`]);
    await flush();
    cache.want([target('a', 5)]);
    expect(cache.get(target('a', 3))).toEqual(expect.objectContaining({ state: 'done' }));
    api.pending[0]!.resolve(['a again']);
    await flush();
    expect(cache.get(target('a', 3))).toBeUndefined();
    expect(cache.get(target('a', 5))).toEqual(expect.objectContaining({ lines: ['a again'] }));
    // Another container of the pod and another pod keep theirs.
    expect(cache.get(target('a', 3, 'sidecar'))).toEqual(expect.objectContaining({ state: 'done' }));
    expect(cache.get(target('b', 3))).toEqual(expect.objectContaining({ state: 'done' }));
  });

  it('reads again when the container crashes while its restart count stays: running between crashes, then waiting', async () => {
    const api = endpoint();
    const cache = createPreviousLogCache(api);
    const running = { ...target('a', 3), run: 'containerd://run-3' };
    const waiting = { ...target('a', 3), run: 'containerd://run-4' };
    cache.want([running]);
    api.pending[0]!.resolve(['crash 3']);
    await flush();
    cache.want([waiting]);
    expect(api.pending).toHaveLength(2);
    api.pending[1]!.resolve(['crash 4']);
    await flush();
    expect(cache.get(waiting)).toEqual(expect.objectContaining({ lines: ['crash 4'] }));
    // The earlier run of the same count is superseded: forgotten, as an earlier count's is.
    expect(cache.get(running)).toBeUndefined();
  });

  it('drops wanted logs that have not started when the screen moves on', async () => {
    const api = endpoint();
    const cache = createPreviousLogCache(api, { concurrency: 1 });
    cache.want([target('a'), target('b')]);
    cache.want([target('c')]);
    api.pending[0]!.resolve([]);
    await flush();
    expect(api.pending.map((p) => p.ref.name)).toEqual(['a', 'c']);
  });

  it('remembers a failure for a while, then asks again', async () => {
    const api = endpoint();
    let now = 0;
    const cache = createPreviousLogCache(api, { errorTtlMs: 30_000, now: () => now });
    cache.want([target('a')]);
    api.pending[0]!.reject(new Error('forbidden'));
    await flush();
    expect(cache.get(target('a'))).toEqual(expect.objectContaining({ state: 'failed' }));
    now = 29_000;
    cache.want([target('a')]);
    expect(api.pending).toHaveLength(1);
    now = 31_000;
    expect(cache.get(target('a'))).toBeUndefined();
    cache.want([target('a')]);
    expect(api.pending).toHaveLength(2);
  });

  it('holds at most `maxEntries` answers, forgetting the least recently stored', async () => {
    const api = endpoint();
    const cache = createPreviousLogCache(api, { maxEntries: 2, concurrency: 3 });
    cache.want([target('a'), target('b'), target('c')]);
    for (const p of api.pending) p.resolve([p.ref.name]);
    await flush();
    const kept = ['a', 'b', 'c'].filter((n) => cache.get(target(n)) !== undefined);
    expect(kept).toHaveLength(2);
  });

  it('notifies on every answer', async () => {
    const api = endpoint();
    const cache = createPreviousLogCache(api);
    let calls = 0;
    cache.subscribe(() => calls++);
    const before = cache.version();
    cache.want([target('a'), target('b')]);
    api.pending[0]!.resolve([]);
    api.pending[1]!.reject(new Error('x'));
    await flush();
    expect(calls).toBe(2);
    expect(cache.version()).toBe(before + 2);
  });
});

describe('logTargets', () => {
  it('names the failing containers that have run, with their restart count', () => {
    const [abc12, , , checkout] = fixturePods();
    expect(logTargets('kind-dev', abc12!)).toEqual([
      {
        ref: { context: 'kind-dev', namespace: 'shop', name: 'payments-api-7d9f8c6b5-abc12' },
        uid: 'kind-dev/shop/payments-api-7d9f8c6b5-abc12',
        container: 'app',
        restartCount: 5,
        run: '2026-11-25T13:59:50Z',
      },
    ]);
    // CreateContainerConfigError: the container never ran, so there is no previous log to read.
    expect(logTargets('kind-dev', checkout!)).toEqual([]);
  });
});
