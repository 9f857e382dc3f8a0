import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { loadScenario, type RunningSim, startSim } from '../../src/sim/index.js';
import type { LogEntry } from '../../src/ui/log-buffer.js';
import { followAcrossRestarts } from '../../src/ui/run-follower.js';
import { proxiedKubeconfig, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

// A follow stream whose connection dies without a sign (a proxy that stops forwarding on open connections
// while new ones still pass: no FIN, no RST) must not say `following` forever: after a silence it is replaced
// by a fresh one from the last line's timestamp, which brings the lines the dead one missed, none twice. A
// container that is only quiet gets its stream replaced too, and nothing is said about it.

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
    onEntries: (batch) => entries.push(...batch),
    onPhase: (phase) => phases.push(phase.kind),
  }).stop;
}

const logRequests = (container: string) =>
  sim.requests().filter((r) => r.url.includes(`/pods/steady/log?container=${container}`)).length;

describe('a silent follow stream', () => {
  it('is replaced when its connection stalls: the missed lines come, none twice, none lost', async () => {
    const entries: LogEntry[] = [];
    const phases: string[] = [];
    const quietEntries: LogEntry[] = [];
    const quietPhases: string[] = [];
    const stopTicker = follow('ticker', entries, phases);
    const stopQuiet = follow('quiet', quietEntries, quietPhases);
    try {
      const ticks = () => entries.filter((e) => e.text === 'tick').length;
      await expect.poll(() => ticks()).toBeGreaterThan(3);
      expect(logRequests('ticker')).toBe(1);
      proxy.stall();
      const stalledAt = ticks();
      // Lines go on being logged; the stalled stream brings none, its replacement brings them all.
      await expect.poll(() => ticks(), { timeout: SILENT_MS * 4 }).toBeGreaterThan(stalledAt + 10);
      expect(logRequests('ticker')).toBeGreaterThan(1);
      const times = entries.filter((e) => !e.note).map((e) => Date.parse(e.time ?? ''));
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      // Every 200 ms, in order: nothing repeated (a gap of 0) or lost (a gap of 400 ms or more).
      expect(gaps.every((gap) => gap > 0 && gap < 400)).toBe(true);
      expect(entries.filter((e) => e.note)).toEqual([]);
      expect(phases).toEqual(['following']);
      // The quiet container's stream was replaced as well, and nothing was said or repeated.
      expect(logRequests('quiet')).toBeGreaterThan(1);
      expect(quietEntries.map((e) => e.text)).toEqual(['quiet up']);
      expect(quietPhases).toEqual(['following']);
    } finally {
      stopTicker();
      stopQuiet();
    }
  }, 30_000);
});
