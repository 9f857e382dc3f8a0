// The log view's memory bound (DESIGN.md §7 "bounded everything"): a following log of a chatty container
// runs for hours, so the oldest lines go once either limit is reached (`--log-lines`, `--log-bytes`).
// Its own module, apart from log-buffer.ts: the command line reads these before the first list request, and
// log-buffer's sanitiser brings string-width, whose Intl.Segmenter costs tens of ms to make (ICU data).

export interface LogLimits {
  lines: number;
  bytes: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = Object.freeze({ lines: 5000, bytes: 2 * 1024 * 1024 });
