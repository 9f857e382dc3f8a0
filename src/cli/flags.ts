import { type BackoffCurve, DEFAULT_CURVE } from '../model/backoff.js';
import { parseGoDuration } from '../model/duration.js';
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
