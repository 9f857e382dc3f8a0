import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { networkError } from '../../src/kube/errors.js';
import type { WatchStatus } from '../../src/kube/source.js';
import { debugArgv, execArgv } from '../../src/model/kubectl.js';
import type { Pod } from '../../src/model/pod.js';
import { POD_COLUMNS } from '../../src/model/rows.js';
import { KEY_HELP, SORT_COLUMN_KEYS } from '../../src/ui/keys.js';
import { osc52 } from '../../src/ui/osc52.js';
import { PodTableState } from '../../src/ui/pod-table-state.js';
import { QUESTION_READ_MS } from '../../src/ui/question-guard.js';
import { FakeSource, fixturePods, keyOf, NOW, workerPods } from './fake-source.js';
import { type Rendered, renderApp, settle } from './render-app.js';

const DOWN = '\u001b[B';
const ESC = '\u001b';
const ENTER = '\r';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The table rows of a frame (lines under the column titles), trimmed. */
function tableRows(frame: string): string[] {
  const lines = frame.split('\n');
  const header = lines.findIndex((l) => l.includes('NEXT RESTART'));
  return lines
    .slice(header + 1)
    .map((l) => l.trimEnd())
    .filter((l) => /^[ ›>][ ♪!]\S/.test(l) || /^[ ›>] {2}\S/.test(l));
}

/** How long a frame may take to show a state on a loaded machine (the waits end as soon as it shows). */
const WAIT = { timeout: 10_000, interval: 20 };

/** Waits until the frame shows `text`: the frames of Ink and React's effects come when the machine gets to them. */
async function shows(app: Rendered, text: string | RegExp): Promise<void> {
  await vi.waitFor(() => expect(app.frame()).toMatch(text), WAIT);
}

/** Adds a running `proxy` sidecar to `pod` (so `s` asks which container). */
function withProxy(pod: Pod): void {
  pod.spec.containers.push({ name: 'proxy', image: 'envoy' });
  pod.status!.containerStatuses!.push({
    name: 'proxy',
    ready: true,
    restartCount: 0,
    image: 'envoy',
    imageID: '',
    state: { running: { startedAt: '2026-11-25T12:00:05Z' } },
  });
}

function selectedRow(frame: string): string {
  return frame.split('\n').find((l) => l.startsWith('›')) ?? '';
}

describe('pod table', () => {
  it('lists unhealthy pods first, soonest restart on top, with kubectl STATUS and a countdown', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 140 });
    const rows = tableRows(app.frame());
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/def34 .*CrashLoopBackOff .*2 \(5s ago\) .*15s .*oom-killed/);
    expect(rows[1]).toMatch(/abc12 .*CrashLoopBackOff .*5 \(10s ago\) .*2m30s .*oom-killed/);
    expect(rows[2]).toMatch(/checkout.*CreateContainerConfigError .*missing-config/);
    expect(app.frame()).not.toContain('orders-db-0');
  });

  it('`a` toggles all pods and only unhealthy ones', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('a');
    expect(app.frame()).toContain('orders-db-0');
    expect(app.frame()).toContain('all pods');
    await app.press('a');
    expect(app.frame()).not.toContain('orders-db-0');
  });

  it('counts down once a second from the shared clock, then says restarting…', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    expect(selectedRow(app.frame())).toContain(' 15s ');
    await app.tick(1000);
    expect(selectedRow(app.frame())).toContain(' 14s ');
    await app.tick(5000);
    expect(selectedRow(app.frame())).toContain(' 9s ');
    await app.tick(20_000);
    expect(app.frame()).toContain('restarting…');
    expect(app.frame()).not.toMatch(/-\d+s/);
  });

  it('measures countdowns on the API server clock', async () => {
    // The server is 5 s ahead of us: 5 s less to wait than our clock says.
    const app = await renderApp(new FakeSource(fixturePods(), { clockOffsetMs: 5000 }));
    expect(selectedRow(app.frame())).toContain(' 10s ');
    expect(app.frame()).toContain('clock skew +5s');
  });

  it('moves the selection with j k g G and arrows, keeping it on the same pod when rows re-sort', async () => {
    const source = new FakeSource(fixturePods());
    const app = await renderApp(source);
    await app.press('j');
    expect(selectedRow(app.frame())).toContain('abc12');
    await app.press('G');
    expect(selectedRow(app.frame())).toContain('checkout');
    await app.press('k');
    expect(selectedRow(app.frame())).toContain('abc12');
    await app.press('g');
    expect(selectedRow(app.frame())).toContain('def34');
    await app.press(DOWN);
    expect(selectedRow(app.frame())).toContain('abc12');
    // def34 leaves the list: the selection stays on abc12, now the first row.
    source.setPods(
      fixturePods()
        .filter((p) => !p.metadata.name.endsWith('def34'))
        .map((pod) => ({ context: 'kind-dev', pod })),
    );
    await settle();
    expect(selectedRow(app.frame())).toContain('abc12');
  });

  it('handles keys that arrive in one chunk (a paste, a fast tmux send-keys) one after the other', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('jj');
    expect(selectedRow(app.frame())).toContain('checkout');
    await app.press('k\r');
    expect(app.frame()).toContain('shop/payments-api-7d9f8c6b5-abc12');
    await app.press('\u001b', '/web\r');
    expect(tableRows(app.frame())).toHaveLength(1);
  });

  it('windows a long list: only the rows that fit are rendered, and the selection scrolls into view', async () => {
    const app = await renderApp(new FakeSource(workerPods(500)), { rows: 24 });
    expect(app.frame().split('\n').length).toBeLessThanOrEqual(23);
    expect(tableRows(app.frame())).toHaveLength(18);
    await app.press('G');
    expect(selectedRow(app.frame())).toContain('worker-499');
    expect(app.frame()).not.toContain('worker-000');
    await app.press('\u001b[5~');
    expect(selectedRow(app.frame())).toContain('worker-481');
  });

  it('`S` cycles the named sorts, the header saying which and which way', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('S');
    expect(app.frame()).toContain('sort: restarts ▼');
    expect(tableRows(app.frame())[0]).toContain('abc12');
    await app.press('S');
    expect(app.frame()).toContain('sort: name ▲');
    expect(tableRows(app.frame())[0]).toContain('checkout');
    await app.press('S');
    expect(app.frame()).toContain('sort: next restart ▲');
  });

  const order = (frame: string) =>
    tableRows(frame).map((row) => /(abc12|def34|checkout|orders-db)/.exec(row)?.[1] ?? row);
  const titles = (frame: string) => frame.split('\n').find((l) => /^ {2}(CONTEXT|NAMESPACE)/.test(l)) ?? '';

  it.each([
    ['T', 'restarts ▼', 'RESTARTS▼', ['abc12', 'def34', 'checkout']],
    ['TT', 'restarts ▲', 'RESTARTS▲', ['checkout', 'def34', 'abc12']],
    ['N', 'name ▲', 'NAME▲', ['checkout', 'abc12', 'def34']],
    ['NN', 'name ▼', 'NAME▼', ['def34', 'abc12', 'checkout']],
    ['U', 'status ▲', 'STATUS▲', ['abc12', 'def34', 'checkout']],
    ['UU', 'status ▼', 'STATUS▼', ['checkout', 'abc12', 'def34']],
    ['P', 'namespace ▲', 'NAMESPACE▲', ['abc12', 'def34', 'checkout']],
    ['TN', 'name ▲', 'NAME▲', ['checkout', 'abc12', 'def34']],
  ])('%s (keys in one read) sorts by %s', async (keys, label, title, expected) => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 140 });
    await app.press(keys);
    expect(app.frame()).toContain(`sort: ${label}`);
    expect(titles(app.frame())).toContain(title);
    expect(order(app.frame())).toEqual(expected);
  });

  it('every sort letter of the help sorts by its column, healthy pods still below', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 160, multiContext: true });
    await app.press('a');
    for (const [key, column] of SORT_COLUMN_KEYS) {
      await app.press(key);
      const title = POD_COLUMNS.find((c) => c.id === column)!.title;
      expect(app.frame()).toContain(`sort: ${title.toLowerCase()} `);
      expect(titles(app.frame())).toMatch(new RegExp(`${title}[▲▼]`));
      expect(order(app.frame()).at(-1)).toBe('orders-db');
    }
  });

  it('marks the direction in ASCII without Unicode', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 140, ascii: true, color: false });
    await app.press('T');
    expect(app.frame()).toContain('sort: restarts v');
    expect(titles(app.frame())).toContain('RESTARTSv');
    await app.press('T');
    expect(titles(app.frame())).toContain('RESTARTS^');
  });
});

