import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, keyOf, NOW } from './fake-source.js';
import { renderApp, settle } from './render-app.js';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const titles = (frame: string) => frame.split('\n').find((l) => l.includes('NEXT RESTART')) ?? '';

describe('the table columns', () => {
  it('keep their places when the row with the widest STATUS leaves (no row written again)', async () => {
    const pods = fixturePods();
    const source = new FakeSource(pods);
    const app = await renderApp(source, { columns: 120 });
    expect(app.frame()).toContain('CreateContainerConfigError');
    const before = titles(app.frame());
    const waiting = pods.find((p) => p.metadata.name.startsWith('checkout-web'))!;
    const others = new Map(source.getSnapshot().pods);
    others.delete(keyOf('kind-dev', waiting));
    source.update({ pods: others });
    await settle();
    expect(app.frame()).not.toContain('CreateContainerConfigError');
    expect(titles(app.frame())).toBe(before);
  });

  it('start again from what a new filter shows', async () => {
    const pods = fixturePods();
    const source = new FakeSource(pods);
    const app = await renderApp(source, { columns: 120 });
    // The room between the STATUS title and the next one: STATUS's width.
    const statusWidth = (frame: string) => {
      const line = titles(frame);
      return line.slice(line.indexOf('STATUS') + 'STATUS'.length).search(/\S/);
    };
    const wide = statusWidth(app.frame());
    expect(wide).toBeGreaterThan('CreateContainerConfigError'.length - 'STATUS'.length);
    const waiting = pods.find((p) => p.metadata.name.startsWith('checkout-web'))!;
    const others = new Map(source.getSnapshot().pods);
    others.delete(keyOf('kind-dev', waiting));
    source.update({ pods: others });
    await settle();
    expect(statusWidth(app.frame())).toBe(wide);
    app.stdin.write('/');
    await settle();
    app.stdin.write('payments');
    await settle();
    app.stdin.write('\r');
    await settle();
    expect(app.frame()).toContain('filter');
    expect(statusWidth(app.frame())).toBeLessThan(wide);
  });
});
