import { type Key, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/**
 * Keys handed to `handle` one at a time, each seeing the state the previous one left. A paste, or keys
 * typed faster than a frame (`tmux send-keys jj`), arrive as one chunk, and a key can arrive while earlier
 * ones still wait; so a chunk is queued and handled one key per render, and a key that arrives while the
 * queue is not empty joins it (handling it at once overtook the queue: a real end-to-end bug). While
 * `passThrough` holds (a child view reads text), chunks go to `handle` whole.
 */
export function useKeyQueue(
  handle: (input: string, key: Key) => void,
  options: { isActive: boolean; passThrough: boolean },
): void {
  const queued = useRef<{ input: string; key: Key }[]>([]);
  const [queueTick, setQueueTick] = useState(0);
  useInput(
    (input, key) => {
      const chars = [...input];
      const chunk = chars.length > 1 && !key.ctrl && !key.meta && !options.passThrough;
      if (!chunk && queued.current.length === 0) return handle(input, key);
      if (chunk) {
        queued.current.push(
          ...chars.map((c) =>
            c === '\r' ? { input: '', key: { ...NO_KEY, return: true } } : { input: c, key: NO_KEY },
          ),
        );
      } else queued.current.push({ input, key });
      setQueueTick((t) => t + 1);
    },
    { isActive: options.isActive },
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per queued key, with this render's state.
  useEffect(() => {
    const next = queued.current.shift();
    if (next === undefined || !options.isActive) return;
    handle(next.input, next.key);
    if (queued.current.length > 0) setQueueTick((t) => t + 1);
  }, [queueTick]);
}
