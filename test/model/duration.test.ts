import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCountdown, humanAge, parseGoDuration } from '../../src/model/duration.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

describe('parseGoDuration', () => {
  // Valid and invalid inputs from Go's src/time/time_test.go (parseDurationTests, parseDurationErrorTests),
  // plus the forms the kubelet writes in its back-off message.
  it.each([
    ['0', 0],
    ['+0', 0],
    ['-0', 0],
    ['5s', 5 * SECOND],
    ['30s', 30 * SECOND],
    ['1478s', 1478 * SECOND],
    ['-5s', -5 * SECOND],
    ['+5s', 5 * SECOND],
    ['5.0s', 5 * SECOND],
    ['5.6s', 5.6 * SECOND],
    ['5.s', 5 * SECOND],
    ['.5s', 0.5 * SECOND],
    ['1.004s', 1.004 * SECOND],
    ['10ns', 10e-6],
    ['11us', 11e-3],
    ['12µs', 12e-3],
    ['12μs', 12e-3],
    ['13ms', 13],
    ['15m', 15 * MINUTE],
    ['16h', 16 * HOUR],
    ['3h30m', 3.5 * HOUR],
    ['10.5s4m', 4 * MINUTE + 10.5 * SECOND],
    ['-2m3.4s', -(2 * MINUTE + 3.4 * SECOND)],
    ['1h2m3s4ms5us6ns', HOUR + 2 * MINUTE + 3 * SECOND + 4 + 5e-3 + 6e-6],
    ['39h9m14.425s', 39 * HOUR + 9 * MINUTE + 14.425 * SECOND],
    ['52763797000ns', 52763.797],
    ['9223372036854775807ns', Number(9223372036854775807n) / 1e6],
    ['-9223372036854775808ns', -Number(9223372036854775808n) / 1e6],
    ['10s', 10 * SECOND],
    ['1m20s', 80 * SECOND],
    ['2m40s', 160 * SECOND],
    ['5m0s', 300 * SECOND],
    ['1.5s', 1500],
    ['1h0m0s', HOUR],
    ['300ms', 300],
    ['2us', 0.002],
    ['2µs', 0.002],
    ['2μs', 0.002],
    ['3ns', 3e-6],
  ])('parses %s', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each([
    '',
    '3',
    '-',
    's',
    '.',
    '-.',
    '.s',
    '+.s',
    '1d',
    '00',
    '1.5.s',
    '1 s',
    ' 1s',
    '1s ',
    '1S',
    '1sec',
    '1s2',
    '--1s',
    '\x85\x85',
    'hello \xffff world',
    '1e3s',
    '9223372036854775808ns',
    '9223372036854775.808us',
    '-9223372036854775809ns',
    '3000000h',
  ])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  const unitMs: Record<string, number> = {
    h: HOUR,
    m: MINUTE,
    s: SECOND,
    ms: 1,
    us: 1e-3,
    µs: 1e-3,
    ns: 1e-6,
  };
  const component = fc.record({
    whole: fc.nat({ max: 999 }),
    tenths: fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }),
    unit: fc.constantFrom(...Object.keys(unitMs)),
  });

  it('round-trips generated Go-style durations', () => {
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 6 }), fc.boolean(), (parts, negative) => {
        const text = parts
          .map(({ whole, tenths, unit }) => `${whole}${tenths === undefined ? '' : `.${tenths}`}${unit}`)
          .join('');
        const expected = parts.reduce(
          (sum, { whole, tenths, unit }) => sum + (whole + (tenths ?? 0) / 10) * (unitMs[unit] ?? Number.NaN),
          0,
        );
        const parsed = parseGoDuration(negative ? `-${text}` : text);
        // Go truncates each component to whole nanoseconds (1e-6 ms).
        const tolerance = parts.length * 1e-6 + expected * 1e-12;
        expect(parsed).toBeDefined();
        expect(Math.abs(Math.abs(parsed ?? 0) - expected)).toBeLessThanOrEqual(tolerance);
        if (parsed !== 0) expect(Math.sign(parsed ?? 0)).toBe(negative ? -1 : 1);
      }),
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[-+.\dµμnumsh]*$/)),
        (text) => {
          const parsed = parseGoDuration(text);
          expect(parsed === undefined || Number.isFinite(parsed)).toBe(true);
        },
      ),
    );
  });
});

