import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../../src/model/pod.js';
import { BELL } from '../../src/ui/terminal/screen.js';
import { FakeSource } from './fake-source.js';
import { renderApp, settle } from './render-app.js';

// The live view during a deploy (issue 8): crash loops between crashes, a selection that only keys move, a bell
// that means "something new broke", numbers that follow what is shown, and keys that arrive together.

const NOW = new Date('2026-11-25T15:00:00Z');
const DOWN = '\u001b[B';
const ENTER = '\r';
const BACKSPACE = '\u007f';
const CTRL_D = '\u0004';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function fixture(file: string): Pod {
  return parse(readFileSync(new URL(`../fixtures/crash-loop/${file}`, import.meta.url), 'utf8')) as Pod;
}

const watched = (pod: Pod) => ({ context: 'kind-dev', pod });

/** The pod after its container started again at `at` (restartCount + 1, the crash kept in lastState). */
function startedAgain(pod: Pod, at: string): Pod {
  const status = pod.status!.containerStatuses![0]!;
  const crash = status.state?.terminated ?? status.lastState?.terminated;
  return {
    ...pod,
    status: {
      ...pod.status,
      containerStatuses: [
        {
          ...status,
          ready: true,
          restartCount: status.restartCount + 1,
          lastState: { terminated: crash! },
          state: { running: { startedAt: at } },
        },
      ],
    },
  };
}

/** The pod after its running container crashed at `at` and waits in CrashLoopBackOff. */
function crashedAgain(pod: Pod, at: string): Pod {
  const status = pod.status!.containerStatuses![0]!;
  return {
    ...pod,
    status: {
      ...pod.status,
      containerStatuses: [
        {
          ...status,
          ready: false,
          lastState: {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              startedAt: status.state?.running?.startedAt,
              finishedAt: at,
            },
          },
          state: {
            waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=api' },
          },
        },
      ],
    },
  };
}

const DEPLOY = [
  'first-crash.yaml',
  'just-crashed-again.yaml',
  'waiting-crashloopbackoff.yaml',
  'running-between-crashes.yaml',
  'sidecar-running-between-crashes.yaml',
  'restarted-an-hour-ago.yaml',
].map(fixture);

function tableRows(frame: string): string[] {
  const lines = frame.split('\n');
  const header = lines.findIndex((l) => l.includes('NEXT RESTART'));
  return lines.slice(header + 1).filter((l) => /^[ ›>][ ♪!] ?\S/.test(l));
}

const selectedRow = (frame: string) => frame.split('\n').find((l) => l.startsWith('›')) ?? '';
const footer = (frame: string) =>
  frame
    .split('\n')
    .filter((l) => l.trim() !== '')
    .at(-1) ?? '';

describe('a crash loop between crashes', () => {
  it('keeps a Running pod in the default view, counting down to its back-off reset, until the reset passes', async () => {
    const app = await renderApp(new FakeSource([fixture('running-between-crashes.yaml')]), { columns: 140 });
    const row = tableRows(app.frame())[0]!;
    expect(row).toMatch(/orders-api-5c9d7-k2p4x .*Running .*resets in 9m35s [█░]{5}/);
    expect(app.frame()).toContain('1 crash-looping');
    await app.tick(9 * 60_000 + 34_000);
    expect(tableRows(app.frame())[0]).toContain('resets in 1s');
    await app.tick(1000);
    expect(tableRows(app.frame())).toEqual([]);
    expect(app.frame()).toContain('No unhealthy pods');
  });

  it('shows the last crash, its cause and the reset countdown on the detail page', async () => {
    const pod = fixture('running-between-crashes.yaml');
    const source = new FakeSource([pod]);
    source.logs.set('kind-dev/shop/orders-api-5c9d7-k2p4x/api/true', [
      'FATAL: could not connect to server: Connection refused',
    ]);
    const app = await renderApp(source, { columns: 140 });
    await app.press(ENTER);
    await settle();
    const frame = app.frame();
    expect(frame).toContain('last exit: code 1 (Error) at 2026-11-25T14:57:35Z');
    expect(frame).toContain("crash loop: running between crashes; the kubelet's back-off resets in 9m35s");
    expect(frame).toContain('Cause (api): dependency-unreachable, high confidence');
    expect(frame).not.toContain('No failing container');
  });

  it('says there is no previous log to read for a healthy pod (bug: "reading…" forever)', async () => {
    const source = new FakeSource([fixture('restarted-an-hour-ago.yaml')]);
    const app = await renderApp(source, { columns: 140 });
    await app.press('a', ENTER);
    await settle();
    expect(app.frame()).toContain('Previous log: none read (no container is failing)');
    expect(app.frame()).not.toContain('reading…');
    expect(source.logRequests).toEqual([]);
  });

  it('keeps a classified cause while the log of the next crash is read (no `unknown` flash)', async () => {
    const pod = fixture('waiting-crashloopbackoff.yaml');
    const source = new FakeSource([pod]);
    const refused = ['dial tcp 10.96.0.12:5432: connect: connection refused'];
    source.logs.set('kind-dev/shop/orders-api-5c9d7-m8n2q/api/true', refused);
    const app = await renderApp(source, { columns: 140 });
    await app.tick(1000);
    expect(tableRows(app.frame())[0]).toContain('dependency-unreachable');
    let release = () => {};
    source.logGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Starting again is not a new previous log (`--previous` still returns the same run): crashing again is.
    const runningAgain = startedAgain(pod, '2026-11-25T15:00:01Z');
    source.setPods([watched(runningAgain)]);
    await settle();
    expect(source.logRequests).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    source.setPods([watched(crashedAgain(runningAgain, '2026-11-25T15:00:40Z'))]);
    await settle();
    expect(source.logRequests).toHaveLength(2);
    expect(tableRows(app.frame())[0]).toContain('dependency-unreachable');
    release();
  });
});

