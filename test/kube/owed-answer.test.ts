import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OwedAnswer } from '../../src/kube/owed-answer.js';

const MARGIN = 5_000;

describe('a request the server owes an answer', () => {
  let now = 0;
  let aborts = 0;
  let probes: number[] = [];
  let owed: OwedAnswer;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
    aborts = 0;
    probes = [];
    owed = new OwedAnswer({
      now: () => now,
      marginMs: MARGIN,
      probe: (ms) => probes.push(ms),
      abort: () => aborts++,
    });
  });
  afterEach(() => {
    owed.stop();
    vi.useRealTimers();
  });

  it.each([
    { silentMs: 5_999, roundTripMs: 1_000, stuck: false },
    { silentMs: 6_001, roundTripMs: 1_000, stuck: true },
    { silentMs: 30_000, roundTripMs: 29_000, stuck: false },
  ])(
    'silent $silentMs ms, another answered in $roundTripMs ms: stuck $stuck',
    ({ silentMs, roundTripMs, stuck }) => {
      owed.asking(true);
      now += silentMs;
      owed.answeredElsewhere(roundTripMs);
      expect(aborts).toBe(stuck ? 1 : 0);
      expect(owed.tookForStuck()).toBe(stuck);
      expect(owed.tookForStuck()).toBe(false);
    },
  );

  it('is not judged once answered, nor after a byte it heard', () => {
    owed.asking(true);
    now += 4_000;
    owed.heard();
    now += 4_000;
    owed.answeredElsewhere(0);
    owed.asking(false);
    now += 60_000;
    owed.answeredElsewhere(0);
    expect(aborts).toBe(0);
  });

  it('doubles the margin with each abort in a row, and starts over once settled', () => {
    const silentBeforeAbort = () => {
      owed.asking(true);
      let silent = 0;
      while (aborts === before) {
        now += 1_000;
        silent += 1_000;
        owed.answeredElsewhere(0);
      }
      owed.tookForStuck();
      before = aborts;
      return silent;
    };
    let before = 0;
    expect([silentBeforeAbort(), silentBeforeAbort(), silentBeforeAbort()]).toEqual([6_000, 11_000, 21_000]);
    owed.settled();
    expect(silentBeforeAbort()).toBe(6_000);
  });

  it('probes the server once per margin while it hears nothing, and not once answered', () => {
    owed.asking(true);
    now += MARGIN;
    vi.advanceTimersByTime(MARGIN);
    now += MARGIN;
    vi.advanceTimersByTime(MARGIN);
    expect(probes).toEqual([MARGIN, MARGIN]);
    owed.asking(false);
    now += 3 * MARGIN;
    vi.advanceTimersByTime(3 * MARGIN);
    expect(probes).toHaveLength(2);
  });
});
