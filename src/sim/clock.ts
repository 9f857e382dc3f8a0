// The simulator's notion of "now". Everything the emulated kubelet writes (startedAt, finishedAt, event times) and
// the HTTP `Date` header come from one clock, so a client measuring server skew sees a consistent server. `speed`
// makes simulated time run faster than real time (`crashtop sim --speed 10`); `offsetMs` shifts the whole server
// clock so clients' clock-skew handling can be exercised.

export interface SimClock {
  now(): number;
}

/** Real time, scaled by `speed` from the moment it was created, shifted by `offsetMs`. */
export class ScaledClock implements SimClock {
  private readonly realStart = Date.now();
  constructor(
    private readonly speed = 1,
    public offsetMs = 0,
  ) {}

  now(): number {
    return this.realStart + (Date.now() - this.realStart) * this.speed + this.offsetMs;
  }
}

/** A clock that moves only when told to: the timeline tests drive the kubelet emulator with it. */
export class ManualClock implements SimClock {
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
