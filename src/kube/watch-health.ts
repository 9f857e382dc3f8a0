import type { WatchState, WatchStatus } from './source.js';

// The state of one watch as the header shows it: `connecting` until the first list, `live` while the
// stream is up, `reconnecting` once an attempt failed, and `stale` once the outage has lasted long enough that
// the data on screen should not be trusted. Both count from the last sign of life (the last byte, event or
// bookmark the watch received), not from when the failure was noticed: a stalled connection is only noticed
// when its stream is overdue, a minute later, and the outage is that minute older. A watch that never got an
// answer counts from its start and says so (`neverConnected`): it has no data to be stale. `forbidden` is
// RBAC saying no, which retrying will not fix.
//
// While connecting, a server that accepted the connection but sends nothing looks like a slow one for the whole
// request timeout (a minute): after QUIET_MS without a byte of the first list, the status says since when the
// server has been silent (`waiting`), so that the header can tell a dead server from a slow one.

export interface StalePolicy {
  /** Time since the last sign of life after which the data on screen is stale. */
  afterMs: number;
}

// Time, not a count of attempts: with jittered retries (reconnect-backoff.ts) five attempts can take 200 ms
// or a minute. 15 s is what five attempts took before the jitter (1 + 2 + 4 + 8 s).
export const defaultStalePolicy: StalePolicy = { afterMs: 15_000 };

/** Silence of the first list after which the header says how long it has waited. */
export const QUIET_MS = 3_000;

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
  /** When the first list's server last sent a byte, or was asked. */
  private listHeardAt = 0;
  /** A byte came (or a request went out) since the quiet timer was armed. */
  private listHeardSinceArmed = false;
  private quietTimer: NodeJS.Timeout | undefined;

  constructor(
    base: Pick<WatchStatus, 'context' | 'namespaces' | 'resource'>,
    /** The API server's URL, as the kubeconfig gives it. */
    private readonly server: string,
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

  /**
   * A request of the first list went out, or a chunk of its answer came in: the server's silence counts from here.
   * Called per chunk: no more than a store, but for the change when the server had been silent.
   */
  listHeard(): void {
    this.listHeardAt = this.now();
    this.listHeardSinceArmed = true;
    if (this.current.waiting !== undefined) {
      const { waiting: _waiting, ...rest } = this.current;
      this.update(rest);
    }
    if (this.quietTimer === undefined) this.armQuiet(QUIET_MS);
  }

  /**
   * Checks for silence when `ms` have passed. Without reading the clock for the verdict: Node runs timers from the
   * loop's cached time, so Date.now() here can read a few ms short of QUIET_MS.
   */
  private armQuiet(ms: number): void {
    this.listHeardSinceArmed = false;
    this.quietTimer = setTimeout(() => {
      this.quietTimer = undefined;
      if (this.current.state !== 'connecting') return;
      if (this.listHeardSinceArmed) this.armQuiet(Math.max(0, this.listHeardAt + QUIET_MS - this.now()));
      else this.update({ ...this.current, waiting: { server: this.server, since: this.listHeardAt } });
    }, ms);
    this.quietTimer.unref();
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
    clearTimeout(this.quietTimer);
  }

  private enter(state: WatchState, message: string | undefined, since = this.now()): void {
    const { message: _previous, neverConnected: _before, waiting: _waiting, ...rest } = this.current;
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