describe('filter and namespace', () => {
  it('`/` filters as you type, Enter keeps it, Esc clears it', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('/', 'c', 'h', 'e', 'c', 'k');
    expect(app.frame()).toContain('/check_');
    expect(tableRows(app.frame())).toHaveLength(1);
    await app.press(ENTER);
    expect(app.frame()).toContain('filter: check');
    expect(tableRows(app.frame())).toHaveLength(1);
    // While typing, command keys are text: `q` did not quit.
    await app.press('/', 'q', ENTER);
    expect(app.actions.quit).not.toHaveBeenCalled();
    await app.press(ESC);
    expect(tableRows(app.frame())).toHaveLength(3);
  });

  it('a label selector that does not parse says so and why, never as zero matches', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 80 });
    await app.press('/-l app in (a', ENTER);
    const frame = app.frame();
    expect(frame).toContain("Not a valid label selector: 'app in (a' has no closing ')' (Esc clears it).");
    expect(frame).toContain('filter: -l app in (a (not a valid selector)');
    expect(frame).not.toMatch(/\b0\/\d+ pods/);
    expect(frame).not.toContain('No pod matches');
    // A valid selector that matches nothing still reads as no match.
    await app.press(ESC, '/-l app=nothing', ENTER);
    expect(app.frame()).toContain('No pod matches the filter');
    expect(app.frame()).toMatch(/\b0\/\d+ pods/);
  });

  it('a paste into the filter is one filter change: the table is filtered once, not once per character', async () => {
    const filtered: (string | undefined)[] = [];
    const update = PodTableState.prototype.update;
    const spy = vi.spyOn(PodTableState.prototype, 'update').mockImplementation(function (
      this: PodTableState,
      all,
      changes,
      params,
    ) {
      filtered.push(params.filter.text);
      return update.call(this, all, changes, params);
    });
    try {
      const app = await renderApp(new FakeSource(fixturePods()));
      await app.press('a', '/checkout\rq');
      expect(app.frame()).toContain('filter: checkout');
      expect(tableRows(app.frame())).toHaveLength(1);
      // Enter ends the text: the key after it is a key again (`q` quits).
      expect(app.actions.quit).toHaveBeenCalled();
      expect(new Set(filtered)).toEqual(new Set(['', 'checkout']));
    } finally {
      spy.mockRestore();
    }
  });

  it('`n` picks a namespace among those seen, without listing namespaces', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('n');
    expect(app.frame()).toContain('(all watched namespaces)');
    expect(app.frame()).toContain('shop');
    await app.press('j', 'j', ENTER);
    expect(app.frame()).toContain('ns web');
    expect(tableRows(app.frame())).toHaveLength(1);
    expect(tableRows(app.frame())[0]).toContain('checkout');
  });

  it('with a namespace picked, the header counts the pods shown out of that namespace, not out of all', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('a');
    expect(app.frame()).toContain('4/4 pods');
    await app.press('n', 'j', ENTER);
    expect(app.frame()).toContain('ns shop');
    expect(app.frame()).toContain('3/3 pods');
    await app.press('a');
    expect(app.frame()).toMatch(/\b2\/3 pods\b/);
    await app.press(ESC);
    expect(app.frame()).toMatch(/\b3\/4 pods\b/);
  });
});

