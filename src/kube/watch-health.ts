import type { WatchState, WatchStatus } from './source.js';

// The state of one watch as the header shows it: `connecting` until the first list, `live` while the
// stream is up, `reconnecting` once an attempt failed, and `stale` once the outage has lasted long enough that
// the data on screen should not be trusted. Both count from the last sign of life (the last byte, event or
// bookmark the watch received), not from when the failure was noticed: a stalled connection is only noticed
// when its stream is overdue, a minute later, and the outage is that minute older. A watch that never got an
// answer counts from its start and says so (`neverConnected`): it has no data to be stale. `forbidden` is
// RBAC saying no, which retrying will not fix.

export interface StalePolicy {
  /** Time since the last sign of life after which the data on screen is stale. */
  afterMs: number;
}

// Time, not a count of attempts: with jittered retries (reconnect-backoff.ts) five attempts can take 200 ms
// or a minute. 15 s is what five attempts took before the jitter (1 + 2 + 4 + 8 s).
export const defaultStalePolicy: StalePolicy = { afterMs: 15_000 };

export class WatchHealth {
  private failing = false;
  private failingSince = 0;
  private readonly startedAt: number;
  /** When the watch last received anything (a list, the watch's headers, a byte of its stream); undefined: never. */
  private lastHeard: number | undefined;
  private current: WatchStatus;
  /**
   * Turns a still-failing watch stale on time: retries back off to 30 s, so waiting for the next failed attempt
   * left it `reconnecting` (its rows drawn as live) up to half a minute past the policy.
   */
  private staleTimer: NodeJS.Timeout | undefined;

  constructor(
    base: Pick<WatchStatus, 'context' | 'namespaces' | 'resource'>,
    private readonly policy: StalePolicy,
    private readonly now: () => number,
    private readonly onChange: () => void,
  ) {
    this.startedAt = now();
    this.current = { ...base, state: 'connecting', since: this.startedAt };
  }

  get status(): WatchStatus {
    return this.current;
  }

  /** Whether the server ever answered this watch (a list, the watch's headers, a byte). */
  get answered(): boolean {
    return this.lastHeard !== undefined;
  }

  /** Something came in: the outage, if one comes, counts from here. Called per chunk: no more than a store. */
  heard(): void {
    this.lastHeard = this.now();
  }

  connected(): void {
    this.lastHeard = this.now();
    this.failing = false;
    clearTimeout(this.staleTimer);
    if (this.current.state !== 'live') this.enter('live', undefined);
  }

  failed(message: string): void {
    const now = this.now();
    // Once stale, stale until connected: the timer may have turned it a few ms before `now` reads afterMs.
    const wasStale = this.failing && this.current.state === 'stale';
    if (!this.failing) {
      this.failingSince = Math.min(now, this.lastHeard ?? this.startedAt);
      clearTimeout(this.staleTimer);
      // Stale when it fires, without reading the clock: Node runs timers from the loop's cached time, so
      // Date.now() here can read a few ms short of afterMs, and nothing would re-arm it.
      this.staleTimer = setTimeout(
        () => {
          if (this.failing && this.current.state === 'reconnecting')
            this.enter('stale', this.current.message, this.failingSince);
        },
        Math.max(0, this.policy.afterMs - (now - this.failingSince)),
      );
      this.staleTimer.unref();
    }
    this.failing = true;
    const stale = wasStale || now - this.failingSince >= this.policy.afterMs;
    const state: WatchState = stale ? 'stale' : 'reconnecting';
    if (state === this.current.state) {
      if (message !== this.current.message) this.update({ ...this.current, message });
    } else {
      // Both count from the last sign of life: the header's `stale 40s` is how long nothing has come in, never
      // the time since the label changed (a 17 s outage read `stale 0s` and looked fresher than it was).
      this.enter(state, message, this.failingSince);
    }
  }

  forbidden(message: string): void {
    clearTimeout(this.staleTimer);
    if (this.current.state !== 'forbidden' || this.current.message !== message)
      this.enter('forbidden', message);
  }

  /** The watch is stopped: its stale timer must not report a change for it later. */
  dispose(): void {
    clearTimeout(this.staleTimer);
  }

  private enter(state: WatchState, message: string | undefined, since = this.now()): void {
    const { message: _previous, neverConnected: _before, ...rest } = this.current;
    const never = this.lastHeard === undefined && (state === 'reconnecting' || state === 'stale');
    this.update({
      ...rest,
      state,
      since,
      ...(message === undefined ? {} : { message }),
      ...(never ? { neverConnected: true as const } : {}),
    });
  }

  private update(status: WatchStatus): void {
    this.current = status;
    this.onChange();
  }
}
