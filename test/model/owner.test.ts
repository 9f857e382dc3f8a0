import { describe, expect, it } from 'vitest';
import { ownerOf, workloadRef } from '../../src/model/owner.js';
import type { OwnerReference, Pod } from '../../src/model/pod.js';

function pod(ownerReferences: OwnerReference[], labels: Record<string, string> = {}): Pod {
  return { metadata: { name: 'p', namespace: 'ns', labels, ownerReferences }, spec: { containers: [] } };
}

describe('ownerOf', () => {
  it.each([
    {
      case: 'ReplicaSet named <deploy>-<pod-template-hash> → its Deployment',
      pod: pod([{ kind: 'ReplicaSet', name: 'payments-api-7d9f8c6b5', controller: true }], {
        'pod-template-hash': '7d9f8c6b5',
      }),
      owner: { kind: 'Deployment', name: 'payments-api' },
    },
    {
      case: 'bare ReplicaSet (name does not end in the hash) stays a ReplicaSet',
      pod: pod([{ kind: 'ReplicaSet', name: 'frontend', controller: true }], {
        'pod-template-hash': 'abc12',
      }),
      owner: { kind: 'ReplicaSet', name: 'frontend' },
    },
    {
      case: 'ReplicaSet without the hash label stays a ReplicaSet',
      pod: pod([{ kind: 'ReplicaSet', name: 'web-5d6e7f8a9', controller: true }]),
      owner: { kind: 'ReplicaSet', name: 'web-5d6e7f8a9' },
    },
    {
      case: 'a ReplicaSet named exactly -<hash> has no Deployment name',
      pod: pod([{ kind: 'ReplicaSet', name: '-abc', controller: true }], { 'pod-template-hash': 'abc' }),
      owner: { kind: 'ReplicaSet', name: '-abc' },
    },
    {
      case: 'StatefulSet',
      pod: pod([{ kind: 'StatefulSet', name: 'keycloak', controller: true }]),
      owner: { kind: 'StatefulSet', name: 'keycloak' },
    },
    {
      case: 'DaemonSet',
      pod: pod([{ kind: 'DaemonSet', name: 'fluent-bit', controller: true }]),
      owner: { kind: 'DaemonSet', name: 'fluent-bit' },
    },
    {
      case: 'a Job stays a Job even when its name looks like a CronJob run',
      pod: pod([{ kind: 'Job', name: 'nightly-report-29401234', controller: true }]),
      owner: { kind: 'Job', name: 'nightly-report-29401234' },
    },
    {
      case: 'the controller reference wins over other owners',
      pod: pod([
        { kind: 'ConfigMap', name: 'not-a-controller' },
        { kind: 'StatefulSet', name: 'db', controller: true },
      ]),
      owner: { kind: 'StatefulSet', name: 'db' },
    },
  ])('$case', ({ pod, owner }) => {
    expect(ownerOf(pod)).toEqual(owner);
  });

  it('a bare pod has no owner', () => {
    expect(ownerOf(pod([]))).toBeUndefined();
  });

  it('names the workload as kubectl takes it', () => {
    expect(workloadRef({ kind: 'Deployment', name: 'payments-api' })).toBe('deployment/payments-api');
  });
});
