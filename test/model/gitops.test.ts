import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { diagnose } from '../../src/model/classify/index.js';
import { gitOpsOwnerOf, type WorkloadLookup } from '../../src/model/gitops.js';
import type { ObjectMeta, Pod } from '../../src/model/pod.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/gitops');

/** A fixture file: the Pod, then (optionally) its Deployment as the API server returns it. */
function load(name: string): { pod: Pod; deployment?: { metadata: ObjectMeta } } {
  const [pod, deployment] = parseAllDocuments(readFileSync(join(FIXTURES, `${name}.yaml`), 'utf8')).map(
    (doc) => doc.toJS(),
  );
  return { pod, deployment };
}

/** A pod of the Deployment's previous ReplicaSet, running and ready, from before this pod: a failing rollout. */
function previousReplicaSetPod(pod: Pod): Pod {
  const ref = pod.metadata.ownerReferences![0]!;
  const deployment = ref.name.slice(0, ref.name.lastIndexOf('-'));
  return {
    metadata: {
      ...pod.metadata,
      name: `${deployment}-5d4c3b2a1-old00`,
      uid: 'previous-replicaset-pod',
      creationTimestamp: '2026-11-20T09:00:00Z',
      labels: { ...pod.metadata.labels, 'pod-template-hash': '5d4c3b2a1' },
      ownerReferences: [{ ...ref, name: `${deployment}-5d4c3b2a1`, uid: 'previous-replicaset' }],
    },
    spec: pod.spec,
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: pod.spec.containers.map((c) => ({
        name: c.name,
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: '2026-11-20T09:00:05Z' } },
      })),
    },
  };
}

function fixOf(name: string, options: { lookup?: 'read' | WorkloadLookup; rollout?: boolean } = {}) {
  const { pod, deployment } = load(name);
  const workload =
    options.lookup === 'read' ? { found: deployment?.metadata ?? {} } : (options.lookup ?? undefined);
  const previous = options.rollout ? previousReplicaSetPod(pod) : undefined;
  const siblings = previous && [previous];
  // As the ReplicaSets say it: the pod's is revision 2, the previous one's revision 1.
  const replicaSets = previous && {
    revisions: new Map([
      [pod.metadata.ownerReferences![0]!.name, 2],
      [previous.metadata.ownerReferences![0]!.name, 1],
    ]),
  };
  const cause = diagnose({ pod, context: 'prod', workload, siblings, replicaSets }).cause!;
  return { fix: cause.fix, commands: cause.commands };
}

describe('gitOpsOwnerOf', () => {
  it.each([
    [
      'Argo CD tracking annotation',
      { annotations: { 'argocd.argoproj.io/tracking-id': 'guestbook:apps/Deployment:default/guestbook-ui' } },
      { tool: 'argocd', app: 'guestbook', marker: 'annotation argocd.argoproj.io/tracking-id' },
    ],
    [
      'Argo CD app in another namespace',
      { annotations: { 'argocd.argoproj.io/tracking-id': 'team-a_payments:apps/Deployment:payments/api' } },
      {
        tool: 'argocd',
        app: 'payments',
        appNamespace: 'team-a',
        marker: 'annotation argocd.argoproj.io/tracking-id',
      },
    ],
    [
      'Argo CD instance label key',
      { labels: { 'argocd.argoproj.io/instance': 'guestbook' } },
      { tool: 'argocd', app: 'guestbook', marker: 'label argocd.argoproj.io/instance' },
    ],
    [
      'Flux Kustomization',
      {
        labels: {
          'kustomize.toolkit.fluxcd.io/name': 'apps',
          'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
        },
      },
      {
        tool: 'flux',
        kind: 'Kustomization',
        name: 'apps',
        namespace: 'flux-system',
        marker: 'labels kustomize.toolkit.fluxcd.io/name, kustomize.toolkit.fluxcd.io/namespace',
      },
    ],
    [
      'app.kubernetes.io/instance alone (Helm charts set it too)',
      { labels: { 'app.kubernetes.io/instance': 'x' } },
      undefined,
    ],
    [
      'a Flux name without its namespace',
      { labels: { 'helm.toolkit.fluxcd.io/name': 'podinfo' } },
      undefined,
    ],
    [
      'a tracking id that is not one',
      { annotations: { 'argocd.argoproj.io/tracking-id': 'garbage' } },
      undefined,
    ],
    ['nothing', {}, undefined],
  ])('%s', (_, meta, owner) => {
    expect(gitOpsOwnerOf(meta)).toEqual(owner);
  });
});

