import { sanitizeLine } from './sanitize.js';

// The log view's memory bound (DESIGN.md §7 "bounded everything"): a following log of a chatty container
// runs for hours, so the oldest lines go once either limit is reached.

export const MAX_LOG_LINES = 5000;
export const MAX_LOG_BYTES = 2 * 1024 * 1024;
const MAX_LINE_LENGTH = 4000;

export interface LogBuffer {
  readonly lines: readonly string[];
  readonly bytes: number;
  /** Lines dropped from the front so far. */
  readonly dropped: number;
}

export const EMPTY_LOG: LogBuffer = { lines: [], bytes: 0, dropped: 0 };

/** A new buffer with `incoming` appended (sanitised once, here) and the oldest lines dropped past the limits. */
export function appendLines(
  buffer: LogBuffer,
  incoming: readonly string[],
  limits: { lines: number; bytes: number } = { lines: MAX_LOG_LINES, bytes: MAX_LOG_BYTES },
): LogBuffer {
  const lines = [...buffer.lines];
  let bytes = buffer.bytes;
  for (const raw of incoming) {
    const line = sanitizeLine(raw, { maxLength: MAX_LINE_LENGTH });
    lines.push(line);
    bytes += Buffer.byteLength(line);
  }
  let drop = Math.max(0, lines.length - limits.lines);
  let dropBytes = 0;
  for (let i = 0; i < drop; i++) dropBytes += Buffer.byteLength(lines[i]!);
  while (bytes - dropBytes > limits.bytes && drop < lines.length) {
    dropBytes += Buffer.byteLength(lines[drop]!);
    drop++;
  }
  return {
    lines: drop ? lines.slice(drop) : lines,
    bytes: bytes - dropBytes,
    dropped: buffer.dropped + drop,
  };
}
