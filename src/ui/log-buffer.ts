import { DEFAULT_LOG_LIMITS, type LogLimits } from './log-limits.js';
import { sanitizeLine } from './sanitize.js';

// The log view's buffer, bounded by LogLimits (log-limits.ts): the oldest lines go once either limit is reached.

const MAX_LINE_LENGTH = 4000;

/** One line of the view: a log line of a container, or a line crashtop writes (a run's end). */
export interface LogEntry {
  /** Sanitised. */
  readonly text: string;
  /** The kubelet's RFC 3339 timestamp of the line, when it sent one. */
  readonly time?: string;
  /** The container that wrote it (the "all containers" view prefixes it). */
  readonly container?: string;
  /** Written by crashtop, not by the container: a run's end, a stream cut. */
  readonly note?: boolean;
  /** A note saying why the container's log could not be read (shown whole, in the error tone). */
  readonly failed?: boolean;
}

export interface LogBuffer {
  readonly entries: readonly LogEntry[];
  readonly bytes: number;
  /** Lines dropped from the front so far. */
  readonly dropped: number;
}

export const EMPTY_LOG: LogBuffer = { entries: [], bytes: 0, dropped: 0 };

/** A new buffer with `incoming` appended (sanitised once, here) and the oldest lines dropped past the limits. */
export function appendEntries(
  buffer: LogBuffer,
  incoming: readonly LogEntry[],
  limits: LogLimits = DEFAULT_LOG_LIMITS,
): LogBuffer {
  const entries = [...buffer.entries];
  let bytes = buffer.bytes;
  for (const raw of incoming) {
    const entry = { ...raw, text: sanitizeLine(raw.text, { maxLength: MAX_LINE_LENGTH }) };
    entries.push(entry);
    bytes += Buffer.byteLength(entry.text);
  }
  let drop = Math.max(0, entries.length - limits.lines);
  let dropBytes = 0;
  for (let i = 0; i < drop; i++) dropBytes += Buffer.byteLength(entries[i]!.text);
  while (bytes - dropBytes > limits.bytes && drop < entries.length) {
    dropBytes += Buffer.byteLength(entries[drop]!.text);
    drop++;
  }
  return {
    entries: drop ? entries.slice(drop) : entries,
    bytes: bytes - dropBytes,
    dropped: buffer.dropped + drop,
  };
}
