import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { renderApp } from './render-app.js';

// Every view's footer names the keys that view takes: a picker's are not the table's.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const WAIT = { timeout: 10_000, interval: 20 };

describe('the footer of each view', () => {
  const cases: { view: string; keys: string[]; says: string[]; not?: string[] }[] = [
    {
      view: 'the namespace picker',
      keys: ['n'],
      says: ['j k ↑ ↓ move', 'g G first / last', 'Enter picks', 'Esc cancels', '? help'],
      not: ['Enter detail', 'l/p logs'],
    },
    {
      view: "the log view's container picker",
      keys: ['l', 'c'],
      says: ['j k ↑ ↓ move', 'Enter reads its log', 'Esc or c cancels'],
    },
    {
      view: 'the detail page',
      keys: ['\r'],
      says: ['l/p logs', 'd describe', 'e events', 's shell', 'x debug', 'y copy fix', 'Esc back'],
    },
    {
      view: 'describe',
      keys: ['d'],
      says: ['l/p logs', 'e events', 's shell', 'x debug', 'y copy fix', 'Esc back'],
    },
  ];

  it.each(cases)('$view: $says', async ({ keys, says, not }) => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 200 });
    for (const key of keys) await app.press(key);
    const footer = () => app.frame().split('\n').at(-1) ?? '';
    await vi.waitFor(() => {
      for (const text of says) expect(footer()).toContain(text);
    }, WAIT);
    for (const text of not ?? []) expect(footer()).not.toContain(text);
  });
});