describe('selection is a pod, not a row', () => {
  it('stays on the same pod through re-sorts and restarts, and moves to a neighbour, with a note, when it is deleted', async () => {
    const source = new FakeSource(DEPLOY);
    const app = await renderApp(source, { columns: 140 });
    const names = () => tableRows(app.frame()).map((r) => r.match(/\S+-\S+-\S+/)?.[0]);
    expect(names().slice(0, 3)).toEqual([
      'orders-api-5c9d7-f0a1b',
      'orders-api-5c9d7-r7t1w',
      'orders-api-5c9d7-m8n2q',
    ]);
    await app.press('j', 'j');
    expect(selectedRow(app.frame())).toContain('m8n2q');

    // r7t1w starts again: it moves below, m8n2q moves up a row; the selection goes with m8n2q.
    const pods = new Map(DEPLOY.map((p) => [p.metadata.name, p]));
    pods.set(
      'orders-api-5c9d7-r7t1w',
      startedAgain(pods.get('orders-api-5c9d7-r7t1w')!, '2026-11-25T15:00:00Z'),
    );
    source.setPods([...pods.values()].map(watched));
    await settle();
    expect(names().indexOf('orders-api-5c9d7-m8n2q')).toBe(1);
    expect(selectedRow(app.frame())).toContain('m8n2q');

    // The selected pod itself restarts and re-sorts to the bottom of the crash loops.
    await new Promise((resolve) => setTimeout(resolve, 300));
    pods.set(
      'orders-api-5c9d7-m8n2q',
      startedAgain(pods.get('orders-api-5c9d7-m8n2q')!, '2026-11-25T15:00:00Z'),
    );
    source.setPods([...pods.values()].map(watched));
    await settle();
    expect(selectedRow(app.frame())).toContain('m8n2q');

    // Deleted: its neighbour is selected and the footer says why the cursor moved.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const index = names().indexOf('orders-api-5c9d7-m8n2q');
    pods.delete('orders-api-5c9d7-m8n2q');
    source.setPods([...pods.values()].map(watched));
    await settle();
    await settle();
    expect(selectedRow(app.frame())).toContain(names()[Math.min(index, names().length - 1)]!);
    expect(footer(app.frame())).toContain('orders-api-5c9d7-m8n2q was deleted');
  });

  it('keeps the selected pod when its owner group re-sorts, and Enter opens that pod', async () => {
    const source = new FakeSource(DEPLOY);
    const app = await renderApp(source, { columns: 140 });
    await app.press('o', 'j');
    const name = /[├└] \S+\s+(\S+)/.exec(selectedRow(app.frame()))?.[1];
    expect(name).toBeDefined();
    // Every restart countdown moves on: whatever the order becomes, the same pod stays selected.
    await app.tick(90_000);
    expect(selectedRow(app.frame())).toContain(name);
    await app.press(ENTER);
    expect(app.frame()).toContain(`/${name}`);
  });
});

