import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pod } from '../../src/model/pod.js';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { renderApp } from './render-app.js';

// How much of the table a key or a tick formats: a key that moves the selection changes two rows, a tick
// the rows on screen; neither depends on how many pods there are.

const formatted = vi.hoisted(() => ({ lines: 0 }));
vi.mock('../../src/ui/cells.js', async (importOriginal) => {
  const cells = await importOriginal<typeof import('../../src/ui/cells.js')>();
  return {
    ...cells,
    podLine: (...args: Parameters<typeof cells.podLine>) => {
      formatted.lines++;
      return cells.podLine(...args);
    },
  };
});

/** The fixture's crash-looping pod, `n` times under other names. */
function crashLoops(n: number): Pod[] {
  const pod = fixturePods().find((p) => p.metadata.name === 'payments-api-7d9f8c6b5-abc12')!;
  return Array.from({ length: n }, (_, i) => ({
    ...pod,
    metadata: { ...pod.metadata, name: `payments-api-7d9f8c6b5-${String(i).padStart(5, '0')}`, uid: `u${i}` },
  }));
}

describe('pod table formatting', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('formats the two rows the selection left and entered on a key, and the rows on screen on a tick', async () => {
    const app = await renderApp(new FakeSource(crashLoops(300)), { columns: 120, rows: 24 });
    const shown = app.frame().match(/payments-api-7d9f8c6b5-\d{5}/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(10);

    await app.press('j');
    formatted.lines = 0;
    await app.press('j');
    expect(app.frame()).toMatch(/› +shop +payments-api-7d9f8c6b5-00002/);
    expect(formatted.lines).toBe(2);

    formatted.lines = 0;
    await app.tick(1000);
    expect(formatted.lines).toBe(shown);
    app.unmount();
  });
});
