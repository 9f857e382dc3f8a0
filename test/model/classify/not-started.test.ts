import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/model/classify/index.js';
import { NOT_STARTED_RULES } from '../../../src/model/classify/rules.js';
import type { DiagnosisInput } from '../../../src/model/classify/types.js';
import { loadPodFixture } from './pod-fixture.js';

// Containers the kubelet has not created (ContainerCreating / PodInitializing) get a cause only from
// NOT_STARTED_RULES, when a pod-level FailedMount event says which ConfigMap/Secret is missing.

function titleOf(rule: string): string {
  return NOT_STARTED_RULES.find((r) => r.name === rule)!.title;
}

function configMapFixture(change: (input: DiagnosisInput) => void = () => {}): DiagnosisInput {
  const input = loadPodFixture('missing-config--volume-configmap-not-found');
  change(input);
  return input;
}

describe('pods that cannot start because a mounted ConfigMap/Secret is missing', () => {
  it('mounted-configmap-or-secret-not-found: evidence, fix and commands with the real names', () => {
    const { cause } = diagnose({ ...configMapFixture(), context: 'prod' });
    expect(cause).toStrictEqual({
      id: 'missing-config',
      container: 'api',
      confidence: 'high',
      title: titleOf('mounted-configmap-or-secret-not-found'),
      evidence: [
        'state.waiting.reason: ContainerCreating',
        'event Warning FailedMount: MountVolume.SetUp failed for volume "cfg" : configmap "orders-config" not found',
        'spec.volumes[cfg].configMap.name: orders-config',
        'volumeMounts: cfg at /etc/orders',
      ],
      fix: 'Add the ConfigMap orders-config in namespace shop (fill in the real values), or fix volume cfg in deployment/orders-api.',
      commands: [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
        'kubectl --context prod create configmap orders-config -n shop --from-file="${FILE:?fill in <file>}"',
        'kubectl --context prod describe pod orders-api-5f7b9c8d6-q2w3e -n shop',
      ],
    });
  });

  it("read with the pod's service account: the commands name no context (kubectl in the pod knows none)", () => {
    const { cause } = diagnose({ ...configMapFixture(), context: 'inClusterContext', inCluster: true });
    expect(cause?.commands).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      'kubectl create configmap orders-config -n shop --from-file="${FILE:?fill in <file>}"',
      'kubectl describe pod orders-api-5f7b9c8d6-q2w3e -n shop',
    ]);
  });

  it('mounted-key-not-found: the volume names the Secret, the command patches in only that key', () => {
    const { cause, containers } = diagnose(loadPodFixture('missing-config--volume-secret-key-missing'));
    expect(cause?.title).toBe(titleOf('mounted-key-not-found'));
    expect(cause?.evidence).toContain('spec.volumes[tls].secret.secretName: payments-gateway-tls');
    expect(cause?.commands[0]).toBe(
      `kubectl patch secret payments-gateway-tls -n payments --type merge -p '{"stringData":{"ca.crt":"'"\${VALUE_OF_CA_CRT:?fill in <value of ca.crt>}"'"}}'`,
    );
    // No container of the pod can start, so each gets the cause; the init container comes first.
    expect(containers.map((c) => [c.container, c.id])).toEqual([
      ['migrate', 'missing-config'],
      ['gateway', 'missing-config'],
    ]);
  });

  it('a projected volume source counts as the volume referencing the object', () => {
    const { cause } = diagnose(
      configMapFixture(({ pod }) => {
        pod.spec.volumes![0] = {
          name: 'cfg',
          projected: {
            sources: [{ configMap: { name: 'orders-config' } }, { secret: { name: 'orders-db' } }],
          },
        };
      }),
    );
    expect(cause?.confidence).toBe('high');
    expect(cause?.evidence).toContain('spec.volumes[cfg].projected.sources[].configMap.name: orders-config');
  });

  it('reads the event with or without a space before the colon', () => {
    const { cause } = diagnose(
      configMapFixture((input) => {
        input.events = input.events!.map((e) => ({ ...e, message: e.message?.replace('"cfg" :', '"cfg":') }));
      }),
    );
    expect(cause?.confidence).toBe('high');
  });

  it('with mounted keys, the created ConfigMap gets each key from a file', () => {
    const { cause } = diagnose(
      configMapFixture(({ pod }) => {
        pod.spec.volumes![0]!.configMap!.items = [{ key: 'orders.yaml', path: 'orders.yaml' }];
      }),
    );
    expect(cause?.commands[0]).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      'kubectl create configmap orders-config -n shop --from-file=orders.yaml="${FILE_FOR_ORDERS_YAML:?fill in <file for orders.yaml>}"',
    );
  });

  it.each([
    ['the volume is not in the spec', (input: DiagnosisInput) => input.pod.spec.volumes!.splice(0, 1)],
    [
      'the volume mounts another ConfigMap',
      (input: DiagnosisInput) => (input.pod.spec.volumes![0]!.configMap!.name = 'orders-settings'),
    ],
  ])('mount-names-missing-object (medium) when %s', (_, change) => {
    const { cause } = diagnose(configMapFixture(change));
    expect(cause?.title).toBe(titleOf('mount-names-missing-object'));
    expect(cause?.confidence).toBe('medium');
    expect(cause?.commands[0]).toContain('create configmap orders-config');
  });

  it.each([
    ['no events', (input: DiagnosisInput) => (input.events = [])],
    [
      'only the generic "Unable to attach or mount volumes" event',
      (input: DiagnosisInput) =>
        (input.events = input.events!.filter((e) => e.message?.startsWith('Unable'))),
    ],
    [
      'a missing PersistentVolumeClaim, not a ConfigMap',
      (input: DiagnosisInput) =>
        (input.events = input.events!.map((e) => ({
          ...e,
          message: e.message?.replace('configmap "orders-config"', 'persistentvolumeclaim "orders-data"'),
        }))),
    ],
    [
      'the event is about another pod',
      (input: DiagnosisInput) =>
        (input.events = input.events!.map((e) => ({
          ...e,
          involvedObject: { ...e.involvedObject, name: 'orders-api-5f7b9c8d6-zzzzz', uid: 'other' },
        }))),
    ],
    [
      'a stale event, once a container of the pod was created (the volumes were mounted then)',
      (input: DiagnosisInput) =>
        input.pod.status!.containerStatuses!.push({
          name: 'metrics',
          ready: true,
          restartCount: 0,
          state: { running: { startedAt: '2026-11-25T14:10:00Z' } },
        }),
    ],
  ])('a starting container gets no cause with %s', (_, change) => {
    expect(diagnose(configMapFixture(change))).toEqual({ containers: [] });
  });
});
