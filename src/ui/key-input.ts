import type { Key } from 'ink';

// What one read from the terminal means, key by key. Ink hands useInput an escape sequence (an arrow, a
// function key) as one key, but everything between escapes as one string: holding `j` over SSH, a paste, or
// three Backspaces arrive as "jjj", "/api", "\x7f\x7f\x7f". Ink also names a lone Ctrl chord by its letter
// (Ctrl-D is input "d" with ctrl set), so a handler testing `input === 'd'` would take a closing pane's
// Ctrl-D for `d`. This module turns each read into single keys, and moves a chord's letter out of `input`.

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
