import type { Key } from 'ink';

// What one read from the terminal means, key by key. Ink hands useInput an escape sequence (an arrow, a
// function key) as one key, but everything between escapes as one string: holding `j` over SSH, a paste, or
// three Backspaces arrive as "jjj", "/api", "\x7f\x7f\x7f". Ink also names a lone Ctrl chord by its letter
// (Ctrl-D is input "d" with ctrl set), so a handler testing `input === 'd'` would take a closing pane's
// Ctrl-D for `d`. This module turns each read into single keys, and moves a chord's letter out of `input`.
//
// Esc is the one key that is also a prefix. Ink takes ESC and the character after it as one Alt chord
// ("\x1b\r" is Alt-Enter, "\x1bq" Alt-q, "\x1b/" a bare "/"), but crashtop binds no Alt chord, and the
// pair reaches it far more often from a person: tmux forwards Esc and any key pressed within its
// escape-time (500 ms by default before tmux 3.5, 10 ms since) as one Alt chord, and a laggy SSH link
// delivers keys typed quickly in one read. So a read of ESC and one key that starts no terminal sequence is Esc, then that key, as vim does.

/** One key. For a Ctrl or Alt chord `input` is '' and `chord` is the letter held with it ('c' for Ctrl-C). */
export interface KeyEvent extends Key {
  chord?: string;
}

export interface KeyPress {
  input: string;
  key: KeyEvent;
}

/** A key event with no flag set: the base of every key `splitKeys` makes. */
export const NO_KEY: Key = {
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

const NAMED: readonly (keyof Key)[] = [
  'upArrow',
  'downArrow',
  'leftArrow',
  'rightArrow',
  'pageDown',
  'pageUp',
  'home',
  'end',
  'return',
  'escape',
  'tab',
  'backspace',
  'delete',
];

/** One character of a multi-character read, parsed as Ink parses it when it arrives alone. */
function charKey(char: string): KeyPress {
  const code = char.codePointAt(0) ?? 0;
  if (char === '\r' || char === '\n') return { input: '', key: { ...NO_KEY, return: true } };
  if (char === '\t') return { input: '', key: { ...NO_KEY, tab: true } };
  // Ink names a lone DEL (what the Backspace key sends) `delete`, and BS `backspace`.
  if (char === '\x7f') return { input: '', key: { ...NO_KEY, delete: true } };
  if (char === '\b') return { input: '', key: { ...NO_KEY, backspace: true } };
  if (code >= 1 && code <= 26) {
    return { input: '', key: { ...NO_KEY, ctrl: true, chord: String.fromCharCode(code + 96) } };
  }
  if (code < 0x20) return { input: '', key: { ...NO_KEY, ctrl: true } };
  return { input: char, key: { ...NO_KEY, shift: /[A-Z]/.test(char) } };
}

const ESC = '\x1b';

/**
 * The reads that one sequence from Ink's input parser really holds: ESC and one key, ESC ESC, and ESC before a
 * terminal sequence (`ESC ESC [ B`: Esc then Down, which rxvt also sends for Alt-Down, a chord crashtop does
 * not bind) are two reads, Esc and then the key; a terminal sequence (CSI `ESC [ …`, SS3 `ESC O x`, with its
 * modifiers: xterm's Alt-Down is `ESC [ 1 ; 3 B`) and anything else stay one read. A complete CSI or SS3
 * sequence is at least three characters, so `ESC [` or `ESC O` alone (flushed by Ink when nothing followed)
 * is Esc and the key too.
 */
export function splitEscapePair(sequence: string): readonly string[] {
  if (sequence[0] !== ESC || sequence.length < 2) return [sequence];
  const rest = sequence.slice(1);
  if ((rest[0] === '[' || rest[0] === 'O') && rest.length > 1) return [sequence];
  return [ESC, rest];
}

/** Whether a key is plain text: a character typed or pasted, no chord and no named key. */
export function isText({ input, key }: KeyPress): boolean {
  return input !== '' && !key.ctrl && !key.meta && !NAMED.some((name) => key[name]);
}

/** The keys of one useInput call, in order. */
export function splitKeys(input: string, key: Key): KeyPress[] {
  const chars = [...input];
  const named = NAMED.some((name) => key[name]);
  if (chars.length > 1 && !named && !key.ctrl && !key.meta) return chars.map(charKey);
  // A chord's letter is not text: Ctrl-D is not `d`, Alt-x is not `x`.
  if ((key.ctrl || key.meta) && !named && input !== '') {
    return [{ input: '', key: { ...key, chord: input.toLowerCase() } }];
  }
  return [{ input, key }];
}
