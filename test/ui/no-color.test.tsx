import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Ink's chalk picks its colour level when it is imported; a test runner's pipe would give level 0 and make
// a no-colour assertion pass trivially. Force colour on for this file so that only the theme turns it off.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

const { FakeSource, fixturePods, NOW } = await import('./fake-source.js');
const { renderApp } = await import('./render-app.js');

// SGR colour parameters: 30–37, 39, 40–47, 49, 90–97, 100–107, 38;… and 48;…
const COLOR_SGR = /\u001b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('colour and glyphs', () => {
  it('colours statuses when colour is allowed', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { color: true });
    expect(app.frame()).toMatch(COLOR_SGR);
  });

  it('writes no colour at all with NO_COLOR / --no-color, and still shows the selection', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { color: false });
    await app.press('a', 'j');
    expect(app.frame()).not.toMatch(COLOR_SGR);
    expect(app.frame()).not.toContain('\u001b[7m');
    expect(app.frame()).toMatch(/^› .*abc12/m);
  });

  it('--ascii draws no Unicode glyphs: bars, cursor, ellipsis, group branches', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { color: false, ascii: true, columns: 80 });
    await app.press('o');
    const frame = app.frame().replace(/\u001b\[[0-9;]*m/g, '');
    expect(frame).toMatch(/^ {2}Deployment shop\/payments-api {2}2 pods/m);
    expect(frame).toMatch(/^> \| payments\S+ /m);
    expect(frame).toMatch(/^ {2}` payments\S+ /m);
    expect(frame).toMatch(/15s #\.\.\.\./);
    expect(frame).toContain('~');
    expect(frame).not.toMatch(/[^\u0000-\u007f]/);
  });
});

describe('stale rows', () => {
  // Two clusters on 80 columns: no CONTEXT column, so only the rows themselves can say which are old.
  async function twoClusterRows(state: 'stale' | 'forbidden' | 'reconnecting', color: boolean) {
    const source = new FakeSource([], {
      watches: [
        { context: 'prod-eu', namespaces: [], state: 'live', since: NOW.getTime() },
        { context: 'prod-us', namespaces: ['shop'], state, since: NOW.getTime() - 40_000 },
      ],
    });
    const pod = fixturePods()[0]!;
    source.setPods([
      { context: 'prod-eu', pod },
      { context: 'prod-us', pod: { ...pod, metadata: { ...pod.metadata, uid: 'other' } } },
    ]);
    const app = await renderApp(source, { multiContext: true, columns: 80, color });
    const rows = app
      .frame()
      .split('\n')
      .filter((line) => line.includes('CrashLoopBackOff') && line.includes('abc12'));
    expect(rows).toHaveLength(2);
    return rows;
  }

  it.each([
    { state: 'stale', dim: true },
    { state: 'forbidden', dim: true },
    { state: 'reconnecting', dim: false },
  ] as const)('rows of a context whose pods watch is $state are dim: $dim', async ({ state, dim }) => {
    const rows = await twoClusterRows(state, true);
    const dimRows = rows.filter((row) => row.includes('\u001b[90m'));
    expect(dimRows).toHaveLength(dim ? 1 : 0);
    expect(rows.filter((row) => row.includes('\u001b[31m'))).toHaveLength(dim ? 1 : 2);
  });

  it.each([
    { state: 'stale', marked: true },
    { state: 'forbidden', marked: true },
    { state: 'reconnecting', marked: false },
  ] as const)(
    'without colour, rows of a context whose pods watch is $state carry `?`: $marked',
    async ({ state, marked }) => {
      const rows = await twoClusterRows(state, false);
      // The mark slot after the cursor: `?` on the stale cluster's row, blank on the live one.
      expect(rows.map((row) => row[1])).toEqual(expect.arrayContaining(marked ? ['?', ' '] : [' ', ' ']));
      expect(rows.filter((row) => row[1] === '?')).toHaveLength(marked ? 1 : 0);
    },
  );
});