describe('group by owner', () => {
  /** `replicas` crash-looping pods of each Deployment, as the ReplicaSet controller names them. */
  function deployments(names: readonly string[], replicas: number): Pod[] {
    const crashing = fixturePods()[0]!;
    return names.flatMap((name) =>
      Array.from({ length: replicas }, (_, i) => ({
        ...crashing,
        metadata: {
          ...crashing.metadata,
          name: `${name}-7d9f8c6b5-${String(i).padStart(5, 'x')}`,
          uid: `${name}-${i}`,
          labels: { app: name, 'pod-template-hash': '7d9f8c6b5' },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: `${name}-7d9f8c6b5`,
              uid: name,
              controller: true,
            },
          ],
        },
      })),
    );
  }

  it('`o` heads each owner with its counts, its pods under it; keys step over the headers', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 100 });
    await app.press('o');
    const frame = app.frame();
    expect(frame).toMatch(
      /^ {2}Deployment shop\/payments-api {2}2 pods, 2 crash-looping: 2 CrashLoopBackOff$/m,
    );
    expect(frame).toMatch(/^ {2}Deployment web\/checkout-web {2}1 pod: 1 CreateContainerConfigError$/m);
    // The pods hang under their owner's line, the last one closing it.
    expect(frame).toMatch(/payments-api {2}2 pods.*\n› ├ payments\S*def34 .*\n {2}└ payments\S*abc12 /);
    expect(frame).toMatch(/checkout-web {2}1 pod.*\n {2}└ checkout\S*xyz99 /);
    // Down twice (in one read) crosses the next owner's line; Up comes back over it; g and G land on pods.
    await app.press('jj');
    expect(selectedRow(app.frame())).toMatch(/└ checkout\S*xyz99/);
    await app.press('k');
    expect(selectedRow(app.frame())).toContain('abc12');
    await app.press('G');
    expect(selectedRow(app.frame())).toMatch(/└ checkout\S*xyz99/);
    await app.press('g');
    expect(selectedRow(app.frame())).toContain('def34');
    await app.press(ENTER);
    expect(app.frame()).toContain('shop/payments-api-7d9f8c6b5-def34');
  });

  it('at 80×24 windows the lines headers included, the selected pod and its owner in view', async () => {
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
    const app = await renderApp(new FakeSource(deployments(names, 3)), { columns: 80, rows: 24 });
    await app.press('o', 'N');
    const visible = () => app.frame().split('\n');
    expect(visible().length).toBeLessThanOrEqual(23);
    for (const line of visible()) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    // 8 headers and 24 pods: 32 lines, 17 on screen (the header's counts take a line of their own), the first
    // owner on top.
    expect(visible().filter((l) => /^ {2}Deployment /.test(l))).toHaveLength(5);
    expect(visible().filter((l) => /^[ ›] [├└] /.test(l))).toHaveLength(12);
    await app.press('G');
    expect(selectedRow(app.frame())).toMatch(/└ hotel-7d9f8c6b5-xxxx2/);
    expect(app.frame()).toMatch(/Deployment shop\/hotel {2}3 pods, 3 crash-looping/);
    // Up to the first pod of a group at the top of the window: its owner's line comes into view with it.
    for (let i = 0; i < 14; i++) await app.press('k');
    expect(selectedRow(app.frame())).toMatch(/├ delta-7d9f8c6b5-xxxx0/);
    const lines = visible();
    const at = lines.findIndex((l) => l.startsWith('›'));
    expect(lines[at - 1]).toMatch(/^ {2}Deployment shop\/delta /);
    // A page up from there and back keeps the selection on pods only.
    await app.press('\u001b[5~', '\u001b[6~');
    expect(selectedRow(app.frame())).toMatch(/[├└] [a-h]\w+-7d9f8c6b5-/);
  });

  it('counts the lines out of view the same with an owner line drawn on top (grouped by owner) as without', async () => {
    const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
    const app = await renderApp(new FakeSource(deployments(names, 3)), { columns: 80, rows: 24 });
    await app.press('o', 'N');
    const more = (arrow: string) => Number(new RegExp(`${arrow} (\\d+) more`).exec(app.frame())?.[1] ?? 0);
    const firstLine = () => tableRows(app.frame())[0] ?? '';
    // 8 owner lines and 24 pods: 32 lines, 17 on screen; the owner line drawn on top covers the line it replaces.
    let sticky = 0;
    let plain = 0;
    await app.press('G');
    for (let i = 0; i < 31; i++) {
      const onTop = /^ {2}Deployment shop\/(\w+)/.exec(firstLine())?.[1];
      const pods = app
        .frame()
        .split('\n')
        .filter((l) => /^[ ›] [├└] /.test(l));
      // Sticky: the owner line is there though its first pod (the line right under it in the list) is not.
      if (onTop && !pods.some((l) => l.includes(`${onTop}-7d9f8c6b5-xxxx0`))) sticky++;
      else if (more('↑') > 0) plain++;
      expect(more('↑') + more('↓')).toBe(32 - 17);
      await app.press('k');
    }
    expect(sticky).toBeGreaterThan(0);
    expect(plain).toBeGreaterThan(0);
  });

  it("keeps a long group's owner on the first line while its pods scroll under it", async () => {
    const app = await renderApp(new FakeSource(deployments(['big'], 30)), { columns: 80, rows: 24 });
    await app.press('o', 'N');
    const body = () => {
      const lines = app.frame().split('\n');
      const titles = lines.findIndex((l) => /^ {2}NAME/.test(l));
      return lines.slice(titles + 1, titles + 19);
    };
    expect(body()[0]).toMatch(/^ {2}Deployment shop\/big {2}30 pods/);
    await app.press('G');
    expect(body()[0]).toMatch(/^ {2}Deployment shop\/big {2}30 pods/);
    expect(selectedRow(app.frame())).toMatch(/└ big\S*xxxx9 /);
    // Up, one key at a time and in one read: the owner stays on top, the selection always shown under it.
    for (const keys of ['k', 'k', 'kkkkkkkkkkkkkkkk', 'k', 'k', 'kkk']) {
      await app.press(keys);
      expect(body()[0]).toMatch(/^ {2}Deployment shop\/big /);
      expect(body().filter((l) => l.startsWith('›'))).toHaveLength(1);
    }
    expect(selectedRow(app.frame())).toMatch(/├ big\S*xxx16 /);
  });
});

