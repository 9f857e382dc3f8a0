import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QUESTION_READ_MS } from '../../src/ui/question-guard.js';
import { FakeSource, fixturePods, keyOf, NOW } from './fake-source.js';
import { type Rendered, renderApp, settle } from './render-app.js';

// Keys that arrive in one read with the key that opens a view (typed faster than a frame over a slow SSH link,
// or pasted): every key is handled, in order, by the view that is current when its turn comes. Each case
// writes all its keys in one go; the view that the first key opens must act on the rest.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const ESC = '\u001b';
const WAIT = { timeout: 10_000, interval: 20 };

/** The fixture's pods, each with a log of two lines stamped by the kubelet. */
function source(): FakeSource {
  const pods = fixturePods();
  const s = new FakeSource(pods);
  for (const pod of pods) {
    s.logs.set(`${keyOf('kind-dev', pod)}/app/false`, [
      '2026-11-25T13:59:51Z first line',
      '2026-11-25T13:59:52Z second line',
    ]);
  }
  return s;
}

const selectedRow = (app: Rendered) =>
  app
    .frame()
    .split('\n')
    .find((l) => l.startsWith('›')) ?? '';

describe('keys in the same read as the key that opens a view', () => {
  const cases: { name: string; before?: string[]; keys: string; shows: RegExp; hides?: RegExp }[] = [
    {
      name: '`l` then `t`: the log view opens with timestamps',
      keys: 'lt',
      shows: /^2026-11-25T13:59:52Z second line/m,
    },
    {
      name: '`l` then a search: the log view searches',
      keys: 'l/second\r',
      // The search may run before the log's lines are read: it counts the match when they come.
      shows: /"second" \S+\/1/,
    },
    {
      name: '`n` then j j Enter: the picker moves and picks',
      keys: 'njj\r',
      shows: /ns web/,
      hides: /all watched namespaces/,
    },
    {
      name: '`e` then `a`: the events view shows all types',
      keys: 'ea',
      shows: /all types, newest first/,
    },
    {
      name: '`?` then G: the help scrolls to its end',
      keys: '?G',
      shows: /Ctrl-C +quit/,
      hides: /crashtop keys/,
    },
    {
      name: 'Enter then G: the detail page scrolls to its end',
      keys: '\rG',
      shows: /Recent events/,
      hides: /^shop\/payments-api-\S+$/m,
    },
    {
      name: 'Esc then `t` from the help over the log view: the uncovered log view takes `t`',
      before: ['l', '?'],
      keys: `${ESC}t`,
      shows: /^2026-11-25T13:59:52Z second line/m,
      hides: /crashtop keys/,
    },
  ];

  it.each(cases)('$name', async ({ before, keys, shows, hides }) => {
    const app = await renderApp(source(), { rows: 16 });
    for (const key of before ?? []) {
      await app.press(key);
      await settle();
    }
    await app.press(keys);
    await vi.waitFor(() => expect(app.frame()).toMatch(shows), WAIT);
    if (hides) expect(app.frame()).not.toMatch(hides);
  });

  it('a key after the one that closes a view goes to the view below: `l` Esc j moves the selection', async () => {
    const app = await renderApp(source());
    const first = selectedRow(app);
    await app.press(`l${ESC}j`);
    await vi.waitFor(() => expect(selectedRow(app)).not.toBe(first), WAIT);
    expect(app.frame()).not.toMatch(/^Logs /m);
    expect(app.frame()).toContain('NEXT RESTART');
  });
});

