// Delay before the next reconnect attempt: a ceiling that starts at `initialMs` and doubles up to `maxMs`,
// reset after a success, with "full jitter": the delay is a uniform random fraction of the ceiling.
//
// Why full jitter: after an API server restart, every crashtop on a bastion (and every watch of each) lost
// its connection at the same instant; without jitter they would all retry in lockstep, each wave hitting a
// server still busy starting up. Spreading each retry over the whole [0, ceiling] interval gives the least
// contention and the soonest recovery of the usual schemes (AWS Architecture Blog, "Exponential Backoff
// and Jitter": full jitter beat equal and decorrelated jitter on both). Equal jitter's floor of half the
// ceiling only delays recovery; the doubling ceiling alone already keeps the average rate of retries low.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A number in [0, 1) per delay; Math.random unless a test fixes it. */
  random?: () => number;
}

export const defaultBackoff: BackoffPolicy = { initialMs: 1000, maxMs: 30_000 };

export class Backoff {
  private attempt = 0;

  constructor(private readonly policy: BackoffPolicy = defaultBackoff) {}

  /** The delay to wait now; each call doubles the ceiling of the following one. */
  next(): number {
    const ceiling = Math.min(this.policy.initialMs * 2 ** this.attempt, this.policy.maxMs);
    if (ceiling < this.policy.maxMs) this.attempt++;
    return Math.round(ceiling * (this.policy.random ?? Math.random)());
  }

  reset(): void {
    this.attempt = 0;
  }
}
