import { useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { type KeyEvent, type KeyPress, splitKeys } from '../key-input.js';

/**
 * Every view's and prompt's keys, handed to `handle` one at a time, each seeing the state the previous one
 * left. A read holds several keys when they are held, pasted or typed faster than a frame (`jjj`, three
 * Backspaces, `/` and a word, Down three times as three escape sequences delivered in one go): each read is
 * split into keys (key-input.ts) and queued, and the queue is handled one key per render. Handling a key at
 * once, even when nothing waits, let the next key of the same read see the state from before it (Down×3
 * moved one row).
 */
export function useKeyQueue(
  handle: (input: string, key: KeyEvent) => void,
  options: { isActive: boolean },
): void {
  const queued = useRef<KeyPress[]>([]);
  const [queueTick, setQueueTick] = useState(0);
  useInput(
    (input, key) => {
      queued.current.push(...splitKeys(input, key));
      setQueueTick((t) => t + 1);
    },
    { isActive: options.isActive },
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per queued key, with this render's state.
  useEffect(() => {
    if (!options.isActive) {
      queued.current = [];
      return;
    }
    const next = queued.current.shift();
    if (next === undefined) return;
    handle(next.input, next.key);
    if (queued.current.length > 0) setQueueTick((t) => t + 1);
  }, [queueTick]);
}