describe('detail pane', () => {
  it('Enter shows containers, the cause with evidence and fix, the previous log and events; Esc returns', async () => {
    const source = new FakeSource(fixturePods());
    const pod = fixturePods()[0]!;
    source.logs.set(`${keyOf('kind-dev', pod)}/app/true`, ['starting payments', 'allocating cache 512Mi']);
    source.update({
      events: new Map([
        [
          keyOf('kind-dev', pod),
          [
            {
              involvedObject: { kind: 'Pod', name: pod.metadata.name, namespace: 'shop' },
              type: 'Warning',
              reason: 'BackOff',
              message: 'Back-off restarting failed container app in pod payments-api',
              count: 5,
              lastTimestamp: '2026-11-25T13:59:55Z',
            },
          ],
        ],
      ]),
    });
    const app = await renderApp(source, { rows: 60 });
    await app.press('j', ENTER);
    await settle();
    const frame = app.frame();
    expect(frame).toContain('shop/payments-api-7d9f8c6b5-abc12');
    expect(frame).toMatch(/app: waiting \(CrashLoopBackOff\) {2}restarts 5 {2}next: 2m30s/);
    expect(frame).toMatch(/last exit: code 137 \(OOMKilled\)/);
    expect(frame).toMatch(/Cause \(app\): oom-killed, high confidence/);
    expect(frame).toContain('Fix:');
    expect(frame).toContain('allocating cache 512Mi');
    expect(frame).toMatch(/Warning {2}BackOff \(x5\): Back-off restarting/);
    expect(source.logRequests[0]?.request).toMatchObject({ container: 'app', previous: true });
    await app.press(ESC);
    expect(tableRows(app.frame())).toHaveLength(3);
  });

  it('reads the previous log again for a pod created again under the same name, and after the next crash', async () => {
    const source = new FakeSource(fixturePods());
    const pod = fixturePods()[0]!;
    const logKey = `${keyOf('kind-dev', pod)}/app/true`;
    const replaceFirst = (first: Pod) =>
      source.setPods([first, ...fixturePods().slice(1)].map((p) => ({ context: 'kind-dev', pod: p })));
    source.logs.set(logKey, ['java.lang.OutOfMemoryError: Java heap space']);
    const app = await renderApp(source, { rows: 60 });
    await app.press('j', ENTER);
    await vi.waitFor(() => expect(app.frame()).toContain('OutOfMemoryError'), WAIT);

    // The StatefulSet-like case: deleted, created again, and crashed once with another error.
    const again = structuredClone(pod);
    again.metadata.uid = 'second-pod';
    const status = again.status!.containerStatuses![0]!;
    status.restartCount = 1;
    status.lastState = {
      terminated: {
        exitCode: 1,
        reason: 'Error',
        startedAt: '2026-11-25T13:59:50Z',
        finishedAt: '2026-11-25T13:59:58Z',
      },
    };
    source.logs.set(logKey, ['FATAL: could not write lock file "postmaster.pid": No space left on device']);
    replaceFirst(again);
    await vi.waitFor(() => expect(app.frame()).toContain('No space left on device'), WAIT);
    expect(app.frame()).not.toContain('OutOfMemoryError');

    // Running between crashes, then waiting after the next one: restartCount is the same, the run is not.
    const crashed = structuredClone(again);
    crashed.status!.containerStatuses![0]!.lastState!.terminated!.finishedAt = '2026-11-25T13:59:59Z';
    source.logs.set(logKey, ['Error: connect ECONNREFUSED 10.96.0.12:5432']);
    replaceFirst(crashed);
    await vi.waitFor(() => expect(app.frame()).toContain('ECONNREFUSED 10.96.0.12:5432'), WAIT);
    // The detail page reads 50 lines (the table its own 200): once per run, not on every snapshot.
    expect(source.logRequests.filter((r) => r.request.tailLines === 50)).toHaveLength(3);
  });

  it('shows hostile cluster strings as harmless text', async () => {
    const pod = fixturePods()[1]!;
    const status = pod.status!.containerStatuses![0]!;
    status.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: 'back-off 2m40s restarting failed container=app \u001b]0;owned\u0007title',
      },
    };
    const source = new FakeSource([pod]);
    source.logs.set(`${keyOf('kind-dev', pod)}/app/true`, [
      'copy \u001b]52;c;ZWNobyBwd25lZA==\u0007 me',
      'clear \u001b[2J screen',
      'bell \u0007\u000e shift-out \u202e reversed',
    ]);
    const app = await renderApp(source);
    await app.press(ENTER);
    await settle();
    const frame = app.frame();
    expect(frame).toContain('copy  me');
    expect(frame).toContain('clear  screen');
    expect(frame).toContain('bell  shift-out  reversed');
    expect(frame).toContain('container=app title');
    expect(frame).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
  });
});

describe('logs, describe and help', () => {
  it('`l` follows the current log; new lines appear; `/` searches', async () => {
    const source = new FakeSource(fixturePods());
    const key = keyOf('kind-dev', fixturePods()[0]!);
    source.logs.set(`${key}/app/false`, ['line one', 'line two']);
    const app = await renderApp(source);
    await app.press('j', 'l');
    // Following starts in an effect and its first lines come a frame later: wait for the state, not for time.
    await shows(app, /Logs shop\/payments-api-7d9f8c6b5-abc12 \[app\] current run/);
    await shows(app, 'line two');
    expect(source.followers).toHaveLength(1);
    source.followers[0]!(['line three \u001b[31mred\u001b[0m']);
    await shows(app, 'line three red');
    await app.press('/', 't', 'w', 'o', ENTER);
    await shows(app, '"two" 1/1');
    await app.press(ESC);
    await vi.waitFor(() => expect(tableRows(app.frame())).toHaveLength(3), WAIT);
  });

  it("a paste into the log search stays in the search: its `:`, `?` and Enter are not the app's keys", async () => {
    const source = new FakeSource(fixturePods());
    source.logs.set(`${keyOf('kind-dev', fixturePods()[0]!)}/app/false`, ['dial tcp abc:xy? refused']);
    const app = await renderApp(source);
    await app.press('j', 'l');
    await shows(app, 'dial tcp abc:xy? refused');
    await app.press('/', 'abc:xy?\r');
    await shows(app, '"abc:xy?" 1/1');
    await settle();
    const frame = app.frame();
    expect(frame).toMatch(/Logs shop\/payments-api-7d9f8c6b5-abc12/);
    expect(frame).not.toContain('Enter runs');
    expect(frame).not.toContain('unknown command');
    expect(frame).not.toContain('crashtop keys');
    expect(app.actions.quit).not.toHaveBeenCalled();
  });

  it('Esc and q in the same read as the key that opened or uncovered the log view are not lost', async () => {
    const source = new FakeSource(fixturePods());
    source.logs.set(`${keyOf('kind-dev', fixturePods()[0]!)}/app/false`, ['line one']);
    const app = await renderApp(source);
    await app.press('j', ENTER);
    await shows(app, /^Cause \(app\)/m);
    await app.press('l');
    await shows(app, 'line one');
    await app.press('?');
    await shows(app, 'crashtop keys');
    // Three Esc in one read, as a key held over SSH sends them: help, then the log view, then the detail page.
    await app.press(ESC + ESC + ESC);
    await vi.waitFor(() => expect(tableRows(app.frame())).toHaveLength(3), WAIT);
    // `l` and `q` in one read: the log view opens and closes again, back on the detail page.
    await app.press(ENTER);
    await shows(app, /^Cause \(app\)/m);
    await app.press('lq');
    await settle();
    expect(app.frame()).toMatch(/^Cause \(app\)/m);
    expect(app.frame()).not.toContain('Logs shop/');
  });

  it('`p` reads the previous container log', async () => {
    const source = new FakeSource(fixturePods());
    source.logs.set(`${keyOf('kind-dev', fixturePods()[0]!)}/app/true`, ['fatal: out of memory']);
    const app = await renderApp(source);
    await app.press('j', 'p');
    await settle();
    expect(app.frame()).toContain('previous run');
    expect(app.frame()).toContain('fatal: out of memory');
  });

  it('`d` describes the pod like kubectl, with its events', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { rows: 80 });
    await app.press('G', 'd');
    await settle();
    const frame = app.frame();
    expect(frame).toMatch(/Name: +checkout-web-5f6d7c8b9-xyz99/);
    expect(frame).toMatch(/Namespace: +web/);
    expect(frame).toMatch(/DATABASE_URL: {2}<set to the key 'database_url' of config map 'checkout-config'>/);
    expect(frame).toMatch(/Events: +<none>/);
  });

  it('`?` documents every key; Esc closes it', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { rows: 60 });
    await app.press('?');
    // A long action goes on under itself (15 columns in).
    const text = app.frame().replace(/ *\n {15}(?=\S)/g, ' ');
    for (const { keys } of KEY_HELP) for (const k of keys) expect(text).toContain(k.action);
    await app.press(ESC);
    expect(tableRows(app.frame())).toHaveLength(3);
  });
});

