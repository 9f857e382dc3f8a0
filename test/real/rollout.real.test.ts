import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../../src/model/pod.js';
import type { PodReport } from '../../src/model/report.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';
import { Api } from './api.js';
import { kubeconfigYaml } from './kubeconfig.js';
import { LIMITED_USER, TOKENS } from './testenv.js';

// Which ReplicaSet of a Deployment is new, on a real kube-apiserver: test/fixtures/rollout/drained.yaml's
// revision 2 crash-loops while revision 1 serves, and revision 1's pods are created after revision 2's, as a
// node drain re-creates them. The server stamps creation times itself, so only the order of creation makes the
// pods' ages; the ReplicaSets carry the revisions the deployment controller would have written.

const FIXTURE = new URL('../fixtures/rollout/drained.yaml', import.meta.url);
const CRASHING = 'checkout-7b8d9c5f4-m9n8b';

interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  ownerReferences?: { uid?: string }[];
}
type Item = { kind: string; metadata: Meta; spec: unknown; status?: unknown };

let api: Api;
let dir: string;
let admin: string;
let limited: string;
const namespace = `rollout-${randomBytes(3).toString('hex')}`;

function items(kind: string): Item[] {
  const list = parse(readFileSync(FIXTURE, 'utf8')) as { items: Item[] };
  return list.items.filter((item) => item.kind === kind);
}

/** The object as the server takes it: no uid or creation time of the fixture's, owners the server's uids. */
function toCreate(item: Item, ownerUid: string): Item {
  const { uid: _u, creationTimestamp: _c, ...meta } = item.metadata;
  const ownerReferences = (meta.ownerReferences ?? []).map((ref) => ({ ...ref, uid: ownerUid }));
  return { ...item, metadata: { ...meta, namespace, ownerReferences } };
}

async function createPods(pods: Item[], replicaSetUids: ReadonlyMap<string, string>): Promise<void> {
  for (const pod of pods) {
    const owner = (pod.metadata.ownerReferences as { name: string }[])[0]!.name;
    await api.call('POST', `/api/v1/namespaces/${namespace}/pods`, {
      ...toCreate(pod, replicaSetUids.get(owner)!),
      status: undefined,
    });
    await api.mergePatch(`/api/v1/namespaces/${namespace}/pods/${pod.metadata.name}/status`, {
      status: pod.status,
    });
  }
}

beforeAll(async () => {
  const env = inject('testenv');
  api = new Api(env.url, env.caFile, TOKENS.admin);
  dir = await mkdtemp(join(tmpdir(), 'crashtop-rollout-'));
  admin = join(dir, 'admin');
  limited = join(dir, 'limited');
  await writeFile(admin, kubeconfigYaml(env, TOKENS.admin, namespace), { mode: 0o600 });
  await writeFile(limited, kubeconfigYaml(env, TOKENS.limited, namespace), { mode: 0o600 });
  await api.call('POST', '/api/v1/namespaces', { metadata: { name: namespace } });
  // The limited user reads pods, logs and events (DESIGN.md §7's minimum), not ReplicaSets.
  await api.call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles`, {
    metadata: { name: 'pods-only' },
    rules: [
      { apiGroups: [''], resources: ['pods', 'events'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    ],
  });
  await api.call('POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`, {
    metadata: { name: 'pods-only' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pods-only' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: LIMITED_USER }],
  });

  const [newest] = items('ReplicaSet').slice(-1) as [Item & { spec: { template: unknown } }];
  const deployment = await api.call<{ metadata: { uid: string } }>(
    'POST',
    `/apis/apps/v1/namespaces/${namespace}/deployments`,
    {
      metadata: { name: 'checkout', annotations: { 'deployment.kubernetes.io/revision': '2' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } },
        template: newest.spec.template,
      },
    },
  );
  const replicaSetUids = new Map<string, string>();
  for (const rs of items('ReplicaSet')) {
    const created = await api.call<{ metadata: { uid: string } }>(
      'POST',
      `/apis/apps/v1/namespaces/${namespace}/replicasets`,
      toCreate(rs, deployment.metadata.uid),
    );
    replicaSetUids.set(rs.metadata.name, created.metadata.uid);
  }
  const pods = items('Pod');
  const ofRevision = (hash: string) =>
    pods.filter((p) => (p as unknown as Pod).metadata.labels?.['pod-template-hash'] === hash);
  await createPods(ofRevision('7b8d9c5f4'), replicaSetUids);
  // Creation times are whole seconds: revision 1's pods, re-created by the drain, are a second younger at least.
  await sleep(1_100);
  await createPods(ofRevision('6d4cf56db6'), replicaSetUids);
}, 60_000);

