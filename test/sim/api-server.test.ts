import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/pod.js';
import { ManualClock, ScaledClock } from '../../src/sim/clock.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { loadScenario } from '../../src/sim/scenario-loader.js';
import { fixturePath, T0 } from './sim-fixture.js';

// The HTTP surface beyond what kubectl exercises: paging, selectors, logs options, RBAC, errors and the clock.

let sim: RunningSim;
let clock: ManualClock;

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${sim.url}${path}`, {
    headers: { authorization: `Bearer ${sim.token}`, ...headers },
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text), headers: response.headers };
}

beforeAll(async () => {
  clock = new ManualClock(T0);
  sim = await startSim({ clock, tls: false, scenario: await loadScenario(fixturePath('timeline.yaml')) });
  for (let i = 0; i < 30; i++) {
    clock.advance(1000);
    sim.cluster.advance();
  }
});

afterAll(async () => {
  await sim.close();
});

describe('simulated API server', () => {
  it('pages a list with limit and continue, every pod once', async () => {
    const all = (await get('/api/v1/pods')).json().items.map((p: Pod) => p.metadata.name);
    const paged: string[] = [];
    let token = '';
    let pages = 0;
    do {
      const page = (await get(`/api/v1/pods?limit=2${token ? `&continue=${token}` : ''}`)).json();
      paged.push(...page.items.map((p: Pod) => p.metadata.name));
      token = page.metadata.continue ?? '';
      pages += 1;
      if (token) expect(page.metadata.remainingItemCount).toBe(all.length - paged.length);
    } while (token);
    expect(paged).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));
  });

  it('expires a continue token once its resourceVersion is compacted', async () => {
    const first = (await get('/api/v1/pods?limit=1')).json();
    clock.advance(20_000);
    sim.cluster.advance();
    sim.compactHistory();
    const next = await get(`/api/v1/pods?limit=1&continue=${first.metadata.continue}`);
    expect(next.status).toBe(410);
    expect(next.json()).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    // Its Status carries a token that goes on from the same place at the current state, as etcd3's does.
    const rest = await get(`/api/v1/pods?continue=${next.json().metadata.continue}`);
    expect(rest.status).toBe(200);
    const all = (await get('/api/v1/pods')).json();
    expect(rest.json().metadata.resourceVersion).toBe(all.metadata.resourceVersion);
    expect([first.items[0].metadata.name, ...rest.json().items.map((p: Pod) => p.metadata.name)]).toEqual(
      all.items.map((p: Pod) => p.metadata.name),
    );
  });

  it('refuses a list at a compacted exact resourceVersion (410) or a future one (504)', async () => {
    const rv = sim.cluster.versions.latest;
    clock.advance(20_000);
    sim.cluster.advance();
    expect((await get(`/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`)).status).toBe(200);
    sim.compactHistory();
    const old = await get(`/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect([old.status, old.json().message]).toEqual([
      410,
      'The resourceVersion for the provided list is too old.',
    ]);
    const future = await get(`/api/v1/pods?resourceVersion=${sim.cluster.versions.latest + 100}`);
    expect([future.status, future.json().reason]).toEqual([504, 'Timeout']);
  });

  it.each([
    ['fieldSelector=metadata.name=short', ['short']],
    ['fieldSelector=spec.nodeName=node-a,status.phase!=Running', ['config', 'init-fails', 'once', 'pull']],
    ['fieldSelector=status.phase=Pending', ['config', 'init-fails', 'pull']],
    ['labelSelector=app in (short,long)', ['long', 'short']],
    [
      'labelSelector=app,app notin (short,init-ok,init-fails)',
      ['almost-long', 'config', 'long', 'once', 'probe', 'pull'],
    ],
  ])('filters with %s', async (query, names) => {
    const items = (await get(`/api/v1/namespaces/t/pods?${query}`)).json().items as Pod[];
    expect(items.map((p) => p.metadata.name)).toEqual(names);
  });

  it('rejects an unsupported field selector as the apiserver does', async () => {
    const response = await get('/api/v1/pods?fieldSelector=spec.hostname=x');
    expect(response.status).toBe(400);
    expect(response.json().message).toBe('field label not supported: spec.hostname');
  });

  it('lists the events kubectl describe asks for', async () => {
    const pod = (await get('/api/v1/namespaces/t/pods/short')).json() as Pod;
    const selector = `involvedObject.name=short,involvedObject.namespace=t,involvedObject.uid=${pod.metadata.uid}`;
    const events = (await get(`/api/v1/namespaces/t/events?fieldSelector=${selector}&limit=500`)).json()
      .items;
    expect(events.length).toBeGreaterThan(0);
    expect(new Set(events.map((e: { involvedObject: { name: string } }) => e.involvedObject.name))).toEqual(
      new Set(['short']),
    );
    expect(events.map((e: { reason: string }) => e.reason)).toEqual(
      expect.arrayContaining(['Scheduled', 'BackOff']),
    );
  });

  it('serves pods as a Table with the printPod columns', async () => {
    const table = (
      await get('/api/v1/namespaces/t/pods', { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })
    ).json();
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual([
      'Name',
      'Ready',
      'Status',
      'Restarts',
      'Age',
      'IP',
      'Node',
      'Nominated Node',
      'Readiness Gates',
    ]);
    const once = table.rows.find((r: { cells: string[] }) => r.cells[0] === 'once');
    const age = `${Math.floor((clock.now() - T0) / 1000)}s`;
    expect(once.cells.slice(1, 5)).toEqual(['0/1', 'Error', '0', age]);
    expect(once.object.kind).toBe('PartialObjectMetadata');
  });

  it.each([
    ['previous=true', (log: string[]) => expect(log).toEqual(['starting', 'fatal: boom'])],
    ['previous=true&tailLines=1', (log: string[]) => expect(log).toEqual(['fatal: boom'])],
    ['previous=true&limitBytes=5', (log: string[]) => expect(log).toEqual(['start'])],
    [
      'previous=true&timestamps=true',
      (log: string[]) => expect(log[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z starting$/),
    ],
  ])('serves logs with %s', async (query, check) => {
    const response = await get(`/api/v1/namespaces/t/pods/short/log?${query}`);
    expect(response.status).toBe(200);
    check(response.text.replace(/\n$/, '').split('\n'));
  });

  it.each([
    ['config', 'previous=true', 'previous terminated container "app" in pod "config" not found'],
    ['config', '', 'container "app" in pod "config" is waiting to start: CreateContainerConfigError'],
    [
      'pull',
      '',
      /container "app" in pod "pull" is waiting to start: (image can't be pulled|trying and failing to pull image)/,
    ],
    ['short', 'container=sidecar', 'container sidecar is not valid for pod short'],
  ])('answers logs of %s?%s with the kubelet message', async (pod, query, message) => {
    const response = await get(`/api/v1/namespaces/t/pods/${pod}/log?${query}`);
    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    expect(response.json().message).toMatch(message);
  });

  it('follows a running container log as the clock moves, and ends when the container exits', async () => {
    const response = await fetch(`${sim.url}/api/v1/namespaces/t/pods/init-ok/log?follow=true&tailLines=1`, {
      headers: { authorization: `Bearer ${sim.token}` },
    });
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe('GET / 200\n');
    clock.advance(3000);
    let more = '';
    while (more.split('\n').length < 4) more += new TextDecoder().decode((await reader.read()).value);
    expect(more).toBe('GET / 200\nGET / 200\nGET / 200\n');
    await reader.cancel();
  });

  it('sets the Date header from the simulated clock', async () => {
    const response = await get('/version');
    expect(Date.parse(response.headers.get('date')!)).toBe(Math.floor(clock.now() / 1000) * 1000);
  });

  it('answers 401 without the token and 404 for unknown pods', async () => {
    const anonymous = await fetch(`${sim.url}/api/v1/pods`);
    expect(anonymous.status).toBe(401);
    const missing = await get('/api/v1/namespaces/t/pods/nope');
    expect(missing.status).toBe(404);
    expect(missing.json().message).toBe('pods "nope" not found');
  });

  it('forbids cluster-wide lists for a namespace-scoped token', async () => {
    sim.cluster.restrictTo(['t']);
    try {
      const all = await get('/api/v1/pods');
      expect(all.status).toBe(403);
      expect(all.json().message).toContain(
        'cannot list resource "pods" in API group "" at the cluster scope',
      );
      expect((await get('/api/v1/namespaces/t/pods')).status).toBe(200);
      expect((await get('/api/v1/namespaces/other/pods')).status).toBe(403);
    } finally {
      sim.cluster.restrictTo(undefined);
    }
  });

  it("refuses pods/log alone with the API server's Status: the pod's name, the group-qualified resource", async () => {
    sim.cluster.deny(['pods/log']);
    try {
      const pod = (await get('/api/v1/namespaces/t/pods')).json().items[0].metadata.name as string;
      expect((await get(`/api/v1/namespaces/t/pods/${pod}`)).status).toBe(200);
      const log = await get(`/api/v1/namespaces/t/pods/${pod}/log`);
      expect(log.status).toBe(403);
      expect(log.json()).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `pods "${pod}" is forbidden: User "system:serviceaccount:crashtop:viewer" cannot get resource "pods/log" in API group "" in the namespace "t"`,
        reason: 'Forbidden',
        details: { name: pod, kind: 'pods' },
        code: 403,
      });
    } finally {
      sim.cluster.deny(undefined);
    }
  });
});

describe('server clock', () => {
  it('can run ahead of the client clock, for clock-skew handling', async () => {
    const skewed = await startSim({ clock: new ScaledClock(1, 3_600_000), tls: false, pods: 1 });
    try {
      const response = await fetch(`${skewed.url}/version`, {
        headers: { authorization: `Bearer ${skewed.token}` },
      });
      const skew = Date.parse(response.headers.get('date')!) - Date.now();
      expect(Math.abs(skew - 3_600_000)).toBeLessThan(5_000);
    } finally {
      await skewed.close();
    }
  });
});
