import { type BackoffCurve, DEFAULT_CURVE } from '../model/backoff.js';
import { parseGoDuration } from '../model/duration.js';
import { parseQuantity } from '../model/quantity.js';
import { DEFAULT_LOG_LIMITS, type LogLimits } from '../ui/log-limits.js';
import { UsageError } from './usage-error.js';

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export interface CommonFlags {
  kubeconfig?: string;
  context: string[];
  namespace: string[];
  allNamespaces?: boolean;
  selector?: string;
  color: boolean;
  ascii?: boolean;
  debug?: boolean;
  demo?: boolean;
  backoffInitial?: string;
  backoffMax?: string;
}

export function curveOf(flags: CommonFlags): BackoffCurve {
  const read = (flag: string, text: string | undefined, fallback: number) => {
    if (text === undefined) return fallback;
    const ms = parseGoDuration(text);
    if (ms === undefined || ms <= 0) {
      throw new UsageError(`${flag} ${text} is not a positive duration (examples: 10s, 1m30s, 5m)`);
    }
    return ms;
  };
  const initialMs = read('--backoff-initial', flags.backoffInitial, DEFAULT_CURVE.initialMs);
  const maxMs = read('--backoff-max', flags.backoffMax, DEFAULT_CURVE.maxMs);
  if (initialMs > maxMs) throw new UsageError('--backoff-initial must not be larger than --backoff-max');
  return { initialMs, maxMs };
}

export function wantsColor(flags: CommonFlags, io: Io): boolean {
  return flags.color && !io.env.NO_COLOR && io.env.TERM !== 'dumb' && io.stdout.isTTY === true;
}

const MAX_LOG_LINES = 1_000_000;
const MAX_LOG_BYTES = 1024 ** 3;

/** `--log-lines` and `--log-bytes`: the log view's buffer bound (DESIGN.md §7 "bounded everything"). */
export function logLimitsOf(flags: { logLines?: string; logBytes?: string }): LogLimits {
  let { lines, bytes } = DEFAULT_LOG_LIMITS;
  if (flags.logLines !== undefined) {
    lines = Number(flags.logLines);
    if (!/^\d+$/.test(flags.logLines) || lines < 1 || lines > MAX_LOG_LINES) {
      throw new UsageError(`--log-lines ${flags.logLines} is not a whole number from 1 to ${MAX_LOG_LINES}`);
    }
  }
  if (flags.logBytes !== undefined) {
    const parsed = parseQuantity(flags.logBytes);
    if (parsed === undefined || parsed < 1024 || parsed > MAX_LOG_BYTES) {
      throw new UsageError(
        `--log-bytes ${flags.logBytes} is not a size from 1Ki to 1Gi (examples: 512Ki, 8Mi)`,
      );
    }
    bytes = Math.floor(parsed);
  }
  return { lines, bytes };
}
