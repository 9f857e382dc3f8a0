import type { WatchState, WatchStatus } from './source.js';

// The state of one watch as the header shows it: `connecting` until the first list, `live` while the
// stream is up, `reconnecting` from the first failed attempt (the header counts from `since`), and `stale`
// once the outage has lasted long enough that the data on screen should not be trusted. `forbidden` is
// RBAC saying no, which retrying will not fix.

export interface StalePolicy {
  /** Failed attempts in a row after which the data is stale. */
  afterAttempts: number;
  /** Or time since the first failed attempt. */
  afterMs: number;
}

export const defaultStalePolicy: StalePolicy = { afterAttempts: 5, afterMs: 60_000 };

export class WatchHealth {
  private failures = 0;
  private failingSince = 0;
  private current: WatchStatus;

  constructor(
    base: Pick<WatchStatus, 'context' | 'namespaces' | 'resource'>,
    private readonly policy: StalePolicy,
    private readonly now: () => number,
    private readonly onChange: () => void,
  ) {
    this.current = { ...base, state: 'connecting', since: now() };
  }

  get status(): WatchStatus {
    return this.current;
  }

  connected(): void {
    this.failures = 0;
    if (this.current.state !== 'live') this.enter('live', undefined);
  }

  failed(message: string): void {
    const now = this.now();
    if (this.failures === 0) this.failingSince = now;
    this.failures++;
    const stale =
      this.failures >= this.policy.afterAttempts || now - this.failingSince >= this.policy.afterMs;
    const state: WatchState = stale ? 'stale' : 'reconnecting';
    if (state === this.current.state) {
      if (message !== this.current.message) this.update({ ...this.current, message });
    } else {
      this.enter(state, message, state === 'reconnecting' ? this.failingSince : now);
    }
  }

  forbidden(message: string): void {
    if (this.current.state !== 'forbidden' || this.current.message !== message)
      this.enter('forbidden', message);
  }

  private enter(state: WatchState, message: string | undefined, since = this.now()): void {
    const { message: _previous, ...rest } = this.current;
    this.update(message === undefined ? { ...rest, state, since } : { ...rest, state, since, message });
  }

  private update(status: WatchStatus): void {
    this.current = status;
    this.onChange();
  }
}
