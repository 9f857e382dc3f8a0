import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QUESTION_READ_MS } from '../../src/ui/question-guard.js';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { renderApp, settle } from './render-app.js';

// Under load the frame with a question reaches the terminal well after React drew it: the time to read it runs
// from when it was written, not from when it opened. The test moves Date by hand and holds the frames back.

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const questions = [
  {
    key: 'x',
    pods: () => fixturePods(),
    asks: /Create it\? y\/N/,
    answer: 'y',
    ran: 'debug',
  },
  {
    key: 's',
    pods: () => fixturePods('multi-container.yaml'),
    asks: /shell in which container of/,
    answer: '2',
    ran: 'proxy',
  },
];

describe('a question written to the terminal late', () => {
  it.each(questions)(
    '`$key` takes no key until its frame has been on the terminal QUESTION_READ_MS',
    async ({ key, pods, asks, answer, ran }) => {
      const app = await renderApp(new FakeSource(pods()));
      app.holdFrames(true);
      await app.press(key);
      expect(app.frame()).toMatch(asks);
      // Drawn long ago, written only now: a key right after was typed before anyone saw the question.
      await app.tick(QUESTION_READ_MS * 2);
      app.holdFrames(false);
      await app.press(answer);
      await settle();
      expect(app.frame()).toMatch(asks);
      expect(app.actions.runInteractive).not.toHaveBeenCalled();
      await app.tick(QUESTION_READ_MS - 1);
      await app.press(answer);
      await settle();
      expect(app.actions.runInteractive).not.toHaveBeenCalled();
      await app.tick(1);
      await app.press(answer);
      await settle();
      expect(app.frame()).not.toMatch(asks);
      expect(app.actions.runInteractive).toHaveBeenCalledTimes(1);
      expect(app.actions.runInteractive.mock.calls[0]![0]).toContain(ran);
    },
  );

  it.each(questions)(
    '`$key` takes no key while its frame has not reached the terminal',
    async ({ key, pods, asks, answer }) => {
      const app = await renderApp(new FakeSource(pods()));
      app.holdFrames(true);
      await app.press(key);
      await app.tick(QUESTION_READ_MS * 10);
      await app.press(answer);
      await settle();
      expect(app.frame()).toMatch(asks);
      expect(app.actions.runInteractive).not.toHaveBeenCalled();
    },
  );
});