describe('the bell', () => {
  it('rings and marks a pod when it enters a crash loop, not on its later restarts; marks clear when it leaves', async () => {
    const first = fixture('first-crash.yaml');
    const looping = fixture('waiting-crashloopbackoff.yaml');
    const source = new FakeSource([first, looping]);
    const app = await renderApp(source, { columns: 140 });
    await app.press('b');
    const rings = () => app.actions.write.mock.calls.filter(([text]) => text === BELL).length;

    // A pod already looping starts again, then crashes again: no news.
    const runningAgain = startedAgain(looping, '2026-11-25T15:00:00Z');
    source.setPods([watched(first), watched(runningAgain)]);
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    source.setPods([watched(first), watched(crashedAgain(runningAgain, '2026-11-25T15:00:40Z'))]);
    await settle();
    expect(rings()).toBe(0);

    // The first crash restarted: a new crash loop. It rings once and marks the row.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const entered = startedAgain(first, '2026-11-25T15:00:00Z');
    source.setPods([watched(entered), watched(crashedAgain(runningAgain, '2026-11-25T15:00:40Z'))]);
    await settle();
    expect(rings()).toBe(1);
    expect(tableRows(app.frame()).find((r) => r.includes('f0a1b'))).toMatch(/^.♪/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    source.setPods([watched(crashedAgain(entered, '2026-11-25T15:00:40Z')), watched(looping)]);
    await settle();
    expect(rings()).toBe(1);

    // Ten minutes of clean running later its loop is over: the mark goes with it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    source.setPods([watched(entered)]);
    await app.tick(10 * 60_000);
    expect(app.frame()).not.toContain('♪');
  });

  it('status messages go after a few seconds and give the key hints back', async () => {
    const app = await renderApp(new FakeSource(DEPLOY), { columns: 140 });
    await app.press('b');
    expect(footer(app.frame())).toContain('bell on');
    await app.tick(5000);
    expect(footer(app.frame())).toContain('? help');
  });
});

describe('header counts follow what is shown', () => {
  it('counts the rows the filter, the namespace picker and `a` leave', async () => {
    const app = await renderApp(new FakeSource(DEPLOY), { columns: 160 });
    expect(app.frame()).toMatch(/5\/6 pods .*4 crash-looping/);
    await app.press('a');
    expect(app.frame()).toMatch(/6\/6 pods .*4 crash-looping.*3 Running/);
    await app.press('/', 'm', '8', ENTER);
    expect(app.frame()).toMatch(/1\/6 pods .*1 crash-looping, 1 CrashLoopBackOff/);
    expect(app.frame()).not.toContain('Running');
  });
});

describe('keys that arrive together', () => {
  const pods = DEPLOY;

  it('Down×3 in one read moves three rows', async () => {
    const app = await renderApp(new FakeSource(pods), { columns: 140 });
    await app.press(DOWN + DOWN + DOWN);
    expect(selectedRow(app.frame())).toContain(tableRows(app.frame())[3]!.slice(2, 40).trim());
    expect(tableRows(app.frame()).findIndex((r) => r.startsWith('›'))).toBe(3);
  });

  it('jjj scrolls the detail page and the help as three j', async () => {
    const one = await renderApp(new FakeSource(pods), { columns: 100, rows: 12 });
    const three = await renderApp(new FakeSource(pods), { columns: 100, rows: 12 });
    for (const view of [ENTER, '?']) {
      await one.press(view, 'j', 'j', 'j');
      await three.press(view, 'jjj');
      expect(three.frame()).toBe(one.frame());
      await one.press('\u001b');
      await three.press('\u001b');
      await settle();
    }
  });

  it('jj and Enter in one read pick the second namespace (after "all")', async () => {
    const app = await renderApp(new FakeSource(pods), { columns: 140 });
    await app.press('n');
    await app.press(`jj${ENTER}`);
    expect(app.frame()).toContain('ns web');
  });

  it('`/` and its text in one read, then three Backspaces in one read', async () => {
    const app = await renderApp(new FakeSource(pods), { columns: 140 });
    await app.press('/m8n2q');
    expect(footer(app.frame())).toContain('/m8n2q_');
    await app.press(BACKSPACE.repeat(3));
    expect(footer(app.frame())).toContain('/m8_');
    await app.press(`${'x'.repeat(100)}${ENTER}`);
    expect(app.frame()).toContain(`filter: m8${'x'.repeat(20)}`);
  });

  it('Ctrl-D is not `d`: it opens no describe', async () => {
    const app = await renderApp(new FakeSource(pods), { columns: 140 });
    const before = app.frame();
    await app.press(CTRL_D);
    expect(app.frame()).toBe(before);
  });
});
