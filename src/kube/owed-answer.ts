// A request stuck on a dead connection. After a link cut that lost the path's state (a NAT or load balancer
// that forgot the flow, with no RST), a request sent over a connection of the cut waits out its whole timeout,
// a minute, even once the link is back: the header stayed `stale` or `waiting` long after other requests got
// through. Another request to this server answered proves the path works now; if it went out after ours last
// heard anything and came back, ours would have heard something too, were its connection alive. Only requests
// the server owes an answer are judged so: a LIST's pages (the server streams a page as it has it) and a WATCH
// until its response headers (the API server sends them as soon as the watch starts). An open watch is owed
// nothing, quiet being normal and bookmarks optional: it keeps its own deadline (timeoutSeconds + grace).
// The margin is for a server slower with one request than another (a page read from etcd, not its cache; API
// Priority and Fairness queuing a LIST behind cheaper requests): seconds, the scale at which the header already
// calls a silent server `waiting` (watch-health.ts QUIET_MS), doubled with each abort in a row until a LIST is
// in whole or a WATCH open (not by a byte: a page aborted is the whole list asked again), so that a request the
// server is merely slow with gets its time after a few retries instead of being cut forever. The whole list asked
// in place of expired pages is not judged: its first byte may come minutes later, and it has its own timeout.

export interface OwedAnswerOptions {
  now: () => number;
  /** How much longer than another request's round trip the owed request may hear nothing (doubled per abort). */
  marginMs: number;
  /** Asks the server something cheap, so that an answer comes to judge by (KubeClient.probe). */
  probe: (timeoutMs: number) => void;
  /** Aborts the owed request. */
  abort: () => void;
}

/** One list+watch loop's request that the server owes an answer, judged stuck by other requests' answers. */
export class OwedAnswer {
  private owed = false;
  /** When the owed request went out or last heard a byte. */
  private heardAt = 0;
  /** Requests aborted as stuck since a LIST was last in whole or a WATCH open: each doubles the next margin. */
  private inARow = 0;
  /** The current request was aborted as stuck: ask again at once, no back-off, no failure shown. */
  private aborted = false;
  private stopped = false;
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: OwedAnswerOptions) {}

  /**
   * A LIST or a WATCH goes out (`true`), or is answered or given up (`false`). While it hears nothing, the server
   * is probed once per margin: at start-up, or when every request to the server went out during the outage, no
   * other answer would come to show that the link is back before their timeouts.
   */
  asking(out: boolean): void {
    this.owed = out;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    if (!out) return;
    // An abort that came as the last request ended threw nothing: it must not pass for this one's.
    this.aborted = false;
    this.heard();
    const { marginMs, now, probe } = this.options;
    const arm = (ms: number) => {
      this.probeTimer = setTimeout(() => {
        if (!this.owed || this.stopped) return;
        const quietMs = now() - this.heardAt;
        if (quietMs >= marginMs) probe(marginMs);
        arm(quietMs >= marginMs ? marginMs : marginMs - quietMs);
      }, ms);
      this.probeTimer.unref();
    };
    arm(marginMs);
  }

  /** The owed request went out, or heard a byte. Called per chunk: no more than a store. */
  heard(): void {
    this.heardAt = this.options.now();
  }

  /** Another request to the same server was answered after `roundTripMs`. */
  answeredElsewhere(roundTripMs: number): void {
    if (!this.owed || this.stopped || this.aborted) return;
    const allowanceMs = roundTripMs + this.options.marginMs * 2 ** this.inARow;
    if (this.options.now() - this.heardAt <= allowanceMs) return;
    this.aborted = true;
    this.inARow++;
    this.options.abort();
  }

  /** A LIST is in whole, or a WATCH open: the margin starts over. */
  settled(): void {
    this.inARow = 0;
  }

  /** Whether the request that just failed was aborted as stuck (told once). */
  tookForStuck(): boolean {
    const aborted = this.aborted;
    this.aborted = false;
    return aborted;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.probeTimer);
  }
}
