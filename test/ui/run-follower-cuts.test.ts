import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localClockTime } from '../../src/model/log-runs.js';
import { createClock } from '../../src/ui/clock.js';
import type { LogEntry } from '../../src/ui/log-buffer.js';
import { type FollowPhase, followAcrossRestarts } from '../../src/ui/run-follower.js';
import { FakeSource, fixturePods, keyOf, NOW } from './fake-source.js';

// A followed log on a flaky link, against the in-memory source (it answers a resumed stream as the kubelet does:
// from sinceTime on). Timers and Date are fake: the follower's waits and the app's clock (createClock, ticking
// each second) move only when the test says, so each drop lasts exactly as long as the test makes it.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const pod = () => fixturePods('multi-container.yaml')[0]!;
const logKey = () => `${keyOf('kind-dev', pod())}/app/false`;
const CONNECTION_REFUSED =
  'cannot reach https://127.0.0.1:47001 (context kind-dev): connect ECONNREFUSED — is the cluster up? check --context';

/** Moves the fake time on, running the timers (the follower's, the clock's ticks) and what they start. */
const pass = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** The app container's log followed from two lines logged before; the test plays the container and the link. */
async function follow() {
  const source = new FakeSource([pod()]);
  const stamped = (text: string) => `${new Date().toISOString()} ${text}`;
  source.logs.set(logKey(), [
    `${new Date(NOW.getTime() - 2000).toISOString()} one`,
    `${new Date(NOW.getTime() - 1000).toISOString()} two`,
  ]);
  const entries: LogEntry[] = [];
  const phases: FollowPhase['kind'][] = [];
  const follower = followAcrossRestarts({
    source,
    ref: { context: 'kind-dev', namespace: 'shop', name: pod().metadata.name },
    container: 'app',
    tailLines: 100,
    clock: createClock(),
    onEntries: (batch) => entries.push(...batch),
    onPhase: (phase) => phase.kind !== phases.at(-1) && phases.push(phase.kind),
  });
  await pass(0);
  /** The link drops the open stream. */
  const cut = (message = 'read ECONNRESET') => source.enders.at(-1)!({ kind: 'cut', message });
  return {
    source,
    phases,
    texts: () => entries.map((e) => e.text),
    notes: () => entries.filter((e) => e.note).map((e) => e.text),
    /** The container writes a line now: the kubelet keeps it, an open stream brings it. */
    log(text: string) {
      const line = stamped(text);
      source.logs.get(logKey())!.push(line);
      source.followers.at(-1)!([line]);
    },
    cut,
    /** The API server cannot be reached: the open stream is cut, and no request is answered until up(). */
    down() {
      source.followCut = CONNECTION_REFUSED;
      cut(CONNECTION_REFUSED);
    },
    up() {
      source.followCut = undefined;
    },
    stop: follower.stop,
  };
}

describe('a followed log on a flaky link', () => {
  it('a drop bridged within 3 s writes nothing: the title says reconnecting at once, the lines go on, none twice', async () => {
    const f = await follow();
    await pass(300);
    f.log('three');
    f.cut();
    expect(f.phases).toEqual(['following', 'reconnecting']);
    await pass(200);
    // Logged while no stream was open: the resumed one brings it.
    f.log('four');
    await pass(800);
    // Asked again 1 s after the cut, from the last line's whole second (not a tail: nothing is skipped).
    const resumed = f.source.logRequests.at(-1)!.request;
    expect(resumed).toEqual({
      container: 'app',
      previous: false,
      timestamps: true,
      sinceTime: NOW.toISOString(),
    });
    expect(f.texts()).toEqual(['one', 'two', 'three', 'four']);
    expect(f.phases).toEqual(['following', 'reconnecting', 'following']);
    await pass(10_000);
    expect(f.notes()).toEqual([]);
    f.stop();
  });

  it('drops every second or two, with lines between or not, write nothing however long the link flaps', async () => {
    const f = await follow();
    for (let i = 0; i < 8; i++) {
      f.cut();
      await pass(1000);
      if (i % 2 === 0) f.log(`line ${i}`);
      await pass(1500);
    }
    expect(f.notes()).toEqual([]);
    expect(f.texts()).toEqual(['one', 'two', 'line 0', 'line 2', 'line 4', 'line 6']);
    expect(f.phases).toEqual([
      'following',
      ...Array.from({ length: 8 }, () => ['reconnecting', 'following']).flat(),
    ]);
    f.stop();
  });

  it('a drop that lasts writes one line naming the time of the cut, 3 to 4 s after it, and resumed before the next line', async () => {
    const f = await follow();
    await pass(1400);
    const cutAt = Date.now();
    f.down();
    expect(f.phases).toEqual(['following', 'reconnecting']);
    await pass(2900);
    expect(f.notes()).toEqual([]);
    await pass(1000);
    const cutNote = `── log stream cut at ${localClockTime(cutAt)} · reconnecting… ──`;
    expect(f.notes()).toEqual([cutNote]);
    f.log('logged during the outage');
    // Retries go on, and say nothing more: 1 s after the cut, then every 3 s (11 in the 33.9 s since the cut).
    await pass(30_000);
    expect(f.notes()).toEqual([cutNote]);
    expect(f.source.logRequests).toHaveLength(1 + 11);
    f.up();
    await pass(3000);
    expect(f.texts().slice(2)).toEqual([cutNote, '── resumed ──', 'logged during the outage']);
    expect(f.phases).toEqual(['following', 'reconnecting', 'following']);
    f.stop();
  });

  it('a long outage during which the link comes back for moments writes one pair, not one per moment', async () => {
    const f = await follow();
    f.down();
    await pass(4000);
    expect(f.notes()).toHaveLength(1);
    // The link comes back for a moment: the stream opens, brings no line, and drops again.
    for (let i = 0; i < 3; i++) {
      f.up();
      await pass(3000);
      expect(f.phases.at(-1)).toBe('following');
      f.down();
      await pass(5000);
    }
    expect(f.notes()).toHaveLength(1);
    f.up();
    f.log('back');
    await pass(3000);
    expect(f.notes()).toEqual([expect.stringMatching(/^── log stream cut at /), '── resumed ──']);
    expect(f.texts().at(-1)).toBe('back');
    f.stop();
  });

  it('a cut while the run ends is not noted after the end: the run ends the outage', async () => {
    const f = await follow();
    f.down();
    await pass(1500);
    // The status says the instance exited before the cut is worth a line.
    const [app, proxy] = pod().status!.containerStatuses!;
    f.source.setPods([
      {
        context: 'kind-dev',
        pod: {
          ...pod(),
          status: {
            ...pod().status,
            containerStatuses: [
              {
                ...app!,
                state: {
                  terminated: {
                    exitCode: 1,
                    reason: 'Error',
                    startedAt: '2026-11-25T13:59:50Z',
                    finishedAt: '2026-11-25T14:00:01Z',
                    containerID: app!.containerID,
                  },
                },
              },
              proxy!,
            ],
          },
        },
      },
    ]);
    await pass(10_000);
    expect(f.notes()).toEqual([expect.stringMatching(/^── exited 1 \(Error\) at /)]);
    expect(f.phases).toEqual(['following', 'reconnecting', 'waiting']);
    f.stop();
  });
});
