import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
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
