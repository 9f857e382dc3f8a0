import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { localClockTime } from '../../src/model/log-runs.js';
import { loadScenario, ManualClock, type RunningSim, startSim } from '../../src/sim/index.js';
import { createClock } from '../../src/ui/clock.js';
import type { LogEntry } from '../../src/ui/log-buffer.js';
import { followAcrossRestarts } from '../../src/ui/run-follower.js';
import { proxiedKubeconfig, startTcpProxy } from '../helpers/tcp-proxy.js';

// The follower against the simulated kubelet over HTTPS: its follow stream ends when the container exits,
// as a real kubelet's does, and the follower must pick up the next run by itself. The simulator's clock is
// moved by hand, a quarter second at a time, so the runs and back-offs are exact.

const START = Date.parse('2026-11-25T14:00:00Z');
let sim: RunningSim;
let clock: ManualClock;
let source: ClusterSource;
let stop: (() => void) | undefined;

beforeAll(async () => {
  clock = new ManualClock(START);
  const scenario = await loadScenario(
    new URL('../fixtures/sim/restarting-logs.yaml', import.meta.url).pathname,
  );
  sim = await startSim({ scenario, clock });
  source = await createClusterSource(
    { kubeconfig: sim.kubeconfigPath, allNamespaces: true },
    {
      notifyIntervalMs: 5,
    },
  );
});
afterAll(async () => {
  await source.close();
  await sim.close();
});
afterEach(() => {
  stop?.();
  stop = undefined;
});

const ref = () => ({ context: sim.context, namespace: 't', name: 'flappy' });
const time = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/**
 * Moves the simulated clock 250 ms per 15 real ms until `done` holds (or 40 simulated seconds pass); while
 * `hold` holds the clock stands still (real time passes for the watch and the streams to catch up).
 */
