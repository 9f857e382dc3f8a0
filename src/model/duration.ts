// The project's one duration parser and formatters. Everything is in milliseconds.

const NS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 MICRO SIGN
  μs: 1_000n, // U+03BC GREEK SMALL LETTER MU
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

// Go's time.Duration is an int64 of nanoseconds; ParseDuration rejects anything beyond it. BigInt keeps
// that limit exact where a float would round 2^63 − 1 up.
const MAX_DURATION_NS = 2n ** 63n - 1n;

// One `[digits][.digits]unit` component. Like Go, the unit is everything up to the next digit or dot,
// so "1sec" or "1 s" fail on an unknown unit instead of being half-read.
const COMPONENT = /^(\d*)(?:\.(\d*))?([^\d.]*)/;

/**
 * Go's `time.ParseDuration`, returning milliseconds (fractions kept: "300us" is 0.3). Accepts what Go
 * accepts: a sequence of decimal numbers with units (`ns us µs μs ms s m h`), an optional leading sign, and
 * the bare "0". A negative result is returned as is; callers decide whether it makes sense. Anything Go
 * rejects (empty, no unit, unknown unit, overflow) gives undefined.
 */
export function parseGoDuration(text: string): number | undefined {
  let rest = text;
  const negative = rest.startsWith('-');
  if (negative || rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  // Go allows one more nanosecond below zero than above it.
  const limit = negative ? MAX_DURATION_NS + 1n : MAX_DURATION_NS;
  let totalNs = 0n;
  while (rest !== '') {
    const [whole, intDigits = '', fracDigits = '', unit = ''] = COMPONENT.exec(rest) ?? [];
    if (whole === undefined || (intDigits === '' && fracDigits === '')) return undefined;
    const unitNs = NS_PER_UNIT[unit];
    if (unitNs === undefined) return undefined;
    // Like Go, the fraction contributes whole nanoseconds, truncated.
    const fractionNs = BigInt(Math.trunc(Number(`0.${fracDigits || '0'}`) * Number(unitNs)));
    totalNs += BigInt(intDigits || '0') * unitNs + fractionNs;
    if (totalNs > limit) return undefined;
    rest = rest.slice(whole.length);
  }
  const ms = Number(totalNs) / 1e6;
  return negative && ms !== 0 ? -ms : ms;
}

/**
 * The NEXT RESTART countdown, compact and stable so the column does not jitter:
 * - rounded UP to the shown unit, so it reads "1s" until the moment it is due, never "0s" too early;
 * - under a minute: "9s", "59s"; under an hour: "1m", "4m12s" (zero seconds dropped);
 * - under 100 hours: "1h", "1h2m", "99h59m" (minutes precision); beyond: "4d4h" (hours precision).
 * At most 6 characters below 100 h. Negative or non-finite input counts as "0s".
 */
export function formatCountdown(ms: number): string {
  const safeMs = Number.isFinite(ms) && ms > 0 ? ms : 0;
  const seconds = Math.ceil(safeMs / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return joinUnits(Math.floor(seconds / 60), 'm', seconds % 60, 's');
  const minutes = Math.ceil(safeMs / 60_000);
  if (minutes < 100 * 60) return joinUnits(Math.floor(minutes / 60), 'h', minutes % 60, 'm');
  const hours = Math.ceil(safeMs / 3_600_000);
  return joinUnits(Math.floor(hours / 24), 'd', hours % 24, 'h');
}

function joinUnits(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/**
 * kubectl's AGE and "(3m ago)": a port of HumanDuration in k8s.io/apimachinery
 * pkg/util/duration/duration.go (kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/util/duration/
 * duration.go). Go's int conversions truncate toward zero, hence Math.trunc. Up to 2 s in the future is
 * tolerated as clock noise ("0s"); more is "<invalid>", exactly as kubectl prints it.
 */
export function humanAge(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}
