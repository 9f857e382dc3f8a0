import { createElement, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { type Rendered, renderApp, settle } from './render-app.js';

// What a clock tick renders, counted at the two ends: the App (through useKeys, which it calls once per
// render) and every Ink <Text> (a row whose memo holds renders none).
const renders = vi.hoisted(() => ({ app: 0, texts: [] as string[] }));

vi.mock('ink', async (importOriginal) => {
  const ink = await importOriginal<typeof import('ink')>();
  const text = (children: ReactNode): string =>
    Array.isArray(children)
      ? children.map(text).join('')
      : typeof children === 'object'
        ? ''
        : String(children);
  function CountedText(props: Parameters<typeof ink.Text>[0]) {
    renders.texts.push(text(props.children));
    return createElement(ink.Text, props);
  }
  return { ...ink, Text: CountedText };
});

vi.mock('../../src/ui/hooks/use-keys.js', async (importOriginal) => {
  const keys = await importOriginal<typeof import('../../src/ui/hooks/use-keys.js')>();
  return {
    ...keys,
    useKeys: (input: Parameters<typeof keys.useKeys>[0]) => {
      renders.app++;
      return keys.useKeys(input);
    },
  };
});

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});

/**
 * The view once its first frames are in: the previous logs read for the rows on screen whose cause was not
 * pending wait for a tick (use-log-causes.ts), so a tick that does not move the clock takes them first.
 */
async function settled(app: Rendered): Promise<void> {
  await settle();
  await app.tick(0);
}
afterEach(() => {
  vi.useRealTimers();
});

describe('a clock tick', () => {
  it('renders the rows whose countdown or age it changed, not the view around them nor the other rows', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    // All pods: orders-db-0 runs, its row has nothing that changes within a second.
    await app.press('a');
    expect(app.frame()).toContain('orders-db-0');
    await settled(app);
    renders.app = 0;
    renders.texts = [];
    await app.tick(1000);
    expect(renders.app).toBe(0);
    // The two crash-looping rows tick; the running database and the pod waiting for its ConfigMap do not.
    const rows = (name: string) => renders.texts.filter((t) => t.includes(name));
    expect(rows('def34')).toEqual([expect.stringMatching(/ 2 \(6s ago\) {2}14s /)]);
    expect(rows('abc12')).toHaveLength(1);
    expect(rows('orders-db-0')).toEqual([]);
    expect(rows('checkout-web')).toEqual([]);
    expect(app.frame()).toContain('orders-db-0');
    expect(app.frame()).toMatch(/def34 .* 14s /);
  });

  it('renders the view again on the tick that ends a message, not on the ticks before', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('b');
    expect(app.frame()).toContain('bell on: rings when');
    await settled(app);
    renders.app = 0;
    await app.tick(1000);
    await app.tick(1000);
    await app.tick(1000);
    expect(renders.app).toBe(0);
    expect(app.frame()).toContain('bell on: rings when');
    await app.tick(1000);
    expect(renders.app).toBeGreaterThan(0);
    expect(app.frame()).not.toContain('bell on: rings when');
  });

  it('renders nothing of the header while every watch is live: its lines have no clock in them', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await settled(app);
    renders.texts = [];
    await app.tick(1000);
    expect(renders.texts.length).toBeGreaterThan(0);
    expect(renders.texts.filter((t) => /crashtop|^live|pods {2}/.test(t))).toEqual([]);
    expect(app.frame().split('\n')[1]?.trim()).toBe('live');
  });

  it("ticks the age of a watch that is behind, and only that line of the header's", async () => {
    const since = NOW.getTime() - 12_000;
    const source = new FakeSource(fixturePods(), {
      watches: [
        { context: 'kind-dev', namespaces: [], state: 'live', since, resource: 'pods' },
        { context: 'kind-dev', namespaces: [], state: 'reconnecting', since, resource: 'events' },
      ],
    });
    const app = await renderApp(source, { columns: 200 });
    expect(app.frame()).toMatch(/^pods live · events reconnecting 12s/m);
    await settled(app);
    renders.texts = [];
    await app.tick(1000);
    expect(app.frame()).toMatch(/^pods live · events reconnecting 13s/m);
    expect(renders.texts.filter((t) => t.includes('crashtop'))).toEqual([]);
  });
});