describe('narrow terminals', () => {
  it.each([
    // The columns depend on the width only (rows.ts layoutColumns): AGE and READY go first, so that STATUS and
    // CAUSE have room for `CreateContainerConfigError` and `dependency-unreachable`; on 80 columns CAUSE wins.
    [120, 30, ['NAMESPACE', 'NAME', 'STATUS', 'RESTARTS', 'NEXT RESTART', 'CAUSE'], true],
    [140, 30, ['NAMESPACE', 'NAME', 'READY', 'STATUS', 'RESTARTS', 'NEXT RESTART', 'CAUSE', 'AGE'], true],
    // NEXT RESTART as wide as the widest countdown these rows can show (13): STATUS gets the 2 columns left.
    [80, 24, ['NAME', 'STATUS', 'NEXT RESTART', 'CAUSE'], true],
    [60, 20, ['NAME', 'STATUS', 'NEXT RESTART'], false],
  ])(
    '%i×%i: columns drop, nothing wraps, the frame fits in rows − 1',
    async (columns, rows, titles, whole) => {
      const app = await renderApp(new FakeSource(fixturePods()), { columns, rows });
      const lines = app.frame().split('\n');
      expect(lines.length).toBeLessThanOrEqual(rows - 1);
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
      const header = lines.find((l) => l.includes('NEXT RESTART'))!;
      // The sorted column (NEXT RESTART, soonest first) carries the direction.
      expect(header).toContain('NEXT RESTART▲');
      expect(
        header
          .trim()
          .split(/ {2,}/)
          .map((t) => t.replace(/▲$/, '')),
      ).toEqual(titles);
      expect(tableRows(app.frame())).toHaveLength(3);
      expect(tableRows(app.frame())[0]).toMatch(/CrashLoopBackOff/);
      expect(tableRows(app.frame()).join('\n').includes('CreateContainerConfigError')).toBe(whole);
    },
  );
});

