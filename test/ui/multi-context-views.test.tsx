import { describe, expect, it } from 'vitest';
import { FakeSource, fixturePods, NOW, runningAgainPod } from './fake-source.js';
import { renderApp } from './render-app.js';

// Two clusters running the same deploy have pods of the same name in the same namespace (two `crashtop sim`
// instances of the demo): every view must say which cluster it shows, or an SRE reads one and acts on the other.

const EU = 'prod-eu-west-1';
const US = 'prod-us-east-1';
/** EKS names its contexts by ARN: the cluster's own name is at the end. */
const ARN = 'arn:aws:eks:ap-southeast-2:123456789012:cluster/prod-sydney';

function twoClusters(second = US): FakeSource {
  const source = new FakeSource(fixturePods(), {
    watches: [EU, second].map((context) => ({
      context,
      namespaces: [],
      state: 'live',
      since: NOW.getTime(),
    })),
  });
  const pod = fixturePods()[0]!;
  source.setPods([
    { context: EU, pod },
    { context: second, pod },
  ]);
  return source;
}

const ESC = '\u001b';

describe('several contexts at 80 columns', () => {
  it('the table keeps CONTEXT and NAMESPACE: the two rows of the same pod read apart', async () => {
    const app = await renderApp(twoClusters(), { multiContext: true, columns: 80 });
    const rows = app
      .frame()
      .split('\n')
      .filter((l) => l.includes('payments'));
    expect(rows).toHaveLength(2);
    // 7 columns cannot hold either name; cut in the middle both read `pro…t-1`: the part they share goes.
    expect(rows[0]).toMatch(/^. eu-west {2}shop /);
    expect(rows[1]).toMatch(/^. us-east {2}shop /);
    for (const row of rows) expect(row).toContain('shop');
    expect(rows[0]).not.toEqual(rows[1]!.replace('›', ' '));
  });

  it('at 50 columns CONTEXT stays, NAME and STATUS cut for it: the two rows still read apart', async () => {
    const app = await renderApp(twoClusters(), { multiContext: true, columns: 50 });
    const rows = app
      .frame()
      .split('\n')
      .filter((l) => /c12 /.test(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^. eu-west {2}/);
    expect(rows[1]).toMatch(/^. us-east {2}/);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(50);
    app.unmount();
  });

  it.each([
    ['l', 'logs', `Logs ${US}: shop/payments`],
    ['d', 'describe', `Describe ${US}: shop/payments-api-7d9f8c6b5-abc12`],
    ['e', 'events', `Events of ${US}: namespace shop`],
    ['\r', 'the detail page', `context ${US}: shop/payments-api-7d9f8c6b5-abc12`],
  ])('`%s` (%s) names the context of the pod it shows', async (key, _view, expected) => {
    const app = await renderApp(twoClusters(), { multiContext: true, columns: 80 });
    await app.press('j', key);
    expect(app.frame()).toContain(expected);
    await app.press(ESC, 'k', key);
    expect(app.frame()).toContain(expected.replace(US, EU));
    app.unmount();
  });

  it.each(['l', 'd', 'e'])('`%s` cuts a long context in the middle: its cluster name stays', async (key) => {
    const app = await renderApp(twoClusters(ARN), { multiContext: true, columns: 80 });
    // `arn:…` sorts first.
    await app.press(key);
    const shown = app.frame();
    expect(shown).toContain('arn:aws:ek…od-sydney: ');
    expect(shown).not.toContain(ARN);
    for (const line of shown.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    app.unmount();
  });

  it('one context: the views name none', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 80 });
    await app.press('l');
    expect(app.frame()).toContain('\nLogs shop/payments');
    await app.press(ESC, 'd');
    expect(app.frame()).not.toContain('Describe');
    await app.press(ESC, 'e');
    expect(app.frame()).toContain('Events of namespace shop');
  });
});

// Bug: `crashtop sim` and a copy of its kubeconfig renamed `west`, at 80 columns: CONTEXT read `cra…sim` (`cr…im`
// grouped by owner) beside a whole `west`, while STATUS had room past CrashLoopBackOff. The room goes to the
// column that is cut, CONTEXT first: NAME is cut for it. The hard case: a 26-column STATUS and a `resets in`
// countdown leave no room to spare.
describe('CONTEXT as wide as the names it shows', () => {
  const SIM = 'crashtop-sim';
  const WEST = 'west';
  function simAndWest(): FakeSource {
    const source = new FakeSource([], {
      watches: [SIM, WEST].map((context) => ({
        context,
        namespaces: [],
        state: 'live',
        since: NOW.getTime(),
      })),
    });
    const pods = [...fixturePods(), runningAgainPod('legacy-sync-5c8d7f9b4-znnvr')];
    source.setPods([SIM, WEST].flatMap((context) => pods.map((pod) => ({ context, pod }))));
    return source;
  }

  it.each([
    ['the table', [], /^. (crashtop-sim|west {8}) {2}(shop|web) {2}/],
    ['grouped by owner', ['o'], /^. [├└] (crashtop-sim|west {8}) {2}(shop|web) {2}/],
  ])('at 80 columns %s shows both contexts whole, each pod name its suffix', async (_, keys, row) => {
    const app = await renderApp(simAndWest(), { multiContext: true, columns: 80, rows: 30 });
    await app.press(...keys);
    const lines = app.frame().split('\n');
    const rows = lines.filter((l) => /-(abc12|def34|znnvr|xyz99)\b/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(6);
    for (const line of rows) {
      expect(line).toMatch(row);
      expect(line).toMatch(/-(abc12|def34|znnvr|xyz99) {2}/);
    }
    expect(rows.filter((l) => l.includes(SIM))).toHaveLength(rows.length / 2);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    app.unmount();
  });
});

describe('grouped by owner with several contexts', () => {
  it.each([80, 120])(
    'at %i columns each owner line names its context, the same Deployment in two clusters two groups',
    async (columns) => {
      const app = await renderApp(twoClusters(), { multiContext: true, columns });
      await app.press('o');
      const owners = app
        .frame()
        .split('\n')
        .filter((l) => l.trimStart().startsWith('Deployment '));
      expect(owners).toEqual([
        expect.stringMatching(
          new RegExp(`^ {2}Deployment ${EU}: shop/payments-api {2}1 pod, 1 crash-looping`),
        ),
        expect.stringMatching(
          new RegExp(`^ {2}Deployment ${US}: shop/payments-api {2}1 pod, 1 crash-looping`),
        ),
      ]);
      app.unmount();
    },
  );

  it('one context: the owner line names none', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 80 });
    await app.press('o');
    expect(app.frame()).toMatch(/\n {2}Deployment shop\/payments-api {2}2 pods/);
    app.unmount();
  });
});
