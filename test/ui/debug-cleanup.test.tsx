import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QUESTION_READ_MS } from '../../src/ui/question-guard.js';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { renderApp, settle } from './render-app.js';

// Bug: after kubectl debug was refused (the simulator's `read-only: POST`), crashtop offered
// `kubectl … delete pod worker-…-debug` for a debug copy that was never created.

const POD = 'payments-api-7d9f8c6b5-def34';

// The question takes a key only QUESTION_READ_MS after it opened: the test moves Date on by hand.
beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

async function debugCopy(create: boolean, code = create ? 0 : 1) {
  const source = new FakeSource(fixturePods());
  const app = await renderApp(source, { columns: 120, rows: 30 });
  app.actions.runInteractive.mockImplementation(async () => {
    if (!create) return { code, stderrTail: ['error: read-only: POST'] };
    const original = fixturePods().find((p) => p.metadata.name === POD)!;
    const copy = { ...original, metadata: { ...original.metadata, name: `${POD}-debug` } };
    source.setPods([...source.getSnapshot().pods.values(), { context: 'kind-dev', pod: copy }]);
    return { code };
  });
  await app.press('x');
  await app.tick(QUESTION_READ_MS);
  await app.press('y');
  await settle();
  await settle();
  return app;
}

describe('x (debug copy): the cleanup command', () => {
  it('is not offered when kubectl debug failed before creating the copy', async () => {
    const app = await debugCopy(false);
    expect(app.frame()).toContain('read-only: POST');
    expect(app.frame()).not.toContain('delete pod');
  });

  it.each([0, 1])(
    'is offered once the copy exists (kubectl exited with %i: the shell says how)',
    async (code) => {
      const app = await debugCopy(true, code);
      expect(app.frame()).toContain(`delete pod ${POD}-debug`);
    },
  );
});
