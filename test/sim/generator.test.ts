import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../src/sim/generator.js';

describe('generateScenario', () => {
  it.each([
    [1, 0],
    [1234, 56],
    [10_000, 1_000],
    [50_000, 50_000],
  ])('makes exactly %i pods of which %i crash-loop', (pods, crashing) => {
    const scenario = generateScenario({ pods, crashing });
    const workloads = scenario.namespaces.flatMap((n) => n.workloads);
    const total = workloads.reduce((sum, w) => sum + w.replicas, 0);
    const failing = workloads
      .filter((w) => w.template.containers.some((c) => c.behavior.kind !== 'run'))
      .reduce((sum, w) => sum + w.replicas, 0);
    expect([total, failing]).toEqual([pods, crashing]);
    expect(new Set(workloads.map((w) => w.name)).size).toBe(workloads.length);
    expect(scenario.namespaces.length).toBe(Math.ceil(pods / 2000));
  });

  it('is deterministic and caps at 50,000 pods', () => {
    expect(generateScenario({ pods: 300, crashing: 20 })).toEqual(
      generateScenario({ pods: 300, crashing: 20 }),
    );
    const capped = generateScenario({ pods: 80_000, crashing: 10 });
    expect(capped.namespaces.flatMap((n) => n.workloads).reduce((sum, w) => sum + w.replicas, 0)).toBe(
      50_000,
    );
  });

  it('scatters the crash loops of one failure over the back-off cycle, as unrelated Deployments are', () => {
    // Workloads of one failure whose ages differ by whole back-off caps (300 s) restart in step: with ages a
    // minute apart and the failure repeating every fifth workload, all of them restarted in the same minute.
    const crashing = generateScenario({ pods: 10_000, crashing: 500 })
      .namespaces.flatMap((n) => n.workloads)
      .filter((w) => w.template.containers.some((c) => c.behavior.kind !== 'run'));
    const failures = new Set(crashing.map((w) => JSON.stringify(w.template.containers[0]?.behavior)));
    expect(failures.size).toBe(5);
    for (const failure of failures) {
      const same = crashing.filter((w) => JSON.stringify(w.template.containers[0]?.behavior) === failure);
      const minutes = same.map((w) => Math.floor((w.ageMs % 300_000) / 60_000));
      const busiest = Math.max(...[0, 1, 2, 3, 4].map((m) => minutes.filter((x) => x === m).length));
      expect(busiest / same.length).toBeLessThanOrEqual(0.4);
    }
  });
});
