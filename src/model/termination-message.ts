import { flattenUntrusted, stripEscapes } from './untrusted-text.js';

// A container's termination message: what its process wrote to terminationMessagePath (`/dev/termination-log`),
// or the tail of its log that the kubelet copies there for `terminationMessagePolicy: FallbackToLogsOnError`
// (kubelet-facts.md §4.2, at most 4 KiB). It is the app's own last word on why it exited, so the detail page and
// `explain` show it next to the exit code.

/** Lines of it shown: its last ones, where a crash says why. */
export const TERMINATION_MESSAGE_LINES = 5;

/**
 * The message as the lines a reader sees, its last `max` lines that are not blank. A carriage return rewinds the
 * line (a progress bar redrawn in place): of each line the text after its last one is kept, as a terminal shows
 * it, unless nothing but blanks follows it (`50%\r\u001b[K` clears the bar at exit); then the text before it,
 * so that no line is blank because of a carriage return. Each line is flattened (model/untrusted-text.ts);
 * it still goes through the terminal sanitiser where it is shown.
 */
export function terminationMessageLines(
  message: string | undefined,
  max = TERMINATION_MESSAGE_LINES,
): string[] {
  if (!message) return [];
  const lines: string[] = [];
  for (const line of message.split('\n')) {
    const segments = stripEscapes(line)
      .split('\r')
      .map((segment) => flattenUntrusted(segment))
      .filter((segment) => segment.trim() !== '');
    const shown = segments.at(-1);
    if (shown !== undefined) lines.push(shown);
  }
  return lines.slice(-max);
}
