import { describe, expect, it } from 'vitest';
import { demoScenario } from '../../src/sim/demo.js';
import { loadScenario, parseScenario } from '../../src/sim/scenario-loader.js';
import { fixturePath } from './sim-fixture.js';

// Scenario files: the documented format loads, and every mistake is reported as `FILE:LINE: what is wrong`.

const VALID = `name: ok
namespaces:
  - name: web
    workloads:
      - name: api
        replicas: 2
        containers:
          - name: app
            image: example/api:1
            behavior: { crash: { after: 30s, exitCode: 137, reason: OOMKilled } }
            logs: [starting]
`;

describe('loadScenario', () => {
  it('reads the documented format, passing Kubernetes container fields through', () => {
    const scenario = parseScenario('ok.yaml', VALID);
    const workload = scenario.namespaces[0]!.workloads[0]!;
    expect(workload).toMatchObject({ name: 'api', kind: 'Deployment', replicas: 2, labels: { app: 'api' } });
    expect(workload.template.containers[0]).toEqual({
      spec: { name: 'app', image: 'example/api:1' },
      behavior: { kind: 'crash', afterMs: 30_000, exitCode: 137, reason: 'OOMKilled' },
      logs: { lines: ['starting'], exitLines: [] },
    });
    expect(scenario.crashLoop).toEqual({ initialMs: 10_000, maxMs: 300_000, resetMs: 600_000 });
  });

  it.each([
    ['a YAML syntax error', 'name: [unclosed\n', 1, /Flow sequence|flow collection|Missing/i],
    [
      'a typo in a workload key',
      VALID.replace('replicas: 2', 'replica: 2'),
      6,
      /unknown key "replica" in a workload/,
    ],
    ['a bad duration', VALID.replace('after: 30s', 'after: soon'), 10, /after must be a duration/],
    [
      'an exit code out of range',
      VALID.replace('exitCode: 137', 'exitCode: 300'),
      10,
      /exitCode must be a whole number from 0 to 255/,
    ],
    [
      'a container without an image',
      VALID.replace('            image: example/api:1\n', ''),
      8,
      /container "app" needs an image/,
    ],
    [
      'an upper-case namespace',
      VALID.replace('name: web', 'name: Web'),
      3,
      /namespace name "Web" must be lower-case/,
    ],
    [
      'two behaviors',
      VALID.replace('behavior: {', 'behavior: { run: {},'),
      10,
      /behavior needs exactly one of/,
    ],
    ['no namespaces', 'name: empty\n', 1, /needs a "namespaces" list/],
    [
      'replicas on a DaemonSet',
      VALID.replace('replicas: 2', 'kind: DaemonSet\n        replicas: 2'),
      7,
      /one pod per node; it takes no "replicas"/,
    ],
    [
      'a Job that never restarts',
      VALID.replace('replicas: 2', 'kind: Job\n        restartPolicy: Never'),
      7,
      /a Job here restarts its pods OnFailure/,
    ],
    [
      'a node event on a node the scenario does not have',
      `${VALID}nodeEvents:\n  - { node: node-9, reason: Rebooted }\n`,
      13,
      /node "node-9" is not in the scenario's nodes/,
    ],
    [
      'a node event reason the kubelet does not record',
      `${VALID}nodeEvents:\n  - { node: sim-node-1, reason: NodeHasMemoryPressure }\n`,
      13,
      /reason must be one of NodeHasInsufficientMemory, /,
    ],
  ])('reports %s with its line', (_what, text, line, message) => {
    let error: Error | undefined;
    try {
      parseScenario('bad.yaml', text);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(new RegExp(`^bad\\.yaml:${line}: `));
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  it('reads node events at their time from the start: ago before it, after later', () => {
    const scenario = parseScenario(
      'ok.yaml',
      `${VALID}nodeEvents:\n  - { node: sim-node-1, reason: EvictionThresholdMet, ago: 5m, detail: ephemeral-storage }\n  - { node: sim-node-1, reason: SystemOOM, after: 30s }\n`,
    );
    expect(scenario.nodeEvents).toEqual([
      { node: 'sim-node-1', reason: 'EvictionThresholdMet', atMs: -300_000, detail: 'ephemeral-storage' },
      { node: 'sim-node-1', reason: 'SystemOOM', atMs: 30_000 },
    ]);
  });

  it('reports a missing file as FILE:1', async () => {
    await expect(loadScenario('/nonexistent/scenario.yaml')).rejects.toThrow(
      '/nonexistent/scenario.yaml:1: cannot read the scenario file (ENOENT)',
    );
  });

  it('loads the test fixtures', async () => {
    const scenario = await loadScenario(fixturePath('timeline.yaml'));
    expect(scenario.namespaces[0]!.workloads.map((w) => w.name)).toContain('probe');
  });
});

describe('the demo scenario', () => {
  it('has three namespaces, healthy workloads, every failure kind and a rollout', async () => {
    const demo = await demoScenario();
    expect(demo.namespaces.map((n) => n.name)).toEqual(['shop', 'payments', 'platform']);
    const containers = demo.namespaces.flatMap((n) => n.workloads.flatMap((w) => w.template.containers));
    const kinds = new Set(containers.map((c) => c.behavior.kind));
    expect([...kinds].sort()).toEqual(['crash', 'image-pull', 'liveness-failure', 'missing-config', 'run']);
    const exits = containers.flatMap((c) => (c.behavior.kind === 'crash' ? [c.behavior.exitCode] : []));
    expect(exits).toEqual(expect.arrayContaining([0, 1, 128, 137, 139, 3]));
    expect(demo.namespaces.flatMap((n) => n.workloads).filter((w) => w.rollout)).toHaveLength(1);
  });

  it('carries the hostile terminal payload in one log line', async () => {
    const demo = await demoScenario();
    const lines = demo.namespaces.flatMap((n) =>
      n.workloads.flatMap((w) =>
        w.template.containers.flatMap((c) => [...c.logs.lines, ...c.logs.exitLines]),
      ),
    );
    const hostile = lines.filter((l) => l.includes('\x1b]52;c;aGVsbG8=\x07 \x1b[2J \x1b]0;pwned\x07'));
    expect(hostile).toHaveLength(1);
  });
});