describe('ownership decides the command', () => {
  it.each([
    {
      name: 'Argo CD (tracking annotation on the Deployment): sync off first, the app named',
      fixture: 'argocd-tracking-annotation',
      fix: [
        'deployment/guestbook-ui is managed by Argo CD application guestbook (annotation argocd.argoproj.io/tracking-id on deployment/guestbook-ui): a direct change is reverted at its next sync, at once when self-heal is on. Make the change in Git;',
        'turn it back on once Git has the change (argocd app set guestbook --sync-policy automated, with the --self-heal and --auto-prune it had).',
        'Raise the memory limit of container guestbook-ui in deployment/guestbook-ui from 128Mi to 256Mi (2×)',
      ],
      commands: [
        'argocd app set guestbook --sync-policy none',
        'kubectl --context prod set resources deployment/guestbook-ui -n default -c guestbook-ui --limits=memory=256Mi',
      ],
    },
    {
      name: 'Argo CD app in another namespace rendering a Helm chart: no helm rollback (no release exists)',
      fixture: 'argocd-any-namespace-helm-chart',
      rollout: true,
      fix: ['is managed by Argo CD application team-a/payments', 'Roll back deployment/payments-api'],
      commands: [
        'argocd app set team-a/payments --sync-policy none',
        'kubectl --context prod rollout undo deployment/payments-api -n payments',
        'kubectl --context prod set resources deployment/payments-api -n payments -c api --limits=memory=2Gi',
      ],
    },
    {
      name: 'Argo CD legacy label on the pod itself: known without reading the Deployment',
      fixture: 'argocd-legacy-label-on-pod',
      lookup: 'none',
      fix: ['managed by Argo CD application guestbook (label applications.argoproj.io/app-name on the pod)'],
      commands: [
        'argocd app set guestbook --sync-policy none',
        'kubectl --context prod set resources deployment/guestbook-ui -n default -c guestbook-ui --limits=memory=256Mi',
      ],
    },
    {
      name: 'Flux Kustomization: suspend it first, resume once Git has it',
      fixture: 'flux-kustomization',
      fix: [
        'deployment/podinfo is managed by Flux Kustomization podinfo in namespace flux-system (labels kustomize.toolkit.fluxcd.io/name, kustomize.toolkit.fluxcd.io/namespace on deployment/podinfo): the kustomize-controller reverts a direct change at its next reconciliation.',
        'resume it once Git has the change (flux --context prod resume kustomization podinfo -n flux-system).',
      ],
      commands: [
        'flux --context prod suspend kustomization podinfo -n flux-system',
        'kubectl --context prod set resources deployment/podinfo -n default -c podinfod --limits=memory=256Mi',
      ],
    },
    {
      name: 'Flux HelmRelease on a rollout: suspend, then the real Helm release rolled back (named by the Deployment)',
      fixture: 'flux-helmrelease',
      rollout: true,
      fix: [
        'managed by Flux HelmRelease podinfo in namespace podinfo',
        'the helm-controller reverts a direct change at its next upgrade (at once when drift detection is on)',
        'GOMEMLIMIT=256MiB on a 256Mi limit: the Go runtime may grow past the limit.',
      ],
      commands: [
        'flux --context prod suspend helmrelease podinfo -n podinfo',
        'helm --kube-context prod history podinfo -n podinfo',
        'helm --kube-context prod rollback podinfo -n podinfo',
        'kubectl --context prod rollout undo deployment/podinfo -n podinfo',
        'kubectl --context prod set resources deployment/podinfo -n podinfo -c podinfo --limits=memory=288Mi',
        'kubectl --context prod set env deployment/podinfo -n podinfo -c podinfo GOMEMLIMIT=224MiB',
      ],
    },
  ])('$name', ({ fixture, fix, commands, rollout, lookup }) => {
    const result = fixOf(fixture, { lookup: lookup === 'none' ? undefined : 'read', rollout });
    for (const part of fix) expect(result.fix).toContain(part);
    expect(result.commands.filter((c) => !/ (logs|describe) /.test(c))).toEqual(commands);
  });

  it('the same pods without their Deployment read: the kubectl fix, and plainly that the owner was not checked', () => {
    for (const fixture of ['argocd-tracking-annotation', 'flux-kustomization']) {
      const { fix, commands } = fixOf(fixture);
      expect(commands[0]).toMatch(/^kubectl --context prod set resources deployment\//);
      expect(fix).toMatch(
        /\(crashtop read the pod, not deployment\/[a-z-]+: if Argo CD or Flux manages it, a direct change is reverted at its next sync; make the change in Git then\.\)$/,
      );
    }
  });

  it('a Deployment that could not be read: the reason, no guess', () => {
    const { fix, commands } = fixOf('flux-kustomization', {
      lookup: { unavailable: 'forbidden: cannot get deployments in namespace default' },
    });
    expect(commands[0]).toMatch(/^kubectl /);
    expect(fix).toContain(
      '(crashtop could not read deployment/podinfo (forbidden: cannot get deployments in namespace default): if Argo CD or Flux manages it',
    );
  });

  it('a Deployment read with no GitOps owner: the kubectl fix alone, no caveat', () => {
    const { pod } = load('flux-kustomization');
    const cause = diagnose({ pod, workload: { found: { labels: { app: 'podinfo' } } } }).cause!;
    expect(cause.fix).toBe(
      'Raise the memory limit of container podinfod in deployment/podinfo from 128Mi to 256Mi (2×), or reduce its memory use.',
    );
    expect(cause.commands[0]).toBe(
      'kubectl set resources deployment/podinfo -n default -c podinfod --limits=memory=256Mi',
    );
  });

  it('a fix that changes nothing on the workload gets no GitOps note', () => {
    const { pod } = load('flux-kustomization');
    pod.status!.containerStatuses![0]!.lastState!.terminated = {
      exitCode: 1,
      reason: 'Error',
      startedAt: '2026-11-25T14:01:30Z',
      finishedAt: '2026-11-25T14:02:11Z',
    };
    const cause = diagnose({ pod, logs: new Map([['podinfod', ['panic: boom']]]) }).cause!;
    expect(cause.fix).not.toMatch(/Flux|Argo|crashtop read/);
    expect(cause.commands.some((c) => c.startsWith('flux'))).toBe(false);
  });
});
