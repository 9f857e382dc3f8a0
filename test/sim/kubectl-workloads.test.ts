import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/pod.js';
import { ManualClock } from '../../src/sim/clock.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { loadScenario } from '../../src/sim/scenario-loader.js';
import { fixturePath, T0 } from './sim-fixture.js';

// What kubectl, k9s and other clients ask the simulator beyond pods and events (demo scenario): the controllers
// above the pods, the nodes, CRDs, and "may I?" (SelfSubjectAccessReview, SelfSubjectRulesReview). kubectl is
// the contract: it must print what it prints against a real cluster, and what `auth can-i` answers must be what
// `get` then meets.

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

let sim: RunningSim;
let clock: ManualClock;
let cacheDir: string;

const base = (target = sim) => ['--kubeconfig', target.kubeconfigPath, '--cache-dir', cacheDir];

const kubectl = (...args: string[]) => kubectlOn(sim, ...args);

async function kubectlOn(
  target: RunningSim,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(KUBECTL, [...base(target), ...args], { timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function rows(table: string): Record<string, string>[] {
  const [header, ...lines] = table.trimEnd().split('\n');
  const names = header!.split(/\s{2,}/);
  return lines.map((line) => Object.fromEntries(line.split(/\s{2,}/).map((cell, i) => [names[i], cell])));
}

async function pods(): Promise<Pod[]> {
  return (JSON.parse((await kubectl('get', 'pods', '-A', '-o', 'json')).stdout) as { items: Pod[] }).items;
}

const ready = (pod: Pod) =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

beforeAll(async () => {
  clock = new ManualClock(T0);
  cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
  sim = await startSim({ clock });
  // Ten simulated minutes: the crash loops have crashed, the healthy pods are ready.
  for (let i = 0; i < 600; i++) {
    clock.advance(1000);
    sim.cluster.advance();
  }
});

afterAll(async () => {
  await sim?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

afterEach(() => {
  sim.cluster.restrictTo(undefined);
  sim.cluster.deny(undefined);
});

describe('kubectl get for the controllers above the pods', () => {
  it('get deploy -A counts each Deployment’s ready pods, as kubectl get pods shows them', async () => {
    const all = await pods();
    const table = rows((await kubectl('get', 'deploy', '-A')).stdout);
    expect(table.length).toBeGreaterThanOrEqual(10);
    for (const row of table) {
      const mine = all.filter(
        (p) =>
          p.metadata.namespace === row.NAMESPACE &&
          p.metadata.ownerReferences?.[0]?.kind === 'ReplicaSet' &&
          p.metadata.ownerReferences[0].name === `${row.NAME}-${p.metadata.labels?.['pod-template-hash']}`,
      );
      expect(mine.length, `pods of ${row.NAME}`).toBeGreaterThan(0);
      const desired = Number(row.READY!.split('/')[1]);
      expect(row.READY, row.NAME).toBe(`${mine.filter(ready).length}/${desired}`);
      expect(Number(row.AVAILABLE), row.NAME).toBe(mine.filter(ready).length);
    }
    const byName = Object.fromEntries(table.map((r) => [r.NAME, r]));
    expect(byName.storefront).toMatchObject({ READY: '3/3', 'UP-TO-DATE': '3', AVAILABLE: '3' });
    // A rollout in progress: the new ReplicaSet's one pod crash-loops, the old one's three still serve.
    expect(byName.checkout).toMatchObject({ READY: '3/3', 'UP-TO-DATE': '1', AVAILABLE: '3' });
    expect(byName['catalog-api']).toMatchObject({ READY: '0/2', AVAILABLE: '0' });
  });

  it('get rs -o wide shows both ReplicaSets of a rollout, each owning its pods', async () => {
    const table = rows((await kubectl('get', 'rs', '-n', 'shop', '-o', 'wide')).stdout).filter((r) =>
      r.NAME!.startsWith('checkout-'),
    );
    expect(table.map((r) => [r.DESIRED, r.CURRENT, r.READY]).sort()).toEqual([
      ['1', '1', '0'],
      ['3', '3', '3'],
    ]);
    const all = await pods();
    for (const rs of table) {
      const hash = rs.NAME!.slice('checkout-'.length);
      expect(rs.SELECTOR).toBe(`app=checkout,pod-template-hash=${hash}`);
      const object = JSON.parse((await kubectl('get', 'rs', rs.NAME!, '-n', 'shop', '-o', 'json')).stdout);
      expect(object.metadata.ownerReferences[0]).toMatchObject({ kind: 'Deployment', name: 'checkout' });
      const owned = all.filter((p) => p.metadata.ownerReferences?.[0]?.uid === object.metadata.uid);
      expect(owned.length).toBe(Number(rs.CURRENT));
    }
  });

  it('get sts, ds, jobs and crd', async () => {
    expect(rows((await kubectl('get', 'sts', '-A')).stdout)).toEqual([
      { NAMESPACE: 'payments', NAME: 'postgres', READY: '1/1', AGE: '30h' },
    ]);
    for (const kind of ['ds', 'jobs', 'crd']) {
      const result = await kubectl('get', kind, '-A');
      expect(result, kind).toMatchObject({ code: 0, stdout: '' });
      expect(result.stderr).toMatch(/^No resources found/);
    }
  });

  it('get nodes -o wide lists the simulated kubelets, with the hostIP of their pods', async () => {
    const table = rows((await kubectl('get', 'nodes', '-o', 'wide')).stdout);
    expect(table.map((r) => r.NAME)).toEqual(sim.cluster.scenario.nodes);
    const all = await pods();
    for (const node of table) {
      expect(node).toMatchObject({ STATUS: 'Ready', ROLES: '<none>', VERSION: 'v1.32.0' });
      const hosted = all.filter((p) => p.spec.nodeName === node.NAME);
      expect(hosted.length).toBeGreaterThan(0);
      for (const pod of hosted) expect(pod.status?.hostIP).toBe(node['INTERNAL-IP']);
    }
  });

  it('get all lists the controllers too (category all), and rollout status reads their status', async () => {
    const all = (await kubectl('get', 'all', '-n', 'payments')).stdout;
    for (const name of ['pod/postgres-0', 'deployment.apps/ledger', 'statefulset.apps/postgres']) {
      expect(all).toContain(name);
    }
    expect(all).toMatch(/replicaset\.apps\/ledger-\w+/);
    expect((await kubectl('rollout', 'status', 'deploy/cart', '-n', 'shop')).stdout).toBe(
      'deployment "cart" successfully rolled out\n',
    );
    const stuck = await kubectl('rollout', 'status', 'deploy/checkout', '-n', 'shop', '--timeout=1s');
    expect(stuck.stdout).toContain(
      'Waiting for deployment "checkout" rollout to finish: 1 out of 3 new replicas',
    );
    expect(stuck.code).toBe(1);
  });

  it('get deploy -w prints the Deployment again when one of its pods goes', async () => {
    const child = spawn(KUBECTL, [...base(), 'get', 'deploy', 'storefront', '-n', 'shop', '-w']);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await waitFor(() => output.includes('3/3'));
      const victim = (await pods()).find((p) => p.metadata.name.startsWith('storefront-'))!;
      sim.cluster.deletePod('shop', victim.metadata.name);
      await waitFor(() => /storefront\s+2\/3\s+2\s+2\s/.test(output));
    } finally {
      child.kill();
    }
  });
});

describe('kubectl get for DaemonSets and Jobs (fixture workloads.yaml)', () => {
  let own: RunningSim;
  let ownClock: ManualClock;
  beforeAll(async () => {
    ownClock = new ManualClock(T0);
    own = await startSim({ clock: ownClock, scenario: await loadScenario(fixturePath('workloads.yaml')) });
    ownClock.advance(5000);
    own.cluster.advance();
  });
  afterAll(async () => {
    await own?.close();
  });

  it('a DaemonSet has one ready pod on each node', async () => {
    expect(rows((await kubectlOn(own, 'get', 'ds', '-n', 'ops')).stdout)).toEqual([
      {
        NAME: 'log-shipper',
        DESIRED: '3',
        CURRENT: '3',
        READY: '3',
        'UP-TO-DATE': '3',
        AVAILABLE: '3',
        'NODE SELECTOR': '<none>',
        AGE: '120m',
      },
    ]);
    const shippers = rows(
      (await kubectlOn(own, 'get', 'pods', '-n', 'ops', '-l', 'app=log-shipper', '-o', 'wide')).stdout,
    );
    expect(shippers.map((p) => p.NODE).sort()).toEqual(['node-a', 'node-b', 'node-c']);
  });

  it('a crash-looping Job stays Running; one whose pods exit 0 completes', async () => {
    const before = rows((await kubectlOn(own, 'get', 'jobs', '-n', 'ops')).stdout);
    expect(before.map((j) => [j.NAME, j.STATUS, j.COMPLETIONS])).toEqual([
      ['migrate', 'Running', '0/1'],
      ['seed', 'Running', '0/2'],
    ]);
    const migrate = rows((await kubectlOn(own, 'get', 'pods', '-n', 'ops', '-l', 'job-name=migrate')).stdout);
    expect(migrate.map((p) => p.STATUS)).toEqual(['CrashLoopBackOff']);
    ownClock.advance(20_000);
    own.cluster.advance();
    const after = rows((await kubectlOn(own, 'get', 'jobs', '-n', 'ops')).stdout);
    expect(after.find((j) => j.NAME === 'seed')).toMatchObject({ STATUS: 'Complete', COMPLETIONS: '2/2' });
    const job = JSON.parse((await kubectlOn(own, 'get', 'job', 'seed', '-n', 'ops', '-o', 'json')).stdout);
    const seedPods = (await kubectlOn(own, 'get', 'pods', '-n', 'ops', '-l', 'job-name=seed', '-o', 'json'))
      .stdout;
    for (const pod of (JSON.parse(seedPods) as { items: Pod[] }).items) {
      expect(pod.status?.phase).toBe('Succeeded');
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({
        apiVersion: 'batch/v1',
        kind: 'Job',
        uid: job.metadata.uid,
      });
    }
  });
});

// Each row: the RBAC knob, what kubectl asks, and whether the simulator allows it.
const ACCESS: { restrict?: string[]; verb: string; resource: string; scope: string[]; allowed: boolean }[] = [
  { verb: 'list', resource: 'pods', scope: ['-A'], allowed: true },
  { verb: 'list', resource: 'nodes', scope: [], allowed: true },
  { verb: 'list', resource: 'deployments.apps', scope: ['-A'], allowed: true },
  { restrict: ['shop'], verb: 'list', resource: 'pods', scope: ['-n', 'shop'], allowed: true },
  { restrict: ['shop'], verb: 'list', resource: 'replicasets.apps', scope: ['-n', 'shop'], allowed: true },
  { restrict: ['shop'], verb: 'list', resource: 'pods', scope: ['-A'], allowed: false },
  { restrict: ['shop'], verb: 'list', resource: 'pods', scope: ['-n', 'payments'], allowed: false },
  {
    restrict: ['shop'],
    verb: 'list',
    resource: 'deployments.apps',
    scope: ['-n', 'payments'],
    allowed: false,
  },
  { restrict: ['shop'], verb: 'list', resource: 'nodes', scope: [], allowed: false },
  { restrict: ['shop'], verb: 'list', resource: 'customresourcedefinitions', scope: [], allowed: false },
];

describe('kubectl auth can-i answers what get then meets', () => {
  it.each(ACCESS)('$verb $resource $scope restricted to $restrict: $allowed', async (row) => {
    sim.cluster.restrictTo(row.restrict);
    const canI = await kubectl('auth', 'can-i', row.verb, row.resource, ...row.scope);
    expect(canI.stdout.trim()).toBe(row.allowed ? 'yes' : 'no');
    expect(canI.code).toBe(row.allowed ? 0 : 1);
    const get = await kubectl('get', row.resource, ...row.scope);
    expect(get.code, get.stderr).toBe(row.allowed ? 0 : 1);
    if (!row.allowed) expect(get.stderr).toContain('is forbidden: User');
  });

  it('says no to any write, with the reason', async () => {
    const result = await kubectl('auth', 'can-i', 'delete', 'pods', '-n', 'shop');
    expect(result).toMatchObject({ code: 1, stdout: 'no - the crashtop simulator is read-only\n' });
    expect((await kubectl('delete', 'pod', 'anything', '-n', 'shop')).stderr).toContain('read-only');
  });

  it('can-i --list names what a namespace-scoped token may read there, and nothing elsewhere', async () => {
    sim.cluster.restrictTo(['shop']);
    const shop = rows((await kubectl('auth', 'can-i', '--list', '-n', 'shop')).stdout);
    const readable = (list: Record<string, string>[]) =>
      list.filter((r) => r.Verbs === '[get list watch]').map((r) => r.Resources);
    expect(readable(shop)).toEqual(
      expect.arrayContaining(['pods', 'events', 'deployments.apps', 'replicasets.apps', 'jobs.batch']),
    );
    expect(readable(shop)).not.toContain('nodes');
    expect(shop.find((r) => r.Resources === 'pods/log')?.Verbs).toBe('[get]');
    const payments = rows((await kubectl('auth', 'can-i', '--list', '-n', 'payments')).stdout);
    expect(readable(payments)).toEqual([]);
  });
});

describe('a role that may read pods but not their logs or exec (deny a subresource alone)', () => {
  const USER = 'system:serviceaccount:crashtop:viewer';

  it("kubectl auth can-i, can-i --list and the 403 of kubectl logs agree, in the API server's words", async () => {
    sim.cluster.deny(['pods/log']);
    const pod = (await pods()).find((p) => p.metadata.namespace === 'shop')!.metadata.name;
    expect((await kubectl('auth', 'can-i', 'get', 'pods', '-n', 'shop')).stdout.trim()).toBe('yes');
    const canI = await kubectl('auth', 'can-i', 'get', 'pods', '--subresource=log', '-n', 'shop');
    expect(canI).toMatchObject({ code: 1, stdout: 'no\n' });
    const listed = rows((await kubectl('auth', 'can-i', '--list', '-n', 'shop')).stdout);
    expect(listed.map((r) => r.Resources)).not.toContain('pods/log');
    expect(listed.find((r) => r.Resources === 'pods/exec')?.Verbs).toBe('[get create]');
    // Still served: the pods themselves.
    expect((await kubectl('get', 'pods', '-n', 'shop')).code).toBe(0);
    const logs = await kubectl('logs', pod, '-n', 'shop');
    expect(logs.code).toBe(1);
    // apierrors.NewForbidden(pods, name, …) around responsewriters' forbiddenMessage: the resource without its
    // subresource and the pod's name first, then the combined `pods/log` the Role must name.
    expect(logs.stderr.trim().split('\n').at(-1)).toBe(
      `Error from server (Forbidden): pods "${pod}" is forbidden: User "${USER}" cannot get resource "pods/log" in API group "" in the namespace "shop"`,
    );
  });

  it('pods/exec alone: can-i says no and the exec is refused with the same words', async () => {
    sim.cluster.deny(['pods/exec']);
    const pod = (await pods()).find((p) => p.metadata.namespace === 'shop')!.metadata.name;
    const canI = await kubectl('auth', 'can-i', 'create', 'pods', '--subresource=exec', '-n', 'shop');
    expect(canI).toMatchObject({ code: 1, stdout: 'no\n' });
    expect((await kubectl('auth', 'can-i', 'get', 'pods', '--subresource=log', '-n', 'shop')).stdout).toBe(
      'yes\n',
    );
    const exec = await kubectl('exec', pod, '-n', 'shop', '--', 'true');
    expect(exec.code).toBe(1);
    expect(exec.stderr).toContain(
      `pods "${pod}" is forbidden: User "${USER}" cannot create resource "pods/exec" in API group "" in the namespace "shop"`,
    );
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met within 10 s');
}
