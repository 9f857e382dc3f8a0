import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, keyOf, NOW } from './fake-source.js';
import { renderApp, settle } from './render-app.js';

// README (--ascii): for terminals and fonts without box-drawing or typographic characters, nothing crashtop
// writes itself is outside ASCII: every view, its title, footer and help. The fixtures' cluster strings (names,
// messages, log lines) are ASCII too, so every character of every frame must be.

const ENTER = '\r';
const ESC = '\u001b';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Each view as a user reaches it from the table: the keys, from a fresh start. */
const VIEWS: [string, string[]][] = [
  ['the table', []],
  ['all pods', ['a']],
  ['grouped by owner', ['a', 'o']],
  ['help', ['?']],
  ['the detail page', [ENTER]],
  ['the detail page of an OOM-killed pod', ['j', ENTER]],
  ['the log view', ['l']],
  ['the previous log', ['p']],
  ['the log view help', ['l', '?']],
  ['the container picker', ['l', 'c']],
  ['the log search prompt', ['l', '/']],
  ['describe', ['d']],
  ['events', ['e']],
  ['the namespace picker', ['n']],
  ['the command prompt', [':']],
  ['the filter prompt', ['/']],
  ['an empty filter', ['/nothing-matches', ENTER]],
  ['a namespace never seen', [':', 'ns paymnets', ENTER]],
  ['copying the fix', ['y']],
  ['the debug question', ['x']],
];

describe('--ascii: no character outside ASCII in any view', () => {
  it.each(VIEWS)('%s', async (_, keys) => {
    const pods = fixturePods();
    const source = new FakeSource(pods);
    for (const pod of pods) {
      for (const previous of [true, false]) {
        source.logs.set(`${keyOf('kind-dev', pod)}/${pod.spec.containers[0]!.name}/${previous}`, [
          '2026-11-25T13:59:40.000000000Z starting',
          '2026-11-25T13:59:49.000000000Z fatal: out of memory',
        ]);
      }
    }
    const app = await renderApp(source, { color: false, ascii: true, columns: 100, rows: 120 });
    for (const key of keys) await app.press(key);
    await settle();
    const frame = app.frame();
    const outside = [...new Set(frame.match(/[^\u0000-\u007f]/g) ?? [])];
    expect(outside, frame).toEqual([]);
    await app.press(ESC);
  });
});