// A key that changes the list (its selected pod leaves it, or moves) and a movement key in the same read: the
// movement starts from where the first key left the selection, and a key after it acts on the pod it moved to.
describe('keys in the same read as a key that changes the list', () => {
  const FIRST = 'payments-api-7d9f8c6b5-def34';
  const cases: {
    name: string;
    before: string[];
    keys: string;
    shows: (app: Rendered) => string;
    first?: string;
  }[] = [
    { name: '`a` then g: the first unhealthy pod', before: ['G'], keys: 'ag', shows: selectedRow },
    {
      name: '`a` g d: describe of the first unhealthy pod',
      before: ['G'],
      keys: 'agd',
      shows: (app) => app.frame().match(/^Name:.*$/m)?.[0] ?? '',
    },
    { name: 'a filter then g', before: ['G'], keys: '/pay\rg', shows: selectedRow },
    { name: '`:ns` then g', before: ['G', 'k'], keys: ':ns shop\rg', shows: selectedRow },
    { name: 'a namespace picked with `n` then g', before: ['G', 'k'], keys: 'nj\rg', shows: selectedRow },
    // Sorted by restarts: the pod with the most comes first.
    {
      name: 'a sort then g',
      before: ['G'],
      keys: 'Sg',
      shows: selectedRow,
      first: 'payments-api-7d9f8c6b5-abc12',
    },
    { name: '`o` then g', before: ['G'], keys: 'og', shows: selectedRow },
  ];

  it.each(cases)('$name', async ({ before, keys, shows, first = FIRST }) => {
    const app = await renderApp(source(), { rows: 30 });
    // All pods, the last rows of the list selected: the healthy orders-db-0, the one before it.
    for (const key of ['a', ...before]) {
      await app.press(key);
      await settle();
    }
    expect(selectedRow(app)).not.toContain(first);
    await app.press(keys);
    await vi.waitFor(() => expect(shows(app)).toContain(first), WAIT);
    // The effects of the last frame have run: nothing moves the selection back.
    await settle();
    expect(shows(app)).toContain(first);
  });
});

// A question takes only keys typed once it is on screen. `x` creates a pod: keys sent with `x` (a paste, typing
// ahead) were typed before anyone could read it, and `y` is also the copy key, so `x` then `y` typed fast did it.
// `s` starts a shell in the container picked: a pasted `s` and Enter picked one for the user.
describe('a question takes no key typed before it was on screen', () => {
  const questions = {
    x: { pods: () => source(), shows: /Create it\? y\/N/, answer: 'y', runs: 'debug' },
    s: {
      pods: () => new FakeSource(fixturePods('multi-container.yaml')),
      shows: /shell in which container of .*ledger-6c9d7-qk2lp\?/,
      answer: '2',
      runs: 'proxy',
    },
  };
  const cases: { name: string; keys: string[]; asks: keyof typeof questions }[] = [
    { name: '`xy` in one read', keys: ['xy'], asks: 'x' },
    { name: '`x` then `y` typed faster than anyone reads', keys: ['x', 'y'], asks: 'x' },
    { name: '`xn` in one read: n does not cancel either', keys: ['xn'], asks: 'x' },
    { name: '`x` pasted with more keys after `y`', keys: ['xyyj'], asks: 'x' },
    { name: '`s` and Enter in one read', keys: ['s\r'], asks: 's' },
    { name: '`s` then Enter typed faster than anyone reads', keys: ['s', '\r'], asks: 's' },
    { name: '`s2` in one read', keys: ['s2'], asks: 's' },
    { name: '`s` and Esc in one read: Esc does not cancel either', keys: [`s${ESC}`], asks: 's' },
  ];

  it.each(cases)('$name', async ({ keys, asks }) => {
    const { pods, shows, answer, runs } = questions[asks];
    const app = await renderApp(pods());
    await app.press(...keys);
    await settle();
    expect(app.frame()).toMatch(shows);
    expect(app.actions.runInteractive).not.toHaveBeenCalled();
    // Once it could be read, a key answers.
    await app.tick(QUESTION_READ_MS);
    await app.press(answer);
    await settle();
    expect(app.frame()).not.toMatch(shows);
    expect(app.actions.runInteractive).toHaveBeenCalledTimes(1);
    expect(app.actions.runInteractive.mock.calls[0]![0]).toContain(runs);
  });
});
