import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '../../src/model/pod.js';
import { FakeSource, fixturePods, NOW, runningAgainPod } from './fake-source.js';
import { renderApp } from './render-app.js';

// Bug: at 50 columns the detail's `next: 7s` was cut to `n~` and the table's title to `NEXT RES^`, NAME and
// STATUS whole. The countdown is what an SRE waits on: names and states are cut before it, and the detail's
// counters go on a line of their own where the countdown would not fit. 80 and 120 columns are unchanged.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('a narrow terminal keeps the countdown whole', () => {
  it.each([50, 44])(
    'at %i columns the table shows NEXT RESTART and each countdown whole',
    async (columns) => {
      const app = await renderApp(new FakeSource(fixturePods()), { columns, ascii: true, color: false });
      const lines = app.frame().split('\n');
      const title = lines.find((l) => l.includes('NAME'))!;
      expect(title).toMatch(/ NEXT RESTART\^$/);
      const start = title.indexOf('NEXT RESTART');
      const rows = lines.filter((l) => /-(def34|abc12)/.test(l));
      expect(rows).toHaveLength(2);
      for (const row of rows) expect(row.slice(start)).toMatch(/^(~?(\d+m)?\d+s|restarting\.\.\.)( [#.]+)?$/);
    },
  );

  it('at 50 columns the detail puts the counters under the container, the countdown whole', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 50, ascii: true, color: false });
    await app.press('\r');
    const lines = app.frame().split('\n');
    const at = lines.findIndex((l) => l.startsWith('  app: '));
    expect(lines[at]).toBe('  app: waiting (CrashLoopBackOff)');
    expect(lines[at + 1]).toMatch(/^ {6}restarts 2 {2}next: (~?\d+s|restarting\.\.\.)$/);
  });

  it.each([80, 120])('at %i columns the detail keeps its one line per container', async (columns) => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns, ascii: true, color: false });
    await app.press('\r');
    expect(app.frame()).toMatch(/\n {2}app: waiting \(CrashLoopBackOff\) {2}restarts 2 {2}next: \S+\n/);
  });
});

// Bug: at 20×6 a row read `› cata…2m8  Cras…  …`, at 28×6 `› cata…2m8  Running   reset…`: the countdown was cut
// before NAME and STATUS had given all they could. Every width down to 20 keeps every countdown whole, the widest
// (`resets in 9m58s`, `restarting...`) too: NAME and STATUS are cut first, then STATUS goes and NAME gets the rest.
describe('every countdown whole, at every width down to 20 columns', () => {
  /** A pod whose restart is due: `restarting...`. */
  function duePod(): Pod {
    const pod = structuredClone(fixturePods()[0]!);
    pod.metadata.name = 'catalog-api-7d9f8c6b5-jf2m8';
    const status = pod.status!.containerStatuses![0]!;
    status.state = {
      waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=app' },
    };
    return pod;
  }
  const COUNTDOWN = /^(~?(\d+m)?\d+s|restarting\.\.\.|resets in \d+m\d+s)( [#.]{5})?$/;

  it.each([
    [20, ['~', 'NEXT RESTART^']],
    [28, ['NAME', 'NEXT RESTART^']],
    [40, ['NAME', 'STATUS', 'NEXT RESTART^']],
    [60, ['NAME', 'STATUS', 'NEXT RESTART^']],
    [80, ['NAME', 'STATUS', 'NEXT RESTART^', 'CAUSE']],
    [120, ['NAMESPACE', 'NAME', 'STATUS', 'RESTARTS', 'NEXT RESTART^', 'CAUSE']],
  ])('%i columns: %j', async (columns, titles) => {
    const pods = [...fixturePods(), runningAgainPod('legacy-sync-5c8d7f9b4-znnvr'), duePod()];
    const app = await renderApp(new FakeSource(pods), { columns, rows: 12, ascii: true, color: false });
    const lines = app.frame().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
    const title = lines.find((l) => l.includes('NEXT RESTART'))!;
    expect(title.trim().split(/ {2,}/)).toEqual(titles);
    const start = title.indexOf('NEXT RESTART');
    const rows = lines.slice(lines.indexOf(title) + 1).filter((l) => /^[> ] /.test(l));
    const countdowns = rows.map((row) =>
      row
        .slice(start)
        .replace(/ {2}\S+$/, '')
        .trimEnd(),
    );
    expect(countdowns.filter((c) => c !== '')).toHaveLength(4);
    for (const countdown of countdowns.filter((c) => c !== '')) expect(countdown).toMatch(COUNTDOWN);
    expect(countdowns.some((c) => c.startsWith('restarting...'))).toBe(true);
    expect(countdowns).toContain('resets in 9m58s');
    app.unmount();
  });
});
