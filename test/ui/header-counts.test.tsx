import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '../../src/model/pod.js';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { renderApp } from './render-app.js';

// Bug: at 80 columns the header read `11 crash-looping, 10…`: the counts came last on the line of what is shown
// and were cut, so the breakdown by state could not be read. Where they do not fit on that line they get lines
// of their own, broken between counts; on a short terminal those lines give way first.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The fixture's first pod waiting for another reason. */
function waitingPod(name: string, reason: string): Pod {
  const pod = structuredClone(fixturePods()[0]!);
  pod.metadata.name = name;
  pod.status!.containerStatuses![0]!.state = { waiting: { reason, message: 'x' } };
  return pod;
}

const header = (frame: string) =>
  frame.split('\n').slice(
    0,
    frame.split('\n').findIndex((l) => l.includes('NAME')),
  );

describe('the counts in the header', () => {
  it('at 80 columns go on a line of their own, whole', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 80, rows: 24 });
    expect(header(app.frame())).toEqual([
      'crashtop  ·  context kind-dev  ·  ns all namespaces',
      'live',
      '3/4 pods  ·  sort: next restart ▲  ·  unhealthy only',
      '2 crash-looping, 2 CrashLoopBackOff, 1 CreateContainerConfigError',
    ]);
  });

  it('at 80 columns more states than a line holds: two lines, broken between counts', async () => {
    const reasons = ['ImagePullBackOff', 'ErrImagePull', 'CreateContainerError', 'RunContainerError'];
    const pods = [...fixturePods(), ...reasons.map((reason, i) => waitingPod(`web-${i}`, reason))];
    const app = await renderApp(new FakeSource(pods), { columns: 80, rows: 24 });
    const lines = header(app.frame());
    expect(lines.slice(3)).toEqual([
      '2 crash-looping, 2 CrashLoopBackOff, 1 CreateContainerConfigError,',
      '1 CreateContainerError, 1 ErrImagePull, 1 ImagePullBackOff, 1 RunContainerError',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('at 140 columns stay on the line of what is shown', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 140, rows: 24 });
    expect(header(app.frame())[2]).toBe(
      '3/4 pods  ·  sort: next restart ▲  ·  unhealthy only  ·  2 crash-looping, 2 CrashLoopBackOff, 1 CreateContainerConfigError',
    );
    expect(header(app.frame())).toHaveLength(3);
  });

  it('on a short terminal give way first: at 80×7 what is shown stays, the table keeps its title and rows', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 80, rows: 7 });
    const lines = app.frame().split('\n');
    expect(lines[2]).toBe('3/4 pods  ·  sort: next restart ▲  ·  unhealthy only');
    expect(lines[3]).toMatch(/^ {2}NAME/);
    expect(lines[4]).toMatch(/^› payments/);
  });
});
