import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diagnose } from '../../src/model/classify/index.js';
import type { Pod } from '../../src/model/pod.js';
import { failingRollout, rolloutEvidence } from '../../src/model/rollout.js';
import { createRowBuilder, filterRows, groupByOwner, groupRollout } from '../../src/model/rows.js';

const NEW_POD = 'checkout-7b8d9c5f4-m9n8b';

/** The pods of `kubectl get pods -n shop` during a stalled rollout; `crashing` is the new ReplicaSet's pod. */
function stalledRollout(): { crashing: Pod; pods: Pod[] } {
  const list = parse(
    readFileSync(new URL('../fixtures/status/rollout-stalled.yaml', import.meta.url), 'utf8'),
  ) as { items: Pod[] };
  return { crashing: list.items.find((p) => p.metadata.name === NEW_POD)!, pods: list.items };
}

function previousPods(pods: Pod[]): Pod[] {
  return pods.filter((p) => p.metadata.labels?.['pod-template-hash'] === '6d4cf56db6');
}

describe('failingRollout', () => {
  it('a pod of the newer ReplicaSet fails while the previous one still runs', () => {
    const { crashing, pods } = stalledRollout();
    const rollout = failingRollout(crashing, pods);
    expect(rollout).toStrictEqual({
      deployment: 'checkout',
      namespace: 'shop',
      replicaSet: 'checkout-7b8d9c5f4',
      replicaSetSince: '2026-11-25T13:58:02Z',
      replicaSetPods: 1,
      previous: 'checkout-6d4cf56db6',
      previousSince: '2026-11-20T09:12:44Z',
      previousRunning: 3,
    });
    expect(rolloutEvidence(rollout!)).toEqual([
      '3 pods of the previous ReplicaSet checkout-6d4cf56db6 are running',
      "ReplicaSet checkout-7b8d9c5f4 is the newer one: its first pod was created at 2026-11-25T13:58:02Z, checkout-6d4cf56db6's at 2026-11-20T09:12:44Z",
    ]);
  });

  it('says "1 pod … is running" for one', () => {
    const { crashing, pods } = stalledRollout();
    const one = pods.filter(
      (p) =>
        p.metadata.name !== 'checkout-6d4cf56db6-4xk2p' && p.metadata.name !== 'checkout-6d4cf56db6-7tq9w',
    );
    expect(rolloutEvidence(failingRollout(crashing, one)!)[0]).toBe(
      '1 pod of the previous ReplicaSet checkout-6d4cf56db6 is running',
    );
  });

  it.each<[string, (crashing: Pod, pods: Pod[]) => Pod[]]>([
    ['no siblings are known', () => []],
    [
      'the only other pods belong to another Deployment',
      (c, pods) => pods.filter((p) => p === c || p.metadata.name.startsWith('cart')),
    ],
    [
      'the failing ReplicaSet is the older one (a fix is rolling out)',
      (crashing, pods) => {
        crashing.metadata.creationTimestamp = '2026-11-19T00:00:00Z';
        return pods;
      },
    ],
    [
      'no pod of the previous ReplicaSet is ready',
      (_, pods) => {
        for (const p of previousPods(pods)) p.status!.conditions = [{ type: 'Ready', status: 'False' }];
        return pods;
      },
    ],
    [
      'the previous pods are being deleted',
      (_, pods) => {
        for (const p of previousPods(pods)) p.metadata.deletionTimestamp = '2026-11-25T14:00:00Z';
        return pods;
      },
    ],
    [
      'the previous pods run in another namespace',
      (_, pods) => {
        for (const p of previousPods(pods)) p.metadata.namespace = 'shop-staging';
        return pods;
      },
    ],
    [
      'a creation time is missing (which ReplicaSet is newer cannot be told)',
      (crashing, pods) => {
        delete crashing.metadata.creationTimestamp;
        return pods;
      },
    ],
    [
      'another pod of the new ReplicaSet runs ready (the new version works)',
      (crashing, pods) => {
        const healthy = structuredClone(previousPods(pods)[0]!);
        healthy.metadata = { ...crashing.metadata, name: 'checkout-7b8d9c5f4-p0o9i', uid: 'p0o9i' };
        return [...pods, healthy];
      },
    ],
    [
      'the pod is not owned by a Deployment',
      (crashing, pods) => {
        crashing.metadata.ownerReferences = [{ kind: 'StatefulSet', name: 'checkout', controller: true }];
        return pods;
      },
    ],
  ])('nothing is asserted when %s', (_, siblingsOf) => {
    const { crashing, pods } = stalledRollout();
    expect(failingRollout(crashing, siblingsOf(crashing, pods))).toBeUndefined();
  });

  it('names the previous ReplicaSet with the most running pods', () => {
    const { crashing, pods } = stalledRollout();
    const [older] = previousPods(pods);
    older!.metadata.labels!['pod-template-hash'] = '59f8d7c6b4';
    older!.metadata.ownerReferences = [{ kind: 'ReplicaSet', name: 'checkout-59f8d7c6b4', controller: true }];
    expect(failingRollout(crashing, pods)).toMatchObject({
      previous: 'checkout-6d4cf56db6',
      previousRunning: 2,
    });
  });
});

