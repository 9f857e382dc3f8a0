import type { LogScript } from './scenario.js';

// One container instance's log, computed from its script and its lifetime rather than stored, so that a healthy
// pod's access log costs nothing until somebody reads it. The kubelet keeps the current and the previous instance
// of each container; so does the emulator (kubelet.ts).

export interface Instance {
  containerID: string;
  startedAt: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
  message?: string;
  script: LogScript;
  /** When the exit lines are printed: the moment the process dies (or is killed). */
  exitLinesAt?: number;
}

export interface LogLine {
  at: number;
  text: string;
}

const START_GAP_MS = 3;
const EXIT_GAP_MS = 2;
/** Beyond this many repeated lines only the newest are kept, as log rotation would. */
const MAX_REPEATED = 100_000;

/** The lines the instance has written by `now`, oldest first; only the last `tail` when given. */
export function instanceLog(instance: Instance, now: number, tail?: number): LogLine[] {
  const end = Math.min(now, instance.finishedAt ?? now);
  const { lines, exitLines, repeat } = instance.script;
  const out: LogLine[] = [];
  lines.forEach((text, i) => {
    const at = instance.startedAt + i * START_GAP_MS;
    if (at <= end) out.push({ at, text });
  });
  if (repeat) {
    const first = instance.startedAt + lines.length * START_GAP_MS + repeat.everyMs;
    const repeatEnd = Math.min(end, instance.exitLinesAt ?? end);
    const count = repeatEnd >= first ? Math.floor((repeatEnd - first) / repeat.everyMs) + 1 : 0;
    const keep = Math.min(count, tail ?? MAX_REPEATED, MAX_REPEATED);
    for (let i = count - keep; i < count; i++)
      out.push({ at: first + i * repeat.everyMs, text: repeat.line });
  }
  if (instance.exitLinesAt !== undefined) {
    const exitAt = instance.exitLinesAt;
    exitLines.forEach((text, i) => {
      const at = Math.max(instance.startedAt, exitAt - (exitLines.length - i) * EXIT_GAP_MS);
      if (at <= end) out.push({ at, text });
    });
  }
  return tail === undefined ? out : out.slice(Math.max(0, out.length - tail));
}

/**
 * `terminationMessagePolicy: FallbackToLogsOnError`: the last 80 lines, at most 2048 bytes, of a failed
 * container's log (kubelet-facts.md §4.2).
 */
export function fallbackTerminationMessage(instance: Instance, now: number): string {
  const text = instanceLog(instance, now, 80)
    .map((l) => l.text)
    .join('\n');
  const bytes = Buffer.from(text);
  return bytes.length <= 2048 ? text : bytes.subarray(bytes.length - 2048).toString();
}
