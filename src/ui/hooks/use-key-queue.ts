import { useInput } from 'ink';
import { useLayoutEffect, useRef, useState } from 'react';
import { type KeyEvent, type KeyPress, splitKeys } from '../key-input.js';

/**
 * React stops a chain of more than 50 renders caused from commits ("Maximum update depth exceeded"): a long
 * paste yields to the event loop every this many keys.
 */
const KEYS_PER_CHAIN = 32;

/**
 * Every view's and prompt's keys, handed to `handle` one at a time, each seeing the state the previous one
 * left. A read holds several keys when they are held, pasted or typed faster than a frame (`jjj`, three
 * Backspaces, `/` and a word, Down three times as three escape sequences delivered in one go): each read is
 * split into keys (key-input.ts). The first key of a read is handled as it arrives, with the handler of the last
 * render, when a render has followed the key before it (a person typing, a slow key repeat): one commit for the
 * key, where queueing it too made two (the key queued, then handled). The other keys, and a read that comes
 * before that render (reads written back to back are emitted before React renders), are queued and handled one
 * per render, in a layout effect, so that each key's update renders at once, before the next key (handled
 * together, Down×3 moved one row; with the last render's handler, a key repeat lost all but one key).
 */
export function useKeyQueue(
  handle: (input: string, key: KeyEvent) => void,
  options: { isActive: boolean },
): void {
  const queued = useRef<KeyPress[]>([]);
  const chain = useRef(0);
  const latest = useRef(handle);
  /** A key was handled with `latest` and no render has followed: the next key must wait for one. */
  const unrendered = useRef(false);
  const [queueTick, setQueueTick] = useState(0);
  useLayoutEffect(() => {
    latest.current = handle;
    unrendered.current = false;
  });
  useInput(
    (input, key) => {
      const keys = splitKeys(input, key);
      chain.current = 0;
      if (queued.current.length === 0 && !unrendered.current) {
        const first = keys.shift();
        if (first !== undefined) {
          unrendered.current = true;
          latest.current(first.input, first.key);
        }
      }
      if (keys.length === 0) return;
      queued.current.push(...keys);
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
    handle(next.input, next.key);
    if (queued.current.length === 0) return;
    if (++chain.current < KEYS_PER_CHAIN) setQueueTick((t) => t + 1);
    else {
      chain.current = 0;
      setTimeout(() => setQueueTick((t) => t + 1), 0);
    }
  }, [queueTick]);
}
