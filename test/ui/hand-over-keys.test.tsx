import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { type Rendered, renderApp, STATUS_READY, settle } from './render-app.js';

// Keys meant for whatever had the terminal (kubectl exec's shell, the shell crashtop was stopped to) must never
// act on crashtop afterwards: an on-call engineer's `q` or `dd` typed there would quit it or open a view. They
// are the keys queued behind the key that handed the terminal over, and the keys the terminal delivers when
// crashtop reads it again (typed while a child that did not read them ran, or as it exited).

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const selectedRow = (app: Rendered) =>
  app
    .frame()
    .split('\n')
    .find((l) => l.startsWith('›')) ?? '';

/** The table with all pods, the last (orders-db-0, running) selected, and a shell that runs until `finish`. */
async function shellReady() {
  const app = await renderApp(new FakeSource(fixturePods()));
  let finish: (result: { code: number }) => void = () => {};
  app.actions.runInteractive.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
  await app.press('a', 'G');
  expect(selectedRow(app)).toContain('orders-db-0');
  return { app, finish: (code: number) => finish({ code }) };
}

describe('keys meant for the program that had the terminal', () => {
  it('the keys in the same read behind `s` are not handled when the shell returns', async () => {
    const { app, finish } = await shellReady();
    app.stdin.write('sqgd');
    await settle();
    expect(app.actions.runInteractive).toHaveBeenCalledTimes(1);
    finish(0);
    await settle();
    expect(app.actions.quit).not.toHaveBeenCalled();
    expect(selectedRow(app)).toContain('orders-db-0');
    expect(app.frame()).toContain('exited with 0');
  });

  it('the keys in the same read behind Ctrl-Z are not handled when the process is continued', async () => {
    const { app } = await shellReady();
    app.stdin.write('\u001agq');
    await settle();
    await settle();
    expect(app.actions.suspendProcess).toHaveBeenCalledTimes(1);
    expect(app.actions.quit).not.toHaveBeenCalled();
    expect(selectedRow(app)).toContain('orders-db-0');
    // Keys typed after it are crashtop's.
    await app.press('g');
    expect(selectedRow(app)).not.toContain('orders-db-0');
  });

  it('the keys read before the terminal answers, once the shell returned, are dropped; the next ones act', async () => {
    const { app, finish } = await shellReady();
    // A terminal that answers only when told to, below.
    app.actions.write.mockImplementation(() => {});
    await app.press('s');
    finish(0);
    await settle();
    // Typed into a shell that had already ended (the container was killed), or while kubectl was connecting.
    expect(app.actions.write).toHaveBeenCalledWith('\u001b[5n');
    app.stdin.write('q');
    await settle();
    app.stdin.write('g');
    await settle();
    expect(app.actions.quit).not.toHaveBeenCalled();
    expect(selectedRow(app)).toContain('orders-db-0');
    app.stdin.write(STATUS_READY);
    await settle();
    // The answer itself is never a key: it would have dismissed the shell's result.
    expect(app.frame()).toContain('exited with 0');
    await app.press('g');
    expect(selectedRow(app)).not.toContain('orders-db-0');
  });

  it('an answer that comes after keys were taken again is not a key either', async () => {
    const { app, finish } = await shellReady();
    await app.press('s');
    finish(0);
    await settle();
    app.stdin.write(STATUS_READY);
    await settle();
    app.stdin.write(STATUS_READY);
    await settle();
    expect(app.frame()).toContain('exited with 0');
    await app.press('q');
    expect(app.actions.quit).toHaveBeenCalledWith(0);
  });
});
