import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diagnose } from '../../src/model/classify/index.js';
import type { Pod } from '../../src/model/pod.js';
import {
  deploymentRevisions,
  failingRollout,
  type ReplicaSetLookup,
  type ReplicaSetMeta,
  replicaSetsToRead,
  rolloutEvidence,
  stuckRolloutText,
} from '../../src/model/rollout.js';
import { createRowBuilder, filterRows, groupByOwner, groupRollout } from '../../src/model/rows.js';

const NEW_POD = 'checkout-7b8d9c5f4-m9n8b';

/** The pods of `kubectl get pods -n shop` during a stalled rollout; `crashing` is the new ReplicaSet's pod. */
function stalledRollout(): { crashing: Pod; pods: Pod[] } {
  const list = parse(
    readFileSync(new URL('../fixtures/status/rollout-stalled.yaml', import.meta.url), 'utf8'),
  ) as { items: Pod[] };
  return { crashing: list.items.find((p) => p.metadata.name === NEW_POD)!, pods: list.items };
}

/** test/fixtures/rollout/drained.yaml: `kubectl get rs,pods` after a drain re-created revision 1's pods. */
function drained(): { crashing: Pod; pods: Pod[]; replicaSets: ReplicaSetMeta[] } {
  const list = parse(readFileSync(new URL('../fixtures/rollout/drained.yaml', import.meta.url), 'utf8')) as {
    items: ((Pod | ReplicaSetMeta) & { kind: string })[];
  };
  const pods = list.items.filter((item) => item.kind === 'Pod') as Pod[];
  return {
    crashing: pods.find((p) => p.metadata.name === NEW_POD)!,
    pods,
    replicaSets: list.items.filter((item) => item.kind === 'ReplicaSet') as ReplicaSetMeta[],
  };
}

function read(replicaSets: readonly ReplicaSetMeta[]): ReplicaSetLookup {
  return { revisions: deploymentRevisions('checkout', replicaSets) };
}

function setRevision(replicaSets: ReplicaSetMeta[], name: string, revision: string | undefined): void {
  const annotations = replicaSets.find((rs) => rs.metadata.name === name)!.metadata.annotations!;
  if (revision === undefined) delete annotations['deployment.kubernetes.io/revision'];
  else annotations['deployment.kubernetes.io/revision'] = revision;
}

/** Another ReplicaSet like drained.yaml's revision 2, of `deployment`, with no pod. */
function addReplicaSet(
  replicaSets: ReplicaSetMeta[],
  deployment: string,
  name: string,
  revision: string,
): void {
  const added = structuredClone(replicaSets[1]!);
  added.metadata.name = name;
  added.metadata.ownerReferences = [{ kind: 'Deployment', name: deployment, controller: true }];
  replicaSets.push(added);
  setRevision(replicaSets, name, revision);
}

/** drained.yaml with its ReplicaSets edited first, as read. */
function drainedWith(edit: (replicaSets: ReplicaSetMeta[]) => void): {
  crashing: Pod;
  pods: Pod[];
  lookup: ReplicaSetLookup;
} {
  const { crashing, pods, replicaSets } = drained();
  edit(replicaSets);
  return { crashing, pods, lookup: read(replicaSets) };
}