describe('actions', () => {
  it('`s` suspends the UI, runs kubectl exec through the injected runner and comes back', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    let finish: (r: { code: number }) => void = () => {};
    app.actions.runInteractive.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    await app.press('a', 'G', 's');
    await settle();
    expect(app.actions.runInteractive).toHaveBeenCalledWith(
      execArgv({ context: 'kind-dev', namespace: 'shop', pod: 'orders-db-0', container: 'postgres' }),
      'crashtop: kubectl exec: opening a shell in kind-dev: shop/orders-db-0 [postgres]',
    );
    // Suspended: nothing drawn while the child owns the terminal.
    expect(app.frame()).toBe('');
    finish({ code: 0 });
    await settle();
    expect(selectedRow(app.frame())).toContain('orders-db-0');
    expect(app.frame()).toContain('exited with 0');
  });

  it('`s` on a container that is not running says so and offers x, instead of failing', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 300 });
    await app.press('s');
    await settle();
    expect(app.actions.runInteractive).not.toHaveBeenCalled();
    expect(app.frame()).toContain(
      'container app of kind-dev: shop/payments-api-7d9f8c6b5-def34 is not running (CrashLoopBackOff), so there is no shell to open: x makes a debug copy of the pod with a shell',
    );
  });

  it.each([
    [80, 12],
    [40, 24],
  ])(
    'at %i×%i a long message takes at most a third of the rows, its last line ending with an ellipsis',
    async (columns, rows) => {
      const app = await renderApp(new FakeSource(fixturePods()), { columns, rows });
      await app.press(':');
      // Pasted: one chunk, not 442 keys of a frame each.
      app.stdin.write('nosuchcommand'.repeat(34));
      await settle();
      await app.press('\r');
      const lines = app.frame().split('\n');
      expect(lines.length, app.frame()).toBeLessThanOrEqual(rows);
      const first = lines.findIndex((l) => l.startsWith('unknown command'));
      expect(first, app.frame()).toBeGreaterThanOrEqual(0);
      const message = lines.slice(first).filter((l) => l.trim() !== '');
      expect(message.length, app.frame()).toBe(1 + Math.floor(rows / 3));
      expect(message.at(-1), app.frame()).toMatch(/…$/);
      // The table keeps its header and the pod on top.
      expect(app.frame()).toContain('def34');
    },
  );

  it('at 80 columns a message goes on under itself, on the table and in the detail page: what to do is at its end', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 80, rows: 24 });
    const said = () => {
      const lines = app.frame().split('\n');
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
      const first = lines.findIndex((l) => l.includes('container app of kind-dev'));
      expect(first, app.frame()).toBeGreaterThanOrEqual(0);
      return lines
        .slice(first)
        .join('\n')
        .replace(/\n {2}/g, ' ');
    };
    await app.press('s');
    await settle();
    expect(said()).toContain(
      'is not running (CrashLoopBackOff), so there is no shell to open: x makes a debug copy of the pod with a shell',
    );
    await app.press('\r', 's');
    await settle();
    expect(app.frame()).toContain('Cause (app)');
    expect(said()).toContain('x makes a debug copy of the pod with a shell');
  });

  it('`s` on a pod with several containers asks which, defaulting to a running one', async () => {
    const pods = fixturePods();
    const crashing = pods.find((p) => p.metadata.name === 'payments-api-7d9f8c6b5-def34')!;
    withProxy(crashing);
    const app = await renderApp(new FakeSource(pods), { columns: 300 });
    await app.press('s');
    expect(app.frame()).toContain(
      'shell in which container of kind-dev: shop/payments-api-7d9f8c6b5-def34? 1 app (CrashLoopBackOff)  2 proxy (running)  · Enter: proxy',
    );
    await app.tick(QUESTION_READ_MS);
    await app.press('1');
    expect(app.frame()).toContain('not running (CrashLoopBackOff)');
    expect(app.frame()).toContain('running: proxy (s, then pick it)');
    await app.press('s');
    await app.tick(QUESTION_READ_MS);
    await app.press('\r');
    await settle();
    expect(app.actions.runInteractive).toHaveBeenCalledWith(
      execArgv({
        context: 'kind-dev',
        namespace: 'shop',
        pod: 'payments-api-7d9f8c6b5-def34',
        container: 'proxy',
      }),
      expect.stringContaining('opening a shell in'),
    );
  });

  it.each([
    [async () => 0, /shell in kind-dev: shop\/orders-db-0 \[postgres\]: exited with 0/],
    [
      async () => {
        throw new Error(
          'exec into shop/payments-api-7d9f8c6b5-def34 [app] failed: the crashtop simulator cannot exec into containers',
        );
      },
      /failed: the crashtop simulator cannot exec into containers/,
    ],
  ])('`s` without kubectl runs the shell over the API server, the same way (%#)', async (exec, shown) => {
    const source = new FakeSource(fixturePods());
    source.exec = vi.fn(exec);
    const app = await renderApp(source, { kubectl: false });
    await app.press('a', 'G', 's');
    await settle();
    expect(app.actions.canRun).toHaveBeenCalledWith('kubectl');
    expect(app.actions.runInteractive).not.toHaveBeenCalled();
    expect(app.actions.runAttached).toHaveBeenCalledWith(
      expect.any(Function),
      'crashtop: opening a shell in kind-dev: shop/orders-db-0 [postgres] through the API server',
    );
    expect(source.exec).toHaveBeenCalledWith(
      { context: 'kind-dev', namespace: 'shop', name: 'orders-db-0', container: 'postgres' },
      'postgres',
      expect.anything(),
    );
    expect(selectedRow(app.frame())).toContain('orders-db-0');
    expect(app.frame()).toMatch(shown);
  });

  it('`x` says it creates a pod and runs kubectl debug only after y', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('x');
    expect(app.frame()).toMatch(/creates a NEW POD payments-api-7d9f8c6b5-def34-debug/);
    await app.tick(QUESTION_READ_MS);
    await app.press('n');
    expect(app.frame()).toContain('debug copy cancelled');
    expect(app.actions.runInteractive).not.toHaveBeenCalled();
    await app.press('x');
    await app.tick(QUESTION_READ_MS);
    await app.press('y');
    await settle();
    expect(app.actions.runInteractive).toHaveBeenCalledWith(
      debugArgv({
        context: 'kind-dev',
        namespace: 'shop',
        pod: 'payments-api-7d9f8c6b5-def34',
        container: 'app',
      }),
      // Said on the cleared screen while kubectl debug, silent, waits for the copy's container to start.
      'crashtop: kubectl debug: creating payments-api-7d9f8c6b5-def34-debug, a copy of kind-dev: shop/payments-api-7d9f8c6b5-def34 [app] with a shell, and waiting for it to start (Ctrl-C stops waiting; the copy stays)',
    );
  });

  /** The open question's lines, from the one that starts it, joined back into one sentence (spaces collapsed). */
  function question(frame: string, start: string): string {
    const lines = frame.split('\n');
    const first = lines.findIndex((line) => line.includes(start));
    expect(first).toBeGreaterThan(0);
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    return lines
      .slice(first)
      .map((line) => line.trim())
      .join(' ')
      .replace(/ +/g, ' ');
  }

  // A full-screen view puts `↓ N more ·` before its footer: the question's first line must not lose its end to it.
  // (x and s act on the pod of the table, the detail page and describe; the log and events views leave them.)
  const fromViews = [
    { from: 'the table', keys: [] },
    { from: 'the detail page', keys: [ENTER] },
    { from: 'describe', keys: ['d'] },
  ];

  /** The fixture with the crash-looping pod renamed `name` (its length decides where the question wraps). */
  function renamed(name: string): Pod[] {
    const pods = fixturePods();
    pods.find((p) => p.metadata.name === 'payments-api-7d9f8c6b5-def34')!.metadata.name = name;
    return pods;
  }

  it.each(fromViews)(
    'on 80×16, `x` from $from asks in full: what it copies, the context, namespace and y/N are never cut',
    async ({ keys }) => {
      for (const name of ['api-7d9f8-x2k4p', 'payments-api-7d9f8c6b5-def34']) {
        const app = await renderApp(new FakeSource(renamed(name)), { columns: 80, rows: 16 });
        await app.press(...keys);
        if (keys.length > 0) expect(app.frame()).toMatch(/↓ \d+ more/);
        await app.press('x');
        expect(question(app.frame(), 'x creates')).toContain(
          `x creates a NEW POD ${name}-debug (a copy of ${name} with a shell) in context kind-dev, namespace shop; it runs until deleted. Create it? y/N`,
        );
        await app.tick(QUESTION_READ_MS);
        await app.press('n');
        expect(app.frame()).not.toContain('Create it?');
        app.unmount();
      }
    },
  );

  it.each(fromViews)('on 80×16, `s` from $from asks which container in full', async ({ keys }) => {
    for (const name of ['api-x2k4p1', 'api-7d9f8-x2k4p']) {
      const pods = renamed(name);
      const crashing = pods.find((p) => p.metadata.name === name)!;
      withProxy(crashing);
      const app = await renderApp(new FakeSource(pods), { columns: 80, rows: 16 });
      await app.press(...keys);
      if (keys.length > 0) expect(app.frame()).toMatch(/↓ \d+ more/);
      await app.press('s');
      expect(question(app.frame(), 'shell in which')).toContain(
        `shell in which container of kind-dev: shop/${name}? 1 app (CrashLoopBackOff) 2 proxy (running) · Enter: proxy · other keys cancel`,
      );
      app.unmount();
    }
  });

  it('in --demo, the debug copy says plainly it is not available (the simulator serves exec, not pod creation)', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { demo: true, columns: 200 });
    await app.press('x');
    expect(app.frame()).toContain('a debug copy (kubectl debug) is not available');
    expect(app.actions.runInteractive).not.toHaveBeenCalled();
  });

  it('`y` sends the fix command with OSC 52 and shows it in full', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 200 });
    await app.press('y');
    await settle();
    const frame = app.frame().split('\n');
    const said = frame.findIndex((line) => line.includes("sent to the terminal's clipboard (OSC 52):"));
    expect(said).toBeGreaterThan(0);
    // Shown in full below, wrapped between shell words: joined back, it is exactly what was sent.
    const copied = frame
      .slice(said + 1)
      .map((line) => line.trim().replace(/ \\$/, ''))
      .filter((line) => line !== '')
      .join(' ');
    expect(copied).toMatch(/^kubectl /);
    expect(app.actions.write).toHaveBeenCalledWith(osc52(copied!, 'none'));
  });

  it('`b` rings the bell and marks the row when a pod newly enters a crash loop', async () => {
    const source = new FakeSource(fixturePods());
    const app = await renderApp(source);
    await app.press('a', 'b');
    expect(app.frame()).toContain('bell on');
    expect(app.actions.write).not.toHaveBeenCalled();
    const pods = fixturePods();
    const db = pods[2]!;
    db.status!.containerStatuses![0] = {
      ...db.status!.containerStatuses![0]!,
      ready: false,
      restartCount: 1,
      state: {
        waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=postgres' },
      },
      lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-25T13:59:58Z' } },
    };
    source.setPods(pods.map((pod) => ({ context: 'kind-dev', pod })));
    await settle();
    expect(app.actions.write).toHaveBeenCalledWith('\u0007');
    expect(
      app
        .frame()
        .split('\n')
        .find((l) => l.includes('orders-db-0')),
    ).toMatch(/^.♪/);
  });

  it('says how many rows are out of view above and below, so a scrolled table is not read as its top', async () => {
    // 120 columns hold the counts on a line of their own under what is shown: the header takes 4 lines.
    const app = await renderApp(new FakeSource(fixturePods()), { rows: 10 });
    await app.press('a');
    const footer = () => app.frame().split('\n').at(-1) ?? '';
    expect(tableRows(app.frame())).toHaveLength(3);
    expect(footer()).toMatch(/^↓ 1 more · \? help/);
    await app.press('G');
    expect(footer()).toMatch(/^↑ 1 more · \? help/);
    await app.press('g');
    expect(footer()).not.toContain('↑');
  });

  it('q and Ctrl-C quit with 0', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('q');
    expect(app.actions.quit).toHaveBeenLastCalledWith(0);
    await app.press('\u0003');
    expect(app.actions.quit).toHaveBeenCalledTimes(2);
  });
});