async function runUntil(done: () => boolean, hold: () => boolean = () => false): Promise<void> {
  for (let i = 0, held = 0; i < 160 && !done() && held < 200; ) {
    if (hold()) held++;
    else {
      clock.advance(250);
      i++;
    }
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

describe('followAcrossRestarts against the simulator', () => {
  it('writes each run, a separator naming the exit and the next restart, and resumes without a key', async () => {
    // Let the pod reach its first run and the watch see it.
    await runUntil(
      () =>
        source.getSnapshot().pods.get(`${sim.context}/t/flappy`)?.pod.status?.containerStatuses?.[0]?.state
          ?.running !== undefined,
    );
    const entries: LogEntry[] = [];

    stop = followAcrossRestarts({
      source,
      ref: ref(),
      container: 'app',
      tailLines: 1000,
      curve: { initialMs: 1000, maxMs: 60_000 },
      clockTime: time,
      clock: createClock(),
      onEntries: (batch) => entries.push(...batch),
      onPhase: () => {},
    }).stop;
    const separators = () => entries.filter((e) => e.note).map((e) => e.text);
    // After a run's exit line, the clock waits for the separator: it names the back-off still to wait.
    await runUntil(
      () => separators().length >= 3 && entries.at(-1)?.note !== true,
      () => entries.at(-1)?.text === 'fatal: lost the lease',
    );

    const texts = entries.map((e) => e.text);
    // Every run prints its start line once: no run is read twice, none is missed.
    const runs = texts.filter((t) => t === 'starting flappy').length;
    expect(runs).toBe(separators().length + 1);
    expect(texts.filter((t) => t === 'fatal: lost the lease')).toHaveLength(separators().length);
    // The first crash restarts at once; then 1 s, 2 s … (the scenario's curve). Runs last 3 s.
    // Opened during the first run (started 14:00:04, after the 2 s init container and 2 s of pod start-up):
    // the first crash restarts at once, then after 1 s, 2 s (the scenario's curve). Whether the next run has
    // started when the status names the exit depends on how fast the watch is; the countdown is measured on
    // the server's clock, which this test moves in jumps, so only its shape is checked.
    const next = (n: number, at: string) => `restart ${n} (now|(at |due ~?)${at})`;
    expect(separators()).toEqual([
      expect.stringMatching(new RegExp(`^── exited 1 \\(Error\\) at 14:00:07 · ${next(1, '14:00:07')} ──$`)),
      expect.stringMatching(new RegExp(`^── exited 1 \\(Error\\) at 14:00:10 · ${next(2, '14:00:11')} ──$`)),
      expect.stringMatching(new RegExp(`^── exited 1 \\(Error\\) at 14:00:14 · ${next(3, '14:00:16')} ──$`)),
    ]);
    // Each separator follows the run's exit line and precedes the next run's first line.
    for (const [i, entry] of entries.entries()) {
      if (!entry.note) continue;
      expect(entries[i - 1]?.text).toBe('fatal: lost the lease');
      if (i + 1 < entries.length) expect(entries[i + 1]?.text).toBe('starting flappy');
    }
    // Lines carry the kubelet's timestamps, in order.
    const times = entries.filter((e) => !e.note).map((e) => Date.parse(e.time ?? ''));
    expect(times.every((t, i) => !Number.isNaN(t) && (i === 0 || t >= times[i - 1]!))).toBe(true);
  }, 30_000);

  it('says a cut stream is reconnecting at once, an outage that lasts once in the log, and resumed only when lines come again', async () => {
    await runUntil(
      () =>
        source.getSnapshot().pods.get(`${sim.context}/t/flappy`)?.pod.status?.containerStatuses?.[0]?.state
          ?.running !== undefined,
    );
    // The view's connection goes through a proxy that can drop it and refuse new ones (the API server down).
    const proxy = await startTcpProxy({ port: Number(new URL(sim.url).port) });
    const cut = await createClusterSource(
      { kubeconfig: await proxiedKubeconfig(sim.kubeconfigPath, proxy), allNamespaces: true },
      { notifyIntervalMs: 5 },
    );
    const entries: LogEntry[] = [];
    const phases: string[] = [];
    try {
      stop = followAcrossRestarts({
        source: cut,
        ref: ref(),
        container: 'app',
        tailLines: 1000,
        resumeAfterMs: 20,
        retryCutAfterMs: 20,
        retryRefusedAfterMs: 20,
        // The log waits this long before saying so; the clock looks every 50 ms.
        cutNoteAfterMs: 1000,
        clock: createClock({ intervalMs: 50 }),
        onEntries: (batch) => entries.push(...batch),
        // The reason may change from retry to retry (reset, refused): the kinds in turn are what the title says.
        onPhase: (phase) => phase.kind !== phases.at(-1) && phases.push(phase.kind),
      }).stop;
      await expect.poll(() => entries.map((e) => e.text)).toContain('starting flappy');
      proxy.refuseNew(true);
      const cutFrom = Date.now();
      proxy.resetOpen();
      const notes = () => entries.filter((e) => e.note).map((e) => e.text);
      // The title says so at once; the log waits, in case the stream comes back in a moment.
      await expect.poll(() => phases).toEqual(['following', 'reconnecting']);
      expect(notes()).toEqual([]);
      const attempts = proxy.attempts.length;
      await expect.poll(() => proxy.attempts.length).toBeGreaterThan(attempts + 3);
      // An outage is waited out, not taken for a refusal: one line for it, naming when it began.
      await expect.poll(() => notes()).toHaveLength(1);
      const cutTo = Date.now();
      const cutNote = notes()[0]!;
      const seconds = Array.from({ length: Math.ceil((cutTo - cutFrom) / 1000) + 1 }, (_, i) =>
        localClockTime(cutFrom + i * 1000),
      );
      expect(seconds.map((at) => `── log stream cut at ${at} · reconnecting… ──`)).toContain(cutNote);
      // However many retries fail.
      const more = proxy.attempts.length;
      await expect.poll(() => proxy.attempts.length).toBeGreaterThan(more + 10);
      expect(notes()).toEqual([cutNote]);
      expect(phases).toEqual(['following', 'reconnecting']);
      proxy.refuseNew(false);
      clock.advance(1000);
      await expect.poll(() => entries.map((e) => e.text).at(-1)).toBe('tick');
      expect(notes()).toEqual([cutNote, '── resumed ──']);
      expect(phases).toEqual(['following', 'reconnecting', 'following']);
      // No line lost or repeated: the run's lines once each, the separators between.
      const texts = entries.map((e) => e.text);
      expect(texts.filter((t) => t === 'starting flappy')).toHaveLength(1);
      expect(texts.indexOf('── resumed ──')).toBeGreaterThan(texts.indexOf(cutNote));
      expect(texts.slice(texts.indexOf('── resumed ──') + 1).every((t) => t === 'tick')).toBe(true);
    } finally {
      stop?.();
      stop = undefined;
      await cut.close();
      await proxy.close();
    }
  }, 30_000);

  it("says a running container's log is forbidden while it asks again, and follows once it may read it", async () => {
    await runUntil(
      () =>
        source
          .getSnapshot()
          .pods.get(`${sim.context}/t/flappy`)
          ?.pod.status?.containerStatuses?.find((c) => c.name === 'proxy')?.state?.running !== undefined,
    );
    // A Role that grants pods but not pods/log: the table still lists the pod, its log is refused.
    sim.cluster.deny(['pods/log']);
    const entries: LogEntry[] = [];
    const phases: string[] = [];
    try {
      stop = followAcrossRestarts({
        source,
        ref: ref(),
        container: 'proxy',
        tailLines: 1000,
        retryRefusedAfterMs: 40,
        clock: createClock(),
        onEntries: (batch) => entries.push(...batch),
        onPhase: (phase) => phases.push(phase.kind === 'refused' ? `refused: ${phase.reason}` : phase.kind),
      }).stop;
      await expect
        .poll(() => sim.requests().filter((r) => r.url.includes('/pods/flappy/log?container=proxy')).length)
        .toBeGreaterThan(3);
    } finally {
      sim.cluster.deny(undefined);
    }
    expect(phases).toEqual([
      'following',
      'refused: reading logs is forbidden: context crashtop-sim may not get pods/log in namespace "t" (403 Forbidden): ask your cluster admin for the RBAC rule apiGroups [""] resources ["pods/log"] verbs ["get"] in namespace "t"',
    ]);
    await expect.poll(() => entries.map((e) => e.text)).toContain('proxy ready');
    expect(phases.at(-1)).toBe('following');
  }, 30_000);
});
