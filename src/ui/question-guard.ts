/**
 * A key read this soon after a question reached the terminal was typed before anyone could have read it (reading
 * it takes longer than this): it neither answers nor cancels. `x` then `y` typed fast (`y` is also the copy key)
 * created a pod nobody had agreed to; a pasted `s` and Enter opened a shell in a container nobody had picked.
 */
export const QUESTION_READ_MS = 300;

/** Calls `written` with the time at which the next frame that changed the screen reached the terminal. */
export type AfterNextFrame = (written: (at: number) => void) => void;

/**
 * When a question can take keys: QUESTION_READ_MS after the first frame drawn since it opened was written to the
 * terminal, not after it opened. Under load a frame is written well after React drew it (a busy event loop, a
 * slow SSH link), and a key typed before the question was on screen was typed without it.
 */
export interface QuestionGuard {
  /** A question opens now: keys wait for its frame. */
  open(afterNextFrame: AfterNextFrame): void;
  /** Whether a key read at `now` was typed by someone who could have read the question. */
  readable(now: number): boolean;
}

export function createQuestionGuard(): QuestionGuard {
  let asked = 0;
  let shownAt: number | undefined;
  return {
    open(afterNextFrame) {
      const question = ++asked;
      shownAt = undefined;
      afterNextFrame((at) => {
        // A frame written for a question since replaced by another says nothing about the new one.
        if (question === asked) shownAt = at;
      });
    },
    readable: (now) => shownAt !== undefined && now - shownAt >= QUESTION_READ_MS,
  };
}
