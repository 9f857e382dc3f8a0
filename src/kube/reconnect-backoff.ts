// Delay before the next reconnect attempt: initial, doubling, capped; reset after a success.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 1000, maxMs: 30_000 };

export class Backoff {
  private attempt = 0;

  constructor(private readonly policy: BackoffPolicy = defaultBackoff) {}

  /** The delay to wait now; each call doubles the following one. */
  next(): number {
    const delay = Math.min(this.policy.initialMs * 2 ** this.attempt, this.policy.maxMs);
    if (delay < this.policy.maxMs) this.attempt++;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}