afterAll(async () => {
  // The files share one server and it runs no namespace controller: deleting the namespace alone left its pods
  // (and their nodes) in every later file's all-namespaces view. Pods go with grace 0, as the kubelet would confirm.
  await api?.tryCall('DELETE', `/api/v1/namespaces/${namespace}/pods?gracePeriodSeconds=0`);
  await api?.tryCall('DELETE', `/api/v1/namespaces/${namespace}/events`);
  await api?.tryCall('DELETE', `/api/v1/namespaces/${namespace}`);
  api?.close();
  await rm(dir, { recursive: true, force: true });
});

async function explain(kubeconfig: string): Promise<PodReport> {
  const result = await runCli(['explain', '--kubeconfig', kubeconfig, CRASHING, '-o', 'json']);
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as { pods: PodReport[] };
  return report.pods.find((p) => p.name === CRASHING)!;
}

describe('a stuck rollout on a real kube-apiserver: the new ReplicaSet is the one with the highest revision', () => {
  it('revision 1 pods re-created after revision 2 pods: rolling back still leads, by the revisions', async () => {
    const server = await api.call<{ items: Pod[] }>('GET', `/api/v1/namespaces/${namespace}/pods`);
    const created = (name: string) =>
      Date.parse(server.items.find((p) => p.metadata.name === name)!.metadata.creationTimestamp!);
    // The premise: by pod age revision 1 is the newer one.
    expect(created('checkout-6d4cf56db6-4xk2p')).toBeGreaterThan(created(CRASHING));

    const pod = await explain(admin);
    expect(pod.cause?.fix).toMatch(
      /^Roll back deployment\/checkout: its new ReplicaSet checkout-7b8d9c5f4 fails while 3 pods of the previous one \(checkout-6d4cf56db6\) still run\./,
    );
    expect(pod.cause?.evidence).toContain(
      'ReplicaSet checkout-7b8d9c5f4 is the new one: revision 2 (deployment.kubernetes.io/revision), checkout-6d4cf56db6 is revision 1',
    );
    expect(pod.cause?.commands.filter((c) => c.includes('rollout undo'))).toEqual([
      `kubectl --kubeconfig ${admin} --context crashtop-real rollout undo deployment/checkout -n ${namespace}`,
    ]);
  });

  it('a user who may not list ReplicaSets gets no rollback from a guess the pod ages contradict', async () => {
    const pod = await explain(limited);
    expect(pod.cause).toBeDefined();
    expect(pod.cause?.fix).not.toMatch(/roll/i);
    expect(pod.cause?.commands.join('\n')).not.toMatch(/rollout undo/);
  });

  let session: TmuxSession | undefined;
  afterEach(async () => {
    await session?.kill();
    session = undefined;
  });

  /** The live view grouped by owner (`o`), once the owner line's ReplicaSets read had time to come back. */
  async function ownerLine(kubeconfig: string): Promise<string> {
    session = await TmuxSession.start([process.execPath, BIN, '--kubeconfig', kubeconfig, '-n', namespace], {
      width: 140,
      height: 24,
    });
    await session.waitForText(/CrashLoopBackOff/, 30_000);
    await session.keys('o');
    await session.waitForText(/Deployment \S+\/checkout/);
    // The read of the ReplicaSets is one request: a redraw after it (the next second's tick) shows its answer.
    await sleep(2_000);
    return (await session.capture()).split('\n').find((l) => /Deployment \S+\/checkout/.test(l)) ?? '';
  }

  it("the live view's owner line says the rollout is stuck, by the revisions", async () => {
    expect(await ownerLine(admin)).toMatch(
      /Deployment \S+\/checkout {2}rollout stuck: new pods crash-looping, 0 of 2 updated replicas available, 3 old running/,
    );
  });

  it('without ReplicaSets (RBAC), the owner line asserts no stuck rollout the pod ages contradict', async () => {
    const line = await ownerLine(limited);
    expect(line).toMatch(/Deployment \S+\/checkout {2}2 pods, 2 crash-looping/);
    expect(line).not.toMatch(/rollout stuck/);
  });
});