describe('formatCountdown', () => {
  it.each([
    [0, '0s'],
    [-5 * SECOND, '0s'],
    [Number.NaN, '0s'],
    [1, '1s'],
    [999, '1s'],
    [SECOND, '1s'],
    [9 * SECOND, '9s'],
    [9.2 * SECOND, '10s'],
    [59 * SECOND, '59s'],
    [59.5 * SECOND, '1m'],
    [MINUTE, '1m'],
    [MINUTE + SECOND, '1m1s'],
    [4 * MINUTE + 12 * SECOND, '4m12s'],
    [5 * MINUTE, '5m'],
    [HOUR - SECOND, '59m59s'],
    [HOUR, '1h'],
    [HOUR + 2 * MINUTE, '1h2m'],
    [HOUR + 2 * MINUTE + SECOND, '1h3m'],
    [99 * HOUR + 59 * MINUTE, '99h59m'],
    [100 * HOUR, '4d4h'],
    [5 * DAY, '5d'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text);
  });

  it('stays within 6 characters below 100 hours', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100 * HOUR, maxExcluded: true, noNaN: true }), (ms) => {
        expect(formatCountdown(ms).length).toBeLessThanOrEqual(6);
      }),
    );
  });

  it('re-parses as a Go duration that never undercounts by more than the shown unit', () => {
    fc.assert(
      // Up to 99h59m: beyond, rounding up reaches the day format, which Go does not parse.
      fc.property(fc.integer({ min: 0, max: 99 * HOUR + 59 * MINUTE }), (ms) => {
        const parsed = parseGoDuration(formatCountdown(ms));
        const unit = ms >= HOUR - SECOND ? MINUTE : SECOND;
        expect(parsed).toBeDefined();
        expect(parsed ?? 0).toBeGreaterThanOrEqual(ms);
        expect(parsed ?? 0).toBeLessThan(ms + unit);
      }),
    );
  });
});

describe('humanAge (kubectl HumanDuration)', () => {
  // apimachinery pkg/util/duration/duration_test.go: TestHumanDuration and TestHumanDurationBoundaries.
  it.each([
    [SECOND, '1s'],
    [70 * SECOND, '70s'],
    [190 * SECOND, '3m10s'],
    [70 * MINUTE, '70m'],
    [47 * HOUR, '47h'],
    [49 * HOUR, '2d1h'],
    [(8 * 24 + 2) * HOUR, '8d'],
    [367 * DAY, '367d'],
    [2 * YEAR + 25 * HOUR, '2y1d'],
    [8 * YEAR + 2 * HOUR, '8y'],
    [-2 * SECOND, '<invalid>'],
    [-2 * SECOND + 1e-6, '0s'],
    [0, '0s'],
    [SECOND - 1, '0s'],
    [2 * MINUTE - 1, '119s'],
    [2 * MINUTE, '2m'],
    [2 * MINUTE + SECOND, '2m1s'],
    [10 * MINUTE - 1, '9m59s'],
    [10 * MINUTE, '10m'],
    [10 * MINUTE + SECOND, '10m'],
    [3 * HOUR - 1, '179m'],
    [3 * HOUR, '3h'],
    [3 * HOUR + MINUTE, '3h1m'],
    [8 * HOUR - 1, '7h59m'],
    [8 * HOUR, '8h'],
    [8 * HOUR + 59 * MINUTE, '8h'],
    [2 * DAY - 1, '47h'],
    [2 * DAY, '2d'],
    [2 * DAY + HOUR, '2d1h'],
    [8 * DAY - 1, '7d23h'],
    [8 * DAY, '8d'],
    [8 * DAY + 23 * HOUR, '8d'],
    [2 * YEAR - 1, '729d'],
    [2 * YEAR, '2y'],
    [2 * YEAR + 23 * HOUR + 59 * MINUTE, '2y'],
    [2 * YEAR + DAY - 1, '2y'],
    [2 * YEAR + DAY, '2y1d'],
    [3 * YEAR, '3y'],
    [7 * YEAR, '7y'],
    [8 * YEAR - 1, '7y364d'],
    [8 * YEAR, '8y'],
    [8 * YEAR + 364 * DAY, '8y'],
    [9 * YEAR, '9y'],
  ])('%d ms reads %s', (ms, text) => {
    expect(humanAge(ms)).toBe(text);
  });
});