describe('CAUSE from the previous log', () => {
  const ledger = () => fixturePods('log-only-cause.yaml')[0]!;
  const refused = ['ledger 3.2 starting', 'FATAL: dial tcp 10.96.0.12:5432: connect: connection refused'];

  it.each([
    [false, '◌'],
    [true, '(?)'],
  ])('shows %s while the log is read (ascii %s), then the cause the log gives', async (ascii, pending) => {
    const pod = ledger();
    const source = new FakeSource([pod]);
    let release = () => {};
    source.logGate = new Promise<void>((resolve) => (release = resolve));
    source.logs.set(`${keyOf('kind-dev', pod)}/ledger/true`, refused);
    const app = await renderApp(source, { columns: 140, ascii });
    const cause = (frame: string) =>
      tableRows(frame)[0]!
        .split(/\s{2,}/)
        .at(-2);
    expect(cause(app.frame())).toBe(pending);
    expect(app.frame()).not.toContain('unknown');
    await app.press('?', 'G');
    expect(app.frame()).toContain(`CAUSE ${pending}: the previous log is being read`);
    await app.press('\u001b');
    release();
    await settle();
    expect(cause(app.frame())).toBe('dependency-unreachable');
    expect(source.logRequests).toEqual([
      {
        ref: { context: 'kind-dev', namespace: 'payments', name: pod.metadata.name },
        request: { container: 'ledger', previous: true, tailLines: 200 },
      },
    ]);
  });

  it('reads a log once per crash: not again on a tick or a redraw, again after the next restart', async () => {
    const pod = ledger();
    const source = new FakeSource([pod]);
    source.logs.set(`${keyOf('kind-dev', pod)}/ledger/true`, refused);
    const app = await renderApp(source, { columns: 140 });
    await vi.waitFor(() => expect(tableRows(app.frame())[0]).toContain('dependency-unreachable'), WAIT);
    expect(source.logRequests).toHaveLength(1);
    await app.tick(1000);
    await app.press('j', 'k');
    source.setPods([{ context: 'kind-dev', pod: { ...pod } }]);
    // A change within 250 ms of the last one is taken on the clock's next tick: tick, rather than wait 250 ms of
    // wall clock that a loaded machine stretches.
    await app.tick(1000);
    expect(source.logRequests).toHaveLength(1);
    const status = pod.status!.containerStatuses![0]!;
    const crashedAgain = {
      ...pod,
      status: {
        ...pod.status,
        containerStatuses: [
          {
            ...status,
            restartCount: 29,
            lastState: {
              terminated: { ...status.lastState!.terminated!, containerID: 'containerd://run-29' },
            },
          },
        ],
      },
    };
    source.setPods([{ context: 'kind-dev', pod: crashedAgain }]);
    await app.tick(1000);
    await vi.waitFor(() => expect(source.logRequests).toHaveLength(2), WAIT);
    await vi.waitFor(() => expect(tableRows(app.frame())[0]).toContain('dependency-unreachable'), WAIT);
    await settle();
    expect(source.logRequests).toHaveLength(2);
  });

  it('keeps the log-free cause when the log cannot be read', async () => {
    const source = new FakeSource(fixturePods());
    source.readLogs = async () => {
      throw new Error('pods "x" is forbidden');
    };
    const app = await renderApp(source, { columns: 140 });
    expect(tableRows(app.frame())[0]).toMatch(/oom-killed/);
  });
});