describe('diagnose with siblings', () => {
  it('a failing rollout: rolling back leads the fix and the commands, with the rollout as evidence', () => {
    const { crashing, pods } = stalledRollout();
    const workload = { found: { labels: { app: 'checkout' } } };
    const { cause } = diagnose({ pod: crashing, siblings: pods, context: 'prod', workload });
    expect(cause?.id).toBe('app-error');
    expect(cause?.fix).toBe(
      'Roll back deployment/checkout: its new ReplicaSet checkout-7b8d9c5f4 fails while 3 pods of the previous one (checkout-6d4cf56db6) still run. Then: Fix the error container app reports in its previous log.',
    );
    expect(cause?.commands.slice(0, 3)).toEqual([
      'helm --kube-context prod history checkout -n shop',
      'helm --kube-context prod rollback checkout -n shop',
      'kubectl --context prod rollout undo deployment/checkout -n shop',
    ]);
    expect(cause?.commands.filter((c) => c.includes('rollout undo'))).toHaveLength(1);
    expect(cause?.evidence).toContain('3 pods of the previous ReplicaSet checkout-6d4cf56db6 are running');
  });

  it('a failing rollout leads even for a cause that is not usually a new version (OOM)', () => {
    const { crashing, pods } = stalledRollout();
    crashing.status!.containerStatuses![0]!.lastState!.terminated!.reason = 'OOMKilled';
    const { cause } = diagnose({ pod: crashing, siblings: pods });
    expect(cause?.id).toBe('oom-killed');
    expect(cause?.commands.slice(0, 4)).toEqual([
      'helm history checkout -n shop',
      'helm rollback checkout -n shop',
      'kubectl rollout undo deployment/checkout -n shop',
      'kubectl set resources deployment/checkout -n shop -c app --limits=memory=512Mi',
    ]);
  });

  it('never changes which cause it is, only its evidence and fix (the table classifies rows without siblings)', () => {
    const { crashing, pods } = stalledRollout();
    for (const pod of pods) {
      const alone = diagnose({ pod, context: 'prod' });
      const among = diagnose({ pod, siblings: pods, context: 'prod' });
      expect(among.containers.map((c) => c.id)).toEqual(alone.containers.map((c) => c.id));
    }
    expect(diagnose({ pod: crashing, siblings: pods }).cause?.fix).not.toBe(
      diagnose({ pod: crashing }).cause?.fix,
    );
  });

  it('without a rollout in evidence, rolling back is not suggested at all', () => {
    const { crashing } = stalledRollout();
    const { cause } = diagnose({ pod: crashing });
    expect(cause?.fix).toBe('Fix the error container app reports in its previous log.');
    expect(cause?.commands.join('\n')).not.toMatch(/rollback|rollout undo/);
    expect(cause?.evidence.some((e) => e.includes('ReplicaSet'))).toBe(false);
  });
});

describe('groupRollout: the owner line of a stuck rollout', () => {
  /** The stalled rollout's rows grouped by owner, as the table groups them with `o`, and what each group says. */
  function groupsSay(pods: Pod[], unhealthyOnly: boolean): Map<string, string | undefined> {
    const input = {
      pods: new Map(pods.map((pod) => [`prod/shop/${pod.metadata.name}`, { context: 'prod', pod }])),
    };
    const build = createRowBuilder();
    const rows = filterRows(build(input), { text: '', unhealthyOnly });
    return new Map(
      groupByOwner(rows).map((group) => [group.name, groupRollout(group, input.pods, build.siblings)]),
    );
  }

  it.each([true, false])(
    'the Deployment whose new ReplicaSet crash-loops says so, in kubectl rollout status words (unhealthy only: %s)',
    (unhealthyOnly) => {
      const says = groupsSay(stalledRollout().pods, unhealthyOnly);
      expect(says.get('checkout')).toBe(
        'rollout stuck: new pods crash-looping, 0 of 1 updated replicas available, 3 old running',
      );
      expect(says.get('cart')).toBeUndefined();
    },
  );

  it('says nothing once the old ReplicaSet is gone (a crash loop, not a stuck rollout)', () => {
    const { pods } = stalledRollout();
    const old = new Set(previousPods(pods));
    expect(
      groupsSay(
        pods.filter((p) => !old.has(p)),
        false,
      ).get('checkout'),
    ).toBeUndefined();
  });
});
