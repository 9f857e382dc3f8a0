import { useInput, useStdin } from 'ink';
import { createContext, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isText, type KeyEvent, type KeyPress, splitKeys } from '../key-input.js';

/**
 * React stops a chain of more than 50 renders caused from commits ("Maximum update depth exceeded"): a long
 * paste yields to the event loop every this many keys.
 */
const KEYS_PER_CHAIN = 32;

/**
 * Device status report: the terminal answers `ESC [ 0 n` (or `ESC [ 3 n`, "malfunction") behind every key
 * already typed to it, so what the queue reads before the answer was typed before the queue took the terminal
 * back.
 */
export const STATUS_REQUEST = '\u001b[5n';
const STATUS_ANSWERS: ReadonlySet<string> = new Set(['\u001b[0n', '\u001b[3n']);
/** A terminal that does not answer drops the keys typed within this long of taking the terminal back. */
const ANSWER_WAIT_MS = 1000;

export type KeyHandler = (input: string, key: KeyEvent) => void;

/** What a view's own prompt reads: text, a pick among choices, or nothing (the app's keys). */
export type ChildTyping = 'text' | 'pick' | false;

/**
 * The key handlers of the views on screen, which the app's queue hands the keys it does not take itself. A view
 * registers from a layout effect: React runs a child's before its parent's, so a view that a key opened has
 * registered by the time the app's queue hands over the next key of the same read.
 */
export interface ViewKeys {
  add(entry: { handle: KeyHandler; typing: ChildTyping }): () => void;
  handle: KeyHandler;
  /** What a view's own prompt reads now: while it reads, the view gets every key the app's prompts do not. */
  typing(): ChildTyping;
}

export function createViewKeys(): ViewKeys {
  const entries = new Set<{ handle: KeyHandler; typing: ChildTyping }>();
  return {
    add(entry) {
      entries.add(entry);
      return () => entries.delete(entry);
    },
    handle(input, key) {
      for (const entry of [...entries]) entry.handle(input, key);
    },
    typing() {
      for (const entry of entries) if (entry.typing) return entry.typing;
      return false;
    },
  };
}

export const ViewKeysContext = createContext<ViewKeys | undefined>(undefined);

/**
 * A view's keys, from the app's one queue (useKeyQueue): the keys the app does not take, while `isActive`.
 * A view that read keys itself (its own useInput, its own queue) missed every key that arrived in the same
 * read as the key that opened it: `l` and `t` typed fast or pasted opened the log without timestamps.
 */
export function useViewKeys(handle: KeyHandler, options: { isActive: boolean; typing?: ChildTyping }): void {
  const views = useContext(ViewKeysContext);
  // No dependencies: each render registers that render's handler, which sees that render's state.
  useLayoutEffect(() => {
    if (!options.isActive) return;
    if (!views) throw new Error('useViewKeys: a view reads keys only under the app (ViewKeysContext)');
    return views.add({ handle, typing: options.typing ?? false });
  });
}

/**
 * The app's keys, handed to `handle` one at a time, each seeing the state the previous one left; the keys
 * `handle` does not take it passes to the views (ViewKeys), so every key of a read reaches the view that is
 * current when it is handled. A read holds several keys when they are held, pasted or typed faster than a
 * frame (`jjj`, three Backspaces, `/` and a word, Down three times as three escape sequences delivered in one
 * go, `l` and the log view's `t`): each read is split into keys (key-input.ts) and queued, and the queue is
 * handled one key per render, in a layout effect so that each key's update renders at once, before the next
 * key. Handling a key as it arrives, even when nothing waits, let the next key of the same read see the state
 * from before it (Down×3 moved one row).
 * While `takesText()` (a prompt reads text), the plain characters queued one after another are handed over as
 * one key: a pasted pod name is one filter change and one frame, not one per character (at 50,000 rows each
 * filtered the rows again: 1.3 s for a 29-character name, the watch unread meanwhile). It is asked when the
 * key is handled, after the views registered: a view's search opened by the previous key counts.
 *
 * Keys meant for a program that had the terminal never act here (an on-call engineer's `q` typed into kubectl
 * exec's shell must not quit crashtop afterwards). While the queue is inactive (the terminal handed to a child)
 * it drops what was queued behind the key that handed it over, and so does a key that `handsOver` the terminal
 * from inside its handler (Ctrl-Z stops the process there). When it is active again, the terminal still holds
 * what was typed meanwhile and kubectl did not read (it was connecting, or its shell had ended): the queue asks
 * the terminal for its status (`ask`, raw mode already on, else the answer would be echoed) and drops every
 * key read before the answer. An answer is never a key: Ink's useInput would throw on it.
 */
export function useKeyQueue(
  handle: KeyHandler,
  options: {
    isActive: boolean;
    takesText: () => boolean;
    handsOver: (key: KeyPress) => boolean;
    ask: (request: string) => void;
  },
): void {
  const queued = useRef<KeyPress[]>([]);
  const chain = useRef(0);
  const [queueTick, setQueueTick] = useState(0);
  const { internal_eventEmitter: emitter } = useStdin();
  /** Since the terminal was taken back, until it answers (or ANSWER_WAIT_MS). */
  const draining = useRef<NodeJS.Timeout>(undefined);
  useLayoutEffect(() => {
    const emit = emitter.emit;
    const filtered = function (this: typeof emitter, event: string | symbol, ...args: unknown[]): boolean {
      const [sequence] = args;
      if (event !== 'input' || typeof sequence !== 'string') return emit.call(this, event, ...args);
      if (STATUS_ANSWERS.has(sequence)) {
        clearTimeout(draining.current);
        draining.current = undefined;
        return true;
      }
      return draining.current === undefined ? emit.call(this, event, ...args) : true;
    };
    emitter.emit = filtered;
    return () => {
      // The app's other wrapper (useSplitEscapePairs) may have put the original back already.
      if (emitter.emit === filtered) emitter.emit = emit;
      clearTimeout(draining.current);
    };
  }, [emitter]);
  useInput(
    (input, key) => {
      queued.current.push(...splitKeys(input, key));
      chain.current = 0;
      setQueueTick((t) => t + 1);
    },
    { isActive: options.isActive },
  );
  const wasActive = useRef(options.isActive);
  // After useInput's effects, which turn raw mode on: in cooked mode the terminal's answer would be echoed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the terminal is handed over and back.
  useEffect(() => {
    if (options.isActive === wasActive.current) return;
    wasActive.current = options.isActive;
    if (!options.isActive) return;
    clearTimeout(draining.current);
    draining.current = setTimeout(() => {
      draining.current = undefined;
    }, ANSWER_WAIT_MS);
    options.ask(STATUS_REQUEST);
  }, [options.isActive]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per queued key, with this render's state.
  useLayoutEffect(() => {
    if (!options.isActive) {
      queued.current = [];
      return;
    }
    const next = queued.current.shift();
    if (next === undefined) return;
    let { input } = next;
    if (isText(next) && options.takesText()) {
      while (queued.current[0] !== undefined && isText(queued.current[0]))
        input += queued.current.shift()!.input;
    }
    handle(input, next.key);
    if (options.handsOver(next)) queued.current = [];
    if (queued.current.length === 0) return;
    if (++chain.current < KEYS_PER_CHAIN) setQueueTick((t) => t + 1);
    else {
      chain.current = 0;
      setTimeout(() => setQueueTick((t) => t + 1), 0);
    }
  }, [queueTick]);
}
