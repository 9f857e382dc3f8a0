import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { renderApp } from './render-app.js';

// The `:` prompt through the app (completion, :ns, :q, a clear line for what it does not know) and the
// `/-l SELECTOR` label filter.

const ENTER = '\r';
const TAB = '\t';
const ESC = '\u001b';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe(': prompt', () => {
  it('`:ns` completes a namespace with Tab and narrows the table to it', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 140 });
    await app.press(':', 'ns w');
    expect(app.frame()).toContain(':ns w_');
    expect(app.frame()).toContain('web  (Tab completes');
    await app.press(TAB);
    expect(app.frame()).toContain(':ns web_');
    await app.press(ENTER);
    expect(app.frame()).toContain('checkout-web');
    // (The footer may say the selected pod left this view.)
    expect(
      app
        .frame()
        .split('\n')
        .filter((l) => /\bshop\s+payments-api/.test(l)),
    ).toEqual([]);
    await app.press(':', 'ns all', ENTER);
    expect(app.frame()).toContain('payments-api');
  });

  it('`:ns` to a namespace crashtop does not watch says so instead of an empty table under its name', async () => {
    const source = new FakeSource(fixturePods(), {
      watches: [{ context: 'kind-dev', namespaces: ['shop', 'web'], state: 'live', since: NOW.getTime() }],
    });
    const app = await renderApp(source, { columns: 200 });
    await app.press(':', 'ns payments', ENTER);
    expect(app.frame()).toContain(
      'namespace payments is not watched (only shop, web): start crashtop with -n payments or -A',
    );
    expect(app.frame().split('\n')[0]).toContain('ns shop, web');
    expect(app.frame()).toContain('payments-api');
    await app.press(':', 'ns web', ENTER);
    expect(app.frame().split('\n')[0]).toContain('ns web');
    expect(app.frame()).toContain('checkout-web');
  });

  // Bug: `:ns paymnets` (a typo) in --demo showed `No pod matches the filter`, and Esc did not clear it.
  it('`:ns` to a namespace never seen says so, n is one key away, and Esc clears it', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 140 });
    await app.press(':', 'ns paymnets', ENTER);
    expect(app.frame()).toContain(
      'namespace "paymnets" not seen in this view: no pod of it yet (n picks one of',
    );
    expect(app.frame()).not.toContain('No pod matches the filter');
    // The empty table says it, once: the footer only says what :ns did.
    expect(app.frame().split('not seen in this view')).toHaveLength(2);
    expect(app.frame().split('\n').at(-1)).toContain('namespace: paymnets');
    await app.press(ESC);
    expect(app.frame()).toContain('payments-api');
    expect(app.frame().split('\n')[0]).not.toContain('paymnets');
  });

  it('`:ns` to a namespace never seen, on 80 columns: the note wraps between words, no line starting with a space', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 80 });
    await app.press(':', 'ns paymnets', ENTER);
    const lines = app.frame().split('\n');
    const first = lines.findIndex((l) => l.startsWith('namespace "paymnets" not seen'));
    expect(lines.slice(first, first + 2).map((l) => l.trimEnd())).toEqual([
      'namespace "paymnets" not seen in this view: no pod of it yet (n picks one of the',
      '2 seen, Esc clears it)',
    ]);
    expect(app.frame().split('not seen in this view')).toHaveLength(2);
  });

  it('`:ns` to a namespace never seen while a filter is set: the footer says it, the table says the filter', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 140 });
    await app.press('/checkout', ENTER, ':', 'ns paymnets', ENTER);
    expect(app.frame()).toContain('No pod matches the filter');
    expect(app.frame().split('not seen in this view')).toHaveLength(2);
    expect(app.frame().split('\n').at(-1)).toContain('namespace "paymnets" not seen in this view');
  });

  it('Esc clears a namespace picked with n once the filter is clear', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 140 });
    await app.press(':', 'ns web', ENTER, '/checkout', ENTER);
    expect(app.frame()).not.toContain('payments-api');
    await app.press(ESC);
    expect(app.frame()).not.toContain('payments-api');
    await app.press(ESC);
    expect(app.frame()).toContain('payments-api');
  });

  it('`:q` quits; an unknown command says what exists; Esc cancels without acting', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press(':', 'pods', ENTER);
    expect(app.frame()).toContain('unknown command :pods (try :ns NAME, :ctx NAME, :q)');
    await app.press(':', 'q');
    await app.press(ESC);
    expect(app.actions.quit).not.toHaveBeenCalled();
    expect(app.frame()).not.toContain(':q_');
    await app.press(':', 'q', ENTER);
    expect(app.actions.quit).toHaveBeenCalledWith(0);
  });

  it('works over a full-screen view, whose keys wait while the prompt is open', async () => {
    const app = await renderApp(new FakeSource(fixturePods()));
    await app.press('d', ':', 'ns shop', ENTER);
    // Back on the table, narrowed.
    expect(app.frame()).toContain('NEXT RESTART');
    expect(app.frame()).not.toContain('checkout-web');
  });
});

describe('/ label filter', () => {
  it('`/-l app=payments-api` keeps the pods the selector selects, as kubectl -l would', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 140 });
    await app.press('/', '-l app=payments-api', ENTER);
    expect(app.frame()).toContain('payments-api-7d9f8c6b5-abc12');
    expect(app.frame()).toContain('payments-api-7d9f8c6b5-def34');
    expect(app.frame()).not.toContain('checkout-web');
    // Esc on the table clears the filter.
    await app.press(ESC);
    expect(app.frame()).toContain('checkout-web');
    await app.press('/', '-l app notin (payments-api)', ENTER);
    expect(app.frame()).not.toContain('payments-api-7d9f8c6b5');
    expect(app.frame()).toContain('checkout-web');
  });

  it('a selector that does not parse (yet) selects nothing, and says why rather than "no match"', async () => {
    const app = await renderApp(new FakeSource(fixturePods()), { columns: 140 });
    await app.press('/', '-l app in (payments');
    expect(app.frame()).toContain("Not a valid label selector: 'app in (payments' has no closing ')'");
    expect(app.frame()).not.toContain('payments-api');
    expect(app.frame()).not.toContain('No pod matches the filter');
  });
});
