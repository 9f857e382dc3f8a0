import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { renderApp, settle } from './render-app.js';

// Bug: in a 20×5 tmux pane the header read `livehtop  ·  contex…`. Header (3 lines), table (at least 2) and
// footer (1) asked for more than the root's 4 lines; Yoga shrank every line to fit, and Ink drew the watch
// state's line, shrunk to nothing, over the first one. The lines are now shared out within the root's height,
// the header giving up its lines first.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const down = {
  context: 'kind-dev',
  namespaces: [],
  state: 'stale' as const,
  since: NOW.getTime() - 60_000,
  message: 'cannot reach https://10.0.0.1:6443 (context kind-dev): connect ECONNREFUSED',
};

/** The frame's lines, each checked to fit the width and none drawn over another. */
function lines(frame: string, columns: number, rows: number): string[] {
  const all = frame.split('\n');
  expect(all.length).toBeLessThanOrEqual(rows - 1);
  for (const line of all) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
  return all;
}

describe('a terminal too short for the whole header', () => {
  it('20×5: the header keeps its first line whole, the table its title and the selected row', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), {
      columns: 20,
      rows: 5,
      ascii: true,
      color: false,
    });
    // The countdown whole (`restarting...` is 13 columns): STATUS gone, NAME cut to what is left.
    expect(lines(app.frame(), 20, 5)).toEqual([
      'crashtop  |  contex~',
      '  NA~  NEXT RESTART^',
      '> p~4  15s #....',
      'v 2 more | ? help  ~',
    ]);
  });

  it('20×6: the watch state gets the next line', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), {
      columns: 20,
      rows: 6,
      ascii: true,
      color: false,
    });
    expect(lines(app.frame(), 20, 6).slice(0, 3)).toEqual([
      'crashtop  |  contex~',
      'live',
      '  NA~  NEXT RESTART^',
    ]);
  });

  it('a watch that is down keeps its state on the one line there is, before the context', async () => {
    const source = new FakeSource(fixturePods(), { watches: [down] });
    const app = await renderApp(source, { columns: 20, rows: 5, ascii: true, color: false });
    const shown = lines(app.frame(), 20, 5);
    expect(shown[0]).toMatch(/^stale/);
    expect(shown[1]).toMatch(/^ {2}NA~ {2}NEXT RESTART/);
  });

  it('80×7 with a watch down: why it is down stays, the counts give way to the table', async () => {
    const source = new FakeSource(fixturePods(), { watches: [down] });
    const app = await renderApp(source, { columns: 80, rows: 7, ascii: true, color: false });
    const shown = lines(app.frame(), 80, 7);
    expect(shown[0]).toMatch(/^crashtop {2}\| {2}context kind-dev/);
    expect(shown[1]).toMatch(/^stale/);
    expect(shown[2]).toMatch(/^cannot reach https:\/\/10\.0\.0\.1:6443/);
    expect(shown[3]).toMatch(/^ {2}NAME/);
    expect(shown[4]).toMatch(/^>.payments-api/);
  });

  it('80×8 with a watch down: the whole header, the table below it', async () => {
    const source = new FakeSource(fixturePods(), { watches: [down] });
    const app = await renderApp(source, { columns: 80, rows: 8, ascii: true, color: false });
    const shown = lines(app.frame(), 80, 8);
    expect(shown[3]).toMatch(/^3\/4 pods/);
    expect(shown[4]).toMatch(/^ {2}NAME/);
  });

  it('20×5 with a message: the message and its command line stay, the table keeps its title and a row', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), {
      columns: 20,
      rows: 5,
      ascii: true,
      color: false,
    });
    await app.press('y');
    await settle();
    const shown = lines(app.frame(), 20, 5);
    expect(shown[0]).toMatch(/^ {2}NA~ {2}NEXT RESTART/);
    expect(shown[1]).toMatch(/^> p~4 {2}15s/);
    expect(shown[2]).toMatch(/^sent to the/);
  });
});
