import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { podKey } from '../../src/kube/source.js';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { renderApp, settle } from './render-app.js';

// `e`: the namespace's recent events, reached from the table and from the detail, through the app.

const ESC = '\u001b';
const ENTER = '\r';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const pod = () => fixturePods('multi-container.yaml')[0]!;
const plain = (app: { frame(): string }) => app.frame();

describe('events of the namespace', () => {
  const event = (reason: string, type: string, ago: number, object: string, message: string, count = 1) => ({
    involvedObject: { kind: object.split('/')[0], name: object.split('/')[1], namespace: 'shop' },
    reason,
    type,
    message,
    count,
    lastTimestamp: new Date(NOW.getTime() - ago * 1000).toISOString(),
  });

  it('`e` from the table shows the namespace warnings newest first; `a` shows every type; Esc goes back', async () => {
    const source = new FakeSource([pod()]);
    source.namespaceEvents.set('kind-dev/shop', [
      event(
        'FailedScheduling',
        'Warning',
        300,
        'Pod/batch-7x9',
        '0/3 nodes are available: 3 Insufficient memory.',
      ),
      event(
        'Scheduled',
        'Normal',
        200,
        'Pod/ledger-6c9d7-qk2lp',
        'Successfully assigned shop/ledger to node-1',
      ),
      event(
        'FailedMount',
        'Warning',
        20,
        'Pod/ledger-6c9d7-qk2lp',
        'MountVolume.SetUp failed for volume "cfg" : configmap "ledger" not found',
        7,
      ),
      event('Evicted', 'Warning', 90, 'Pod/cache-0', 'The node was low on resource: memory.'),
    ]);
    const app = await renderApp(source, { columns: 140 });
    await app.press('e');
    await vi.waitFor(() => expect(plain(app)).toContain('3 warnings of 4 events'));
    const rows = plain(app)
      .split('\n')
      .filter((l) => /^\d+[smh]/.test(l));
    expect(rows.map((r) => r.split(/\s{2,}/).slice(0, 4))).toEqual([
      ['20s (x7)', 'Warning', 'FailedMount', 'pod/ledger-6c9d7-qk2lp'],
      ['90s', 'Warning', 'Evicted', 'pod/cache-0'],
      ['5m', 'Warning', 'FailedScheduling', 'pod/batch-7x9'],
    ]);
    expect(plain(app)).toContain('configmap "ledger" not found');
    await app.press('a');
    expect(plain(app)).toContain('Scheduled');
    expect(plain(app)).toContain('all types, newest first');
    await app.press(ESC);
    await settle();
    expect(plain(app)).toContain('NEXT RESTART');
  });

  it('OBJECT is cut, not the message', async () => {
    const source = new FakeSource([pod()]);
    source.namespaceEvents.set('kind-dev/shop', [
      event(
        'FailedMount',
        'Warning',
        20,
        'Pod/ledger-api-6c9d7f8b5d-qk2lp-with-a-long-name',
        'MountVolume.SetUp failed for volume "cfg"',
      ),
    ]);
    const app = await renderApp(source, { columns: 100, rows: 24 });
    await app.press('e');
    await vi.waitFor(() => expect(plain(app)).toContain('1 warning of 1 event'));
    const row =
      plain(app)
        .split('\n')
        .find((l) => l.includes('FailedMount')) ?? '';
    expect(row).toContain('MountVolume.SetUp failed for volume "cfg"');
    expect(row).toMatch(/ pod\/le\S*…\S*-name /);
  });

  it('a long message goes on under itself, at the message column, never cut', async () => {
    const mount =
      'MountVolume.SetUp failed for volume "ledger-tls" : secret "ledger-tls-2024" not found; ' +
      'the pod waits until it exists (kubelet retries every 2m2s)';
    const probe =
      'Liveness probe failed: Get "http://10.244.1.17:8080/healthz/ready?verbose=true&timeout=1s": ' +
      'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
    const source = new FakeSource([pod()]);
    source.namespaceEvents.set('kind-dev/shop', [
      event('FailedMount', 'Warning', 20, 'Pod/ledger-6c9d7-qk2lp', mount, 7),
      event('Unhealthy', 'Warning', 30, 'Pod/ledger-6c9d7-qk2lp', probe),
      event(
        'BackOff',
        'Warning',
        40,
        'Pod/ledger-6c9d7-qk2lp',
        '\u001b[31mBack-off\u001b[0m 詳細な再起動の待ち時間 '.repeat(4),
      ),
    ]);
    const app = await renderApp(source, { columns: 100, rows: 40 });
    await app.press('e');
    await vi.waitFor(() => expect(plain(app)).toContain('3 warnings of 3 events'));
    const lines = plain(app).split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(100);
    expect(plain(app)).not.toContain('\u001b[31m');
    const column = lines.find((l) => l.startsWith('LAST SEEN'))!.indexOf('MESSAGE');
    const first = lines.findIndex((l) => l.includes('FailedMount'));
    const next = lines.findIndex((l, i) => i > first && /^\S/.test(l));
    const message = lines.slice(first, next);
    expect(message.length).toBeGreaterThan(1);
    for (const line of message.slice(1)) expect(line.slice(0, column).trim()).toBe('');
    expect(message.map((l) => l.slice(column).trim()).join(' ')).toBe(mount);
    expect(plain(app)).toContain('awaiting headers)');
    // Scrolling goes by screen lines, continuation lines included.
    const short = await renderApp(source, { columns: 100, rows: 12 });
    await short.press('e');
    await vi.waitFor(() => expect(plain(short)).toContain('3 warnings of 3 events'));
    const below = () => Number(/↓ (\d+) more/.exec(plain(short))?.[1]);
    const before = below();
    await short.press('j');
    expect(below()).toBe(before - 1);
  });

  it('on 80 columns the message goes under its row, the whole width', async () => {
    const message =
      'Back-off restarting failed container builder in pod report-builder-p6r66mj-7fhxk_platform(e065b018-30cc-42e8-adb3-a5482e5c5c00)';
    const source = new FakeSource([pod()]);
    source.namespaceEvents.set('kind-dev/shop', [
      event('BackOff', 'Warning', 20, 'Pod/report-builder-p6r66mj-7fhxk', message, 4),
      event('FailedCreatePodSandBox', 'Warning', 30, 'Pod/ledger-6c9d7-qk2lp', 'rpc error: code = Unknown'),
    ]);
    const app = await renderApp(source, { columns: 80, rows: 30 });
    await app.press('e');
    await vi.waitFor(() => expect(plain(app)).toContain('2 warnings of 2 events'));
    const lines = plain(app).split('\n');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(lines.find((l) => l.startsWith('LAST SEEN'))?.trimEnd()).toMatch(/OBJECT$/);
    const row = lines.findIndex((l) => l.includes('BackOff'));
    expect(lines[row]).toMatch(/pod\/report-builder-p6r66mj-7fhxk$/);
    const under = lines.slice(
      row + 1,
      lines.findIndex((l, i) => i > row && /^\S/.test(l)),
    );
    for (const line of under) expect(line).toMatch(/^ {2}\S/);
    expect(under.map((l) => l.trim()).join(' ')).toBe(message);
  });

  it("the detail's evidence, crash-loop line and recent events wrap under themselves too", async () => {
    const mount =
      'MountVolume.SetUp failed for volume "ledger-tls" : secret "ledger-tls-2024" not found; ' +
      'the pod waits until it exists';
    const source = new FakeSource([pod()]);
    const p = source.getSnapshot().pods.values().next().value!.pod;
    source.update({
      events: new Map([
        [
          podKey({ context: 'kind-dev', namespace: 'shop', name: p.metadata.name }),
          [event('FailedMount', 'Warning', 20, `Pod/${p.metadata.name}`, mount, 3)],
        ],
      ]),
    });
    const app = await renderApp(source, { columns: 80, rows: 60 });
    await app.press(ENTER);
    await vi.waitFor(() => expect(plain(app)).toContain('FailedMount'));
    const lines = plain(app).split('\n');
    // The pane between the header's three lines and the footer (those two are cut on purpose).
    expect(lines.slice(3, -1).filter((l) => l.endsWith('…'))).toEqual([]);
    expect(plain(app)).toContain('if it keeps running');
    const section = lines.findIndex((l) => l.startsWith('Recent events'));
    const first = lines.findIndex((l, i) => i > section && l.includes('FailedMount'));
    const message = [lines[first]!.slice(lines[first]!.indexOf('MountVolume'))];
    for (let i = first + 1; /^ {9}\S/.test(lines[i] ?? ''); i++) message.push(lines[i]!.trim());
    expect(message.join(' ')).toBe(mount);
  });

  it('`e` from the detail too', async () => {
    const source = new FakeSource([pod()]);
    const app = await renderApp(source);
    await app.press(ENTER, 'e');
    await vi.waitFor(() => expect(plain(app)).toContain('No warnings in this namespace'));
    await app.press(ESC);
    await settle();
    expect(plain(app)).toContain('ledger-6c9d7-qk2lp');
    expect(plain(app)).not.toContain('Events of namespace');
  });

  describe('with the nodes of its pods', () => {
    const onNode = (node: string) => ({ ...pod(), spec: { ...pod().spec, nodeName: node } });
    const nodeEvent = (reason: string, type: string, ago: number, node: string, message: string) => ({
      involvedObject: { kind: 'Node', name: node },
      reason,
      type,
      message,
      count: 1,
      lastTimestamp: new Date(NOW.getTime() - ago * 1000).toISOString(),
    });

    /** The pod on worker-2, its namespace with one warning. */
    const withFailedMount = () => {
      const source = new FakeSource([onNode('worker-2')]);
      source.namespaceEvents.set('kind-dev/shop', [
        event(
          'FailedMount',
          'Warning',
          20,
          'Pod/ledger-6c9d7-qk2lp',
          'MountVolume.SetUp failed for volume "cfg"',
        ),
      ]);
      return source;
    };

    it("shows the node's pressure, evictions and reboots among the warnings, newest first", async () => {
      const source = withFailedMount();
      source.nodeEvents.set('kind-dev/worker-2', [
        // The kubelet records pressure as a Normal event (nodestatus/setters.go): kept as a warning here.
        nodeEvent(
          'NodeHasDiskPressure',
          'Normal',
          400,
          'worker-2',
          'Node worker-2 status is now: NodeHasDiskPressure',
        ),
        nodeEvent(
          'EvictionThresholdMet',
          'Warning',
          390,
          'worker-2',
          'Attempting to reclaim ephemeral-storage',
        ),
        nodeEvent(
          'NodeHasNoDiskPressure',
          'Normal',
          60,
          'worker-2',
          'Node worker-2 status is now: NodeHasNoDiskPressure',
        ),
      ]);
      source.nodeEvents.set('kind-dev/worker-9', [
        nodeEvent('Rebooted', 'Warning', 10, 'worker-9', 'Node worker-9 has been rebooted, boot id: 1f2e'),
      ]);
      const app = await renderApp(source, { columns: 140 });
      await app.press('e');
      await vi.waitFor(() => expect(plain(app)).toContain('3 warnings of 4 events'));
      expect(source.nodeEventRequests.at(-1)).toEqual({ context: 'kind-dev', nodes: ['worker-2'] });
      expect(plain(app)).toContain('Events of namespace shop and its node');
      const rows = plain(app)
        .split('\n')
        .filter((l) => /^\d+[smh]/.test(l));
      expect(rows.map((r) => r.split(/\s{2,}/).slice(0, 4))).toEqual([
        ['20s', 'Warning', 'FailedMount', 'pod/ledger-6c9d7-qk2lp'],
        ['6m30s', 'Warning', 'EvictionThresholdMet', 'node/worker-2'],
        ['6m40s', 'Normal', 'NodeHasDiskPressure', 'node/worker-2'],
      ]);
      expect(plain(app)).toContain('Attempting to reclaim ephemeral-storage');
      expect(plain(app)).not.toContain('worker-9');
      // All types: the pressure's end too.
      await app.press('a');
      expect(plain(app)).toContain('NodeHasNoDiskPressure');
    });

    it('says in one line when RBAC forbids reading node events, and still shows the namespace', async () => {
      const source = withFailedMount();
      source.nodeEventsForbidden =
        "context kind-dev may not list events cluster-wide (403 Forbidden), so the nodes' own events (pressure, evictions, reboots) are not shown";
      const app = await renderApp(source, { columns: 200 });
      await app.press('e');
      await vi.waitFor(() => expect(plain(app)).toContain('1 warning of 1 event'));
      const lines = plain(app).split('\n');
      expect(lines.filter((l) => l.includes('node events not shown'))).toEqual([
        "node events not shown: context kind-dev may not list events cluster-wide (403 Forbidden), so the nodes' own events (pressure, evictions, reboots) are not shown",
      ]);
      expect(plain(app)).toContain('FailedMount');
    });
  });
});
