import { useInput } from 'ink';
import { useLayoutEffect, useRef, useState } from 'react';
import { isText, type KeyEvent, type KeyPress, splitKeys } from '../key-input.js';

/**
 * React stops a chain of more than 50 renders caused from commits ("Maximum update depth exceeded"): a long
 * paste yields to the event loop every this many keys.
 */
const KEYS_PER_CHAIN = 32;

/**
 * Every view's and prompt's keys, handed to `handle` one at a time, each seeing the state the previous one
 * left. A read holds several keys when they are held, pasted or typed faster than a frame (`jjj`, three
 * Backspaces, `/` and a word, Down three times as three escape sequences delivered in one go): each read is
 * split into keys (key-input.ts) and queued, and the queue is handled one key per render, in a layout effect
 * so that each key's update renders at once, before the next key. Handling a key as it arrives, even when
 * nothing waits, let the next key of the same read see the state from before it (Down×3 moved one row).
 * While `takesText` (a prompt reads text), the plain characters queued one after another are handed over as one
 * key: a pasted pod name is one filter change and one frame, not one per character (at 50,000 rows each
 * filtered the rows again: 1.3 s for a 29-character name, the watch unread meanwhile).
 */
export function useKeyQueue(
  handle: (input: string, key: KeyEvent) => void,
  options: { isActive: boolean; takesText?: boolean },
): void {
  const queued = useRef<KeyPress[]>([]);
  const chain = useRef(0);
  const [queueTick, setQueueTick] = useState(0);
  useInput(
    (input, key) => {
      queued.current.push(...splitKeys(input, key));
      chain.current = 0;
      setQueueTick((t) => t + 1);
    },
    { isActive: options.isActive },
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per queued key, with this render's state.
  useLayoutEffect(() => {
    if (!options.isActive) {
      queued.current = [];
      return;
    }
    const next = queued.current.shift();
    if (next === undefined) return;
    let { input } = next;
    if (options.takesText && isText(next)) {
      while (queued.current[0] !== undefined && isText(queued.current[0]))
        input += queued.current.shift()!.input;
    }
    handle(input, next.key);
    if (queued.current.length === 0) return;
    if (++chain.current < KEYS_PER_CHAIN) setQueueTick((t) => t + 1);
    else {
      chain.current = 0;
      setTimeout(() => setQueueTick((t) => t + 1), 0);
    }
  }, [queueTick]);
}
