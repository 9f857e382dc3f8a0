// The few control sequences crashtop writes itself: Ink 6 has no alternate-screen support
// (reference/ink-notes.md §2), and must not be left hiding the cursor or holding raw mode.

export const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H';
export const LEAVE_ALT_SCREEN = '\u001b[?1049l';
export const SHOW_CURSOR = '\u001b[?25h';
export const HIDE_CURSOR = '\u001b[?25l';
export const BELL = '\u0007';
export const CLEAR_SCREEN = '\u001b[H\u001b[2J';

export interface Tty {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** Write, ignoring a terminal that is already gone (SSH dropped: EIO / EPIPE). */
export function writeSafely(stdout: NodeJS.WriteStream, text: string): void {
  try {
    if (!stdout.destroyed && stdout.writable) stdout.write(text);
  } catch {
    // Nothing can be shown on a terminal that no longer exists.
  }
}

/** Give the terminal back as it was: cooked mode, cursor visible, normal screen. Safe to call twice. */
export function restoreTerminal(tty: Tty): void {
  try {
    if (tty.stdin.isTTY) tty.stdin.setRawMode(false);
  } catch {
    // A closed tty cannot be put back in cooked mode, and needs not be.
  }
  writeSafely(tty.stdout, SHOW_CURSOR + LEAVE_ALT_SCREEN);
}