const FORBIDDEN: ReplicaSetLookup = {
  unavailable: 'its ReplicaSets could not be read: context prod may not list replicasets in namespace shop',
};

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
      replicaSetPods: 1,
      previous: 'checkout-6d4cf56db6',
      previousRunning: 3,
      newer: {
        by: 'pod-age',
        since: '2026-11-25T13:58:02Z',
        previousSince: '2026-11-20T09:12:44Z',
        unread: 'its ReplicaSets were not read',
      },
    });
    expect(rolloutEvidence(rollout!)).toEqual([
      '3 pods of the previous ReplicaSet checkout-6d4cf56db6 are running',
      "ReplicaSet checkout-7b8d9c5f4 is guessed to be the newer one (its ReplicaSets were not read): its first pod was created at 2026-11-25T13:58:02Z, checkout-6d4cf56db6's at 2026-11-20T09:12:44Z; a node drain re-creates old pods and makes this wrong",
    ]);
  });

  it('the same, told by the revisions when the ReplicaSets were read', () => {
    const { crashing, pods } = stalledRollout();
    const rollout = failingRollout(crashing, pods, read(drained().replicaSets));
    expect(rollout?.newer).toStrictEqual({ by: 'revision', revision: 2, previousRevision: 1 });
    expect(rolloutEvidence(rollout!)[1]).toBe(
      'ReplicaSet checkout-7b8d9c5f4 is the new one: revision 2 (deployment.kubernetes.io/revision), checkout-6d4cf56db6 is revision 1',
    );
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

describe('which ReplicaSet is new: the highest revision, as the deployment controller numbers them', () => {
  type Case = [
    string,
    () => { crashing: Pod; pods: Pod[]; lookup: ReplicaSetLookup | undefined },
    (
      | { revision: number; previousRevision: number; replicaSetPods: number; previousRunning: number }
      | undefined
    ),
  ];
  it.each<Case>([
    [
      'revision 2 crash-loops, revision 1 serves',
      () => ({ ...stalledRollout(), lookup: read(drained().replicaSets) }),
      { revision: 2, previousRevision: 1, replicaSetPods: 1, previousRunning: 3 },
    ],
    [
      "a drain re-created revision 1's pods after revision 2's",
      () => drainedWith(() => undefined),
      { revision: 2, previousRevision: 1, replicaSetPods: 2, previousRunning: 3 },
    ],
    [
      'the drain, ReplicaSets not read: pod ages point the other way, and nothing is asserted',
      () => ({ ...drained(), lookup: undefined }),
      undefined,
    ],
    ['the drain, ReplicaSets forbidden: the same', () => ({ ...drained(), lookup: FORBIDDEN }), undefined],
    [
      'rolled back: the controller re-numbered the serving ReplicaSet revision 3',
      () => drainedWith((replicaSets) => setRevision(replicaSets, 'checkout-6d4cf56db6', '3')),
      undefined,
    ],
    [
      'a fix rolls out (revision 2 serves) and a drain re-created the old, failing pods: no rollback to them',
      () => {
        const { crashing, pods } = stalledRollout();
        const { replicaSets } = drained();
        setRevision(replicaSets, 'checkout-6d4cf56db6', '2');
        setRevision(replicaSets, 'checkout-7b8d9c5f4', '1');
        return { crashing, pods, lookup: read(replicaSets) };
      },
      undefined,
    ],
    [
      'a newer revision 3 has no pod yet: the failing one is no longer new',
      () => drainedWith((replicaSets) => addReplicaSet(replicaSets, 'checkout', 'checkout-5f7c9d8b6', '3')),
      undefined,
    ],
    [
      'the failing ReplicaSet has no revision (the controller has not synced it): it cannot be told',
      () => drainedWith((replicaSets) => setRevision(replicaSets, 'checkout-7b8d9c5f4', undefined)),
      undefined,
    ],
    [
      'a revision that is not a number counts as none',
      () => drainedWith((replicaSets) => setRevision(replicaSets, 'checkout-7b8d9c5f4', '2a')),
      undefined,
    ],
    [
      "another Deployment's ReplicaSet of a higher revision does not count",
      () =>
        drainedWith((replicaSets) =>
          addReplicaSet(replicaSets, 'checkout-canary', 'checkout-canary-7b8d9c5f4', '9'),
        ),
      { revision: 2, previousRevision: 1, replicaSetPods: 2, previousRunning: 3 },
    ],
    [
      'the ReplicaSets are still being read: nothing yet',
      () => ({ ...drained(), lookup: { reading: true } }),
      undefined,
    ],
  ])('%s', (_, scene, expected) => {
    const { crashing, pods, lookup } = scene();
    const rollout = failingRollout(crashing, pods, lookup);
    if (expected === undefined) {
      expect(rollout).toBeUndefined();
      return;
    }
    const { revision, previousRevision, ...counts } = expected;
    expect(rollout).toMatchObject({
      replicaSet: 'checkout-7b8d9c5f4',
      previous: 'checkout-6d4cf56db6',
      newer: { by: 'revision', revision, previousRevision },
      ...counts,
    });
  });

  it('a guess when RBAC forbids the ReplicaSets says so, in the evidence, the fix and the owner line', () => {
    const { crashing, pods } = stalledRollout();
    const rollout = failingRollout(crashing, pods, FORBIDDEN)!;
    expect(rolloutEvidence(rollout)[1]).toBe(
      "ReplicaSet checkout-7b8d9c5f4 is guessed to be the newer one (its ReplicaSets could not be read: context prod may not list replicasets in namespace shop): its first pod was created at 2026-11-25T13:58:02Z, checkout-6d4cf56db6's at 2026-11-20T09:12:44Z; a node drain re-creates old pods and makes this wrong",
    );
    expect(stuckRolloutText(rollout, 'crash-looping')).toBe(
      'rollout stuck? (by pod age): new pods crash-looping, 0 of 1 updated replicas available, 3 old running',
    );
    expect(diagnose({ pod: crashing, siblings: pods, replicaSets: FORBIDDEN }).cause?.fix).toMatch(
      /^If checkout-7b8d9c5f4 is the new ReplicaSet of deployment\/checkout \(guessed from pod ages: check the revisions in its rollout history\), roll it back: it fails while 3 pods of the previous one \(checkout-6d4cf56db6\) still run\. Then: /,
    );
  });
});

describe('replicaSetsToRead: only a Deployment that may be mid-rollout costs a request', () => {
  it.each<[string, (crashing: Pod, pods: Pod[]) => { pod: Pod; siblings: Pod[] }, string[] | undefined]>([
    [
      "the failing pod: its Deployment's two ReplicaSets",
      (crashing, pods) => ({ pod: crashing, siblings: pods }),
      ['6d4cf56db6', '7b8d9c5f4'],
    ],
    ['a serving pod', (_, pods) => ({ pod: previousPods(pods)[0]!, siblings: pods }), undefined],
    ['no siblings', (crashing) => ({ pod: crashing, siblings: [] }), undefined],
    [
      'no pod of another ReplicaSet runs ready',
      (crashing, pods) => {
        for (const p of previousPods(pods)) p.status!.conditions = [{ type: 'Ready', status: 'False' }];
        return { pod: crashing, siblings: pods };
      },
      undefined,
    ],
  ])('%s', (_, pick, hashes) => {
    const { crashing, pods } = stalledRollout();
    const { pod, siblings } = pick(crashing, pods);
    expect(replicaSetsToRead(pod, siblings)).toStrictEqual(
      hashes && { deployment: 'checkout', namespace: 'shop', hashes },
    );
  });
});

describe('diagnose with siblings', () => {
  it('a failing rollout: rolling back leads the fix and the commands, with the rollout as evidence', () => {
    const { crashing, pods } = stalledRollout();
    const workload = { found: { labels: { app: 'checkout' } } };
    const { cause } = diagnose({
      pod: crashing,
      siblings: pods,
      replicaSets: read(drained().replicaSets),
      context: 'prod',
      workload,
    });
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
  function groupsSay(
    pods: Pod[],
    unhealthyOnly: boolean,
    lookup: ReplicaSetLookup | undefined,
  ): Map<string, string | undefined> {
    const input = {
      pods: new Map(pods.map((pod) => [`prod/shop/${pod.metadata.name}`, { context: 'prod', pod }])),
    };
    const build = createRowBuilder();
    const rows = filterRows(build(input), { text: '', unhealthyOnly });
    const asked: string[] = [];
    const says = new Map(
      groupByOwner(rows).map((group) => [
        group.name,
        groupRollout(group, input.pods, build.siblings, (context, pod) => {
          asked.push(`${context}/${pod.metadata.name}`);
          return lookup;
        }),
      ]),
    );
    // Only the failing ReplicaSet's pod needs its Deployment's ReplicaSets.
    expect(asked.every((pod) => pod.startsWith('prod/checkout-7b8d9c5f4-'))).toBe(true);
    return says;
  }

  it.each([true, false])(
    'the Deployment whose new ReplicaSet crash-loops says so, in kubectl rollout status words (unhealthy only: %s)',
    (unhealthyOnly) => {
      const says = groupsSay(stalledRollout().pods, unhealthyOnly, read(drained().replicaSets));
      expect(says.get('checkout')).toBe(
        'rollout stuck: new pods crash-looping, 0 of 1 updated replicas available, 3 old running',
      );
      expect(says.get('cart')).toBeUndefined();
    },
  );

  it.each<[string, ReplicaSetLookup | undefined, string | undefined]>([
    [
      'not read',
      undefined,
      'rollout stuck? (by pod age): new pods crash-looping, 0 of 1 updated replicas available, 3 old running',
    ],
    ['still being read', { reading: true }, undefined],
  ])('the ReplicaSets %s: the owner line guesses, saying so, or waits', (_, lookup, line) => {
    expect(groupsSay(stalledRollout().pods, true, lookup).get('checkout')).toBe(line);
  });

  it("after a drain re-created the old ReplicaSet's pods, the revisions still tell the stuck rollout", () => {
    expect(groupsSay(drained().pods, true, read(drained().replicaSets)).get('checkout')).toBe(
      'rollout stuck: new pods crash-looping, 0 of 2 updated replicas available, 3 old running',
    );
  });

  it('says nothing once the old ReplicaSet is gone (a crash loop, not a stuck rollout)', () => {
    const { pods } = stalledRollout();
    const old = new Set(previousPods(pods));
    expect(
      groupsSay(
        pods.filter((p) => !old.has(p)),
        false,
        read(drained().replicaSets),
      ).get('checkout'),
    ).toBeUndefined();
  });
});
