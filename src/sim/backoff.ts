// The kubelet's crash-loop backoff, ported from client-go `util/flowcontrol/backoff.go` as the kubelet wires it
// (`pkg/kubelet/kubelet.go` newCrashLoopBackOff + HasExpiredFunc): no jitter, doubling from `initial` to `max`,
// and an entry that expires when the event time is more than `resetMs` (600 s) after its last update.
import { BACKOFF_RESET_MS, DEFAULT_CURVE } from '../model/backoff.js';

export interface CrashLoopCurve {
  initialMs: number;
  maxMs: number;
  resetMs: number;
}

export const DEFAULT_CRASH_LOOP_CURVE: CrashLoopCurve = { ...DEFAULT_CURVE, resetMs: BACKOFF_RESET_MS };

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class CrashLoopBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly curve: CrashLoopCurve = DEFAULT_CRASH_LOOP_CURVE) {}

  private expired(entry: Entry, eventTime: number): boolean {
    return eventTime - entry.lastUpdate > this.curve.resetMs;
  }

  /** `Next(id, eventTime)`: called right before the kubelet (re)starts the container at `now`. */
  next(key: string, eventTime: number, now: number): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, eventTime)) {
      this.entries.set(key, { backoffMs: this.curve.initialMs, lastUpdate: now });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.curve.maxMs);
    entry.lastUpdate = now;
  }

  /** `IsInBackOffSince(id, finishedAt)`: true while the container must stay down. */
  inBackoffSince(key: string, eventTime: number, now: number): boolean {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, eventTime)) return false;
    return now - eventTime < entry.backoffMs;
  }

  /** `Get(id)`: the duration printed in the `back-off …` message. */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }
}

/** Go's `time.Duration.String()` for whole and fractional seconds: `10s`, `1m20s`, `5m0s`, `1.5s`, `500ms`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const secondsText = `${Number.isInteger(seconds) ? seconds : seconds.toString()}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}
