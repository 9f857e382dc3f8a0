import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { slimEvent, slimPod } from '../../src/kube/slim.js';
import type { KubeEvent, Pod } from '../../src/model/pod.js';

const fixture = (name: string) =>
  parse(readFileSync(new URL(`../fixtures/kube/${name}`, import.meta.url), 'utf8'));

describe('slimPod', () => {
  const full = fixture('pod-full.yaml') as Pod & { metadata: { managedFields?: unknown } };
  const slim = slimPod(full);

  it('drops managedFields, unrelated annotations and projected volumes', () => {
    expect(slim.metadata).not.toHaveProperty('managedFields');
    expect(slim.metadata.annotations).toEqual({
      'meta.helm.sh/release-name': 'payments',
      'meta.helm.sh/release-namespace': 'shop',
      'kubectl.kubernetes.io/default-container': 'app',
    });
    expect(slim.spec.volumes).toEqual([
      { name: 'config', configMap: { name: 'payments-config' } },
      { name: 'kube-api-access-x2k9p' },
    ]);
  });

  it("keeps Argo CD's tracking id: a pod template that carries it names the app to change", () => {
    const tracked = structuredClone(full);
    tracked.metadata.annotations = {
      ...tracked.metadata.annotations,
      'argocd.argoproj.io/tracking-id': 'payments:apps/Deployment:shop/payments-api',
    };
    expect(slimPod(tracked).metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(
      'payments:apps/Deployment:shop/payments-api',
    );
  });

  it('keeps what the model reads', () => {
    expect(slim.metadata).toMatchObject({
      name: 'payments-api-7d9f8-abc12',
      namespace: 'shop',
      uid: '4b1c9a52-5a0e-4d1e-9a43-0f0e1d2c3b4a',
      labels: { app: 'payments-api', 'pod-template-hash': '7d9f8' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'payments-api-7d9f8', controller: true }],
    });
    const status = slim.status?.containerStatuses?.[0];
    expect(status).toMatchObject({
      name: 'app',
      restartCount: 7,
      state: { waiting: { reason: 'CrashLoopBackOff' } },
      lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-11-25T14:02:11Z' } },
    });
    expect(status?.state?.waiting?.message).toMatch(/^back-off 2m40s restarting failed container=app/);
    expect(slim.spec.containers[0]).toMatchObject({
      name: 'app',
      resources: { limits: { memory: '256Mi' } },
      env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'payments-db', key: 'password' } } }],
      livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
      volumeMounts: [
        { name: 'config', mountPath: '/etc/payments', readOnly: true },
        {
          name: 'kube-api-access-x2k9p',
          mountPath: '/var/run/secrets/kubernetes.io/serviceaccount',
          readOnly: true,
        },
      ],
    });
    expect(slim.spec.containers[0]).not.toHaveProperty('terminationMessagePath');
    expect(slim.spec).not.toHaveProperty('tolerations');
    expect(slim.status).toMatchObject({ phase: 'Running', qosClass: 'Burstable', podIP: '10.244.1.17' });
  });

  it('bounds a huge waiting message', () => {
    const pod = slimPod({
      metadata: { name: 'x' },
      spec: { containers: [] },
      status: {
        containerStatuses: [
          { name: 'a', ready: false, restartCount: 0, state: { waiting: { message: 'm'.repeat(100_000) } } },
        ],
      },
    });
    expect(pod.status?.containerStatuses?.[0]?.state?.waiting?.message?.length).toBeLessThanOrEqual(4097);
  });
});

describe('slimEvent', () => {
  it('keeps the fields describe and the classifier read', () => {
    const event = fixture('event-backoff.yaml') as KubeEvent;
    expect(slimEvent(event)).toEqual({
      metadata: { name: 'payments-api-7d9f8-abc12.187a', namespace: 'shop', resourceVersion: '5512' },
      involvedObject: {
        kind: 'Pod',
        namespace: 'shop',
        name: 'payments-api-7d9f8-abc12',
        uid: '4b1c9a52-5a0e-4d1e-9a43-0f0e1d2c3b4a',
        fieldPath: 'spec.containers{app}',
      },
      reason: 'BackOff',
      message:
        'Back-off restarting failed container app in pod payments-api-7d9f8-abc12_shop(4b1c9a52-5a0e-4d1e-9a43-0f0e1d2c3b4a)',
      type: 'Warning',
      count: 31,
      firstTimestamp: '2026-11-25T13:40:02Z',
      lastTimestamp: '2026-11-25T14:02:12Z',
      source: { component: 'kubelet', host: 'node-3' },
    });
  });
});
