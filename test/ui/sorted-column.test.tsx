import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { type Rendered, renderApp } from './render-app.js';

// The column a user sorts by is on screen, whatever the width (bug: `T` at 80 columns sorted by the hidden
// RESTARTS, and the rows moved for no visible reason); when even it alone cannot fit, the header says so.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const titles = (app: Rendered) =>
  app
    .frame()
    .split('\n')
    .find((l) => l.includes('NEXT RESTART'))!
    .trim()
    .split(/ {2,}/);

describe('the sorted column', () => {
  it.each([
    [80, 'T', ['NAME', 'STATUS', 'RESTARTS▼', 'NEXT RESTART']],
    [80, 'A', ['NAME', 'STATUS', 'NEXT RESTART', 'CAUSE', 'AGE▲']],
    [80, 'R', ['NAME', 'READY▲', 'STATUS', 'NEXT RESTART', 'CAUSE']],
    [80, 'P', ['NAMESPACE▲', 'NAME', 'STATUS', 'NEXT RESTART', 'CAUSE']],
    [120, 'T', ['NAMESPACE', 'NAME', 'STATUS', 'RESTARTS▼', 'NEXT RESTART', 'CAUSE']],
    [120, 'A', ['NAME', 'STATUS', 'RESTARTS', 'NEXT RESTART', 'CAUSE', 'AGE▲']],
  ])('%i columns, %s: %j', async (columns, key, expected) => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns, rows: 24 });
    await app.press(key);
    expect(titles(app)).toEqual(expected);
    for (const line of app.frame().split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    expect(app.frame()).not.toContain('column hidden');
  });

  it('at 80 columns, T shows the restart counts it sorts by, most first', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 80, rows: 24 });
    await app.press('T');
    expect(app.frame()).toContain('sort: restarts ▼');
    expect(app.frame()).toMatch(/abc12 .*CrashLoopBackOff +5 \(10s ago\)/);
  });

  it('too narrow for it even alone: the header says the column is hidden', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 60, rows: 24 });
    await app.press('T');
    expect(titles(app)).toEqual(['NAME', 'STATUS', 'NEXT RESTART']);
    expect(app.frame()).toContain('sort: restarts ▼ (column hidden: too narrow)');
  });
});

describe('X, sort by CONTEXT', () => {
  /** The pod names in the table's order. */
  const order = (app: Rendered) =>
    app
      .frame()
      .split('\n')
      .map((line) => /abc12|def34|orders-db-0|xyz99/.exec(line)?.[0])
      .filter((name): name is string => name !== undefined);

  it('with one context: the order and the sort stay, and the message line says why', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 120, rows: 24 });
    await app.press('a', 'T');
    const before = order(app);
    expect(before.length).toBeGreaterThan(2);
    await app.press('X');
    expect(order(app)).toEqual(before);
    expect(app.frame()).toContain('sort: restarts ▼');
    expect(app.frame()).toContain(
      'X sorts by CONTEXT: this view shows one context, so the order stays as it is',
    );
  });

  it('with several contexts: it sorts by context', async () => {
    const source = new FakeSource(fixturePods());
    const app = await renderApp(source, { columns: 120, rows: 24, multiContext: true });
    await app.press('X');
    expect(app.frame()).toContain('sort: context ▲');
    expect(app.frame()).not.toContain('this view shows one context');
  });
});
