import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/sim/clock.js';
import { SimCluster } from '../../src/sim/cluster.js';
import type { EventObject } from '../../src/sim/events.js';
import type { NodeObject } from '../../src/sim/nodes.js';
import { parseScenario } from '../../src/sim/scenario-loader.js';
import { T0 } from './sim-fixture.js';

// The scenario's nodeEvents: the kubelet's Node events, in its own words, at their time, and the pressure condition
// they report turning True on the Node (pkg/kubelet/nodestatus/setters.go).

const SCENARIO = `name: pressure
nodes: [node-a, node-b]
nodeEvents:
  - { node: node-b, reason: Rebooted, ago: 5m }
  - { node: node-b, reason: SystemOOM, ago: 2m, detail: postgres }
  - { node: node-b, reason: NodeHasInsufficientMemory, after: 30s }
  - { node: node-b, reason: EvictionThresholdMet, after: 30s }
  - { node: node-a, reason: NodeHasDiskPressure, ago: 2h }
namespaces:
  - name: web
    workloads:
      - name: api
        containers: [{ name: app, image: example/api:1 }]
`;

function start() {
  const clock = new ManualClock(T0);
  const cluster = new SimCluster({ scenario: parseScenario('pressure.yaml', SCENARIO), clock });
  const events = () =>
    cluster.events
      .list()
      .map((e) => JSON.parse(e.json) as EventObject)
      .filter((e) => e.involvedObject.kind === 'Node');
  const node = (name: string) => JSON.parse(cluster.nodes.get(name)!.json) as NodeObject;
  const condition = (name: string, type: string) =>
    (node(name).status.conditions as { type: string; status: string; reason: string }[]).find(
      (c) => c.type === type,
    );
  return { clock, cluster, events, node, condition };
}

describe('node events of a scenario', () => {
  it('records the past ones at their time, on the Node, in namespace default, in the kubelet words', () => {
    const { events, node } = start();
    const b = node('node-b');
    expect(
      events().map((e) => [
        e.metadata.namespace,
        e.involvedObject,
        e.type,
        e.reason,
        e.lastTimestamp,
        e.source,
      ]),
    ).toEqual([
      [
        'default',
        { kind: 'Node', name: 'node-b', uid: b.metadata.uid },
        'Warning',
        'Rebooted',
        new Date(T0 - 300_000).toISOString().replace('.000', ''),
        { component: 'kubelet', host: 'node-b' },
      ],
      [
        'default',
        { kind: 'Node', name: 'node-b', uid: b.metadata.uid },
        'Warning',
        'SystemOOM',
        new Date(T0 - 120_000).toISOString().replace('.000', ''),
        { component: 'kubelet', host: 'node-b' },
      ],
    ]);
    const [rebooted, oom] = events();
    expect(rebooted!.message).toBe(
      `Node node-b has been rebooted, boot id: ${(b.status.nodeInfo as { bootID: string }).bootID}`,
    );
    expect(oom!.message).toMatch(/^System OOM encountered, victim process: postgres, pid: \d+$/);
  });

  it('reports pressure when it comes, and the Node shows the condition True from then on', () => {
    const { clock, cluster, events, condition } = start();
    expect(condition('node-b', 'MemoryPressure')).toMatchObject({ status: 'False' });
    clock.advance(30_000);
    cluster.advance();
    expect(
      events()
        .map((e) => [e.type, e.reason, e.message])
        .slice(2),
    ).toEqual([
      ['Normal', 'NodeHasInsufficientMemory', 'Node node-b status is now: NodeHasInsufficientMemory'],
      ['Warning', 'EvictionThresholdMet', 'Attempting to reclaim memory'],
    ]);
    expect(condition('node-b', 'MemoryPressure')).toMatchObject({
      status: 'True',
      reason: 'KubeletHasInsufficientMemory',
    });
    expect(condition('node-b', 'DiskPressure')).toMatchObject({ status: 'False' });
  });

  it('keeps no event older than the event TTL (1 h), but the pressure it reported stays on the Node', () => {
    const { events, condition } = start();
    expect(events().some((e) => e.involvedObject.name === 'node-a')).toBe(false);
    expect(condition('node-a', 'DiskPressure')).toMatchObject({
      status: 'True',
      reason: 'KubeletHasDiskPressure',
    });
  });
});
