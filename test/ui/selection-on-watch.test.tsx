import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '../../src/model/pod.js';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { type Rendered, renderApp } from './render-app.js';

// A pane left open during a deploy: the soonest restart is the top row, it restarts, its countdown jumps to
// minutes and it sorts down. A selection no key has put on a pod stays on the top row (the view with it); one a
// key put on a pod follows that pod.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const ESC = '\u001b';
const UP = '\u001b[A';
const WAIT = { timeout: 10_000, interval: 20 };

/** 40 crash-looping workers, worker-000 restarting soonest (in 10 s), each next one a second later. */
function workers(): Pod[] {
  const crashing = fixturePods()[0]!;
  return Array.from({ length: 40 }, (_, i) => {
    const name = `worker-${String(i).padStart(3, '0')}`;
    const pod: Pod = structuredClone({ ...crashing, metadata: { ...crashing.metadata, name, uid: name } });
    const finishedAt = new Date(NOW.getTime() - 150_000 + i * 1000).toISOString();
    pod.status!.containerStatuses![0]!.lastState = {
      terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt },
    };
    return pod;
  });
}

/** `name` has just crashed again: its next restart is minutes away, so it sorts to the bottom. */
function restarted(pods: Pod[], name: string): Pod[] {
  return pods.map((pod) => {
    if (pod.metadata.name !== name) return pod;
    const next = structuredClone(pod);
    const status = next.status!.containerStatuses![0]!;
    status.restartCount = 9;
    status.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off 5m0s restarting failed container=app pod=${name}_shop(1)`,
      },
    };
    status.lastState = { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: NOW.toISOString() } };
    return next;
  });
}

const lines = (app: Rendered) => app.frame().split('\n');
const selectedRow = (app: Rendered) => lines(app).find((l) => l.startsWith('›')) ?? '';
const firstRow = (app: Rendered) =>
  lines(app)[lines(app).findIndex((l) => l.includes('NEXT RESTART')) + 1] ?? '';
const footer = (app: Rendered) => lines(app).at(-1) ?? '';

async function setup() {
  let pods = workers();
  const source = new FakeSource(pods);
  const app = await renderApp(source, { columns: 80, rows: 24 });
  const restart = async (name: string) => {
    pods = restarted(pods, name);
    source.setPods(pods.map((pod) => ({ context: 'kind-dev', pod })));
    // Its row shows minutes to go (5m), or it went off screen.
    await vi.waitFor(() => {
      const row = lines(app).find((l) => l.includes(name));
      expect(row === undefined || /\dm/.test(row)).toBe(true);
    }, WAIT);
  };
  return { app, restart };
}

describe('the selection no key moved', () => {
  it('stays on the top row when the top pod restarts and sorts down: the view shows what restarts next', async () => {
    const { app, restart } = await setup();
    expect(selectedRow(app)).toContain('worker-000');
    await restart('worker-000');
    await restart('worker-001');
    expect(selectedRow(app)).toContain('worker-002');
    expect(firstRow(app)).toBe(selectedRow(app));
    expect(app.frame()).not.toContain('worker-000');
    expect(footer(app)).not.toContain('↑');
  });

  it('a filter, a sort and `a` keep it on the top row of the table they make', async () => {
    const { app, restart } = await setup();
    await app.press('/', 'worker-01', '\r');
    expect(selectedRow(app)).toContain('worker-010');
    await restart('worker-010');
    expect(selectedRow(app)).toContain('worker-011');
    // By restarts, the pod that just restarted (9) is the top row.
    await app.press('S');
    expect(selectedRow(app)).toContain('worker-010');
    await app.press('S', 'S', 'a', 'a');
    expect(selectedRow(app)).toContain('worker-011');
    await restart('worker-011');
    expect(selectedRow(app)).toContain('worker-012');
    expect(firstRow(app)).toBe(selectedRow(app));
  });
});

describe('the selection a key moved', () => {
  it('j puts it on a pod: it follows that pod as it sorts down, the table scrolling with it', async () => {
    const { app, restart } = await setup();
    await app.press('j');
    expect(selectedRow(app)).toContain('worker-001');
    await restart('worker-001');
    expect(selectedRow(app)).toContain('worker-001');
    expect(footer(app)).toMatch(/^↑ \d+ more/);
  });

  it('Enter on the top row and back keeps that pod', async () => {
    const { app, restart } = await setup();
    await app.press('\r', ESC);
    await restart('worker-000');
    expect(selectedRow(app)).toContain('worker-000');
    expect(footer(app)).toMatch(/^↑ \d+ more/);
  });

  it('back on the top row (g, or k ↑ up to it, pasted too) it stays on top again', async () => {
    const { app, restart } = await setup();
    await app.press('jj', 'g');
    await restart('worker-000');
    expect(selectedRow(app)).toContain('worker-001');
    await app.press(`j${UP}`);
    await restart('worker-001');
    expect(selectedRow(app)).toContain('worker-002');
    expect(firstRow(app)).toBe(selectedRow(app));
  });

  it('Esc in the filter prompt brings the selection back on top, as it was before `/`', async () => {
    const { app, restart } = await setup();
    await app.press('/', 'worker-03', ESC);
    await restart('worker-000');
    expect(selectedRow(app)).toContain('worker-001');
    expect(firstRow(app)).toBe(selectedRow(app));
  });
});
