import type { SimCluster } from './cluster.js';

// Status churn for benchmarks: `perSecond` readiness flaps a second over pods that run steadily, as while a
// deploy's readiness probes fail and pass. One of them, the probe pod, flaps every 2 s (longer than a frame of a busy view takes) and reports
// each flap as published, so a benchmark can time a watch event to the screen that shows it.

export interface ProbeFlap {
  namespace: string;
  name: string;
  ready: boolean;
  /** Wall-clock ms (Date.now) when the change was published to the watches. */
  publishedAt: number;
}

const probeEveryTicks = 20;

/** Returns what to call on each tick of `tickMs`, before the cluster publishes its changes. */
export function readinessChurn(
  cluster: SimCluster,
  perSecond: number,
  tickMs: number,
): { tick(): Omit<ProbeFlap, 'publishedAt'> | undefined } {
  const probe = cluster.steadyPod();
  let ticks = 0;
  let owed = 0;
  return {
    tick() {
      ticks++;
      owed += (perSecond * tickMs) / 1000;
      const probeFlaps =
        probe !== undefined && ticks % probeEveryTicks === 0 && probe.runtime.flapReadiness();
      const others = Math.floor(owed) - (probeFlaps ? 1 : 0);
      if (others > 0) cluster.flapReadiness(others, probe);
      owed -= Math.floor(owed);
      if (!probeFlaps || probe === undefined) return undefined;
      const { namespace, name } = probe.runtime.ref;
      return { namespace, name, ready: probe.runtime.ready };
    },
  };
}
