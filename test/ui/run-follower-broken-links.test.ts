import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { loadScenario, type RunningSim, startSim } from '../../src/sim/index.js';
import { createClock } from '../../src/ui/clock.js';
import type { LogEntry } from '../../src/ui/log-buffer.js';
import { followAcrossRestarts } from '../../src/ui/run-follower.js';
import { proxiedKubeconfig, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

// A follow stream whose connection dies without a sign (a proxy that stops forwarding on open connections
// while new ones still pass: no FIN, no RST) must not say `following` forever: after a silence it is replaced
// by a fresh one from the last line's timestamp, which brings the lines the dead one missed, none twice. A
// container that is only quiet gets its stream replaced too, and nothing is said about it. A link that drops
// the stream again and again (a flaky VPN, a load balancer recycling connections) gets each drop resumed the
// same way within a moment: the log says nothing of it either.

const SILENT_MS = 1500;
let sim: RunningSim;
let proxy: TcpProxy;
let source: ClusterSource;

beforeAll(async () => {
  const scenario = await loadScenario(new URL('../fixtures/sim/steady-logs.yaml', import.meta.url).pathname);
  sim = await startSim({ scenario });
  proxy = await startTcpProxy({ port: Number(new URL(sim.url).port) });
  source = await createClusterSource(
    { kubeconfig: await proxiedKubeconfig(sim.kubeconfigPath, proxy), allNamespaces: true },
    { notifyIntervalMs: 5 },
  );
});
afterAll(async () => {
  await source.close();
  await proxy.close();
  await sim.close();
});

function follow(container: string, entries: LogEntry[], phases: string[]): () => void {
  return followAcrossRestarts({
    source,
    ref: { context: sim.context, namespace: 't', name: 'steady' },
    container,
    tailLines: 1000,
    silentAfterMs: SILENT_MS,
    resumeAfterMs: 100,
    clock: createClock({ intervalMs: 50 }),
    onEntries: (batch) => entries.push(...batch),
    onPhase: (phase) => phases.push(phase.kind),
  }).stop;
}

const logRequests = (container: string) =>
  sim.requests().filter((r) => r.url.includes(`/pods/steady/log?container=${container}`));
const ticks = (entries: readonly LogEntry[]) => entries.filter((e) => e.text === 'tick').length;

/** The ticker's lines, every 200 ms, in order: nothing repeated (a gap of 0) or lost (a gap of 400 ms or more). */
function expectEachTickOnce(entries: readonly LogEntry[]): void {
  const times = entries.filter((e) => !e.note).map((e) => Date.parse(e.time ?? ''));
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  expect(gaps.filter((gap) => !(gap > 0 && gap < 400))).toEqual([]);
}

describe('a silent follow stream', () => {
  it('is replaced when its connection stalls: the missed lines come, none twice, none lost', async () => {
    const entries: LogEntry[] = [];
    const phases: string[] = [];
    const quietEntries: LogEntry[] = [];
    const quietPhases: string[] = [];
    const stopTicker = follow('ticker', entries, phases);
    const stopQuiet = follow('quiet', quietEntries, quietPhases);
    try {
      await expect.poll(() => ticks(entries)).toBeGreaterThan(3);
      expect(logRequests('ticker')).toHaveLength(1);
      proxy.stall();
      const stalledAt = ticks(entries);
      // Lines go on being logged; the stalled stream brings none, its replacement brings them all.
      await expect.poll(() => ticks(entries), { timeout: SILENT_MS * 4 }).toBeGreaterThan(stalledAt + 10);
      expect(logRequests('ticker').length).toBeGreaterThan(1);
      expectEachTickOnce(entries);
      expect(entries.filter((e) => e.note)).toEqual([]);
      expect(phases).toEqual(['following']);
      // The quiet container's stream was replaced as well, and nothing was said or repeated.
      expect(logRequests('quiet').length).toBeGreaterThan(1);
      expect(quietEntries.map((e) => e.text)).toEqual(['quiet up']);
      expect(quietPhases).toEqual(['following']);
    } finally {
      stopTicker();
      stopQuiet();
    }
  }, 30_000);
});

describe('a flapping link', () => {
  it('drops bridged in a moment write nothing in the log, and no line is repeated or lost', async () => {
    const entries: LogEntry[] = [];
    const phases: string[] = [];
    const stop = follow('ticker', entries, phases);
    try {
      await expect.poll(() => ticks(entries)).toBeGreaterThan(3);
      const before = logRequests('ticker').length;
      for (let i = 0; i < 6; i++) {
        const ticked = ticks(entries);
        const said = phases.length;
        proxy.resetOpen();
        // Each drop is said in the title, and the stream is back within a moment, bringing lines again.
        await expect.poll(() => ticks(entries)).toBeGreaterThan(ticked + 2);
        expect(phases.slice(said)).toEqual(['reconnecting', 'following']);
      }
      // Six drops, six resumes, each from the last line's whole second (not a tail, which could skip lines).
      const since = logRequests('ticker')
        .slice(before)
        .map((r) => new URL(r.url, sim.url).searchParams.get('sinceTime'));
      expect(since).toHaveLength(6);
      for (const time of since) expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
      expect(entries.filter((e) => e.note)).toEqual([]);
      expectEachTickOnce(entries);
    } finally {
      stop();
    }
  }, 30_000);
});
