import { useStdin } from 'ink';
import { useLayoutEffect } from 'react';
import { splitEscapePair } from '../key-input.js';

/**
 * Ink hands each sequence its input parser cuts to every useInput hook through one emitter; from the app's root,
 * a sequence of Esc and a key (key-input.ts) is emitted as two, so every hook, ours or Ink's, sees Esc and then
 * the key. The emitter's `emit` is wrapped rather than listened to because a listener cannot take back a
 * sequence the other listeners already had. A layout effect, so that it is in place before the first key is read.
 */
export function useSplitEscapePairs(): void {
  const { internal_eventEmitter: emitter } = useStdin();
  useLayoutEffect(() => {
    const emit = emitter.emit;
    emitter.emit = function (this: typeof emitter, event: string | symbol, ...args: unknown[]): boolean {
      const [sequence] = args;
      if (event !== 'input' || typeof sequence !== 'string') return emit.call(this, event, ...args);
      const reads = splitEscapePair(sequence);
      if (reads.length === 1) return emit.call(this, event, ...args);
      let heard = false;
      for (const read of reads) heard = emit.call(this, event, read) || heard;
      return heard;
    };
    return () => {
      emitter.emit = emit;
    };
  }, [emitter]);
}
