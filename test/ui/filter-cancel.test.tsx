import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, NOW, workerPods } from './fake-source.js';
import { type Rendered, renderApp } from './render-app.js';

// `/` then Esc: typing the filter moves the selection to the rows that match; cancelling it must leave the
// table as it was before `/` (the same pod selected, the same rows on screen), or, when that pod went away
// meanwhile, select the pod now nearest its row.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const ESC = '\u001b';

const lines = (app: Rendered) => app.frame().split('\n');
const selectedRow = (app: Rendered) => lines(app).find((l) => l.startsWith('›')) ?? '';
/** The first table row on screen (under the column titles). */
const firstRow = (app: Rendered) => lines(app)[lines(app).findIndex((l) => l.includes('NEXT RESTART')) + 1];

describe('Esc in the filter prompt', () => {
  it('selects the pod selected before `/` again', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('j');
    expect(selectedRow(app)).toContain('abc12');
    await app.press('/', 'web');
    expect(selectedRow(app)).toContain('checkout-web');
    await app.press(ESC);
    expect(app.frame()).not.toContain('/web');
    expect(selectedRow(app)).toContain('abc12');
  });

  it('shows the rows shown before `/`: the scroll comes back too', async () => {
    const app = await renderApp(new FakeSource(workerPods(500)), { rows: 24 });
    // The last page, then up a page and three rows down: the selection is inside the window, not at its edge.
    await app.press('G', '\u001b[5~', 'j', 'j', 'j');
    expect(firstRow(app)).toContain('worker-481');
    expect(selectedRow(app)).toContain('worker-484');
    await app.press('/', 'worker-49');
    expect(selectedRow(app)).toMatch(/worker-49\d/);
    await app.press(ESC);
    expect(firstRow(app)).toContain('worker-481');
    expect(selectedRow(app)).toContain('worker-484');
  });

  it('selects the pod nearest its row when the pod selected before `/` was deleted meanwhile', async () => {
    const source = new FakeSource(fixturePods());
    const app = await renderApp(source);
    await app.press('j');
    expect(selectedRow(app)).toContain('abc12');
    await app.press('/', 'web');
    expect(selectedRow(app)).toContain('checkout-web');
    source.setPods(
      fixturePods()
        .filter((pod) => !pod.metadata.name.endsWith('abc12'))
        .map((pod) => ({ context: 'kind-dev', pod })),
    );
    await app.press(ESC);
    // abc12 was the second row: checkout-web is the second row now.
    expect(selectedRow(app)).toContain('checkout-web');
    expect(app.frame()).toContain('abc12 was deleted');
  });
});
