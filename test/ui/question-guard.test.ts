import { describe, expect, it } from 'vitest';
import { type AfterNextFrame, createQuestionGuard, QUESTION_READ_MS } from '../../src/ui/question-guard.js';

// The clock is the test's: each case opens questions, writes frames at given times and reads keys at others.

/** A terminal whose frames the test writes by hand, each at the time it says. */
function terminal() {
  let waiting: ((at: number) => void)[] = [];
  const afterNextFrame: AfterNextFrame = (written) => {
    waiting.push(written);
  };
  return {
    afterNextFrame,
    frameWritten(at: number) {
      const told = waiting;
      waiting = [];
      for (const written of told) written(at);
    },
  };
}

type Step = ['open', number] | ['frame', number] | ['key', number, boolean];

const R = QUESTION_READ_MS;

describe('a question takes a key only QUESTION_READ_MS after its frame was written', () => {
  it.each<{ name: string; steps: Step[] }>([
    {
      name: 'no frame yet: no key, however late',
      steps: [
        ['open', 0],
        ['key', 10 * R, false],
      ],
    },
    {
      name: 'written at once',
      steps: [
        ['open', 0],
        ['frame', 0],
        ['key', R - 1, false],
        ['key', R, true],
      ],
    },
    {
      name: 'written late: counted from the write',
      steps: [
        ['open', 0],
        ['frame', 5 * R],
        ['key', 5 * R, false],
        ['key', 6 * R - 1, false],
        ['key', 6 * R, true],
      ],
    },
    {
      name: 'the first frame counts, not the later ones',
      steps: [
        ['open', 0],
        ['frame', 10],
        ['frame', R],
        ['key', R + 10, true],
      ],
    },
    {
      name: 'a frame from before it opened does not count',
      steps: [
        ['frame', 0],
        ['open', 0],
        ['key', R, false],
        ['frame', 2 * R],
        ['key', 3 * R, true],
      ],
    },
    {
      name: 'opened again: waits for the new question frame',
      steps: [
        ['open', 0],
        ['frame', 0],
        ['key', R, true],
        ['open', R],
        ['key', 2 * R, false],
        ['frame', 2 * R],
        ['key', 3 * R, true],
      ],
    },
  ])('$name', ({ steps }) => {
    const guard = createQuestionGuard();
    const tty = terminal();
    for (const step of steps) {
      if (step[0] === 'open') guard.open(tty.afterNextFrame);
      else if (step[0] === 'frame') tty.frameWritten(step[1]);
      else expect(guard.readable(step[1]), `key at ${step[1]}`).toBe(step[2]);
    }
  });

  it('a frame written for a question since opened again says nothing of the new one', () => {
    const guard = createQuestionGuard();
    const told: ((at: number) => void)[] = [];
    const afterNextFrame: AfterNextFrame = (written) => {
      told.push(written);
    };
    guard.open(afterNextFrame);
    guard.open(afterNextFrame);
    // The first question's frame, on its way before the second was drawn, is written.
    told[0]!(0);
    expect(guard.readable(R)).toBe(false);
    told[1]!(R);
    expect(guard.readable(2 * R)).toBe(true);
  });
});
