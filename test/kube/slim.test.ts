import { readdirSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  maxSharedConditionLists,
  maxSharedConditionTimes,
  maxSharedOwnersAndLabels,
  maxSharedSpecs,
  maxSharedStrings,
  share,
  sharedConditionListCount,
  sharedConditionTimeCount,
  sharedOwnersAndLabelsCount,
  sharedSpecCount,
  sharedStringCount,
  slimEvent,
  slimPod,
} from '../../src/kube/slim.js';
import type { KubeEvent, Pod } from '../../src/model/pod.js';
import { podRow } from '../../src/model/rows.js';

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

  // Every status fixture, as the live view gets it (slim) and as `explain` reads it (whole): the same row. A
  // field slim dropped (a container's restartPolicyRules) made the live view call a pod under a rule it ignored.
  const statusFixtures = readdirSync(new URL('../fixtures/status/', import.meta.url)).filter((f) =>
    f.endsWith('.yaml'),
  );
  it.each(statusFixtures)('keeps what the row of %s reads', (file) => {
    const doc = parse(readFileSync(new URL(`../fixtures/status/${file}`, import.meta.url), 'utf8')) as
      | Pod
      | { items: Pod[] };
    const NOW = Date.parse('2026-11-25T15:00:00Z');
    for (const pod of 'items' in doc ? doc.items : [doc]) {
      const row = (p: Pod) =>
        podRow(`ctx/${pod.metadata.namespace}/${pod.metadata.name}`, 'ctx', p, [], { nowMs: NOW });
      expect(JSON.stringify(row(slimPod(structuredClone(pod))))).toBe(JSON.stringify(row(pod)));
    }
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

// A watch keeps 10,000 to 50,000 of these for hours: what each costs is the view's memory.
describe('slim pods held by a watch', () => {
  const full = fixture('pod-full.yaml') as Pod;
  /** Another replica of the same workload, parsed from JSON as a watch would (no string or object shared). */
  const replica = (i: number, image?: string): Pod => {
    const pod = JSON.parse(JSON.stringify(full)) as Pod;
    pod.metadata.name = `payments-api-7d9f8-r${i}`;
    pod.metadata.uid = `uid-${i}`;
    if (image !== undefined) for (const c of pod.spec.containers) c.image = image;
    return pod;
  };

  it('builds objects of one kind with one hidden class (a spread made one per object: 20 MB at 10,000 pods)', () => {
    setFlagsFromString('--allow-natives-syntax');
    const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    // A real cluster's pods differ in which optional fields they have; the bug showed only then (V8's
    // property-copying caches go generic after a few shapes and hand out a new hidden class per object).
    const optional = ['reason', 'message', 'lastTransitionTime', 'lastProbeTime'] as const;
    for (let variant = 0; variant < 16; variant++) {
      const pod = replica(100 + variant);
      for (const condition of (pod.status?.conditions ?? []) as unknown as Record<string, unknown>[]) {
        optional.forEach((key, bit) => {
          if (variant & (1 << bit)) condition[key] = 'x';
          else delete condition[key];
        });
      }
      for (const status of pod.status?.containerStatuses ?? []) {
        if (variant & 1) delete status.started;
        if (variant & 2) delete status.imageID;
        if (variant & 4) delete status.containerID;
      }
      slimPod(pod);
    }
    const [a, b] = [slimPod(replica(1)), slimPod(replica(2))];
    const pairs: [string, (pod: Pod) => object | undefined][] = [
      ['metadata', (p) => p.metadata],
      ['spec', (p) => p.spec],
      ['status', (p) => p.status],
      ['condition', (p) => p.status?.conditions?.[0]],
      ['container status', (p) => p.status?.containerStatuses?.[0]],
      ['waiting state', (p) => p.status?.containerStatuses?.[0]?.state?.waiting],
      ['terminated state', (p) => p.status?.containerStatuses?.[0]?.lastState?.terminated],
    ];
    for (const [what, of] of pairs) {
      const [x, y] = [of(a), of(b)];
      expect(x, what).toBeDefined();
      expect(sameMap(x!, y!), what).toBe(true);
    }
    const event = fixture('event-backoff.yaml') as KubeEvent;
    expect(sameMap(slimEvent(event), slimEvent(structuredClone(event)))).toBe(true);
  });

  it('gives replicas one containers list, and keeps apart what differs', () => {
    expect(slimPod(replica(1)).spec.containers).toBe(slimPod(replica(2)).spec.containers);
    const other = slimPod(replica(3, 'registry.example.com/shop/payments-api:2.15.0'));
    expect(other.spec.containers).not.toBe(slimPod(replica(4)).spec.containers);
    expect(other.spec.containers[0]?.image).toBe('registry.example.com/shop/payments-api:2.15.0');
  });

  it('gives replicas one owner reference list, label set and annotation set, and keeps apart what differs', () => {
    const [a, b] = [slimPod(replica(1)).metadata, slimPod(replica(2)).metadata];
    expect(b.ownerReferences).toBe(a.ownerReferences);
    expect(b.labels).toBe(a.labels);
    expect(b.annotations).toBe(a.annotations);
    const other = replica(3);
    other.metadata.labels = { ...other.metadata.labels, 'pod-template-hash': '5c4b3' };
    other.metadata.ownerReferences = [{ kind: 'ReplicaSet', name: 'payments-api-5c4b3', controller: true }];
    const { labels, ownerReferences } = slimPod(other).metadata;
    expect(labels).toEqual({ app: 'payments-api', 'pod-template-hash': '5c4b3' });
    expect(ownerReferences).toEqual([{ kind: 'ReplicaSet', name: 'payments-api-5c4b3', controller: true }]);
    expect(labels).not.toBe(a.labels);
  });

  it('gives pods one object per equal plain condition, and keeps apart what differs', () => {
    const conditions = (pod: Pod) => new Map((pod.status?.conditions ?? []).map((c) => [c.type, c]));
    // Replicas whose conditions are all equal share the list as well.
    expect(slimPod(replica(1)).status?.conditions).toBe(slimPod(replica(2)).status?.conditions);
    const sidecar = replica(2);
    const unready = sidecar.status?.conditions?.find((condition) => condition.type === 'Ready');
    unready!.message = 'containers with unready status: [app sidecar]';
    const [a, b] = [conditions(slimPod(replica(1))), conditions(slimPod(sidecar))];
    expect(a.get('Initialized')).toBe(b.get('Initialized'));
    expect(a.get('PodScheduled')).toBe(b.get('PodScheduled'));
    // A failing pod's Ready carries a reason and message of its own: kept as it came.
    expect(b.get('Ready')).toMatchObject({
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app sidecar]',
    });
    const later = replica(3);
    for (const condition of later.status?.conditions ?? [])
      condition.lastTransitionTime = '2026-11-25T15:00:00Z';
    const moved = conditions(slimPod(later)).get('Initialized');
    expect(moved).not.toBe(a.get('Initialized'));
    expect(moved).toEqual({
      type: 'Initialized',
      status: 'True',
      lastTransitionTime: '2026-11-25T15:00:00Z',
    });
  });

  it('shares a handful of condition types a second, and gives pods with many of their own each one right', () => {
    // `count` of them, so that the pods' lists differ and only the conditions can be shared.
    const gated = (name: string, count: number) =>
      slimPod({
        metadata: { name },
        spec: { containers: [] },
        status: {
          conditions: Array.from({ length: count }, (_, i) => ({
            type: `example.com/gate-${i}`,
            status: 'True',
            lastTransitionTime: '2026-11-25T16:00:00Z',
          })),
        },
      }).status?.conditions ?? [];
    const [a, b] = [gated('a', 40), gated('b', 41)];
    expect(b.slice(0, 40)).toEqual(a);
    expect(a.filter((condition, i) => condition === b[i])).toHaveLength(16);
  });

  it('bounds what it shares, however many distinct pods go by', () => {
    for (let i = 0; i < maxSharedConditionTimes + 500; i++) {
      slimPod({
        metadata: { name: `p${i}` },
        spec: { containers: [] },
        status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: `t${i}` }] },
      });
    }
    expect(sharedConditionTimeCount()).toBeLessThanOrEqual(maxSharedConditionTimes);
    expect(sharedConditionListCount()).toBeLessThanOrEqual(maxSharedConditionLists);
    for (let i = 0; i < maxSharedSpecs + 500; i++) {
      slimPod({ metadata: { name: `p${i}` }, spec: { containers: [{ name: 'app', image: `app:${i}` }] } });
    }
    expect(sharedSpecCount()).toBeLessThanOrEqual(maxSharedSpecs);
    for (let i = 0; i < maxSharedOwnersAndLabels + 500; i++) {
      slimPod({
        metadata: {
          name: `p${i}`,
          labels: { app: `a${i}` },
          ownerReferences: [{ kind: 'Job', name: `j${i}` }],
        },
        spec: { containers: [] },
      });
    }
    expect(sharedOwnersAndLabelsCount()).toBeLessThanOrEqual(2 * maxSharedOwnersAndLabels);
    for (let i = 0; i < maxSharedStrings + 500; i++) share(`2026-11-25T14:${i}Z`);
    expect(sharedStringCount()).toBeLessThanOrEqual(maxSharedStrings);
    expect(share('2026-11-25T14:00:00Z')).toBe('2026-11-25T14:00:00Z');
  });
});
