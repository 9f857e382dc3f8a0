import { describe, expect, it } from 'vitest';
import { summarise, targetMb } from '../../bench/soak.js';

// Ten minutes sampled every minute: the list's start-up costs 6 s of CPU in the first minute, then 12 ms/s, and
// one full collection (300 ms) lands at minute 7.
const samples = Array.from({ length: 11 }, (_, minute) => ({
  s: minute * 60,
  rssMb: 200 + (minute % 2),
  cpuMs: minute === 0 ? 0 : 6000 + (minute - 1) * 60 * 12 + (minute >= 7 ? 300 : 0),
}));

describe('summarise', () => {
  it('gives the CPU at rest over the settled minutes, without the start-up', () => {
    const summary = summarise(samples, 40, 10, 50_000);
    expect(summary.slopeFromS).toBe(120);
    // 8 minutes after the second: 8 × 60 × 12 ms plus the one collection, over 480 s.
    expect(summary.restCpuMsPerSecond).toBe(Math.round((8 * 60 * 12 + 300) / 480));
  });

  it('judges the peak against the target of its size', () => {
    expect(summarise(samples, 40, 10, 50_000).underTarget).toBe(true);
    expect(summarise(samples, 40, 10, 10_000).underTarget).toBe(false);
    expect([targetMb(1_000), targetMb(10_000), targetMb(50_000)]).toEqual([150, 150, 400]);
  });

  it('has no CPU at rest when no two samples are settled', () => {
    expect(summarise(samples.slice(0, 3), 40, 10).restCpuMsPerSecond).toBeNull();
  });
});
