import type { EventEmitter } from 'node:events';
import { useInput, useStdin } from 'ink';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { type KeyEvent, type KeyPress, splitEscapePair, splitKeys } from '../key-input.js';

const splitting = new WeakSet<EventEmitter>();

/**
 * Ink hands each sequence its input parser cuts to every useInput hook through one emitter; a sequence of
 * Esc and a key (key-input.ts) is emitted as two, so every hook, ours or Ink's, sees Esc and then the key.
 * The emitter's `emit` is wrapped rather than listened to because a listener cannot take back a sequence
 * the other listeners already had. Once per Ink app: the emitter lives as long as the app.
 */
function splitEscapePairsOf(emitter: EventEmitter): void {
  if (splitting.has(emitter)) return;
  splitting.add(emitter);
  const emit = emitter.emit.bind(emitter);
  emitter.emit = (event: string | symbol, ...args: unknown[]): boolean => {
    const [sequence] = args;
    if (event !== 'input' || typeof sequence !== 'string') return emit(event, ...args);
    const reads = splitEscapePair(sequence);
    if (reads.length === 1) return emit(event, ...args);
    let heard = false;
    for (const read of reads) heard = emit(event, read) || heard;
    return heard;
  };
}

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
 */
export function useKeyQueue(
  handle: (input: string, key: KeyEvent) => void,
  options: { isActive: boolean },
): void {
  const queued = useRef<KeyPress[]>([]);
  const chain = useRef(0);
  const [queueTick, setQueueTick] = useState(0);
  const { internal_eventEmitter: emitter } = useStdin();
  useEffect(() => splitEscapePairsOf(emitter), [emitter]);
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
    handle(next.input, next.key);
    if (queued.current.length === 0) return;
    if (++chain.current < KEYS_PER_CHAIN) setQueueTick((t) => t + 1);
    else {
      chain.current = 0;
      setTimeout(() => setQueueTick((t) => t + 1), 0);
    }
  }, [queueTick]);
}
