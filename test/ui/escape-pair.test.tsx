import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { type Rendered, renderApp } from './render-app.js';

// Esc and the next key in one read, as tmux (escape-time) and a laggy SSH link deliver them when a person
// types them quickly: the app must act on Esc and then on the key (key-input.ts splitEscapePair), while a
// terminal's own sequences (arrows, Page keys) stay one key.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const ESC = '\u001b';

const selectedRow = (app: Rendered) =>
  app
    .frame()
    .split('\n')
    .find((l) => l.startsWith('›')) ?? '';
const inDetail = (app: Rendered) => /^shop\/payments-api-\S+$/m.test(app.frame());

describe('Esc and a key in one read', () => {
  it('Esc Enter in the filter prompt cancels the filter, then opens the pod selected before `/`', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('/web', '\u001b\r');
    expect(app.frame()).toMatch(/^shop\/payments-api-\S+-def34$/m);
    await app.press('\u001b');
    expect(selectedRow(app)).toContain('def34');
  });

  it('Esc j in a view goes back, then moves the selection', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('\r');
    expect(inDetail(app)).toBe(true);
    await app.press('\u001bj');
    expect(inDetail(app)).toBe(false);
    expect(selectedRow(app)).toContain('abc12');
  });

  it('Esc Esc goes back two levels', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('\r', 'd');
    expect(app.frame()).toContain('Name:');
    await app.press('\u001b\u001b');
    expect(selectedRow(app)).toContain('def34');
    expect(app.frame()).not.toContain('Name:');
  });

  it('Esc Down in a view goes back, then moves the selection', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('\r', '\u001b\u001b[B');
    expect(inDetail(app)).toBe(false);
    expect(selectedRow(app)).toContain('abc12');
  });

  it('Esc q in a view goes back, then quits from the table', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('\r', '\u001bq');
    expect(app.actions.quit).toHaveBeenCalledWith(0);
  });

  it('Esc / in a view goes back, then opens the filter prompt', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('\r', '\u001b/', 'checkout');
    expect(inDetail(app)).toBe(false);
    expect(app.frame()).toContain('/checkout');
  });

  it('Esc q in the log search closes the search, then the log view', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('l');
    expect(app.frame()).toMatch(/^Logs /m);
    await app.press('/', 'err');
    expect(app.frame()).toContain('/err');
    await app.press('\u001bq');
    expect(app.frame()).not.toMatch(/^Logs /m);
    expect(app.frame()).toContain('NEXT RESTART');
  });

  it('a terminal sequence stays one key: an arrow or PgDn in a view scrolls it, the view stays open', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { rows: 12 });
    const more = () => Number(/↓ (\d+) more/.exec(app.frame())?.[1]);
    await app.press('\r');
    const before = more();
    await app.press('\u001b[B', '\u001bOB', '\u001b[1;3B', '\u001b[6~');
    expect(app.frame()).toContain('Esc back');
    expect(app.frame()).not.toContain('NEXT RESTART');
    expect(more()).toBeLessThan(before - 3);
  });

  // Every view and prompt: Esc does what it does alone there, then the key does what it does where Esc left.
  const everywhere: { where: string; open: string[]; pair: string; shows: RegExp; hides: RegExp }[] = [
    {
      where: 'the namespace picker: Esc closes it, j moves the selection',
      open: ['n'],
      pair: `${ESC}j`,
      shows: /^› .*abc12/m,
      hides: /all watched namespaces/,
    },
    {
      where: 'the : prompt: Esc cancels it, j moves the selection',
      open: [':', 'ns'],
      pair: `${ESC}j`,
      shows: /^› .*abc12/m,
      hides: /:ns_/,
    },
    {
      where: 'the help: Esc closes it, / opens the filter prompt',
      open: ['?'],
      pair: `${ESC}/`,
      shows: /^\/_ /m,
      hides: /crashtop keys/,
    },
    {
      where: "the log view's container picker: Esc closes it, / opens the log search",
      open: ['l', 'c'],
      pair: `${ESC}/`,
      shows: /Enter searches, Esc cancels/,
      hides: /^Container \(/m,
    },
    {
      where: 'the filter prompt: Esc cancels it, / opens it again on the kept filter',
      open: ['/', 'web'],
      pair: `${ESC}/`,
      shows: /^\/_ /m,
      hides: /web_/,
    },
  ];

  it.each(everywhere)('in $where', async ({ open, pair, shows, hides }) => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press(...open);
    await app.press(pair);
    expect(app.frame()).toMatch(shows);
    expect(app.frame()).not.toMatch(hides);
  });
});