describe('header', () => {
  /** The pods and events watches of a user who may read namespace shop of kind-dev only, live unless changed. */
  const shopWatches = (pods: Partial<WatchStatus> = {}, events: Partial<WatchStatus> = {}): WatchStatus[] => [
    { context: 'kind-dev', namespaces: ['shop'], state: 'live', since: NOW.getTime(), ...pods },
    {
      context: 'kind-dev',
      namespaces: ['shop'],
      resource: 'events',
      state: 'live',
      since: NOW.getTime(),
      ...events,
    },
  ];

  it('says once, in plain words, what is watched when -A was forbidden (no error state, no "all namespaces")', async () => {
    const note =
      'context kind-dev may not list pods in all namespaces (403 Forbidden), so only its namespace "shop" is read';
    const source = new FakeSource(fixturePods(), {
      watches: shopWatches(),
    });
    source.update({ notes: [note] });
    const app = await renderApp(source, { columns: 200, rows: 24 });
    const lines = app.frame().split('\n');
    expect(lines[0]).toContain('ns shop');
    expect(lines[0]).not.toContain('all namespaces');
    expect(lines[1]?.trim()).toBe('live');
    expect(lines[2]?.trim()).toBe(note);
    expect(app.frame().split(note)).toHaveLength(2);
    expect(lines.length).toBeLessThanOrEqual(23);
  });

  it('says `live` once when every watch is live', async () => {
    const source = new FakeSource(fixturePods(), {
      watches: shopWatches(),
    });
    const app = await renderApp(source, { columns: 200 });
    expect(app.frame().split('\n')[1]?.trim()).toBe('live');
  });

  it.each([
    ['reconnecting', 'reconnecting 12s'],
    ['stale', 'stale 12s'],
  ] as const)('shows a %s watch with how long it has been so', async (state, text) => {
    const source = new FakeSource(fixturePods(), {
      watches: shopWatches(
        { since: NOW.getTime() - 60_000 },
        { state, since: NOW.getTime() - 12_000, message: 'connect ECONNREFUSED 127.0.0.1:6443 \u001b[2J' },
      ),
    });
    const app = await renderApp(source, { columns: 200 });
    // Which watch is behind: the pods are live, the events are not; why on the line under it.
    const lines = app.frame().split('\n');
    expect(lines[1]?.trimEnd()).toBe(`pods live · events ${text}`);
    expect(lines[2]?.trimEnd()).toBe('connect ECONNREFUSED 127.0.0.1:6443');
    expect(app.frame()).toContain('ns shop');
    expect(app.frame()).not.toContain('\u001b[2J');
  });

  it('says at 80 columns why the view is stale, whole and once, and the table still fits', async () => {
    const message = networkError('kind-dev', 'https://10.0.0.1:6443', {
      syscall: 'connect',
      code: 'ECONNREFUSED',
    }).message;
    const since = NOW.getTime() - 75_000;
    const source = new FakeSource(fixturePods(), {
      watches: shopWatches({ state: 'stale', since, message }, { state: 'stale', since, message }),
    });
    const app = await renderApp(source, { columns: 80, rows: 24 });
    const lines = app.frame().split('\n');
    expect(lines[1]?.trimEnd()).toBe('stale 1m15s');
    // The cause and what to do, at the end of the message, are read: nothing of it is cut.
    expect(lines.slice(2, 4).map((l) => l.trimEnd())).toEqual([
      'cannot reach https://10.0.0.1:6443 (context kind-dev): connect ECONNREFUSED — is',
      '  the cluster up? check --context',
    ]);
    expect(lines[4]).toMatch(/^\d+\/\d+ pods/);
    expect(app.frame().split('cannot reach')).toHaveLength(2);
    expect(lines.every((l) => stringWidth(l) <= 80)).toBe(true);
    expect(lines.length).toBeLessThanOrEqual(23);
    // The reason takes the same lines while its age ticks: the table does not move.
    const before = tableRows(app.frame());
    await app.tick(60_000);
    expect(app.frame().split('\n')[1]?.trimEnd()).toBe('stale 2m15s');
    expect(tableRows(app.frame())).toHaveLength(before.length);
    app.unmount();
  });

  it('shows the pods of a list still arriving, and how many have come so far', async () => {
    const pods = fixturePods();
    const source = new FakeSource(pods, {
      watches: [{ context: 'kind-dev', namespaces: [], state: 'connecting', since: NOW.getTime() }],
    });
    const app = await renderApp(source, { columns: 200 });
    expect(app.frame().split('\n')[1]?.trim()).toBe(`connecting  ·  loading pods… ${pods.length} so far`);
    expect(tableRows(app.frame()).length).toBeGreaterThan(0);
    source.update({
      watches: [{ context: 'kind-dev', namespaces: [], state: 'live', since: NOW.getTime() }],
    });
    await settle();
    expect(app.frame().split('\n')[1]?.trim()).toBe('live');
  });

  it.each([
    [['shop'], ['payments'], 'contexts east/shop, west/payments'],
    [[], ['payments'], 'contexts east (all namespaces), west/payments'],
    [['shop', 'web'], ['payments'], 'contexts east (ns shop, web), west/payments'],
    [['shop'], ['shop'], 'contexts east, west  ·  ns shop'],
  ])(
    'at 80 columns, contexts watching %j and %j read as %j: no namespace seems watched in both',
    async (east, west, expected) => {
      const source = new FakeSource(fixturePods(), {
        watches: [
          { context: 'east', namespaces: east, state: 'live', since: NOW.getTime() },
          { context: 'east', namespaces: east, state: 'live', since: NOW.getTime(), resource: 'events' },
          { context: 'west', namespaces: west, state: 'live', since: NOW.getTime() },
        ],
      });
      const app = await renderApp(source, { multiContext: true, columns: 80 });
      expect(app.frame().split('\n')[0]).toBe(`crashtop  ·  ${expected}`);
      // The `n` picker's namespace is one for every context.
      await app.press(':ns shop', ENTER);
      expect(app.frame().split('\n')[0]).toBe('crashtop  ·  contexts east, west  ·  ns shop');
      app.unmount();
    },
  );

  it('shows a CONTEXT column and every context when several clusters are watched', async () => {
    const source = new FakeSource(fixturePods(), {
      watches: [
        { context: 'prod-eu', namespaces: [], state: 'live', since: NOW.getTime() },
        { context: 'prod-us', namespaces: [], state: 'live', since: NOW.getTime() },
      ],
    });
    source.setPods([
      { context: 'prod-eu', pod: fixturePods()[0]! },
      { context: 'prod-us', pod: fixturePods()[0]! },
    ]);
    const app = await renderApp(source, { multiContext: true, columns: 160 });
    expect(app.frame()).toContain('contexts prod-eu, prod-us');
    expect(tableRows(app.frame()).map((r) => r.split(/\s+/)[1])).toEqual(['prod-eu', 'prod-us']);
  });
});
