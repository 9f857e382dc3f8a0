// The API server's clock, estimated from the `Date` header of every response.
//
// The header has a resolution of one second (it is truncated, not rounded), and the response was produced
// at some local instant between sending the request (`sentAt`) and receiving its headers (`receivedAt`).
// So each response proves the offset (server minus local) lies in the interval
//   [date − receivedAt, date + 1000 − sentAt).
// Intersecting the intervals of the recent responses narrows that down to well under a second after a
// few requests spread over different sub-second phases; the estimate is the middle of the intersection.
// If a clock jumps, the newest intervals stop overlapping the old ones: the intersection is then taken
// over the newest responses only, so the estimate follows the jump at once.

export interface ClockSample {
  /** Epoch ms of the `Date` header. */
  date: number;
  sentAt: number;
  receivedAt: number;
}

interface Interval {
  low: number;
  high: number;
}

const keptSamples = 32;

export class ServerClock {
  private readonly intervals: Interval[] = [];
  private estimate: number | undefined;

  /** Adds a response; returns true when the estimate changed. */
  record(sample: ClockSample): boolean {
    if (!Number.isFinite(sample.date) || sample.receivedAt < sample.sentAt) return false;
    this.intervals.push({ low: sample.date - sample.receivedAt, high: sample.date + 1000 - sample.sentAt });
    if (this.intervals.length > keptSamples) this.intervals.shift();
    const next = this.intersect();
    if (next === this.estimate) return false;
    this.estimate = next;
    return true;
  }

  /** Server clock minus local clock in ms, undefined before the first response. */
  offsetMs(): number | undefined {
    return this.estimate;
  }

  private intersect(): number {
    let low = Number.NEGATIVE_INFINITY;
    let high = Number.POSITIVE_INFINITY;
    for (let index = this.intervals.length - 1; index >= 0; index--) {
      const interval = this.intervals[index]!;
      const nextLow = Math.max(low, interval.low);
      const nextHigh = Math.min(high, interval.high);
      if (nextLow > nextHigh) {
        // Older samples contradict the newer ones (a clock jumped): forget them.
        this.intervals.splice(0, index + 1);
        break;
      }
      low = nextLow;
      high = nextHigh;
    }
    return Math.round((low + high) / 2);
  }
}

/** Parses an HTTP `Date` header (IMF-fixdate); NaN when absent or malformed. */
export function parseDateHeader(value: string | undefined): number {
  return value === undefined ? Number.NaN : Date.parse(value);
}
