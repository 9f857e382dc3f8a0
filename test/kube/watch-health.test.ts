import { describe, expect, it, vi } from 'vitest';
import { QUIET_MS, WatchHealth } from '../../src/kube/watch-health.js';

function setup() {
  let now = 1_000;
  let changes = 0;
  const health = new WatchHealth(
    { context: 'prod', namespaces: ['shop'] },
    'https://10.0.0.1:6443',
    { afterMs: 30_000 },
    () => now,
    () => changes++,
  );
  return {
    health,
    advance: (ms: number) => {
      now += ms;
    },
    changes: () => changes,
  };
}

describe('WatchHealth', () => {
  it('starts connecting, goes live, then reconnecting since the first failure', () => {
    const { health, advance } = setup();
    expect(health.status).toMatchObject({
      state: 'connecting',
      since: 1000,
      context: 'prod',
      namespaces: ['shop'],
    });
    advance(500);
    health.connected();
    expect(health.status).toMatchObject({ state: 'live', since: 1500 });
    expect(health.status.message).toBeUndefined();
    advance(1000);
    // The connection's reset is the last thing received: the outage starts there.
    health.heard();
    health.failed('connect ECONNREFUSED');
    advance(2000);
    health.failed('connect ECONNREFUSED again');
    expect(health.status).toMatchObject({
      state: 'reconnecting',
      since: 2500,
      message: 'connect ECONNREFUSED again',
    });
  });

  it.each([
    { name: 'once the outage lasts long enough', failures: 2, gapMs: 30_000, state: 'stale' },
    { name: 'not sooner, however many attempts failed', failures: 50, gapMs: 10, state: 'reconnecting' },
    { name: 'not after a short outage', failures: 2, gapMs: 1000, state: 'reconnecting' },
  ])('becomes stale $name', ({ failures, gapMs, state }) => {
    const { health, advance } = setup();
    health.connected();
    for (let attempt = 0; attempt < failures; attempt++) {
      if (attempt > 0) advance(gapMs);
      health.failed('down');
    }
    expect(health.status.state).toBe(state);
  });

  it('counts a stale watch from the first failure, not from when it turned stale', () => {
    const { health, advance } = setup();
    health.connected();
    advance(1000);
    health.heard();
    health.failed('down');
    advance(31_000);
    health.failed('down');
    expect(health.status).toMatchObject({ state: 'stale', since: 2000 });
  });

  it('turns stale when the outage has lasted long enough, without waiting for the next failed attempt', () => {
    vi.useFakeTimers();
    try {
      const { health, advance } = setup();
      health.connected();
      health.failed('down');
      advance(29_000);
      vi.advanceTimersByTime(29_000);
      expect(health.status.state).toBe('reconnecting');
      advance(1000);
      vi.advanceTimersByTime(1000);
      expect(health.status).toMatchObject({ state: 'stale', since: 1000, message: 'down' });
      health.connected();
      health.failed('down again');
      health.connected();
      vi.advanceTimersByTime(60_000);
      expect(health.status.state).toBe('live');
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns stale when its timer fires even if the clock it reads is a few ms behind the timer', () => {
    // Node fires timers from the event loop's cached time: Date.now() in the callback can read afterMs - δ.
    vi.useFakeTimers();
    try {
      const { health, advance } = setup();
      health.connected();
      health.failed('down');
      advance(30_000 - 3);
      vi.advanceTimersByTime(30_000);
      expect(health.status).toMatchObject({ state: 'stale', since: 1000, message: 'down' });
      // The next failed attempt at that same reading keeps it stale, not back to reconnecting.
      health.failed('still down');
      expect(health.status).toMatchObject({ state: 'stale', since: 1000, message: 'still down' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('dispose() clears the stale timer: a stopped watch reports no change later', () => {
    vi.useFakeTimers();
    try {
      const { health, advance, changes } = setup();
      health.failed('down');
      const before = changes();
      health.dispose();
      advance(60_000);
      vi.advanceTimersByTime(60_000);
      expect(changes()).toBe(before);
      expect(health.status.state).toBe('reconnecting');
    } finally {
      vi.useRealTimers();
    }
  });

  it('counts an outage noticed late (a stalled stream) from the last thing received, stale at once if that is long ago', () => {
    const { health, advance } = setup();
    health.connected();
    advance(5000);
    health.heard();
    // The stream went silent at 6,000; the silence is taken for dead 65 s later.
    advance(65_000);
    health.failed('no data for 65s');
    expect(health.status).toMatchObject({ state: 'stale', since: 6000 });
    expect(health.status.neverConnected).toBeUndefined();
  });

  it('turns stale on time counted from the last thing received, not from when the failure was noticed', () => {
    vi.useFakeTimers();
    try {
      const { health, advance } = setup();
      health.connected();
      advance(20_000);
      health.failed('reset');
      expect(health.status).toMatchObject({ state: 'reconnecting', since: 1000 });
      advance(10_000);
      vi.advanceTimersByTime(10_000);
      expect(health.status).toMatchObject({ state: 'stale', since: 1000 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('says a watch that never had an answer never connected, counted from its start', () => {
    const { health, advance } = setup();
    advance(60_000);
    health.failed('no answer from the server in 60s');
    expect(health.status).toMatchObject({ state: 'stale', since: 1000, neverConnected: true });
    health.connected();
    health.failed('down');
    expect(health.status.neverConnected).toBeUndefined();
  });

  it('goes back to live and forgets the outage after a success', () => {
    const { health, advance } = setup();
    health.failed('down');
    advance(30_000);
    health.failed('down');
    expect(health.status.state).toBe('stale');
    advance(100);
    health.connected();
    expect(health.status).toMatchObject({ state: 'live', since: 31_100 });
    health.failed('down once');
    expect(health.status).toMatchObject({ state: 'reconnecting', since: 31_100 });
  });

  it('reports forbidden as its own state, and only real changes', () => {
    const { health, changes } = setup();
    health.forbidden('no');
    health.forbidden('no');
    expect(health.status).toMatchObject({ state: 'forbidden', message: 'no' });
    expect(changes()).toBe(1);
    health.connected();
    health.connected();
    expect(changes()).toBe(2);
  });

  describe('while connecting, says since when the server has sent nothing', () => {
    // Node's timers and Date faked together, so that the clock the health reads moves with its timers.
    const run = (
      steps: (t: { health: WatchHealth; pass: (ms: number) => void; changes: () => number }) => void,
    ) => {
      vi.useFakeTimers({ now: 1000 });
      try {
        let changes = 0;
        const health = new WatchHealth(
          { context: 'prod', namespaces: ['shop'] },
          'https://10.0.0.1:6443',
          { afterMs: 30_000 },
          Date.now,
          () => changes++,
        );
        steps({ health, pass: (ms) => vi.advanceTimersByTime(ms), changes: () => changes });
      } finally {
        vi.useRealTimers();
      }
    };

    it('after QUIET_MS of silence from the request on, and no sooner', () =>
      run(({ health, pass }) => {
        health.listHeard();
        pass(QUIET_MS - 1);
        expect(health.status.waiting).toBeUndefined();
        pass(1);
        expect(health.status).toMatchObject({
          state: 'connecting',
          since: 1000,
          waiting: { server: 'https://10.0.0.1:6443', since: 1000 },
        });
      }));

    it('counted from the last byte: a slow server sending bytes is not said to be silent', () =>
      run(({ health, pass, changes }) => {
        health.listHeard();
        for (let i = 0; i < 10; i++) {
          pass(QUIET_MS - 500);
          health.listHeard();
        }
        expect(health.status.waiting).toBeUndefined();
        expect(changes()).toBe(0);
        pass(QUIET_MS);
        expect(health.status.waiting).toEqual({
          server: 'https://10.0.0.1:6443',
          since: 1000 + 10 * (QUIET_MS - 500),
        });
      }));

    it('until a byte comes, or the watch is live or failing', () =>
      run(({ health, pass }) => {
        health.listHeard();
        pass(QUIET_MS);
        expect(health.status.waiting).toBeDefined();
        health.listHeard();
        expect(health.status).toMatchObject({ state: 'connecting', since: 1000 });
        expect(health.status.waiting).toBeUndefined();
        pass(QUIET_MS);
        expect(health.status.waiting).toBeDefined();
        health.failed('no answer within 60s');
        expect(health.status.waiting).toBeUndefined();
        health.listHeard();
        pass(QUIET_MS);
        expect(health.status).toMatchObject({ state: 'reconnecting', neverConnected: true });
        expect(health.status.waiting).toBeUndefined();
        health.connected();
        expect(health.status.waiting).toBeUndefined();
      }));

    it("never once live (a relist of a live watch is the stream health's to judge)", () =>
      run(({ health, pass, changes }) => {
        health.connected();
        health.listHeard();
        pass(10 * QUIET_MS);
        expect(health.status.waiting).toBeUndefined();
        expect(changes()).toBe(1);
      }));
  });
});
