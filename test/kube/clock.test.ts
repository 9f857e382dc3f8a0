import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDateHeader, ServerClock } from '../../src/kube/clock.js';

// A response observed at local time `local`, from a server whose clock is `offset` ms ahead, carries the
// server time truncated to the second, as the HTTP Date header does.
function sample(offset: number, sentAt: number, latency: number, serverDelay = latency / 2) {
  const produced = sentAt + serverDelay + offset;
  return { date: Math.floor(produced / 1000) * 1000, sentAt, receivedAt: sentAt + latency };
}

describe('ServerClock', () => {
  it('has no offset before the first response', () => {
    expect(new ServerClock().offsetMs()).toBeUndefined();
  });

  it('converges to the true offset within the latency once samples cover several sub-second phases', () => {
    const clock = new ServerClock();
    for (let index = 0; index < 20; index++) clock.record(sample(4321, 1_700_000_000_000 + index * 1370, 20));
    expect(Math.abs(clock.offsetMs()! - 4321)).toBeLessThanOrEqual(20);
  });

  it('follows a clock jump at once instead of averaging it away', () => {
    const clock = new ServerClock();
    for (let index = 0; index < 10; index++) clock.record(sample(0, 1_700_000_000_000 + index * 730, 10));
    clock.record(sample(60_000, 1_700_000_100_000, 10));
    expect(Math.abs(clock.offsetMs()! - 60_000)).toBeLessThan(1000);
  });

  it('keeps the estimate within half its uncertainty of the true offset for any samples of one server (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000_000, max: 100_000_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 3000 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (offset, requests) => {
          const clock = new ServerClock();
          let at = 1_700_000_000_000;
          for (const [gap, latency] of requests) {
            at += gap;
            clock.record(sample(offset, at, latency));
          }
          const worstLatency = Math.max(...requests.map(([, latency]) => latency));
          expect(Math.abs(clock.offsetMs()! - offset)).toBeLessThanOrEqual((1000 + worstLatency) / 2 + 1);
        },
      ),
    );
  });

  it.each([
    ['Wed, 25 Nov 2026 15:31:41 GMT', Date.UTC(2026, 10, 25, 15, 31, 41)],
    [undefined, Number.NaN],
    ['not a date', Number.NaN],
  ])('parses the Date header %s', (header, expected) => {
    expect(parseDateHeader(header)).toBe(expected);
  });
});
